"""Every setting in one table: environment name, default, type, and whether production requires it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

ENV_PREFIX = "CONSENT_"


class ConfigurationError(RuntimeError):
    """A setting is missing or malformed; the message names the environment variable."""


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return value

    return parse


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("must be at least 1")
    return number


def _non_negative_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("must be 0 or more")
    return number


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str
    required_in_production: bool = False

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name


# The README's configuration table is checked against this one by a test.
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        None,
        str,
        "SQLAlchemy URL. Default: SQLite file `consent.sqlite` in the instance folder. "
        "PostgreSQL: `postgresql+psycopg://user@host/db`.",
    ),
    Setting(
        "SECRET_KEY",
        None,
        str,
        "Signs consent tokens and sessions. Required outside demo and tests.",
        required_in_production=True,
    ),
    Setting(
        "SECRET_KEY_FALLBACKS",
        (),
        _csv,
        "Comma-separated old secret keys: tokens signed with them stay valid (key rotation).",
    ),
    Setting(
        "TRUSTED_PROXIES",
        0,
        _non_negative_int,
        "Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted.",
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "memory://",
        str,
        "Flask-Limiter storage. Use `redis://host:6379/0` when several workers or hosts serve.",
    ),
    Setting(
        "RATELIMIT_CONSENT", "120/minute", str, "Rate limit for consent writes per truncated client network."
    ),
    Setting(
        "RATELIMIT_COLLECT",
        "600/minute",
        str,
        "Rate limit for analytics hits per truncated client network.",
    ),
    Setting(
        "RATELIMIT_LOGIN_ACCOUNT",
        "5/minute",
        str,
        "Failed dashboard logins per account (e-mail address), counted in the rate-limit storage.",
    ),
    Setting(
        "RATELIMIT_LOGIN_IP",
        "20/minute",
        str,
        "Failed dashboard logins per truncated client network, counted in the rate-limit storage.",
    ),
    Setting(
        "SESSION_LIFETIME_HOURS",
        12,
        _positive_int,
        "A dashboard session ends this many hours after login, at the latest.",
    ),
    Setting(
        "COOKIE_SECURE",
        "auto",
        _choice("auto", "always"),
        "`auto`: dashboard cookies are Secure when the request came over https; `always`: always Secure.",
    ),
    Setting(
        "SALT_PERIOD",
        "day",
        _choice("day", "month"),
        "How long one salt keys visitor hashes: `day` (default) or `month`. Salts are destroyed after it.",
    ),
    Setting(
        "GEOIP_DATABASE",
        None,
        str,
        "Path to a MaxMind-format `.mmdb` country database; default: the offline data the package ships.",
    ),
    Setting(
        "COLLECT_FLUSH_MS",
        100,
        _non_negative_int,
        "Each worker writes accepted analytics hits in one batch every this many milliseconds "
        "(0: every hit is written before its 202). SIGTERM flushes; SIGKILL loses at most this window.",
    ),
    Setting(
        "COLLECT_BUFFER_MAX",
        10000,
        _positive_int,
        "Hits one worker may hold unwritten (while the database is slow or away); beyond it the "
        "collector answers 503.",
    ),
    Setting(
        "ANALYTICS_RETENTION_MONTHS", 26, _positive_int, "Analytics events and rollups (calendar months)."
    ),
    Setting("SECURITY_LOG_RETENTION_MONTHS", 12, _positive_int, "Security/audit log (calendar months)."),
    Setting(
        "CONSENT_LOG_RETENTION_MONTHS",
        38,
        _positive_int,
        "Consent proof records, counted from their creation (calendar months).",
    ),
    Setting(
        "USER_RETENTION_DAYS",
        90,
        _positive_int,
        "Deactivated user accounts are deleted after this many days.",
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        1024 * 1024,
        _positive_int,
        "Largest request body in bytes (site imports); the widget API accepts at most 16 KiB.",
    ),
    Setting("LOG_LEVEL", "INFO", str, "Python log level for the application and the WSGI server."),
    Setting(
        "STATS_MIN_VISITORS",
        5,
        _positive_int,
        "k-anonymity floor: statistics rows and totals with fewer visitors are folded or hidden.",
    ),
    Setting(
        "STATS_SAMPLE_ABOVE_VISITS",
        100_000,
        _non_negative_int,
        "A filtered statistics question over a period with more visits reads a sample of visitors "
        "(1 in 2 ... 64), scaled up; 0 never samples.",
    ),
)

SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}


def load_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read every setting from the environment (or defaults); raise ConfigurationError naming a bad one."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw is None or raw == "":
            values[setting.name] = setting.default
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigurationError(f"{setting.env} is invalid: {exc}") from exc
    return values


def check_production(values: Mapping[str, Any]) -> None:
    """Raise ConfigurationError for the first required setting that is missing."""
    for setting in SETTINGS:
        if setting.required_in_production and not values.get(setting.name):
            raise ConfigurationError(
                f"{setting.env} is required: set it in the environment or in a .env file "
                "(only `consent-server demo` and the tests run without it)."
            )
