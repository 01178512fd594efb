"""Users: the list, a new user, role and site grants, deactivation, password reset, their API keys.

A generated password or a new API key is shown once, in the answer to the POST that made it (no-store),
never in a flash message (the session cookie is signed, not encrypted) and never in the audit log.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ..accounts.services import MIN_PASSWORD_LENGTH
from ..auth import services as auth_services
from ..auth.access import admin_required, current_user
from ..auth.i18n import t
from ..auth.services import MAX_PASSWORD_LENGTH, printable
from ..errors import Conflict, DomainError
from ..extensions import db
from ..models import ROLES, Site, User
from ..timeutil import utcnow
from . import services
from .blueprint import actor, bp


def _all_sites() -> list[Site]:
    return list(db.session.scalars(select(Site).order_by(Site.name, Site.key)))


def _once(page: str, status: int) -> Response:
    """A page holding a secret: never cached, anywhere."""
    response = Response(page, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/users")
@admin_required
def users() -> str:
    return render_template("admin/users.html", users=services.all_users(db.session))


# ---- a new user ----------------------------------------------------------------------------------------


def _new_user_page(status: int = 200, **context: Any) -> tuple[str, int]:
    context.setdefault("values", {"email": "", "role": "marketing", "sites": []})
    context.setdefault("errors", {})
    page = render_template("admin/user_new.html", sites=_all_sites(), roles=ROLES, **context)
    return page, status


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user() -> ResponseReturnValue:
    if request.method == "GET":
        return _new_user_page()
    email = request.form.get("email", "")
    role = request.form.get("role", "")
    site_keys = request.form.getlist("sites")[:500]
    password = request.form.get("password", "")
    values = {"email": printable(email), "role": role if role in ROLES else "", "sites": site_keys}
    errors = _user_errors(email, role, password)
    if not errors:
        try:
            user, generated = services.add_user(
                db.session, email, role, site_keys, password or None, actor=actor()
            )
        except Conflict:
            db.session.rollback()
            errors = {"email": t("admin.user.email_taken")}
        except DomainError as exc:
            db.session.rollback()
            errors = _user_field_errors(exc)
        else:
            db.session.commit()
            if generated is None:
                flash(t("admin.user.created", email=user.email), "success")
                return redirect(url_for("admin.edit_user", user_id=user.id), 303)
            page = render_template("admin/user_password.html", user=user, password=generated, created=True)
            return _once(page, 201)
    return _new_user_page(422, values=values, errors=errors)


def _user_errors(email: str, role: str, password: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not email.strip():
        errors["email"] = t("form.required")
    elif len(email) > auth_services.MAX_EMAIL_LENGTH or printable(email) != email:
        errors["email"] = t("admin.user.email_invalid")
    if role not in ROLES:
        errors["role"] = t("admin.user.role_invalid")
    if password and (len(password) > MAX_PASSWORD_LENGTH or "\x00" in password):
        errors["password"] = t("admin.user.password_invalid")
    elif password and len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = t("admin.user.password_short", min=MIN_PASSWORD_LENGTH)
    return errors


def _user_field_errors(exc: DomainError) -> dict[str, str]:
    messages = {
        "email": t("admin.user.email_invalid"),
        "role": t("admin.user.role_invalid"),
        "password": t("admin.user.password_short", min=MIN_PASSWORD_LENGTH),
        "site": t("admin.user.site_invalid"),
        "sites": t("admin.user.site_invalid"),
    }
    field = next(iter(exc.fields), "email")
    return {"sites" if field == "site" else field: messages.get(field, exc.message)}


# ---- one user ------------------------------------------------------------------------------------------


def _user(user_id: int) -> User:
    try:
        return services.get_user(db.session, user_id)
    except DomainError:
        abort(404)


def _edit_user_page(user: User, status: int = 200, **context: Any) -> tuple[str, int]:
    context.setdefault("errors", {})
    context.setdefault("values", {"role": user.role, "sites": [site.key for site in user.sites]})
    context.setdefault("key_name", "")
    page = render_template(
        "admin/user_edit.html",
        user=user,
        sites=_all_sites(),
        roles=ROLES,
        keys=auth_services.api_keys_of(db.session, user),
        myself=user.id == current_user.id,
        **context,
    )
    return page, status


@bp.get("/users/<int:user_id>")
@admin_required
def edit_user(user_id: int) -> tuple[str, int]:
    return _edit_user_page(_user(user_id))


@bp.post("/users/<int:user_id>")
@admin_required
def save_user(user_id: int) -> ResponseReturnValue:
    user = _user(user_id)
    role = request.form.get("role", "")
    site_keys = request.form.getlist("sites")[:500]
    values = {"role": role, "sites": site_keys}
    try:
        changes = services.update_user(db.session, user, role, site_keys, current_user.user)
    except DomainError as exc:
        db.session.rollback()
        field = next(iter(exc.fields), "role")
        message = {
            "role": t("admin.user.own_role")
            if "own" in exc.fields.get("role", "")
            else t("admin.user.role_invalid"),
            "sites": t("admin.user.site_invalid"),
        }.get(field, exc.message)
        return _edit_user_page(user, 422, values=values, errors={field: message})
    db.session.commit()
    flash(t("admin.user.saved" if changes else "admin.user.unchanged", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), 303)


@bp.post("/users/<int:user_id>/active")
@admin_required
def set_active(user_id: int) -> ResponseReturnValue:
    user = _user(user_id)
    wanted = request.form.get("active")
    if wanted not in ("0", "1"):
        return _edit_user_page(user, 422, errors={"active": t("admin.user.active_invalid")})
    try:
        services.set_active(db.session, user, wanted == "1", current_user.user, utcnow())
    except DomainError:
        db.session.rollback()
        return _edit_user_page(user, 422, errors={"active": t("admin.user.own_account")})
    db.session.commit()
    key = "admin.user.reactivated" if wanted == "1" else "admin.user.deactivated"
    flash(t(key, email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), 303)


@bp.post("/users/<int:user_id>/password")
@admin_required
def reset_password(user_id: int) -> Response:
    user = _user(user_id)
    password = services.reset_password(db.session, user, current_user.user)
    db.session.commit()
    page = render_template("admin/user_password.html", user=user, password=password, created=False)
    return _once(page, 200)


@bp.post("/users/<int:user_id>/api-keys")
@admin_required
def create_user_key(user_id: int) -> ResponseReturnValue:
    user = _user(user_id)
    name = request.form.get("name", "")
    try:
        api_key, secret = auth_services.create_api_key(db.session, user, name, utcnow(), actor=actor())
    except Conflict:
        db.session.rollback()
        return _edit_user_page(
            user, 409, key_name=printable(name, 200), errors={"key": t("apikeys.too_many")}
        )
    except DomainError:
        db.session.rollback()
        return _edit_user_page(
            user, 422, key_name=printable(name, 200), errors={"key": t("apikeys.name_invalid")}
        )
    db.session.commit()
    page, status = _edit_user_page(user, 201, created=api_key, secret=secret)
    return _once(page, status)


@bp.post("/users/<int:user_id>/api-keys/<int:key_id>/revoke")
@admin_required
def revoke_user_key(user_id: int, key_id: int) -> ResponseReturnValue:
    user = _user(user_id)
    try:
        api_key = auth_services.api_key_of(db.session, user, key_id)
    except DomainError:
        abort(404)
    auth_services.revoke_api_key(db.session, api_key, utcnow(), actor=actor())
    db.session.commit()
    flash(t("apikeys.revoked", name=api_key.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id, _anchor="keys"), 303)
