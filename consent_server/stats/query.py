"""What a statistics query may ask for: metrics, properties, filters, limits (Plausible Stats API v1 names).

Every parser raises InvalidInput with a message in the style of Plausible's API errors and the offending
parameter in `fields`, so a route can hand the exception to the one error handler unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InvalidInput

METRICS = ("visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration", "events")
DEFAULT_METRICS = ("visitors",)
NONE_VALUE = "(none)"  # how an empty value (no referrer, no utm_campaign...) is shown, and filtered on
OTHER_VALUE = "(other)"  # the row that holds every row below the k-anonymity floor


@dataclass(frozen=True)
class Property:
    """A breakdown/filter property: where its value lives and which metrics it can answer."""

    name: str  # "visit:source"
    key: str  # the key of a breakdown row: "source"
    rollup: str  # the DailyRollup dimension
    column: str  # the column of analytics_sessions (visit:*) or analytics_events (event:*)
    metrics: tuple[str, ...]

    @property
    def is_visit(self) -> bool:
        return self.name.startswith("visit:")


def _visit(name: str, column: str | None = None, key: str | None = None) -> Property:
    column = column or name
    return Property(f"visit:{name}", key or name, column, column, METRICS)


PROPERTIES: dict[str, Property] = {
    prop.name: prop
    for prop in (
        # A page counts its pageviews and the visitors who viewed it; visits belong to entry/exit pages.
        Property("event:page", "page", "page", "page", ("visitors", "pageviews")),
        _visit("entry_page"),
        _visit("exit_page"),
        _visit("source"),
        _visit("channel"),
        _visit("referrer", column="referrer_host"),
        _visit("utm_source"),
        _visit("utm_medium"),
        _visit("utm_campaign"),
        _visit("utm_term"),
        _visit("utm_content"),
        _visit("country"),
        _visit("browser"),
        _visit("os"),
        _visit("device"),
        _visit("screen"),
        # Custom events (ConsentServer.track): who sent each, and how often.
        Property("event:name", "name", "event", "name", ("visitors", "events")),
    )
}
MAX_FILTERS = 10
MAX_FILTER_VALUES = 50
MAX_VALUE_LENGTH = 2048
_FILTER = re.compile(r"^(?P<prop>[a-z_:]+)(?P<op>==|!=)(?P<value>.*)$", re.DOTALL)
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Filter:
    """`visit:source==Google|Bing`: the property, whether it is negated (`!=`), and the alternatives.

    A value may hold `*` wildcards (any characters); `(none)` matches an empty value.
    """

    prop: Property
    negate: bool
    values: tuple[str, ...]

    def __str__(self) -> str:
        values = "|".join(value.replace("|", "\\|") for value in self.values)
        return f"{self.prop.name}{'!=' if self.negate else '=='}{values}"


def parse_property(name: str | None) -> Property:
    """The breakdown property; raises InvalidInput for a missing or unknown one."""
    if not name:
        raise InvalidInput(
            "The `property` parameter is required, e.g. property=visit:source.",
            fields={"property": "required"},
        )
    prop = PROPERTIES.get(name)
    if prop is None:
        raise InvalidInput(
            f"Invalid property `{name}`: use one of {', '.join(PROPERTIES)}.",
            fields={"property": "unknown property"},
        )
    return prop


def parse_metrics(text: str | Sequence[str] | None, prop: Property | None = None) -> list[str]:
    """Comma-separated metric names (default: visitors), checked against what the property answers."""
    names = [part.strip() for part in text.split(",")] if isinstance(text, str) else list(text or ())
    names = [name for name in names if name] or list(DEFAULT_METRICS)
    for name in names:
        if name not in METRICS:
            raise InvalidInput(
                f"The metric `{name}` is not recognized; use {', '.join(METRICS)}.",
                fields={"metrics": f"unknown metric {name}"},
            )
    if len(set(names)) != len(names):
        raise InvalidInput(
            "Metrics cannot be queried multiple times.", fields={"metrics": "a metric is repeated"}
        )
    allowed = prop.metrics if prop else METRICS
    refused = [name for name in names if name not in allowed]
    if refused and prop is not None:
        raise InvalidInput(
            f"Metric `{refused[0]}` is not available for a breakdown by {prop.name}; "
            f"use {', '.join(allowed)}.",
            fields={"metrics": f"{prop.name} answers {', '.join(allowed)}"},
        )
    return names


def parse_filters(text: str | None) -> list[Filter]:
    """Plausible v1 filters: `visit:source==Google;event:page!=/about`, `|` between alternatives
    (`\\|` for a literal pipe), `*` as a wildcard, `(none)` for an empty value. Raises InvalidInput."""
    if not text:
        return []
    parts = [part for part in text.split(";") if part.strip()]
    if len(parts) > MAX_FILTERS:
        raise InvalidInput(
            f"At most {MAX_FILTERS} filters are allowed.", fields={"filters": "too many filters"}
        )
    filters = []
    for part in parts:
        match = _FILTER.match(part.strip())
        if match is None:
            raise InvalidInput(
                f"Invalid filter `{part}`: expected property==value or property!=value.",
                fields={"filters": "expected property==value"},
            )
        prop = PROPERTIES.get(match["prop"])
        if prop is None:
            raise InvalidInput(
                f"Invalid filter property `{match['prop']}`: use one of {', '.join(PROPERTIES)}.",
                fields={"filters": f"unknown property {match['prop']}"},
            )
        values = tuple(value.replace("\\|", "|") for value in _UNESCAPED_PIPE.split(match["value"]))
        if any(not value for value in values):
            raise InvalidInput(
                f"Invalid filter `{part}`: a value is empty (use (none) for visits without one).",
                fields={"filters": "empty value"},
            )
        if len(values) > MAX_FILTER_VALUES or any(len(value) > MAX_VALUE_LENGTH for value in values):
            raise InvalidInput(
                f"Invalid filter `{part[:80]}`: too many or too long values.",
                fields={"filters": "too many or too long values"},
            )
        filters.append(Filter(prop, match["op"] == "!=", values))
    return filters


def parse_limit(limit: str | int | None, page: str | int | None) -> tuple[int, int]:
    """Breakdown paging: limit 1-1000 (default 100) and page >= 1 (default 1)."""

    def number(value: str | int | None, default: int, name: str, low: int, high: int) -> int:
        if value is None or value == "":
            return default
        try:
            parsed = int(value)
        except ValueError:
            raise InvalidInput(
                f"The `{name}` parameter must be a whole number.", fields={name: "not a number"}
            ) from None
        if not low <= parsed <= high:
            raise InvalidInput(
                f"The `{name}` parameter must be between {low} and {high}.",
                fields={name: f"between {low} and {high}"},
            )
        return parsed

    return number(limit, 100, "limit", 1, 1000), number(page, 1, "page", 1, 1_000_000)


def parse_compare(compare: str | None) -> bool:
    """Plausible's `compare=previous_period` (the only comparison offered)."""
    if not compare:
        return False
    if compare != "previous_period":
        raise InvalidInput(
            f"Invalid comparison `{compare}`: the only one is previous_period.",
            fields={"compare": "expected previous_period"},
        )
    return True
