"""The statistics pages' URL state: period, filters, chart metric, expanded table; and links that change it.

The pages speak the stats API's language (`period`, `date`, `filters` as in Plausible's v1), so a
dashboard URL and an API call for the same numbers read alike. The custom-period form sends `from` and
`to` (two date fields work without JavaScript); they become `date=FROM,TO`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from ..errors import InvalidInput
from ..stats.periods import DEFAULT_PERIOD, DateRange, add_months_date, parse_period
from ..stats.query import OTHER_VALUE, PROPERTIES, Filter, parse_filters
from .tables import CHART_METRICS, TABLES_BY_KEY

MAX_PARAMETER_LENGTH = 8192
# The periods offered as links, in order (Plausible's names; "day" reads as "today").
PRESETS = ("day", "7d", "30d", "month", "6mo", "12mo")


def check_parameters(args: Mapping[str, str]) -> None:
    """Refuse parameters no browser form sends: NUL and other control characters, or huge values.

    Raises InvalidInput naming the parameter (`fields`), before any of them reaches a query.
    """
    for name, value in args.items():
        if len(name) > 64 or len(value) > MAX_PARAMETER_LENGTH:
            raise InvalidInput(f"The `{name[:64]}` parameter is too long.", fields={"query": "too long"})
        if any(ord(char) < 32 or ord(char) == 127 for char in value):
            raise InvalidInput(
                f"The `{name[:64]}` parameter holds control characters.",
                fields={"query": "control characters"},
            )


@dataclass(frozen=True)
class PageState:
    """What the URL of a statistics page says; `link()` gives the URL arguments of a changed state."""

    period_name: str
    date_param: str | None
    filters_text: str
    filters: tuple[Filter, ...]
    metric: str
    show: str | None

    def args(self) -> dict[str, str]:
        """The URL arguments of this state, defaults left out."""
        found: dict[str, str] = {}
        if self.period_name != DEFAULT_PERIOD:
            found["period"] = self.period_name
        if self.date_param:
            found["date"] = self.date_param
        if self.filters_text:
            found["filters"] = self.filters_text
        if self.metric != "visitors":
            found["metric"] = self.metric
        if self.show:
            found["show"] = self.show
        return found

    def link(self, **changes: Any) -> dict[str, str]:
        return replace(self, **changes).args()

    def with_filters(self, filters: list[Filter]) -> dict[str, str]:
        return self.link(filters_text=";".join(str(f) for f in filters), filters=tuple(filters), show=None)


def read_state(args: Mapping[str, str], today: date) -> tuple[PageState, DateRange]:
    """The page state and its date range from the query string. Raises InvalidInput naming the field."""
    check_parameters(args)
    period_name = args.get("period") or DEFAULT_PERIOD
    date_param = args.get("date") or None
    first, last = args.get("from", "").strip(), args.get("to", "").strip()
    if first or last:
        period_name, date_param = "custom", f"{first},{last}"
    period = parse_period(period_name, date_param, today)
    filters_text = args.get("filters", "").strip()
    filters = parse_filters(filters_text)
    metric = args.get("metric") or "visitors"
    if metric not in CHART_METRICS:
        raise InvalidInput(f"Unknown chart metric `{metric[:64]}`.", fields={"metric": "unknown metric"})
    show = args.get("show") or None
    if show is not None and show not in TABLES_BY_KEY:
        raise InvalidInput(f"Unknown table `{show[:64]}`.", fields={"show": "unknown table"})
    canonical = ";".join(str(f) for f in filters)
    state = PageState(period.period, date_param, canonical, tuple(filters), metric, show)
    return state, period


def shifted(state: PageState, period: DateRange, direction: int) -> dict[str, str] | None:
    """URL arguments for the period of the same kind just before (-1) or after (+1) this one; None
    for "after" when this one already reaches today."""
    if direction > 0 and period.last >= period.today:
        return None
    name = period.period
    if name == "custom":
        step = timedelta(days=direction * period.days)
        first, last = period.first + step, period.last + step
        return state.link(date_param=f"{first.isoformat()},{last.isoformat()}", show=None)
    if name in ("month", "6mo", "12mo"):
        months = {"month": 1, "6mo": 6, "12mo": 12}[name]
        anchor = add_months_date(period.last.replace(day=1), direction * months)
        current = anchor.replace(day=1) >= period.today.replace(day=1)
    else:
        anchor = min(period.last + timedelta(days=direction * period.days), period.today)
        current = anchor >= period.today
    # A period that reaches today leaves `date` out, so its link stays current tomorrow.
    return state.link(date_param=None if current else anchor.isoformat(), show=None)


def can_filter(value: str) -> bool:
    """Whether a table value can become a filter: "(other)" is many values, and `;` and `*` have
    meanings in Plausible's filter syntax that no escape switches off."""
    return value != OTHER_VALUE and ";" not in value and "*" not in value


def add_filter(state: PageState, prop: str, value: str) -> dict[str, str] | None:
    """URL arguments with `prop==value` added (replacing a filter on the same property), or None."""
    if not can_filter(value):
        return None
    kept = [f for f in state.filters if f.prop.name != prop]
    return state.with_filters([*kept, Filter(PROPERTIES[prop], False, (value,))])


def remove_filter(state: PageState, index: int) -> dict[str, str]:
    return state.with_filters([f for position, f in enumerate(state.filters) if position != index])
