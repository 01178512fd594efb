"""What the statistics pages show, built from the stats services: cards, chart, tables, consent figures.

No request access: the routes read the URL state (params.py) and hand in the session, site, period,
clock and k. Every number comes from consent_server.stats.services, so the page, its CSV files and the
API show the same figures under the same k-anonymity floor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..auth.i18n import CATALOG, t
from ..extensions import DBSession
from ..models import Site
from ..stats.labels import label
from ..stats.periods import DateRange
from ..stats.query import NONE_VALUE, OTHER_VALUE, PROPERTIES
from ..stats.services import (
    aggregate,
    breakdown,
    consent_stats,
    realtime_visitors,
    sample_for,
    timeseries,
)
from . import present
from .charts import Chart, axis_labels, bar_ratio, stacked_chart
from .params import PRESETS, PageState, add_filter, remove_filter, shifted
from .tables import CARD_METRICS, CHART_METRICS, PANELS, ROWS_EXPANDED, ROWS_SHOWN, TABLES_BY_KEY, Table

Args = dict[str, str]


@dataclass(frozen=True)
class Card:
    key: str
    name: str
    description: str
    value: str
    withheld: bool = False
    change: present.Change | None = None
    share: str = ""  # a line under the value: a consent card's share of all choices, or a note


@dataclass(frozen=True)
class ChartView:
    """A chart with its words: title and summary for the SVG, axis labels, and its data as a table."""

    chart: Chart
    title: str
    summary: str
    y_labels: list[str]
    x_labels: list[str]
    columns: list[str]
    rows: list[list[str]]
    series: list[tuple[str, str]] = field(default_factory=list)  # (series key, name) for a legend


@dataclass(frozen=True)
class Row:
    value: str  # as shown
    raw: str  # as stored, "(none)" and "(other)" included
    cells: list[str]
    ratio: float
    filter_args: Args | None = None
    other: bool = False


@dataclass(frozen=True)
class Column:
    """A table column: a short heading that fits a phone, and the full label for screen readers."""

    short: str
    full: str


@dataclass(frozen=True)
class TableView:
    key: str
    title: str
    description: str
    kind: str
    columns: list[Column]
    rows: list[Row]
    total_rows: int
    folded_rows: int
    withheld_rows: int
    expanded: bool
    show_args: Args | None  # "show all rows" (None when every row is shown)
    csv_args: Args
    skipped: str | None = None  # UTM tables: the visitors without the tag, left out


@dataclass(frozen=True)
class PeriodNav:
    presets: list[tuple[str, str, Args, bool]]  # (period, name, URL args, current)
    earlier: Args | None
    later: Args | None
    text: str
    comparison: str


def period_nav(state: PageState, period: DateRange, compare: bool = True) -> PeriodNav:
    presets = [
        (
            name,
            t(f"dashboard.period.{name}"),
            state.link(period_name=name, date_param=None, show=None),
            state.period_name == name and not state.date_param,
        )
        for name in PRESETS
    ]
    previous = period.previous()
    comparison = present.date_range_text(previous.first, previous.last) if compare else ""
    return PeriodNav(
        presets,
        shifted(state, period, -1),
        shifted(state, period, +1),
        present.date_range_text(period.first, period.last),
        comparison,
    )


def cards(session: DBSession, site: Site, period: DateRange, state: PageState, k: int) -> list[Card]:
    answer = aggregate(session, site, period, CARD_METRICS, state.filters, compare=True, k=k)
    lang = present.lang()
    found = []
    for metric in CARD_METRICS:
        entry = answer["results"][metric]
        text = label(metric, lang)
        withheld = bool(entry.get("below_k"))
        value = t("dashboard.below_k", k=k) if withheld else present.metric_value(metric, entry["value"])
        found.append(
            Card(
                metric, text.name, text.description, value, withheld, present.change(metric, entry["change"])
            )
        )
    return found


def realtime_card(session: DBSession, site: Site, now: datetime, k: int, filtered: bool = False) -> Card:
    """Visitors of the last five minutes, of the whole site: filters do not apply (the card says so)."""
    answer = realtime_visitors(session, site, now, k=k)["results"]["visitors"]
    text = label("realtime", present.lang())
    withheld = bool(answer.get("below_k"))
    value = t("dashboard.below_k", k=k) if withheld else present.metric_value("visitors", answer["value"])
    note = t("dashboard.realtime.unfiltered") if filtered else ""
    return Card("realtime", text.name, text.description, value, withheld, share=note)


def visits_chart(session: DBSession, site: Site, period: DateRange, state: PageState, k: int) -> ChartView:
    metric = state.metric
    interval = "hour" if period.days == 1 else None
    answer = timeseries(session, site, period, [metric], state.filters, interval, k=k)
    interval = answer["meta"]["interval"]
    name = label(metric, present.lang()).name
    points: list[tuple[str, list[tuple[str, float]], bool]] = []
    rows = []
    shown: list[tuple[str, float]] = []
    for row in answer["results"]:
        long = present.bucket_label(row["date"], interval, long=True)
        withheld = bool(row.get("below_k"))
        value = row[metric]
        text = t("dashboard.below_k", k=k) if withheld else present.metric_value(metric, value)
        points.append((f"{long}: {text}", [(metric, float(value or 0))], withheld))
        rows.append([long, text])
        if not withheld:
            shown.append((long, float(value or 0)))
    chart = stacked_chart(points)
    summary = _summary(metric, shown, len(points) - len(shown), k, period)
    labels = [present.bucket_label(row["date"], interval) for row in answer["results"]]
    return ChartView(
        chart,
        t(f"dashboard.chart.title.{interval}", metric=name),
        summary,
        _y_labels(metric, chart.top),
        axis_labels(labels),
        [t(f"dashboard.chart.column.{interval}"), name],
        rows,
    )


def _y_labels(metric: str, top: float) -> list[str]:
    values = [top, top / 2, 0.0]
    if metric in ("visitors", "visits", "pageviews", "events", "choices", "visit_duration"):
        return [present.metric_value(metric, int(value)) for value in values]
    return [present.metric_value(metric, value) for value in values]


def _summary(
    metric: str, shown: Sequence[tuple[str, float]], withheld: int, k: int, period: DateRange
) -> str:
    parts = [t("dashboard.chart.summary.range", range=present.date_range_text(period.first, period.last))]
    if shown:
        best_label, best = max(shown, key=lambda item: item[1])
        parts.append(
            t("dashboard.chart.summary.highest", value=present.metric_value(metric, best), label=best_label)
        )
    if withheld:
        parts.append(t("dashboard.chart.summary.withheld", n=withheld, k=k))
    return " ".join(parts)


def table_view(
    session: DBSession,
    site: Site,
    period: DateRange,
    state: PageState,
    table: Table,
    k: int,
) -> TableView:
    expanded = state.show == table.key
    limit = ROWS_EXPANDED if expanded else ROWS_SHOWN
    answer = breakdown(session, site, period, table.prop, table.metrics, state.filters, limit, k=k)
    meta = answer["meta"]
    key = PROPERTIES[table.prop].key
    lang = present.lang()
    found = answer["results"]
    more = meta["total_rows"] > len(found) and not expanded
    total = meta["total_rows"]
    skipped = None
    if table.skip_none:
        left_out = [row for row in found if row[key] == NONE_VALUE]
        found = [row for row in found if row[key] != NONE_VALUE]
        if left_out:
            skipped = present.metric_value("visitors", left_out[0]["visitors"])
            total -= 1
    largest = max((row["visitors"] or 0 for row in found), default=0)
    rows = []
    for row in found:
        raw = str(row[key])
        other = bool(row.get("other"))
        rows.append(
            Row(
                value=present.display_value(raw, table.kind),
                raw=raw,
                cells=[present.metric_value(metric, row[metric]) for metric in table.metrics],
                ratio=bar_ratio(row["visitors"] or 0, largest),
                filter_args=None if other else add_filter(state, table.prop, raw),
                other=other,
            )
        )
    text = label(table.prop, lang)
    return TableView(
        key=table.key,
        title=t(f"dashboard.table.{table.key}"),
        description=text.description,
        kind=table.kind,
        columns=[Column(text.name, text.name), *(_column(metric) for metric in table.metrics)],
        rows=rows,
        total_rows=total,
        folded_rows=meta["folded_rows"],
        withheld_rows=meta["withheld_rows"],
        expanded=expanded,
        show_args=state.link(show=table.key) if more else None,
        csv_args=state.link(show=None),
        skipped=skipped,
    )


def _column(metric: str) -> Column:
    return Column(t(f"dashboard.column.{metric}"), label(metric, present.lang()).name)


def panels(
    session: DBSession, site: Site, period: DateRange, state: PageState, k: int
) -> list[tuple[str, list[TableView]]]:
    return [
        (t(heading), [table_view(session, site, period, state, TABLES_BY_KEY[key], k) for key in keys])
        for heading, keys in PANELS
    ]


def filter_chips(state: PageState) -> list[tuple[str, Args]]:
    return [(present.filter_text(f), remove_filter(state, index)) for index, f in enumerate(state.filters)]


def chart_metrics(state: PageState) -> list[tuple[str, str, Args, bool]]:
    lang = present.lang()
    return [
        (metric, label(metric, lang).name, state.link(metric=metric, show=None), metric == state.metric)
        for metric in CHART_METRICS
    ]


# --- consent statistics --------------------------------------------------------------------------------

ACTION_ORDER = ("accept_all", "reject_all", "custom", "withdraw")  # cards and table columns
CONSENT_SERIES = ("accept_all", "custom", "reject_all", "withdraw")  # the chart, stacked bottom-up
CONSENT_TABLES = (("devices", "device"), ("languages", "language"), ("policy_versions", "policy_version"))


@dataclass(frozen=True)
class ConsentTable:
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    withheld_rows: int
    other: bool


def category_names(site: Site) -> dict[str, str]:
    """Category keys -> their names in the reader's language (as the banner shows them)."""
    lang = present.lang()
    names = {}
    for category in site.categories:
        texts = category.texts.get(lang) or category.texts.get(site.default_language) or {}
        names[category.key] = str(texts.get("name") or category.key)
    return names


def _count(value: Any) -> str:
    return present.metric_value("choices", value)


def _rate(value: float | None) -> str:
    return present.NO_VALUE if value is None else present.metric_value("opt_in_rate", value)


def consent_page(session: DBSession, site: Site, period: DateRange, k: int) -> dict[str, Any]:
    """Everything the consent statistics page shows: cards, opt-in rates, chart, tables."""
    answer = consent_stats(session, site, period, k=k)
    results, meta = answer["results"], answer["meta"]
    lang = present.lang()
    names = category_names(site)
    categories: list[str] = meta["categories"]
    totals = results["totals"]
    hidden = bool(meta["below_k"])
    choices = totals["choices"] or 0
    cards = []
    for action in ("choices", *ACTION_ORDER):
        text = label(action, lang)
        share = ""
        if hidden:
            value = t("dashboard.below_k_choices", k=k)
        else:
            value = _count(totals[action])
            if action != "choices" and choices:
                share = t("dashboard.consent.share", value=present.decimal(totals[action] * 100 / choices, 0))
        cards.append(Card(action, text.name, text.description, value, hidden, share=share))
    rates = [
        {
            "key": row["category"],
            "name": names.get(row["category"], row["category"]),
            "rate": _rate(row["opt_in_rate"]),
            "ratio": float(row["opt_in_rate"] or 0),
            "granted": _count(row["granted"]),
            "choices": _count(row["choices"]),
        }
        for row in results["categories"]
    ]
    tables = [
        _consent_table(key, row_key, results[key], meta["withheld_rows"][key], categories, names)
        for key, row_key in CONSENT_TABLES
    ]
    return {
        "hidden": hidden,
        "cards": cards,
        "rates": rates,
        "chart": _consent_chart(results["timeseries"], k, period),
        "tables": tables,
    }


def _consent_chart(series: list[dict[str, Any]], k: int, period: DateRange) -> ChartView:
    lang = present.lang()
    points: list[tuple[str, list[tuple[str, float]], bool]] = []
    rows = []
    shown = []
    for row in series:
        long = present.bucket_label(row["date"], "day", long=True)
        if row.get("below_k"):
            cells = [t("dashboard.below_k_choices", k=k), *([""] * len(ACTION_ORDER))]
            points.append((f"{long}: {cells[0]}", [], True))
        else:
            cells = [_count(row["choices"]), *(_count(row[action]) for action in ACTION_ORDER)]
            points.append((f"{long}: {cells[0]}", [(a, float(row[a] or 0)) for a in CONSENT_SERIES], False))
            shown.append((long, float(row["choices"])))
        rows.append([long, *cells])
    chart = stacked_chart(points)
    parts = [t("dashboard.chart.summary.range", range=present.date_range_text(period.first, period.last))]
    if shown:
        best_label, best = max(shown, key=lambda item: item[1])
        parts.append(t("dashboard.consent.chart.highest", value=_count(int(best)), label=best_label))
    if len(shown) < len(points):
        parts.append(t("dashboard.consent.chart.withheld", n=len(points) - len(shown), k=k))
    return ChartView(
        chart,
        t("dashboard.consent.chart.title"),
        " ".join(parts),
        _y_labels("choices", chart.top),
        axis_labels([present.bucket_label(row["date"], "day") for row in series]),
        [t("dashboard.chart.column.day"), *(label(key, lang).name for key in ("choices", *ACTION_ORDER))],
        rows,
        [(action, label(action, lang).name) for action in CONSENT_SERIES],
    )


def _consent_value(value: str, row_key: str) -> str:
    if value in (OTHER_VALUE, NONE_VALUE):
        return present.display_value(value)
    if row_key == "device":
        return present.display_value(value, "device")
    if row_key == "language":
        key = f"dashboard.language.{value}"
        return t(key) if key in CATALOG else value
    return value


def _consent_table(
    key: str,
    row_key: str,
    rows: list[dict[str, Any]],
    withheld: int,
    categories: list[str],
    names: dict[str, str],
) -> ConsentTable:
    lang = present.lang()
    columns = [
        label(row_key, lang).name,
        *(label(name, lang).name for name in ("choices", *ACTION_ORDER)),
        *(
            t("dashboard.consent.opt_in_column", name=names.get(category, category))
            for category in categories
        ),
    ]
    shown = [
        [
            _consent_value(str(row[row_key]), row_key),
            *(_count(row[name]) for name in ("choices", *ACTION_ORDER)),
            *(_rate(row["opt_in"][category]) for category in categories),
        ]
        for row in rows
    ]
    other = any(row.get("other") for row in rows)
    return ConsentTable(key, t(f"dashboard.consent.table.{key}"), columns, shown, withheld, other)


def sample_note(session: DBSession, site: Site, period: DateRange, state: PageState, k: int) -> str | None:
    """Said above the figures when the filtered ones are estimated from a sample (stats.services
    .sample_for decides it the same way for every raw read of the page)."""
    if not state.filters:
        return None
    sample = sample_for(session, site, period)
    return t("dashboard.filters.sampled", n=sample, k=k) if sample > 1 else None


def notes(k: int) -> list[tuple[str, str]]:
    """What the statistics page says under its figures: how they are counted and protected."""
    lang = present.lang()
    found = [label(key, lang, k) for key in ("timezone", "freshness", "below_k", "other", "comparison")]
    return [(text.name, text.description) for text in found]


def consent_notes(k: int) -> list[tuple[str, str]]:
    lang = present.lang()
    found = [label(key, lang, k) for key in ("timezone", "choices", "opt_in_rate", "below_k_choices")]
    return [(text.name, text.description) for text in found]
