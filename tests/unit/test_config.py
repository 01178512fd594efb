"""The settings table: defaults, parsing, refusals that name the variable, and the README's table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from consent_server.config import SETTINGS, ConfigurationError, Setting, check_production, load_settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_load_settings_uses_the_defaults_for_an_empty_environment() -> None:
    values = load_settings({})
    assert values == {
        "DATABASE_URL": None,
        "SECRET_KEY": None,
        "SECRET_KEY_FALLBACKS": (),
        "TRUSTED_PROXIES": 0,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_CONSENT": "120/minute",
        "RATELIMIT_COLLECT": "600/minute",
        "RATELIMIT_LOGIN_ACCOUNT": "5/minute",
        "RATELIMIT_LOGIN_IP": "20/minute",
        "SESSION_LIFETIME_HOURS": 12,
        "COOKIE_SECURE": "auto",
        "SALT_PERIOD": "day",
        "GEOIP_DATABASE": None,
        "COLLECT_FLUSH_MS": 100,
        "COLLECT_BUFFER_MAX": 10000,
        "ANALYTICS_RETENTION_MONTHS": 26,
        "SECURITY_LOG_RETENTION_MONTHS": 12,
        "CONSENT_LOG_RETENTION_MONTHS": 38,
        "USER_RETENTION_DAYS": 90,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "LOG_LEVEL": "INFO",
        "STATS_MIN_VISITORS": 5,
        "STATS_SAMPLE_ABOVE_VISITS": 100_000,
    }


def test_load_settings_treats_an_empty_variable_as_unset() -> None:
    values = load_settings({"CONSENT_TRUSTED_PROXIES": "", "CONSENT_ANALYTICS_RETENTION_MONTHS": ""})
    assert values["TRUSTED_PROXIES"] == 0
    assert values["ANALYTICS_RETENTION_MONTHS"] == 26


def test_load_settings_ignores_variables_without_the_prefix() -> None:
    values = load_settings({"TRUSTED_PROXIES": "3", "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    assert values == load_settings({})


@pytest.mark.parametrize(
    ("env", "raw", "name", "parsed"),
    [
        ("CONSENT_TRUSTED_PROXIES", "2", "TRUSTED_PROXIES", 2),
        ("CONSENT_TRUSTED_PROXIES", " 1 ", "TRUSTED_PROXIES", 1),
        ("CONSENT_TRUSTED_PROXIES", "0", "TRUSTED_PROXIES", 0),
        ("CONSENT_ANALYTICS_RETENTION_MONTHS", "13", "ANALYTICS_RETENTION_MONTHS", 13),
        ("CONSENT_SECURITY_LOG_RETENTION_MONTHS", "6", "SECURITY_LOG_RETENTION_MONTHS", 6),
        ("CONSENT_CONSENT_LOG_RETENTION_MONTHS", "1", "CONSENT_LOG_RETENTION_MONTHS", 1),
        ("CONSENT_USER_RETENTION_DAYS", "30", "USER_RETENTION_DAYS", 30),
        ("CONSENT_MAX_CONTENT_LENGTH", "65536", "MAX_CONTENT_LENGTH", 65536),
    ],
)
def test_load_settings_parses_integers(env: str, raw: str, name: str, parsed: int) -> None:
    assert load_settings({env: raw})[name] == parsed


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("old-key", ["old-key"]),
        ("one,two", ["one", "two"]),
        (" one , two ,", ["one", "two"]),
        (",, ,", []),
    ],
)
def test_load_settings_parses_comma_separated_lists(raw: str, parsed: list[str]) -> None:
    assert load_settings({"CONSENT_SECRET_KEY_FALLBACKS": raw})["SECRET_KEY_FALLBACKS"] == parsed


@pytest.mark.parametrize(
    ("env", "name", "raw"),
    [
        ("CONSENT_DATABASE_URL", "DATABASE_URL", "postgresql+psycopg://consent@db/consent"),
        ("CONSENT_SECRET_KEY", "SECRET_KEY", "s3cr3t"),
        ("CONSENT_RATELIMIT_STORAGE_URI", "RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0"),
        ("CONSENT_LOG_LEVEL", "LOG_LEVEL", "debug"),
    ],
)
def test_load_settings_keeps_strings_as_given(env: str, name: str, raw: str) -> None:
    assert load_settings({env: raw})[name] == raw


@pytest.mark.parametrize(
    ("env", "raw"),
    [
        ("CONSENT_TRUSTED_PROXIES", "-1"),
        ("CONSENT_TRUSTED_PROXIES", "two"),
        ("CONSENT_TRUSTED_PROXIES", "1.5"),
        ("CONSENT_ANALYTICS_RETENTION_MONTHS", "0"),
        ("CONSENT_ANALYTICS_RETENTION_MONTHS", "-26"),
        ("CONSENT_SECURITY_LOG_RETENTION_MONTHS", "twelve"),
        ("CONSENT_CONSENT_LOG_RETENTION_MONTHS", "0"),
        ("CONSENT_USER_RETENTION_DAYS", "0"),
        ("CONSENT_MAX_CONTENT_LENGTH", "1MB"),
    ],
)
def test_load_settings_refuses_an_invalid_value_naming_the_variable(env: str, raw: str) -> None:
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings({env: raw})
    assert re.search(rf"\b{env}\b", str(excinfo.value))


def test_check_production_refuses_a_missing_secret_key_naming_it() -> None:
    with pytest.raises(ConfigurationError, match=r"\bCONSENT_SECRET_KEY\b"):
        check_production(load_settings({}))


def test_check_production_refuses_an_empty_secret_key() -> None:
    with pytest.raises(ConfigurationError, match=r"\bCONSENT_SECRET_KEY\b"):
        check_production(load_settings({"CONSENT_SECRET_KEY": ""}))


def test_check_production_accepts_a_configured_secret_key() -> None:
    check_production(load_settings({"CONSENT_SECRET_KEY": "a-long-random-secret"}))


def test_every_setting_has_a_unique_prefixed_environment_name() -> None:
    names = [setting.env for setting in SETTINGS]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"CONSENT_[A-Z][A-Z0-9_]*", name) for name in names)


def _configuration_table(readme: str) -> str:
    """The table rows of the README's configuration section."""
    section = re.search(r"^(#+) Configuration\b.*?$(.*?)(?=^#{1,2} |\Z)", readme, re.MULTILINE | re.DOTALL)
    assert section, "README.md has no '## Configuration' section"
    return "\n".join(line for line in section.group(2).splitlines() if line.lstrip().startswith("|"))


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.env)
def test_readme_configuration_table_lists_every_setting(setting: Setting) -> None:
    if not README.exists():
        pytest.skip("README.md is not written yet; its configuration table is checked once it exists")
    table = _configuration_table(README.read_text(encoding="utf-8"))
    assert re.search(rf"^\|\s*`?{setting.env}`?\s*\|", table, re.MULTILINE), (
        f"{setting.env} is missing from README.md's configuration table"
    )


def test_readme_configuration_table_lists_no_unknown_setting() -> None:
    if not README.exists():
        pytest.skip("README.md is not written yet; its configuration table is checked once it exists")
    table = _configuration_table(README.read_text(encoding="utf-8"))
    listed = set(re.findall(r"^\|\s*`?(CONSENT_[A-Z0-9_]+)`?\s*\|", table, re.MULTILINE))
    assert listed == {setting.env for setting in SETTINGS}


def test_salt_period_accepts_day_or_month_only() -> None:
    assert load_settings({"CONSENT_SALT_PERIOD": "month"})["SALT_PERIOD"] == "month"
    with pytest.raises(ConfigurationError, match="CONSENT_SALT_PERIOD"):
        load_settings({"CONSENT_SALT_PERIOD": "week"})
