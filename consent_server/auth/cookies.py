"""The dashboard's cookies: the signed session and the language preference. HttpOnly, SameSite=Lax, and
Secure whenever the request came over https (or always, with CONSENT_COOKIE_SECURE=always)."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.wrappers import Response

PREFERENCE_MAX_AGE = 365 * 24 * 3600


def cookie_secure() -> bool:
    """Whether a cookie set now must carry the Secure attribute."""
    if current_app.config.get("COOKIE_SECURE") == "always":
        return True
    return has_request_context() and request.is_secure


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie session, Secure per request: behind https even when plain http is allowed."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(super().get_cookie_secure(app)) or cookie_secure()


def set_preference_cookie(response: Response, name: str, value: str) -> None:
    """A first-party preference the user chose (strictly necessary for the service they asked for)."""
    response.set_cookie(
        name,
        value,
        max_age=PREFERENCE_MAX_AGE,
        secure=cookie_secure(),
        httponly=True,
        samesite="Lax",
    )
