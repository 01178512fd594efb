"""Who may see what. The building blocks every dashboard, admin and stats view uses.

Pages (HTML):
    @login_required       anonymous -> 302 to /login?next=<this path>
    @admin_required       anonymous -> login; signed in but not an admin -> 404
APIs (JSON, under /api/):
    @api_user_required    the dashboard session or `Authorization: Bearer <api key>`; else 401 JSON
Both:
    current_user          the Account behind this request (Flask-Login's proxy): .user, .email, .is_admin
    visible_site(key)     the Site if the current user may see it; else 404, exactly as for a missing site
    visible_sites()       every Site the current user may see

POLICY names the access rule of every endpoint in app.url_map, and `enforce_policy` applies it before
any view runs: a view that forgets its decorator is still protected, and an endpoint without a rule is
refused with an error naming it (tests/integration/test_access_matrix.py fails for it first).
Rules:
    "public"         anyone (login form, health, widget, cookie declaration, static files)
    "visitor-token"  the widget API authenticated by a visitor's signed consent token, not by a user
    "login"          any signed-in user (pages) / any authenticated API caller (/api/ paths)
    "site"           signed in and allowed to see the site named by the `key` URL argument or the
                     `site_id` query parameter (marketing: granted sites; admin: all); else 404
    "admin"          signed-in admins only; others get 404 (anonymous pages go to the login form)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, Literal, TypeVar, cast, get_args

import flask_login
from flask import current_app, g, redirect, request, session, url_for
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import NotFound, Unauthorized
from werkzeug.wrappers import Response

from ..extensions import db, login_manager
from ..models import ApiKey, Site, User
from ..timeutil import utcnow
from . import services

log = logging.getLogger(__name__)

Rule = Literal["public", "visitor-token", "login", "site", "admin"]
RULES: tuple[str, ...] = get_args(Rule)

# Every endpoint of the app and its rule. A new route needs an entry here: the access-matrix test fails
# until it has one, and at runtime the route answers 500 naming this table.
POLICY: dict[str, Rule] = {
    "static": "public",
    "core.healthz": "public",
    "core.openapi": "public",
    "core.demo": "public",
    # A first choice has no token yet; changing a recorded one needs its token (checked by the view).
    "consent.record": "public",
    "consent.show_receipt": "visitor-token",
    "consent.erase": "visitor-token",
    "collect.collect": "visitor-token",
    "embed.widget": "public",
    "embed.declaration_page": "public",
    "declaration.declaration_json": "public",
    "auth.login": "public",
    "auth.logout": "public",  # signed out already: nothing to end, back to the form
    "auth.set_language": "public",  # the login form has the switch too
    "auth.index": "login",
    "auth.api_keys": "login",
    "auth.create_api_key": "login",
    "auth.revoke_api_key": "login",
    # The admin pages (consent_server/admin): admins only.
    "admin.index": "admin",
    "admin.sites": "admin",
    "admin.new_site": "admin",
    "admin.edit_site": "admin",
    "admin.save_site": "admin",
    "admin.preview": "admin",
    "admin.preview_widget": "admin",
    "admin.export_site": "admin",
    "admin.import_site": "admin",
    "admin.start_scan": "admin",
    "admin.scan": "admin",
    "admin.add_proposals": "admin",
    "admin.users": "admin",
    "admin.new_user": "admin",
    "admin.edit_user": "admin",
    "admin.save_user": "admin",
    "admin.set_active": "admin",
    "admin.reset_password": "admin",
    "admin.create_user_key": "admin",
    "admin.revoke_user_key": "admin",
    "admin.audit": "admin",
    "admin.consents": "admin",
    "admin.consent": "admin",
    "admin.consent_export": "admin",
    "admin.erase_consent": "admin",
    "admin.data": "admin",
    # The statistics pages of a site and their CSV downloads (consent_server/dashboard).
    "dashboard.site_stats": "site",
    "dashboard.export": "site",
    "dashboard.consent": "site",
    "dashboard.consent_export": "site",
    # The stats API (consent_server/stats/routes.py): session or API key, and a grant for `site_id`.
    "stats_api.aggregate_stats": "site",
    "stats_api.timeseries_stats": "site",
    "stats_api.breakdown_stats": "site",
    "stats_api.realtime_stats": "site",
    "stats_api.consent_stats_api": "site",
}

SESSION_STARTED = "auth_at"  # epoch seconds of the login; sessions end PERMANENT_SESSION_LIFETIME after it
API_PREFIX = "/api/"

View = TypeVar("View", bound=Callable[..., Any])


class MissingAccessRule(RuntimeError):
    """An endpoint has no entry in POLICY: a programming error, refused rather than guessed."""


class Account(flask_login.UserMixin):
    """The user behind a request, as Flask-Login's current_user; `api_key` is set for Bearer calls."""

    def __init__(self, user: User, api_key: ApiKey | None = None):
        self.user = user
        self.api_key = api_key

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def is_admin(self) -> bool:
        return self.user.role == "admin"

    @property
    def is_active(self) -> bool:
        return self.user.active

    def get_id(self) -> str:
        # The session version travels with the id: bumping it ends every session of the user.
        return services.session_token(self.user)


class Anonymous(flask_login.AnonymousUserMixin):
    user = None
    api_key = None
    email = ""
    role = ""
    is_admin = False


login_manager.anonymous_user = Anonymous

# In views behind login_required/admin_required/api_user_required this is an Account; elsewhere test
# current_user.is_authenticated first (anonymous requests get an Anonymous with is_admin False).
current_user: Account = cast(Account, flask_login.current_user)


@login_manager.user_loader
def _load_session_user(token: str) -> Account | None:
    started = session.get(SESSION_STARTED)
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if not isinstance(started, int) or time.time() - started > lifetime:
        return None
    user = services.session_user(db.session, token)
    return Account(user) if user is not None else None


# ---- sessions -----------------------------------------------------------------------------------------


def session_values(user: User, now: float) -> dict[str, Any]:
    """What a signed-in session holds (Flask-Login's keys and the login time); tests set it directly."""
    return {"_user_id": services.session_token(user), "_fresh": True, SESSION_STARTED: int(now)}


def start_session(user: User) -> None:
    """Sign this browser in as `user`, in a fresh session: nothing from before the login survives."""
    session.clear()
    session.permanent = True
    flask_login.login_user(Account(user), fresh=True)
    session[SESSION_STARTED] = int(time.time())


def end_session() -> None:
    """Forget the signed-in user in this browser (the caller ends the server-side sessions too)."""
    flask_login.logout_user()
    session.clear()


# ---- redirects ----------------------------------------------------------------------------------------


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site (for ?next=), else None: never another host or a scheme."""
    if not target or len(target) > 2048 or not target.startswith("/"):
        return None
    if target.startswith("//") or "\\" in target:
        return None  # protocol-relative, or a backslash that browsers read as a slash
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None  # browsers drop tabs and newlines, which turns "/\t/evil" into "//evil"
    return target


def current_path() -> str:
    """This request's path and query string (no dangling "?"), for ?next= and the language switch."""
    full = request.full_path
    return full[:-1] if full.endswith("?") else full


def login_redirect() -> Response:
    """302 to the login form, which comes back here (GET) or to the start page after login."""
    target = safe_next(current_path()) if request.method in ("GET", "HEAD") else None
    return redirect(url_for("auth.login", next=target))


# ---- who is asking ------------------------------------------------------------------------------------


def _is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def _api_unauthorized() -> Unauthorized:
    return Unauthorized(
        "Log in to the dashboard or send `Authorization: Bearer <api key>`.",
        www_authenticate=WWWAuthenticate("bearer"),
    )


def api_account() -> Account | None:
    """The API caller: the key's owner with `Authorization: Bearer <key>`, else the dashboard session.

    A request that sends an Authorization header is judged by that header alone: a bad key is refused
    even when the browser also has a session.
    """
    if "api_account" in g:
        return cast("Account | None", g.api_account)
    header = request.headers.get("Authorization")
    account: Account | None = None
    if header is not None:
        scheme, _, key = header.partition(" ")
        api_key = services.verify_api_key(db.session, key.strip()) if scheme.lower() == "bearer" else None
        if api_key is not None:
            if services.touch_api_key(api_key, utcnow()):
                db.session.commit()  # before the view runs, so its own transaction starts clean
            account = Account(api_key.user, api_key)
            g._login_user = account  # Flask-Login's slot: current_user is the key's owner for this request
    elif current_user.is_authenticated:
        account = current_user
    g.api_account = account
    return account


# ---- decorators ---------------------------------------------------------------------------------------


def login_required(view: View) -> View:
    """Pages: anonymous visitors are sent to the login form (and come back after logging in)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_redirect()
        return view(*args, **kwargs)

    return cast(View, wrapper)


def admin_required(view: View) -> View:
    """Pages: anonymous -> login form; signed in but not an admin -> 404 (the page does not exist for you)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_redirect()
        if not current_user.is_admin:
            raise NotFound()
        return view(*args, **kwargs)

    return cast(View, wrapper)


def api_user_required(view: View) -> View:
    """JSON APIs: a dashboard session or a valid API key; otherwise 401 in the JSON error shape."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if api_account() is None:
            raise _api_unauthorized()
        return view(*args, **kwargs)

    return cast(View, wrapper)


# ---- sites --------------------------------------------------------------------------------------------


def visible_site(key: str) -> Site:
    """The site with this key if the current user may see it. Raises NotFound (404) otherwise.

    The 404 for a site without a grant is the same as for a site that does not exist.
    """
    if not current_user.is_authenticated:
        raise NotFound()
    site = services.site_visible_to(db.session, current_user.user, key)
    if site is None:
        raise NotFound()
    return site


def visible_sites() -> list[Site]:
    """Every site the current user may see (admins: all), by name; [] for anonymous requests."""
    if not current_user.is_authenticated:
        return []
    return services.sites_visible_to(db.session, current_user.user)


# ---- the policy, applied to every request -------------------------------------------------------------


def enforce_policy() -> Response | None:
    """before_request: apply POLICY[request.endpoint]. Raises MissingAccessRule for an unlisted endpoint."""
    endpoint = request.endpoint
    if endpoint is None or request.method == "OPTIONS":
        return None  # 404/405 routing errors, and CORS preflights (answered without data)
    rule = POLICY.get(endpoint)
    if rule is None:
        log.error("endpoint %s has no access rule: add it to POLICY in auth/access.py", endpoint)
        raise MissingAccessRule(f"endpoint {endpoint!r} has no entry in consent_server.auth.access.POLICY")
    if rule in ("public", "visitor-token"):
        return None
    if _is_api_request():
        if api_account() is None:
            raise _api_unauthorized()
    elif not current_user.is_authenticated:
        return login_redirect()
    if rule == "admin" and not current_user.is_admin:
        raise NotFound()
    if rule == "site":
        key = (request.view_args or {}).get("key", request.args.get("site_id"))
        if key is not None:
            visible_site(str(key))
    return None
