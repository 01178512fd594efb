"""Typed models. Consent records are append-only proof; nothing here stores a raw IP or User-Agent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal, get_args

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
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
    privacy_url: Mapped[str | None] = mapped_column(String(2048))
    theme: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Banner and button texts per language: {"nl": {"title": ..., "accept_all": ...}, "en": {...}}
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

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

    site: Mapped[Site] = relationship()

    __table_args__ = (
        Index("ix_consent_records_consent_id_created_at", "consent_id", "created_at"),
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


class AuditLog(db.Model):  # type: ignore[name-defined]
    """Security/audit trail: who changed what. Kept 12 months; never holds a raw IP or a secret."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record_audit(actor: str, action: str, target: str | None = None, **details: Any) -> AuditLog:
    """Add an audit entry to the current session (the caller commits)."""
    entry = AuditLog(actor=actor, action=action, target=target, details=details, created_at=datetime.now(UTC))
    db.session.add(entry)
    return entry
