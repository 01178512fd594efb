"""What the admin pages do, without request access: site changes with their policy bump, users, the
audit log, data-subject requests and the data inventory. Functions flush; the caller commits.

Every change is audited here, with who did it (`actor`, an e-mail address) and, for changes, the fields
that changed before and after. Never a password, password hash, token, API key or full IP address.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Column, Table, func, literal, select

from ..accounts.services import create_user, set_password
from ..auth.services import end_all_sessions
from ..collect.services import erase_visitor
from ..consent.schemas import UUID_PATTERN
from ..consent.services import Visitor, receipt, withdraw
from ..errors import InvalidInput, NotFound
from ..extensions import DBSession
from ..models import ROLES, AuditLog, ConsentRecord, Site, User, record_audit
from ..privacy import AgentSummary
from ..sites.schemas import SiteDoc, parse_site_doc
from ..sites.services import apply_document, create_site, export_site
from ..timeutil import utcnow
from ..tokens import TokenClaims

# Changes to these parts of a configuration change what visitors agreed to: the policy version goes up
# and every visitor is asked again.
POLICY_PARTS = ("texts", "categories", "services")
GENERATED_PASSWORD_BYTES = 15  # 20 characters of token_urlsafe: well over MIN_PASSWORD_LENGTH
AUDIT_PAGE_SIZE = 50


# ---- sites ---------------------------------------------------------------------------------------------


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """A configuration document as {path: value}. List items are named by their key (categories,
    services) or name (cookies), so a diff says `services[youtube].cookies[YSC].duration_days`."""
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, list) and not value:
        return {}  # an empty list says nothing a diff needs: its items, or their absence, do
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        flat = {}
        for index, item in enumerate(value):
            label = item.get("key") or item.get("name") or str(index)
            if item.get("storage", "cookie") != "cookie":
                label = f"{label} ({item['storage']})"
            flat.update(flatten(item, f"{prefix}[{label}]"))
        return flat
    return {prefix: value}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The paths whose value changed, each with its value before and after (None: not there)."""
    old, new = flatten(dict(before)), flatten(dict(after))
    return {
        path: {"before": old.get(path), "after": new.get(path)}
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    }


def _dump(doc: SiteDoc) -> dict[str, Any]:
    return doc.model_dump(mode="json", exclude_none=True)


@dataclass
class SiteChange:
    """A validated new configuration for a site, what it changes, and whether visitors are asked again."""

    site: Site | None  # None: the import creates a new site
    doc: SiteDoc
    changes: dict[str, dict[str, Any]]
    bumps_policy: bool

    @property
    def new_version(self) -> int:
        return self.doc.policy_version


def _saved(site: Site) -> SiteDoc | None:
    # The saved configuration as a document; a site saved under older rules may not validate any more,
    # which only means that every part counts as changed.
    try:
        return SiteDoc.model_validate(export_site(site))
    except ValidationError:
        return None


def plan_change(site: Site, data: Mapping[str, Any]) -> SiteChange:
    """Validate a new configuration for an existing site and say what it changes.

    The key stays the site's, and the server owns the policy version: it goes up by one when texts,
    categories, services or cookies change, and stays otherwise (whatever the document says).
    Raises InvalidInput or RuleViolation.
    """
    data = {**data, "key": site.key, "policy_version": site.policy_version}
    doc = parse_site_doc(data)
    saved = _saved(site)
    bumps = saved is None or any(getattr(doc, part) != getattr(saved, part) for part in POLICY_PARTS)
    if bumps:
        doc = doc.model_copy(update={"policy_version": site.policy_version + 1})
    before = _dump(saved) if saved is not None else export_site(site)
    return SiteChange(site, doc, diff(before, _dump(doc)), bumps)


def unprintable(value: Any, path: str = "") -> str | None:
    """The path of the first string in a document with characters no field may hold (NUL and other
    controls but newline and tab, lone surrogates), or None. Databases refuse some of them outright."""
    if isinstance(value, dict):
        for key, item in value.items():
            found = unprintable(key, path) or unprintable(item, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = unprintable(item, f"{path}[{index}]")
            if found is not None:
                return found
    elif isinstance(value, str):
        bad = any(unicodedata.category(char) in ("Cc", "Cs", "Co") and char not in "\n\t" for char in value)
        return (path or "body") if bad else None
    return None


def plan_import(session: DBSession, data: Any) -> SiteChange:
    """Validate an imported document: a change to the site with its key, or a new site.

    A new site keeps the document's policy version; an existing one follows plan_change.
    Raises InvalidInput or RuleViolation.
    """
    if not isinstance(data, dict):
        raise InvalidInput("A configuration is a JSON object.", fields={"body": "not an object"})
    bad = unprintable(data)
    if bad is not None:
        raise InvalidInput("The configuration holds control characters.", fields={bad: "control characters"})
    key = data.get("key")
    site = (
        session.scalar(select(Site).where(Site.key == key))
        if isinstance(key, str) and len(key) <= 64
        else None
    )
    if site is not None:
        return plan_change(site, data)
    doc = parse_site_doc(data)
    return SiteChange(None, doc, diff({}, _dump(doc)), False)


def apply_change(session: DBSession, change: SiteChange, actor: str, action: str = "site.update") -> Site:
    """Save a planned change and audit it (the fields that changed, before and after)."""
    site = change.site
    before = site.policy_version if site is not None else None
    details: dict[str, Any] = {"changes": change.changes}
    if site is None:
        details["created"] = True
        site = Site(key=change.doc.key)
    site = apply_document(session, site, change.doc)
    if change.bumps_policy:
        details["policy_version"] = {"before": before, "after": site.policy_version}
    record_audit(actor, action, site.key, **details)
    return site


def revision(site: Site) -> str:
    """What a form was built from: a change confirmed against another revision was made meanwhile."""
    return site.updated_at.isoformat()


def new_site(session: DBSession, key: str, name: str, origins: list[str], actor: str) -> Site:
    """Create a site with the necessary category and default texts. Raises InvalidInput or Conflict."""
    site = create_site(session, key, name, origins)
    record_audit(actor, "site.create", site.key, changes=diff({}, export_site(site)))
    return site


def export_document(site: Site, actor: str) -> dict[str, Any]:
    """The site's configuration document, audited as an export."""
    record_audit(actor, "site.export", site.key, policy_version=site.policy_version)
    return export_site(site)


# ---- users ---------------------------------------------------------------------------------------------


def all_users(session: DBSession) -> list[User]:
    """Every user: active ones first, by e-mail address."""
    return list(session.scalars(select(User).order_by(User.active.desc(), User.email)))


def get_user(session: DBSession, user_id: int) -> User:
    """Raises NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.", code="user_not_found")
    return user


def generate_password() -> str:
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


def add_user(
    session: DBSession, email: str, role: str, site_keys: list[str], password: str | None, actor: str
) -> tuple[User, str | None]:
    """Create a user; without a password one is generated and returned (shown once, never stored).

    Raises InvalidInput or Conflict (the e-mail address is taken).
    """
    generated = generate_password() if not password else None
    user = create_user(session, email, role, site_keys, password or generated or "", actor=actor)
    return user, generated


def _site_keys(user: User) -> list[str]:
    return sorted(site.key for site in user.sites)


def update_user(
    session: DBSession, user: User, role: str, site_keys: list[str], actor: User
) -> dict[str, Any]:
    """Change a user's role and site grants; returns what changed (audited as user.update).

    Raises InvalidInput: an unknown role or site, or an admin changing their own role (so nobody locks
    themselves, or the last admin, out).
    """
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.", fields={"role": "unknown role"})
    if user.id == actor.id and role != user.role:
        raise InvalidInput("You cannot change your own role.", fields={"role": "own role"})
    wanted = sorted(set(site_keys))
    sites = list(session.scalars(select(Site).where(Site.key.in_(wanted)))) if wanted else []
    if len(sites) != len(wanted):
        raise InvalidInput("No such site.", fields={"sites": "unknown site"})
    changes: dict[str, Any] = {}
    if role != user.role:
        changes["role"] = {"before": user.role, "after": role}
        user.role = role
    if wanted != _site_keys(user):
        changes["sites"] = {"before": _site_keys(user), "after": wanted}
        user.sites = sites
    session.flush()
    if changes:
        record_audit(actor.email, "user.update", user.email, changes=changes)
    return changes


def set_active(session: DBSession, user: User, active: bool, actor: User, now: datetime) -> bool:
    """Deactivate (ending every session; deleted after the retention period) or reactivate a user.

    Returns whether anything changed. Raises InvalidInput for an admin deactivating themselves.
    """
    if user.id == actor.id and not active:
        raise InvalidInput("You cannot deactivate yourself.", fields={"active": "own account"})
    if user.active == active:
        return False
    user.active = active
    user.deactivated_at = None if active else now
    if not active:
        end_all_sessions(session, user)
    session.flush()
    record_audit(
        actor.email,
        "user.reactivate" if active else "user.deactivate",
        user.email,
        changes={"active": {"before": not active, "after": active}},
    )
    return True


def reset_password(session: DBSession, user: User, actor: User) -> str:
    """Give the user a new generated password (returned, shown once) and end every session of theirs."""
    password = generate_password()
    set_password(session, user, password, actor=actor.email)
    return password


# ---- the audit log -------------------------------------------------------------------------------------


@dataclass
class AuditFilter:
    actor: str = ""
    action: str = ""
    target: str = ""
    since: date | None = None
    until: date | None = None  # inclusive

    def active(self) -> bool:
        return bool(self.actor or self.action or self.target or self.since or self.until)


@dataclass
class AuditPage:
    entries: list[AuditLog]
    total: int
    page: int
    pages: int
    actions: list[str] = field(default_factory=list)


def audit_page(
    session: DBSession, filters: AuditFilter, page: int, per_page: int = AUDIT_PAGE_SIZE
) -> AuditPage:
    """One page of the audit log, newest first, filtered (actor and target: contains, any case)."""
    conditions = []
    if filters.actor:
        conditions.append(func.lower(AuditLog.actor).contains(filters.actor.lower(), autoescape=True))
    if filters.action:
        conditions.append(AuditLog.action == filters.action)
    if filters.target:
        conditions.append(func.lower(AuditLog.target).contains(filters.target.lower(), autoescape=True))
    if filters.since:
        conditions.append(AuditLog.created_at >= _midnight(filters.since))
    if filters.until:
        conditions.append(AuditLog.created_at < _midnight(filters.until + timedelta(days=1)))
    total = session.scalar(select(func.count()).select_from(AuditLog).where(*conditions)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    entries = session.scalars(
        select(AuditLog)
        .where(*conditions)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    actions = list(session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))
    return AuditPage(list(entries), total, page, pages, actions)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=utcnow().tzinfo)


# ---- data subjects -------------------------------------------------------------------------------------

CONSENT_ID = UUID_PATTERN


def _claims(session: DBSession, consent_id: str) -> TokenClaims:
    # The admin acts on the visitor's request: these claims stand in for the visitor's own token.
    first = session.scalar(
        select(ConsentRecord)
        .where(ConsentRecord.consent_id == consent_id)
        .order_by(ConsentRecord.id)
        .limit(1)
    )
    if first is None:
        raise NotFound("No consent is recorded under this id.", code="consent_not_found")
    return TokenClaims(first.site.key, consent_id, (), first.policy_version, utcnow())


def consent_receipt(
    session: DBSession, consent_id: str, actor: str, action: str = "consent.view"
) -> dict[str, Any]:
    """The visitor's receipt (the same document the visitor downloads), audited. Raises NotFound."""
    body = receipt(session, consent_id, _claims(session, consent_id))
    record_audit(actor, action, consent_id, site=body["site"], records=len(body["records"]))
    return body


def consent_exists(session: DBSession, consent_id: str) -> bool:
    query = select(ConsentRecord.id).where(ConsentRecord.consent_id == consent_id).limit(1)
    return session.scalar(query) is not None


def record_lookup_miss(consent_id: str, actor: str) -> None:
    """Audit a lookup that found nothing (the id is only kept when it is a well-formed consent id)."""
    record_audit(actor, "consent.lookup", consent_id, found=False)


def erase_consent(session: DBSession, consent_id: str, actor: str, now: datetime) -> dict[str, int]:
    """Erase the analytics linked to a consent id and record a withdrawal, as the visitor's own DELETE does.

    Returns the rows erased per table. Raises NotFound.
    """
    claims = _claims(session, consent_id)
    admin = Visitor(None, AgentSummary("", "", "", "other", is_bot=False))
    erased = withdraw(session, consent_id, claims, admin, now, partial(erase_visitor, session))
    record_audit(actor, "consent.erase", consent_id, site=claims.site, erased=erased)
    return erased


# ---- the data inventory (GDPR art. 30) -----------------------------------------------------------------

# table -> the column its retention rule (or, without one, its age) is measured by
TIME_COLUMNS: dict[str, str | None] = {
    "sites": "created_at",
    "categories": None,
    "services": None,
    "cookies": None,
    "consent_records": "created_at",
    "consent_daily": "day",
    "users": "deactivated_at",
    "user_sites": None,
    "api_keys": "created_at",
    "audit_log": "created_at",
    "analytics_salts": "period_start",
    "analytics_sessions": "started_at",
    "analytics_events": "occurred_at",
    "analytics_bot_tallies": "day",
    "analytics_daily": "day",
    "analytics_monthly": "month",
    "analytics_months": "month",
    "scans": "started_at",
    "job_locks": None,
}


@dataclass
class TableRecord:
    name: str
    column: str | None
    oldest: datetime | date | None
    purged: int | None  # removed by the last purge; None: the purge has no rule for this table
    described: bool
    empty: bool


@dataclass
class Inventory:
    tables: list[TableRecord]
    last_purge: AuditLog | None


def inventory(session: DBSession, tables: Mapping[str, Table]) -> Inventory:
    """Every table with the age of its oldest row, and what the last retention purge removed from it."""
    last = session.scalar(
        select(AuditLog)
        .where(AuditLog.action == "retention.purge")
        .order_by(AuditLog.created_at.desc())
        .limit(1)
    )
    deleted = (last.details or {}).get("deleted", {}) if last is not None else {}
    known = [name for name in TIME_COLUMNS if name in tables]
    records = []
    for name in known + sorted(set(tables) - set(TIME_COLUMNS)):
        column_name = TIME_COLUMNS.get(name)
        oldest = None
        empty = session.execute(select(literal(1)).select_from(tables[name]).limit(1)).first() is None
        if column_name is not None and not empty:
            column: Column[Any] = tables[name].c[column_name]
            oldest = session.scalar(select(func.min(column)))
            if isinstance(oldest, datetime) and oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=utcnow().tzinfo)
        purged = deleted.get(name) if isinstance(deleted, dict) else None
        records.append(TableRecord(name, column_name, oldest, purged, name in TIME_COLUMNS, empty))
    return Inventory(records, last)
