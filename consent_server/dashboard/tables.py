"""What the statistics page shows: its metric cards and its tables, each a Plausible v1 property.

A table's `key` names it in URLs (`?show=pages`, `/export/pages.csv`); its property and metrics are
what the stats API would be asked for the same table, so the page, its CSV files and the API agree.
"""

from __future__ import annotations

from dataclasses import dataclass

CARD_METRICS = ("visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration")
CHART_METRICS = CARD_METRICS
ROWS_SHOWN = 10  # per table on the page; `?show=<table>` shows up to ROWS_EXPANDED, the CSV all
ROWS_EXPANDED = 100
ROWS_EXPORTED = 100_000


@dataclass(frozen=True)
class Table:
    """A breakdown table: URL key, property, metrics (visitors first), and its heading's message key."""

    key: str
    prop: str
    metrics: tuple[str, ...]
    # How values read: "text" as stored, "path" (monospace, wraps anywhere), or "channel"/"device"/
    # "country", codes shown in the reader's language.
    kind: str = "text"
    # UTM tables leave out "(none)", the visits without the tag, which would dwarf every campaign; the
    # page says how many they were.
    skip_none: bool = False


TABLES: tuple[Table, ...] = (
    Table("pages", "event:page", ("visitors", "pageviews"), kind="path"),
    Table("entry-pages", "visit:entry_page", ("visitors", "visits", "bounce_rate"), kind="path"),
    Table("exit-pages", "visit:exit_page", ("visitors", "visits"), kind="path"),
    Table("sources", "visit:source", ("visitors", "visits", "bounce_rate")),
    Table("channels", "visit:channel", ("visitors", "visits", "bounce_rate"), kind="channel"),
    Table("utm-sources", "visit:utm_source", ("visitors", "visits"), skip_none=True),
    Table("utm-mediums", "visit:utm_medium", ("visitors", "visits"), skip_none=True),
    Table("utm-campaigns", "visit:utm_campaign", ("visitors", "visits", "bounce_rate"), skip_none=True),
    Table("countries", "visit:country", ("visitors", "visits"), kind="country"),
    Table("browsers", "visit:browser", ("visitors", "visits")),
    Table("os", "visit:os", ("visitors", "visits")),
    Table("devices", "visit:device", ("visitors", "visits", "bounce_rate"), kind="device"),
    Table("events", "event:name", ("visitors", "events")),
)
TABLES_BY_KEY = {table.key: table for table in TABLES}
# The page's panels, in reading order: (message key of the panel heading, its tables).
PANELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dashboard.panel.pages", ("pages", "entry-pages", "exit-pages")),
    ("dashboard.panel.sources", ("sources", "channels")),
    ("dashboard.panel.campaigns", ("utm-campaigns", "utm-sources", "utm-mediums")),
    ("dashboard.panel.countries", ("countries",)),
    ("dashboard.panel.technology", ("devices", "browsers", "os")),
    ("dashboard.panel.events", ("events",)),
)
# CSV downloads that are not breakdowns: the metric cards and the chart.
SUMMARY_EXPORTS = ("summary", "timeseries")
EXPORTS = (*SUMMARY_EXPORTS, *TABLES_BY_KEY)
CONSENT_EXPORTS = ("totals", "categories", "timeseries", "devices", "languages", "policy_versions")
