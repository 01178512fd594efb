"""Login, logout, the start page (the user's sites), API keys and the language switch.

The blueprint also installs the access layer for the whole app: the POLICY check before every request,
no-store caching for signed-in answers, the CSRF error page and the template helpers (t, ui_lang, ...).
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import NotFound

from ..errors import Conflict, InvalidInput, _wants_json, error_response
from ..errors import NotFound as DomainNotFound
from ..extensions import db, limiter
from ..models import record_audit
from ..timeutil import utcnow
from . import services
from .access import (
    current_path,
    current_user,
    end_session,
    enforce_policy,
    login_required,
    safe_next,
    start_session,
    visible_sites,
)
from .cookies import set_preference_cookie
from .i18n import (
    LANGUAGE_COOKIE,
    LANGUAGE_NAMES,
    LANGUAGES,
    current_language,
    format_date,
    format_datetime,
    format_number,
    t,
)

bp = Blueprint("auth", __name__)
bp.before_app_request(enforce_policy)


@bp.record_once
def _template_helpers(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals.update(
        t=t,
        ui_lang=current_language,
        ui_languages=LANGUAGES,
        language_names=LANGUAGE_NAMES,
        format_date=format_date,
        format_datetime=format_datetime,
        format_number=format_number,
        nav_url=nav_url,
        current_path=current_path,
    )


def nav_url(endpoint: str, **values: Any) -> str | None:
    """The URL of an endpoint, or None while nobody has built it yet (the nav hides such links)."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


@bp.after_app_request
def _no_store_when_signed_in(response: Response) -> Response:
    # Pages and answers for a signed-in user must not outlive the session in a shared or back-button cache.
    user = g.get("_login_user")
    if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


# What this request learnt about its user and language, cached in g (Flask-Login and Flask-WTF too).
REQUEST_STATE = ("_login_user", "api_account", "ui_lang", "csrf_token", "csrf_valid")


@bp.teardown_app_request
def _forget_request_state(_exc: BaseException | None) -> None:
    # g normally dies with its request, but an app context held across requests (a test, a script) would
    # carry one request's user into the next: drop it when the request ends.
    for key in REQUEST_STATE:
        g.pop(key, None)


@bp.app_errorhandler(CSRFError)
def _csrf_failed(exc: CSRFError) -> Response | tuple[str, int]:
    if _wants_json():
        return error_response(400, "csrf_failed", "The form's CSRF token is missing or invalid; reload it.")
    return render_template("auth/message.html", title=t("csrf.title"), body=t("csrf.body")), 400


@bp.errorhandler(429)
def _throttled(exc: Exception) -> tuple[str, int]:
    # The login form is a page: its refusal is a page too (Retry-After is added by the rate limiter).
    page = render_template(
        "auth/message.html",
        title=t("throttle.title"),
        body=t("throttle.body"),
        link=(current_path(), t("throttle.retry")),
    )
    return page, 429


# ---- login and logout ---------------------------------------------------------------------------------


def _account_key() -> str:
    # Per account, whether it exists or not; hashed so the limiter's storage and logs hold no address.
    email = services.normalise_email(request.form.get("email", ""))
    return "account:" + hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()[:32]


def _refused(response: Response) -> bool:
    # Only attempts that did not log in count against the limits (a success answers 303).
    return response.status_code != 303


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN_IP"], methods=["POST"], deduct_when=_refused, scope="network"
)
@limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_refused,
    scope="account",
)
def login() -> ResponseReturnValue:
    target = safe_next(request.args.get("next"))
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(target or url_for("auth.index"))
        return render_template("auth/login.html", next=target, email="", errors={}, failed=False)

    email = request.form.get("email", "")
    password = request.form.get("password", "")
    errors = _login_errors(email, password)
    shown = services.printable(email)
    if errors:
        return render_template("auth/login.html", next=target, email=shown, errors=errors, failed=False), 422
    try:
        user = services.authenticate(db.session, email, password)
    except services.LoginRefused as refused:
        tried = services.printable(services.normalise_email(email)) or None
        record_audit("anonymous", "login.failure", tried, reason=refused.reason, network=request.remote_addr)
        db.session.commit()
        return render_template("auth/login.html", next=target, email=shown, errors={}, failed=True), 422
    record_audit(user.email, "login.success", user.email, network=request.remote_addr)
    db.session.commit()
    start_session(user)
    return redirect(target or url_for("auth.index"), 303)


def _login_errors(email: str, password: str) -> dict[str, str]:
    errors = {}
    if not email.strip():
        errors["email"] = t("form.required")
    elif len(email) > services.MAX_EMAIL_LENGTH:
        errors["email"] = t("form.too_long", max=services.MAX_EMAIL_LENGTH)
    if not password:
        errors["password"] = t("form.required")
    elif len(password) > services.MAX_PASSWORD_LENGTH:
        errors["password"] = t("form.too_long", max=services.MAX_PASSWORD_LENGTH)
    return errors


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End every session of this user (all devices), then forget it in this browser."""
    if current_user.is_authenticated:
        user = current_user.user
        services.end_all_sessions(db.session, user)
        record_audit(user.email, "logout", user.email)
        db.session.commit()
        end_session()
        flash(t("login.logged_out"), "success")
    return redirect(url_for("auth.login"), 303)


# ---- the start page -----------------------------------------------------------------------------------


@bp.get("/")
@login_required
def index() -> str:
    return render_template("auth/index.html", sites=visible_sites())


# ---- API keys -----------------------------------------------------------------------------------------


def _api_keys_page(status: int = 200, **context: Any) -> tuple[str, int]:
    keys = services.api_keys_of(db.session, current_user.user)
    context.setdefault("name", "")
    context.setdefault("error", None)
    return render_template("auth/api_keys.html", keys=keys, **context), status


@bp.get("/account/api-keys")
@login_required
def api_keys() -> tuple[str, int]:
    return _api_keys_page()


@bp.post("/account/api-keys")
@login_required
def create_api_key() -> ResponseReturnValue:
    name = request.form.get("name", "")
    try:
        api_key, secret = services.create_api_key(db.session, current_user.user, name, utcnow())
    except InvalidInput:
        db.session.rollback()
        return _api_keys_page(422, name=services.printable(name, 200), error=t("apikeys.name_invalid"))
    except Conflict:
        db.session.rollback()
        return _api_keys_page(409, name=services.printable(name, 200), error=t("apikeys.too_many"))
    db.session.commit()
    page, status = _api_keys_page(201, created=api_key, secret=secret)
    response = Response(page, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"  # the key is in this page, and only in this page
    return response


@bp.post("/account/api-keys/<int:key_id>/revoke")
@login_required
def revoke_api_key(key_id: int) -> ResponseReturnValue:
    user = current_user.user
    try:
        api_key = services.api_key_of(db.session, user, key_id)
    except DomainNotFound:
        raise NotFound() from None  # a page: the same HTML 404 as for any unknown address
    services.revoke_api_key(db.session, api_key, utcnow(), actor=user.email)
    db.session.commit()
    flash(t("apikeys.revoked", name=api_key.name), "success")
    return redirect(url_for("auth.api_keys"), 303)


# ---- language -----------------------------------------------------------------------------------------


@bp.post("/account/language")
def set_language() -> ResponseReturnValue:
    """Remember the chosen UI language in a cookie and go back to the page the switch was on."""
    response = redirect(safe_next(request.form.get("next")) or url_for("auth.index"), 303)
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        set_preference_cookie(response, LANGUAGE_COOKIE, lang)
    return response
