"""Authentication without request access: passwords, session validity, API keys, site visibility.

Every function takes the database session (and the moment, where time matters) as arguments, so the
routes, the CLI and the tests call the same code. Functions flush; the caller commits.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import DBSession
from ..models import ApiKey, Site, User, record_audit, user_sites

MAX_EMAIL_LENGTH = 254
MAX_PASSWORD_LENGTH = 1024  # scrypt would take anything; a bound keeps hostile bodies cheap
MAX_KEY_NAME_LENGTH = 100
MAX_ACTIVE_API_KEYS = 20
API_KEY_PREFIX = "csk_"  # "consent-server key": recognisable in logs, secret scanners and config files
API_KEY_SHOWN = 12  # characters kept in clear (prefix included) so a user can tell keys apart
API_KEY_PATTERN = re.compile(r"^csk_[A-Za-z0-9_-]{43}$")
LAST_USED_RESOLUTION = timedelta(hours=1)  # last_used_at is refreshed at most this often (no write per call)
SESSION_TOKEN = re.compile(r"^([0-9]{1,18}):([0-9]{1,18})$")


class LoginRefused(Exception):
    """authenticate() said no. `reason` is for the audit log only; the user sees one message for all."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ---- e-mail addresses and passwords -------------------------------------------------------------------


def normalise_email(email: str) -> str:
    return email.strip().lower()


def printable(text: str, limit: int = MAX_EMAIL_LENGTH) -> str:
    """The text without control characters, cut to `limit`: safe for the audit log and its database."""
    cleaned = "".join(char for char in text if unicodedata.category(char)[0] != "C")
    return cleaned[:limit]


@cache
def _dummy_hash() -> str:
    # The same method and cost as real hashes, so an unknown address costs as much time as a known one.
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(session: DBSession, email: str, password: str) -> User:
    """Return the active user with this e-mail address and password.

    Raises LoginRefused (reason: invalid_input, unknown_email, wrong_password or inactive). Every path
    that gets as far as a lookup verifies one password hash, so timing does not tell which addresses exist.
    """
    email = normalise_email(email)
    if (
        not email
        or len(email) > MAX_EMAIL_LENGTH
        or len(password) > MAX_PASSWORD_LENGTH
        or printable(email) != email
        or "\x00" in password
    ):
        check_password_hash(_dummy_hash(), password[:MAX_PASSWORD_LENGTH])
        raise LoginRefused("invalid_input")
    user = session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None:
        check_password_hash(_dummy_hash(), password)
        raise LoginRefused("unknown_email")
    if not check_password_hash(user.password_hash, password):
        raise LoginRefused("wrong_password")
    if not user.active:
        raise LoginRefused("inactive")
    return user


# ---- session validity ---------------------------------------------------------------------------------


def session_token(user: User) -> str:
    """What a login session stores: the user id and the user's session version at login."""
    return f"{user.id}:{user.session_version}"


def session_user(session: DBSession, token: str) -> User | None:
    """The user a session token belongs to, or None when it is malformed, outdated or the user inactive."""
    match = SESSION_TOKEN.match(token) if isinstance(token, str) else None
    if match is None:
        return None
    user = session.get(User, int(match.group(1)))
    if user is None or not user.active or user.session_version != int(match.group(2)):
        return None
    return user


def end_all_sessions(session: DBSession, user: User) -> None:
    """Invalidate every session of this user, on every device (logout, deactivation, password change)."""
    user.session_version += 1
    session.flush()


# ---- which sites a user may see -----------------------------------------------------------------------


def _plausible_site_key(key: object) -> bool:
    return isinstance(key, str) and 0 < len(key) <= 64 and printable(key, 64) == key


def site_visible_to(session: DBSession, user: User, key: str) -> Site | None:
    """The site with this key if the user may see it (admins: every site; marketing: granted ones)."""
    if not _plausible_site_key(key):
        return None  # NUL bytes and the like never reach the database
    query = select(Site).where(Site.key == key)
    if user.role != "admin":
        query = query.join(user_sites, user_sites.c.site_id == Site.id).where(user_sites.c.user_id == user.id)
    return session.scalar(query)


def sites_visible_to(session: DBSession, user: User) -> list[Site]:
    """Every site the user may see, by name."""
    query = select(Site).order_by(Site.name, Site.key)
    if user.role != "admin":
        query = query.join(user_sites, user_sites.c.site_id == Site.id).where(user_sites.c.user_id == user.id)
    return list(session.scalars(query))


# ---- API keys -----------------------------------------------------------------------------------------


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(
    session: DBSession, user: User, name: str, now: datetime, actor: str | None = None
) -> tuple[ApiKey, str]:
    """Create a key for the user; return it and the key itself, which is never stored and never shown again.

    Raises InvalidInput (empty, too long or unprintable name) or Conflict (too many active keys).
    """
    name = name.strip()
    if not name or len(name) > MAX_KEY_NAME_LENGTH or printable(name, MAX_KEY_NAME_LENGTH) != name:
        raise InvalidInput(
            f"A key needs a name of 1 to {MAX_KEY_NAME_LENGTH} printable characters.",
            fields={"name": "invalid"},
        )
    active = session.scalar(
        select(func.count()).select_from(ApiKey).where(ApiKey.user_id == user.id, ApiKey.revoked_at.is_(None))
    )
    if (active or 0) >= MAX_ACTIVE_API_KEYS:
        raise Conflict(f"A user has at most {MAX_ACTIVE_API_KEYS} active keys.", code="too_many_keys")
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey(
        user_id=user.id, name=name, prefix=key[:API_KEY_SHOWN], key_hash=hash_api_key(key), created_at=now
    )
    session.add(api_key)
    session.flush()
    record_audit(actor or user.email, "api_key.create", user.email, key_id=api_key.id, prefix=api_key.prefix)
    return api_key, key


def api_keys_of(session: DBSession, user: User) -> list[ApiKey]:
    """The user's keys, active ones first, newest first."""
    return list(
        session.scalars(
            select(ApiKey)
            .where(ApiKey.user_id == user.id)
            .order_by(ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc(), ApiKey.id.desc())
        )
    )


def api_key_of(session: DBSession, user: User, key_id: int) -> ApiKey:
    """One of the user's own keys. Raises NotFound for a key of someone else or no key at all."""
    api_key = session.scalar(select(ApiKey).where(ApiKey.id == key_id, ApiKey.user_id == user.id))
    if api_key is None:
        raise NotFound("No such API key.")
    return api_key


def revoke_api_key(session: DBSession, api_key: ApiKey, now: datetime, actor: str) -> None:
    """Revoke a key (from now on it authenticates nothing). Revoking twice changes nothing."""
    if api_key.revoked_at is not None:
        return
    api_key.revoked_at = now
    session.flush()
    record_audit(actor, "api_key.revoke", api_key.user.email, key_id=api_key.id, prefix=api_key.prefix)


def verify_api_key(session: DBSession, key: str) -> ApiKey | None:
    """The active key matching this secret, of an active user; None otherwise."""
    if not API_KEY_PATTERN.match(key):
        return None  # malformed or hostile input never reaches the database
    api_key = session.scalar(
        select(ApiKey)
        .join(User, User.id == ApiKey.user_id)
        .where(ApiKey.key_hash == hash_api_key(key), ApiKey.revoked_at.is_(None), User.active.is_(True))
    )
    return api_key


def touch_api_key(api_key: ApiKey, now: datetime) -> bool:
    """Record that the key was used; return whether anything changed (at most once per hour)."""
    if api_key.last_used_at is not None and now - api_key.last_used_at < LAST_USED_RESOLUTION:
        return False
    api_key.last_used_at = now
    return True
