"""How numbers, changes, values and filters read on the statistics pages, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from babel import Locale

from ..auth.i18n import CATALOG, current_language, format_date, format_number, t
from ..stats.labels import label
from ..stats.query import NONE_VALUE, OTHER_VALUE, Filter

NO_VALUE = "\u2013"  # an en dash: no number to show
MINUS = "\u2212"


def lang() -> str:
    return current_language()


def decimal(value: float, digits: int) -> str:
    """1234.5 -> "1.234,50" (nl) or "1,234.50" (en)."""
    text = f"{value:,.{digits}f}"
    if lang() == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def duration(seconds: int) -> str:
    """86 -> "1 min 26 s"; 3720 -> "1 u 2 min" / "1 h 2 min"."""
    seconds = int(seconds)
    if seconds < 60:
        return t("dashboard.duration.seconds", s=seconds)
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return t("dashboard.duration.minutes", m=minutes, s=seconds)
    hours, minutes = divmod(minutes, 60)
    return t("dashboard.duration.hours", h=hours, m=minutes)


def metric_value(metric: str, value: Any) -> str:
    """A metric's value as text: counts with thousands separators, rates with %, durations in words."""
    if value is None:
        return ""
    if metric == "views_per_visit":
        return decimal(float(value), 2)
    if metric in ("bounce_rate", "opt_in_rate"):
        return t("dashboard.percent", value=decimal(float(value), 1 if metric == "opt_in_rate" else 0))
    if metric == "visit_duration":
        return duration(int(value))
    return format_number(int(value))


@dataclass(frozen=True)
class Change:
    """A card's change against the previous period: arrow direction, short text, and a sentence."""

    direction: str  # "up", "down", "flat", "none"
    short: str
    sentence: str


def change(metric: str, value: int | float | None) -> Change:
    if value is None:
        return Change("none", NO_VALUE, t("dashboard.change.unknown"))
    amount = abs(value)
    unit = "points" if metric == "bounce_rate" else "percent"
    number = format_number(int(amount)) if isinstance(amount, int) else decimal(amount, 0)
    if value == 0:
        return Change(
            "flat", t(f"dashboard.change.short.{unit}", sign="±", n=number), t("dashboard.change.same")
        )
    direction = "up" if value > 0 else "down"
    sign = "+" if value > 0 else MINUS
    return Change(
        direction,
        t(f"dashboard.change.short.{unit}", sign=sign, n=number),
        t(f"dashboard.change.{direction}.{unit}", n=number),
    )


def display_value(value: str, kind: str = "text") -> str:
    """A breakdown value as shown: "(none)" and "(other)" in the reader's language, codes translated."""
    if value == NONE_VALUE:
        return label("none", lang()).name
    if value == OTHER_VALUE:
        return label("other", lang()).name
    if kind in ("channel", "device"):
        key = f"dashboard.{kind}.{value}"
        return t(key) if key in CATALOG else value
    if kind == "country":
        return country_name(value, lang())
    return value


@cache
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


def country_name(code: str, language: str) -> str:
    """ "NL" -> "Nederland" / "Netherlands" (CLDR); a code CLDR does not know stays as it is."""
    if len(code) == 2 and code.isascii() and code.isalpha():
        return _territories(language).get(code.upper(), code)
    return code


def property_name(prop: str) -> str:
    return label(prop, lang()).name


def filter_text(f: Filter) -> str:
    """`visit:source==Google|Bing` -> "Bron is Google of Bing"."""
    values = [display_value(value, property_kind(f.prop.name)) for value in f.values]
    joined = t("dashboard.filter.or").join(values)
    relation = "dashboard.filter.is_not" if f.negate else "dashboard.filter.is"
    return t(relation, name=property_name(f.prop.name), value=joined)


def property_kind(prop: str) -> str:
    """How a property's values read (see tables.Table.kind): channel, device and country codes are
    translated."""
    kinds = {"visit:channel": "channel", "visit:device": "device", "visit:country": "country"}
    return kinds.get(prop, "text")


def date_range_text(first: date, last: date) -> str:
    if first == last:
        return format_date(first)
    return t("dashboard.range", first=format_date(first), last=format_date(last))


def short_date(value: date) -> str:
    """3 nov / 3 Nov: for axis labels."""
    return format_date(value).rsplit(" ", 1)[0]


def bucket_label(key: str, interval: str, long: bool = False) -> str:
    """A chart point's name: an hour (13:00), a day or a month (november 2026)."""
    if interval == "hour":
        return key[11:16]
    day = date.fromisoformat(key[:10])
    if interval == "month":
        return t("dashboard.month_year", month=format_date(day).split(" ")[1], year=day.year)
    return format_date(day) if long else short_date(day)
