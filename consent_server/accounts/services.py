"""User accounts: creation with hashed passwords, roles and site grants."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from ..errors import Conflict, InvalidInput
from ..extensions import DBSession
from ..models import ROLES, Site, User, record_audit

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MIN_PASSWORD_LENGTH = 12


def create_user(
    session: DBSession, email: str, role: str, site_keys: list[str], password: str, actor: str = "cli"
) -> User:
    """Create a user. Raises InvalidInput (bad email, role, password or site) or Conflict (email taken)."""
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise InvalidInput("That is not an email address.", fields={"email": "invalid"})
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.", fields={"role": "unknown role"})
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"A password has at least {MIN_PASSWORD_LENGTH} characters.", fields={"password": "too short"}
        )
    if session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise Conflict("A user with that email exists already.", code="user_exists")
    sites = list(session.scalars(select(Site).where(Site.key.in_(site_keys)))) if site_keys else []
    missing = sorted(set(site_keys) - {site.key for site in sites})
    if missing:
        raise InvalidInput(f"No such site: {', '.join(missing)}.", fields={"site": "unknown site"})
    user = User(email=email, role=role, password_hash=generate_password_hash(password), sites=sites)
    session.add(user)
    session.flush()
    record_audit(actor, "user.create", email, role=role, sites=sorted(site_keys))
    return user


def set_password(session: DBSession, user: User, password: str, actor: str = "cli") -> None:
    """Replace a password and end the user's sessions. Raises InvalidInput when it is too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"A password has at least {MIN_PASSWORD_LENGTH} characters.", fields={"password": "too short"}
        )
    user.password_hash = generate_password_hash(password)
    user.session_version += 1
    record_audit(actor, "user.password", user.email)
    session.flush()
