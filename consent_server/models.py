"""Typed models. Consent records are append-only proof; nothing here stores a raw IP or User-Agent."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal, get_args

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from .extensions import db
from .timeutil import utcnow

Action = Literal["accept_all", "reject_all", "custom", "withdraw"]
Method = Literal["banner", "settings", "api", "gpc"]
ROLES = ("admin", "marketing")
ACTIONS: tuple[str, ...] = get_args(Action)
METHODS: tuple[str, ...] = get_args(Method)
GPC_MODES = ("reject_all", "reject_marketing", "ignore")
LANGUAGES = ("nl", "en")


class UTCDateTime(TypeDecorator[datetime]):
    """Store UTC, hand back aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Site(db.Model):  # type: ignore[name-defined]
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    cookie_domain: Mapped[str | None] = mapped_column(String(253))
    default_language: Mapped[str] = mapped_column(String(2), default="nl")
    policy_version: Mapped[int] = mapped_column(Integer, default=1)
    consent_lifetime_months: Mapped[int] = mapped_column(Integer, default=12)
    gpc_mode: Mapped[str] = mapped_column(String(20), default="reject_marketing")
    consent_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    floating_button: Mapped[bool] = mapped_column(Boolean, default=True)
    # Tracker settings: count `#/route` changes as pageviews; file types whose links count as downloads.
    hash_routing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    download_extensions: Mapped[list[str]] = mapped_column(JSON, default=list)
    privacy_url: Mapped[str | None] = mapped_column(String(2048))
    theme: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Banner and button texts per language: {"nl": {"title": ..., "accept_all": ...}, "en": {...}}
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When policy_version last changed: the date of the policy that the cookie declaration shows.
    policy_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    categories: Mapped[list[Category]] = relationship(
        back_populates="site", order_by="Category.position", cascade="all, delete-orphan"
    )
    services: Mapped[list[Service]] = relationship(
        back_populates="site", order_by="Service.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("consent_lifetime_months BETWEEN 1 AND 12", name="lifetime_range"),
        CheckConstraint("policy_version >= 1", name="policy_version_positive"),
    )

    @property
    def languages(self) -> list[str]:
        return [lang for lang in LANGUAGES if lang in self.texts]

    def category_keys(self) -> list[str]:
        return [category.key for category in self.categories]


class Category(db.Model):  # type: ignore[name-defined]
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # {"nl": {"name": ..., "description": ...}, "en": {...}}
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    site: Mapped[Site] = relationship(back_populates="categories")

    __table_args__ = (UniqueConstraint("site_id", "key"),)


class Service(db.Model):  # type: ignore[name-defined]
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    privacy_url: Mapped[str | None] = mapped_column(String(2048))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # {"nl": {"purpose": ...}, "en": {...}}
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    site: Mapped[Site] = relationship(back_populates="services")
    category: Mapped[Category] = relationship()
    cookies: Mapped[list[Cookie]] = relationship(
        back_populates="service", order_by="Cookie.position", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("site_id", "key"),)


class Cookie(db.Model):  # type: ignore[name-defined]
    __tablename__ = "cookies"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)
    # A name, or a pattern with `*` wildcards such as `_ga_*`.
    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str | None] = mapped_column(String(253))
    storage: Mapped[str] = mapped_column(String(20), default="cookie")
    # 0 means "until the browser closes" (a session cookie).
    duration_days: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # {"nl": {"purpose": ...}, "en": {...}}
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    service: Mapped[Service] = relationship(back_populates="cookies")


class ConsentRecord(db.Model):  # type: ignore[name-defined]
    """One choice, as proof (GDPR art. 7(1)). Rows are only ever inserted, and deleted by retention."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[str] = mapped_column(String(36))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))
    # The state of every category of the site at the time: {"necessary": true, "analytics": false, ...}
    categories: Mapped[dict[str, bool]] = mapped_column(JSON)
    policy_version: Mapped[int] = mapped_column(Integer)
    banner_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    url: Mapped[str | None] = mapped_column(String(2048))
    browser: Mapped[str | None] = mapped_column(String(96))
    os: Mapped[str | None] = mapped_column(String(64))
    device: Mapped[str | None] = mapped_column(String(16))
    ip_network: Mapped[str | None] = mapped_column(String(45))
    # On a withdrawal through DELETE: how many analytics rows were erased with it, per table.
    erased: Mapped[dict[str, int] | None] = mapped_column(JSON)

    site: Mapped[Site] = relationship()

    __table_args__ = (
        Index("ix_consent_records_consent_id_created_at", "consent_id", "created_at"),
        # The collector's read of one visitor's latest choice on a site (see its migration).
        Index("ix_consent_records_consent_id_site_id_id", "consent_id", "site_id", "id"),
        Index("ix_consent_records_site_id_created_at", "site_id", "created_at"),
        Index("ix_consent_records_created_at", "created_at"),
        CheckConstraint(f"action IN {ACTIONS!r}", name="action_known"),
        CheckConstraint(f"method IN {METHODS!r}", name="method_known"),
    )


user_sites = Table(
    "user_sites",
    db.Model.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
)


class User(db.Model):  # type: ignore[name-defined]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on logout-everywhere, deactivation and password change: sessions carry it and die with it.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sites: Mapped[list[Site]] = relationship(secondary=user_sites)

    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role_known"),)


class ApiKey(db.Model):  # type: ignore[name-defined]
    """A stats API key of one user: shown once, stored as a SHA-256 hash, revocable."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the key, kept in clear so a user can tell keys apart in a list.
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class AuditLog(db.Model):  # type: ignore[name-defined]
    """Security/audit trail: who changed what. Kept 12 months; never holds a raw IP or a secret."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AnalyticsSalt(db.Model):  # type: ignore[name-defined]
    """A secret that keys visitor hashes for one period; destroyed after it (privacy invariant 5)."""

    __tablename__ = "analytics_salts"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[datetime] = mapped_column(UTCDateTime, unique=True)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    secret: Mapped[bytes] = mapped_column(LargeBinary(32))


class AnalyticsSession(db.Model):  # type: ignore[name-defined]
    """A visit: events of one anonymous visitor key with no gap over 30 minutes."""

    __tablename__ = "analytics_sessions"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    visitor_key: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entry_page: Mapped[str] = mapped_column(String(2048))
    exit_page: Mapped[str] = mapped_column(String(2048))
    pageviews: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)
    engaged_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    # last_seen_at - started_at, kept at ingest so rollups need no dialect-specific date arithmetic.
    duration_s: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(16))
    referrer_host: Mapped[str | None] = mapped_column(String(253))
    utm_source: Mapped[str | None] = mapped_column(String(200))
    utm_medium: Mapped[str | None] = mapped_column(String(200))
    utm_campaign: Mapped[str | None] = mapped_column(String(200))
    utm_term: Mapped[str | None] = mapped_column(String(200))
    utm_content: Mapped[str | None] = mapped_column(String(200))
    browser: Mapped[str] = mapped_column(String(96))
    os: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(16))
    screen: Mapped[str | None] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(2))

    __table_args__ = (
        Index(
            "ix_analytics_sessions_site_id_visitor_key_last_seen_at", "site_id", "visitor_key", "last_seen_at"
        ),
        Index("ix_analytics_sessions_site_id_started_at", "site_id", "started_at"),
        Index("ix_analytics_sessions_started_at", "started_at"),
    )


class AnalyticsEvent(db.Model):  # type: ignore[name-defined]
    """One pageview, custom event or engagement ping. No consent id, no address, no User-Agent."""

    __tablename__ = "analytics_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(BigInteger)
    visitor_key: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(12))
    host: Mapped[str] = mapped_column(String(253))
    page: Mapped[str] = mapped_column(String(2048))
    name: Mapped[str | None] = mapped_column(String(120))
    props: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    engaged_ms: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_analytics_events_site_id_occurred_at", "site_id", "occurred_at"),
        # Statistics filtered on a page read that page's events only, from the index alone (covering).
        Index(
            "ix_analytics_events_site_id_page_occurred_at",
            "site_id",
            "page",
            "occurred_at",
            "kind",
            "visitor_key",
            "session_id",
        ),
        Index("ix_analytics_events_visitor_key", "visitor_key"),
        Index("ix_analytics_events_occurred_at", "occurred_at"),
        CheckConstraint("kind IN ('pageview', 'event', 'engagement')", name="kind_known"),
    )


class RollupCounters:
    """The additive counters of a rollup row (stats.figures.Totals sums them)."""

    visitors: Mapped[int] = mapped_column(Integer, default=0)
    visits: Mapped[int] = mapped_column(Integer, default=0)
    pageviews: Mapped[int] = mapped_column(Integer, default=0)
    bounces: Mapped[int] = mapped_column(Integer, default=0)
    duration_s: Mapped[int] = mapped_column(BigInteger, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)


ROLLUP_COUNTERS = ("visitors", "visits", "pageviews", "bounces", "duration_s", "events")


def covering_rollup_index(name: str, period: str) -> Index:
    """Statistics read one dimension of a site over a range of days or months: from this index alone."""
    return Index(name, "site_id", "dimension", period, "value", *ROLLUP_COUNTERS)


class DailyRollup(RollupCounters, db.Model):  # type: ignore[name-defined]
    """Aggregates per site, UTC day and breakdown value; the dashboard reads these, not raw events.

    dimension "" with value "" holds the day's totals. Visitors are distinct visitor keys of that day:
    keys change with the daily salt, so a person on two days counts twice.
    """

    __tablename__ = "analytics_daily"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(2048), primary_key=True)

    __table_args__ = (
        Index("ix_analytics_daily_day", "day"),
        covering_rollup_index("ix_analytics_daily_site_id_dimension_day", "day"),
    )


class MonthlyRollup(RollupCounters, db.Model):  # type: ignore[name-defined]
    """The daily rollups of one complete UTC month, summed per site, dimension and value.

    A year of a busy dimension (pages) is then eleven months of these and a few days of daily rows,
    not 365 days of them. `month` is the month's first day; visitors are the month's daily visitors
    added up, as everywhere. Readers use these rows only for the months analytics_months lists (built,
    and equal to the sum of their daily rows), and the daily rows for every other day.
    """

    __tablename__ = "analytics_monthly"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(2048), primary_key=True)

    __table_args__ = (
        Index("ix_analytics_monthly_month", "month"),
        covering_rollup_index("ix_analytics_monthly_site_id_dimension_month", "month"),
    )


class RollupMonth(db.Model):  # type: ignore[name-defined]
    """A month whose analytics_monthly rows are built: they equal the sum of its daily rows.

    Rebuilding a day of the month, or purging some of its days, takes the month off this list (and
    deletes its monthly rows) until the rollup job builds it again; meanwhile its days are read."""

    __tablename__ = "analytics_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobLock(db.Model):  # type: ignore[name-defined]
    """A lease that lets one of several instances run a periodic job (rollups, the daily purge)."""

    __tablename__ = "job_locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BotTally(db.Model):  # type: ignore[name-defined]
    """Bot hits per site and day, counted apart so they never reach the statistics."""

    __tablename__ = "analytics_bot_tallies"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)


class ConsentDaily(db.Model):  # type: ignore[name-defined]
    """Consent choices per site and UTC day, counted per combination of what the statistics split by.

    Built by the rollup job from consent_records (aggregates only: no consent id, URL or network), so
    the consent statistics of a year read a few thousand rows. `state` is the record's category state
    as the JSON text the database stores; `device` is "" where the record has none.
    """

    __tablename__ = "consent_daily"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(16))
    device: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    policy_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(Text)
    choices: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_consent_daily_site_id_day", "site_id", "day"),
        Index("ix_consent_daily_day", "day"),
    )


class Scan(db.Model):  # type: ignore[name-defined]
    """One run of the cookie scanner over a site: its settings, its state and the report it produced."""

    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    status: Mapped[str] = mapped_column(String(16), default="running")
    max_pages: Mapped[int] = mapped_column(Integer, default=10)
    requested_by: Mapped[str | None] = mapped_column(String(254))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)

    site: Mapped[Site] = relationship()

    __table_args__ = (
        Index("ix_scans_site_id_started_at", "site_id", "started_at"),
        CheckConstraint("status IN ('running', 'done', 'failed')", name="status_known"),
    )


def record_audit(actor: str, action: str, target: str | None = None, **details: Any) -> AuditLog:
    """Add an audit entry to the current session (the caller commits)."""
    entry = AuditLog(actor=actor, action=action, target=target, details=details, created_at=datetime.now(UTC))
    db.session.add(entry)
    return entry
