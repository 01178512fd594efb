"""The statistics engine behind the dashboard and the stats API: plain dicts in Plausible's v1 shape.

No request access: routes parse the parameters (periods.py, query.py), call these with the session,
the site, `k` (the STATS_MIN_VISITORS setting) and the clock, and serialise what comes back.

- aggregate  -> {"results": {"visitors": {"value": 12, "change": 5}, ...}, "meta": {...}}
- timeseries -> {"results": [{"date": "2026-11-01", "visitors": 3}, ...], "meta": {...}}
- breakdown  -> {"results": [{"page": "/", "visitors": 10}, ..., {"page": "(other)", ...}], "meta": {...}}
- realtime_visitors -> {"results": {"visitors": {"value": 7}}, "meta": {...}}
- consent_stats -> {"results": {"totals", "categories", "timeseries", "devices", "languages",
  "policy_versions"}, "meta": {...}}

Where the numbers come from (`meta.source`): unfiltered questions read the daily rollups only, whatever
the range (today's rollup is rebuilt every minute by the rollup job, so today lags by about a minute),
and so do the cards and the chart filtered by one value of a visit property (a click on a row: that
value's own rollup rows); other filters and the hourly chart read the raw rows of the period; realtime
reads the raw events of the last five minutes; consent statistics read the daily consent rollups for
past days and the consent records for today. Every answer applies the k-anonymity floor (floor.py);
`meta.k` says which k.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from flask import current_app, has_app_context
from sqlalchemy import Text, cast, func, select

from ..analytics.rollups import EMPTY
from ..extensions import DBSession
from ..models import ACTIONS, ConsentDaily, ConsentRecord, Site
from ..sites.schemas import NECESSARY
from ..timeutil import isoformat, month_of
from .figures import Totals, change, counters_for
from .floor import below_floor, hidden_indexes, hidden_total_shown
from .periods import DateRange, parse_interval
from .query import NONE_VALUE, OTHER_VALUE, Filter, Property, parse_metrics, parse_property
from .reads import (
    SAMPLES,
    bounds,
    bucket,
    bucket_key,
    raw_totals,
    realtime_count,
    rollup_by_day,
    rollup_by_value,
    rollup_filter,
)

Read = Literal["auto", "raw"]
REALTIME_WINDOW = timedelta(minutes=5)
# A filtered question reads raw rows; over a period with more visits than this it reads a sample of
# visitors, scaled up (sample_for). The default of the STATS_SAMPLE_ABOVE_VISITS setting, chosen with
# bench/dashboard.py (see the README, "Sampling").
SAMPLE_ABOVE_VISITS = 100_000
ONE_DAY = timedelta(days=1)
TIMEZONE = "UTC"


def _meta(period: DateRange, k: int, source: str, **extra: Any) -> dict[str, Any]:
    return {"date_range": period.as_json(), "timezone": TIMEZONE, "k": k, "source": source, **extra}


def sample_for(session: DBSession, site: Site, period: DateRange, sample_above: int | None = None) -> int:
    """1 (every visitor), or the smallest 1-in-N sample of visitors (N in reads.SAMPLES) that leaves at
    most `sample_above` (default: the STATS_SAMPLE_ABOVE_VISITS setting) visits of the period to read.
    The period's visits come from the rollups, so deciding costs one small read; 0 never samples."""
    if sample_above is None:  # the app's setting, or the default outside an app
        sample_above = (
            int(current_app.config.get("STATS_SAMPLE_ABOVE_VISITS", SAMPLE_ABOVE_VISITS))
            if has_app_context()
            else SAMPLE_ABOVE_VISITS
        )
    if sample_above <= 0:
        return 1
    visits = sum(day.visits for day in rollup_by_day(session, site.id, period.first, period.last).values())
    return next((n for n in SAMPLES if visits <= sample_above * n), SAMPLES[-1])


def _raw_sample(
    session: DBSession,
    site: Site,
    period: DateRange,
    filters: Sequence[Filter],
    read: Read,
    above: int | None,
) -> int:
    """Filtered questions read raw rows, and over a busy period only a sample of them; read="raw" (the
    baseline of tests and bench/dashboard.py) and unfiltered questions always read every row."""
    return sample_for(session, site, period, above) if filters and read == "auto" else 1


def _sampled(extra: dict[str, Any], sample: int, key: str = "sample") -> None:
    if sample > 1:
        extra[key] = sample


def _period_totals(
    session: DBSession,
    site: Site,
    period: DateRange,
    filters: Sequence[Filter],
    read: Read,
    above: int | None,
) -> tuple[Totals, str, int]:
    """The period's totals (of the sample, when sampled), where they came from, and the sample."""
    target = ("", "") if not filters else rollup_filter(filters)
    if target is None or read == "raw":
        sample = _raw_sample(session, site, period, filters, read, above)
        found = raw_totals(session, site.id, period.first, period.last, filters, sample=sample)
        return found.get(None, Totals()), "raw", sample
    days = rollup_by_day(session, site.id, period.first, period.last, *target)
    return sum(days.values(), Totals()), "rollups", 1


def aggregate(
    session: DBSession,
    site: Site,
    period: DateRange,
    metrics: Sequence[str] = ("visitors",),
    filters: Sequence[Filter] = (),
    compare: bool = False,
    *,
    k: int,
    read: Read = "auto",
    sample_above: int | None = None,
) -> dict[str, Any]:
    """The metric cards of a period, with Plausible's `change` against the previous period.

    A period with fewer than k visitors gives every metric `{"value": None, "below_k": True}`; a
    previous period below k gives `change: None`. Raises InvalidInput for unknown metrics. A sampled
    answer (see sample_for) is scaled up, carries `meta.sample`, and the floor counts the sample.
    """
    names = parse_metrics(list(metrics))
    sampled, source, sample = _period_totals(session, site, period, filters, read, sample_above)
    hidden = below_floor(sampled.visitors, k)
    current = sampled.scaled(sample)
    extra: dict[str, Any] = {"metrics": names, "below_k": hidden, "filters": [str(f) for f in filters]}
    _sampled(extra, sample)
    previous: Totals | None = None
    previous_hidden = False
    if compare:
        earlier = period.previous()
        earlier_sampled, _, earlier_sample = _period_totals(
            session, site, earlier, filters, read, sample_above
        )
        previous_hidden = below_floor(earlier_sampled.visitors, k)
        previous = earlier_sampled.scaled(earlier_sample)
        extra.update(comparison=earlier.as_json(), comparison_below_k=previous_hidden)
        _sampled(extra, earlier_sample, "comparison_sample")
    results: dict[str, dict[str, Any]] = {}
    for metric in names:
        entry: dict[str, Any] = {"value": None if hidden else current.value(metric)}
        if compare:
            entry["change"] = (
                None
                if hidden or previous_hidden or previous is None
                else change(metric, previous.value(metric), current.value(metric))
            )
        if hidden:
            entry["below_k"] = True
        results[metric] = entry
    return {"results": results, "meta": _meta(period, k, source, **extra)}


def bucket_keys(period: DateRange, interval: str) -> list[str]:
    """Every point of a chart, empty ones included: hours, days or months (first day) of the period."""
    if interval == "hour":
        return [f"{period.first.isoformat()} {hour:02d}:00:00" for hour in range(24)]
    if interval == "day":
        return [day.isoformat() for day in period.dates()]
    months: list[str] = []
    for day in period.dates():
        key = month_of(day).isoformat()
        if not months or months[-1] != key:
            months.append(key)
    return months


def _hide(rows: list[dict[str, Any]], weights: list[int], columns: Sequence[str], k: int) -> None:
    """Blank the points below the floor (and the smallest others needed, see floor.py) in place."""
    for index in hidden_indexes(weights, k):
        rows[index].update(dict.fromkeys(columns), below_k=True)


def timeseries(
    session: DBSession,
    site: Site,
    period: DateRange,
    metrics: Sequence[str] = ("visitors",),
    filters: Sequence[Filter] = (),
    interval: str | None = None,
    *,
    k: int,
    read: Read = "auto",
    sample_above: int | None = None,
) -> dict[str, Any]:
    """One point per hour (a single day only), day or month, empty points included.

    Points below the floor show None for every metric and `below_k: True`. A month's visitors are its
    daily visitors added up. Raises InvalidInput for unknown metrics or an impossible interval.
    """
    names = parse_metrics(list(metrics))
    interval = parse_interval(interval, period)
    keys = bucket_keys(period, interval)
    found: dict[Any, Totals]
    target = ("", "") if not filters else rollup_filter(filters)
    sample = 1
    if interval == "hour" or target is None or read == "raw":
        sample = _raw_sample(session, site, period, filters, read, sample_above)
        found = raw_totals(
            session, site.id, period.first, period.last, filters, group=interval, sample=sample
        )
        source = "raw"
    else:
        found = {}
        for day, totals in rollup_by_day(session, site.id, period.first, period.last, *target).items():
            key = (month_of(day) if interval == "month" else day).isoformat()
            found[key] = found.get(key, Totals()) + totals
        source = "rollups"
    points = [found.get(key, Totals()) for key in keys]
    rows = [
        {"date": key, **{metric: point.scaled(sample).value(metric) for metric in names}}
        for key, point in zip(keys, points, strict=True)
    ]
    _hide(rows, [point.visitors for point in points], names, k)  # the floor counts the sample
    extra = {"metrics": names, "interval": interval, "filters": [str(f) for f in filters]}
    _sampled(extra, sample)
    return {"results": rows, "meta": _meta(period, k, source, **extra)}


def breakdown(
    session: DBSession,
    site: Site,
    period: DateRange,
    prop: Property | str,
    metrics: Sequence[str] = ("visitors",),
    filters: Sequence[Filter] = (),
    limit: int = 100,
    page: int = 1,
    *,
    k: int,
    read: Read = "auto",
    sample_above: int | None = None,
) -> dict[str, Any]:
    """Rows per value of a property, most visitors first, then one "(other)" row (`"other": True`)
    holding the rows below the floor, last; then `limit` rows of page `page` (from 1).

    `meta.total_rows` counts the rows before paging; `meta.folded_rows` how many "(other)" holds;
    `meta.withheld_rows` how many rows are not shown at all (they stayed below k even together).
    Raises InvalidInput for an unknown property or a metric the property cannot answer.
    """
    prop = parse_property(prop) if isinstance(prop, str) else prop
    names = parse_metrics(list(metrics), prop)
    found: dict[Any, Totals]
    sample = 1
    if filters or read == "raw":
        sample = _raw_sample(session, site, period, filters, read, sample_above)
        found = raw_totals(session, site.id, period.first, period.last, filters, group=prop, sample=sample)
        source = "raw"
    else:
        found = dict(
            rollup_by_value(session, site.id, period.first, period.last, prop.rollup, counters_for(names))
        )
        source = "rollups"
    ranked = sorted(found.items(), key=lambda item: (-item[1].visitors, str(item[0])))
    weights = [totals.visitors for _, totals in ranked]
    hidden = hidden_indexes(weights, k)
    rows: list[dict[str, Any]] = [
        {prop.key: value or NONE_VALUE, **{m: totals.scaled(sample).value(m) for m in names}}
        for index, (value, totals) in enumerate(ranked)
        if index not in hidden
    ]
    other_shown = bool(hidden) and hidden_total_shown(weights, hidden, k)
    if other_shown:
        other = sum((ranked[index][1] for index in hidden), Totals()).scaled(sample)
        rows.append({prop.key: OTHER_VALUE, **{m: other.value(m) for m in names}, "other": True})
    extra = {
        "property": prop.name,
        "metrics": names,
        "filters": [str(f) for f in filters],
        "limit": limit,
        "page": page,
        "total_rows": len(rows),
        "folded_rows": len(hidden) if other_shown else 0,
        "withheld_rows": 0 if other_shown else len(hidden),
    }
    _sampled(extra, sample)
    start = (page - 1) * limit
    return {"results": rows[start : start + limit], "meta": _meta(period, k, source, **extra)}


def realtime_visitors(session: DBSession, site: Site, now: datetime, *, k: int) -> dict[str, Any]:
    """Visitors with any hit in the five minutes up to now, read live from the raw events.

    Plausible answers a bare number; the route may answer `results.visitors.value` for that. Fewer than
    k (but some) gives `{"value": None, "below_k": True}`.
    """
    count = realtime_count(session, site.id, now - REALTIME_WINDOW, now)
    hidden = below_floor(count, k)
    visitors: dict[str, Any] = {"value": None if hidden else count}
    if hidden:
        visitors["below_k"] = True
    meta = {"k": k, "source": "raw", "window_minutes": 5, "as_of": isoformat(now), "timezone": TIMEZONE}
    return {"results": {"visitors": visitors}, "meta": meta}


# --- consent statistics ---------------------------------------------------------------------------------


@dataclass
class _Tally:
    """Choices of one group (a day, a device...), counted per (action, category state as stored JSON).

    Adding a row is one counter update; the per-category figures are worked out once, at the end, from
    the few distinct states (`states` decodes each stored JSON text once for every tally)."""

    states: dict[str, dict[str, Any]]
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, action: str, state: str, count: int) -> None:
        self.counts[action, state] += count

    def merge(self, other: _Tally) -> None:
        self.counts.update(other.counts)

    @property
    def choices(self) -> int:
        return sum(self.counts.values())

    def figures(self, categories: Sequence[str]) -> dict[str, Any]:
        actions: Counter[str] = Counter()
        present: Counter[str] = Counter()
        granted: Counter[str] = Counter()
        for (action, state), count in self.counts.items():
            actions[action] += count
            for key, on in self.states[state].items():
                present[key] += count
                if on is True:
                    granted[key] += count
        return {
            "choices": sum(actions.values()),
            **{action: actions[action] for action in ACTIONS},
            "opt_in": {category: _rate(granted[category], present[category]) for category in categories},
        }


def _rate(granted: int, present: int) -> float | None:
    """Percent of the choices (that knew the category) with it on; None when none knew it."""
    return round(granted * 100 / present, 1) if present else None


def _granted(tally: _Tally, category: str) -> int:
    return sum(
        count for (_, state), count in tally.counts.items() if tally.states[state].get(category) is True
    )


def _present(tally: _Tally, category: str) -> int:
    return sum(count for (_, state), count in tally.counts.items() if category in tally.states[state])


def _blank(categories: Sequence[str]) -> dict[str, Any]:
    return {"choices": None, **dict.fromkeys(ACTIONS), "opt_in": dict.fromkeys(categories), "below_k": True}


def _consent_rows(
    groups: dict[Any, _Tally], key: str, categories: Sequence[str], k: int
) -> tuple[list[dict[str, Any]], int]:
    """Rows per device, language or policy version, folded like a breakdown. Returns rows and withheld."""
    ranked = sorted(groups.items(), key=lambda item: (-item[1].choices, str(item[0])))
    weights = [tally.choices for _, tally in ranked]
    hidden = hidden_indexes(weights, k)
    rows = [
        {key: NONE_VALUE if value is None else value, **tally.figures(categories)}
        for index, (value, tally) in enumerate(ranked)
        if index not in hidden
    ]
    if hidden and hidden_total_shown(weights, hidden, k):
        other = _Tally(ranked[0][1].states)
        for index in hidden:
            other.merge(ranked[index][1])
        rows.append({key: OTHER_VALUE, **other.figures(categories), "other": True})
        return rows, 0
    return rows, len(hidden)


CONSENT_SPLITS = ("day", "device", "language", "policy_version")


def _consent_counts(
    session: DBSession, site: Site, period: DateRange, read: Read, split: str
) -> list[Sequence[Any]]:
    """(value of `split`, action, category state as JSON text, choices) rows of a period, grouped by
    the database, so Python only sees a row per value, action and state.

    Days before today come from consent_daily (the rollup job's counts); today, and every day with
    read="raw", from the consent records themselves, so a choice made a second ago counts already."""
    raw_from = period.first if read == "raw" else max(period.first, period.today)
    found: list[Sequence[Any]] = []
    if raw_from > period.first:
        D = ConsentDaily
        value: Any = getattr(D, split)
        found += session.execute(
            select(value, D.action, D.state, func.sum(D.choices))
            .where(D.site_id == site.id, D.day >= period.first, D.day <= min(period.last, raw_from - ONE_DAY))
            .group_by(value, D.action, D.state)
        )
    if raw_from <= period.last:
        C = ConsentRecord
        start, end = bounds(raw_from, period.last)
        if split == "day":
            value = bucket(C.created_at, "day", session.get_bind().dialect.name)
        else:  # the rollups hold "" for a record without a device, as here
            value = func.coalesce(C.device, EMPTY) if split == "device" else getattr(C, split)
        state = cast(C.categories, Text)
        found += session.execute(
            select(value, C.action, state, func.count())
            .where(C.site_id == site.id, C.created_at >= start, C.created_at < end)
            .group_by(value, C.action, state)
        )
    return found


def consent_stats(
    session: DBSession, site: Site, period: DateRange, *, k: int, read: Read = "auto"
) -> dict[str, Any]:
    """Consent choices of a period, from the proof log, as aggregates only.

    Every choice counts (first choices, changes, withdrawals), on the UTC day it was recorded. The
    opt-in rate of a category is the share of those choices that had it on, among the choices made
    while the category existed. The floor counts choices: days below k are blanked, device, language
    and policy-version rows below k are folded into "(other)", and a period below k shows nothing.
    Past days are read from the daily consent rollups, today from the records (`meta.source`).
    """
    states: dict[str, dict[str, Any]] = {}
    total = _Tally(states)
    groups: dict[str, dict[Any, _Tally]] = {split: {} for split in CONSENT_SPLITS}
    for split in CONSENT_SPLITS:
        for value, action, state_text, count in _consent_counts(session, site, period, read, split):
            if state_text not in states:
                states[state_text] = json.loads(state_text)
            key = bucket_key(value, "day") if split == "day" else value
            if split == "device" and not key:
                key = None
            tally = groups[split].get(key)
            if tally is None:
                tally = groups[split][key] = _Tally(states)
            tally.add(action, state_text, int(count))
            if split == "day":
                total.add(action, state_text, int(count))
    days, devices, languages, versions = (groups[split] for split in CONSENT_SPLITS)

    site_keys = [key for key in site.category_keys() if key != NECESSARY]
    known = {key for state in states.values() for key in state}
    extra_keys = sorted(known - set(site_keys) - {NECESSARY})
    categories = site_keys + extra_keys
    hidden = below_floor(total.choices, k)
    keys = [day.isoformat() for day in period.dates()]
    series = [{"date": key, **days.get(key, _Tally(states)).figures(categories)} for key in keys]
    for index in hidden_indexes([days[key].choices if key in days else 0 for key in keys], k):
        series[index].update(_blank(categories))
    device_rows, device_withheld = _consent_rows(devices, "device", categories, k)
    language_rows, language_withheld = _consent_rows(languages, "language", categories, k)
    version_rows, version_withheld = _consent_rows(versions, "policy_version", categories, k)
    overall = total.figures(categories)
    results = {
        "totals": _blank(categories) if hidden else overall,
        "categories": []
        if hidden
        else [
            {
                "category": key,
                "choices": _present(total, key),
                "granted": _granted(total, key),
                "opt_in_rate": overall["opt_in"][key],
            }
            for key in categories
        ],
        "timeseries": series,
        "devices": device_rows,
        "languages": language_rows,
        "policy_versions": version_rows,
    }
    extra = {
        "below_k": hidden,
        "counting": "every choice",
        "categories": categories,
        "withheld_rows": {
            "devices": device_withheld,
            "languages": language_withheld,
            "policy_versions": version_withheld,
        },
    }
    source = "consent_records" if read == "raw" or period.first >= period.today else "consent_daily"
    return {"results": results, "meta": _meta(period, k, source, **extra)}
