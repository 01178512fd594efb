"""CSV export of any statistics table, from the same results the dashboard and the API show.

The k-anonymity floor is already in those results, so the CSV holds nothing the screen does not: a
blanked point shows `<k` in its visitors (or choices) column and nothing in the others, and "(other)"
is a row like any other. Text cells that a spreadsheet would run as a formula (starting with = + - @,
a tab or a carriage return) get a leading apostrophe (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from ..models import ACTIONS
from .labels import label
from .query import PROPERTIES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONSENT_TABLES = ("totals", "categories", "timeseries", "devices", "languages", "policy_versions")


def safe_cell(value: Any) -> Any:
    """A cell as written: numbers as they are, None as empty, text defused against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _write(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _heading(key: str, language: str | None) -> str:
    return label(key, language).name if language else key


def to_csv(result: Mapping[str, Any], language: str | None = None) -> str:
    """CSV of an aggregate, timeseries or breakdown result (header row first).

    Headers are the API's names (`page`, `visitors`...), or the labels of `language` ("nl", "en").
    An aggregate becomes one row per metric: metric, value (and change when compared).
    """
    meta = result["meta"]
    metrics: list[str] = meta["metrics"]
    k = meta["k"]
    below = f"<{k}"
    results = result["results"]
    if isinstance(results, Mapping):  # aggregate
        compared = "comparison" in meta
        header = ["metric", "value", *(["change"] if compared else [])]
        if language:
            names = {"nl": ("Maatstaf", "Waarde", "Verandering (%)"), "en": ("Metric", "Value", "Change (%)")}
            header = list(names.get(language, names["nl"])[: len(header)])
        rows = []
        for metric in metrics:
            entry = results[metric]
            value = below if entry.get("below_k") and metric == "visitors" else entry["value"]
            rows.append([_heading(metric, language), value, *([entry.get("change")] if compared else [])])
        return _write(header, rows)
    if "property" in meta:
        key = PROPERTIES[meta["property"]].key
        first = label(meta["property"], language).name if language else key
    else:
        key = "date"
        first = {"nl": "Datum", "en": "Date"}.get(language or "", "date")
    header = [first, *(_heading(metric, language) for metric in metrics)]
    rows = [
        [
            row[key],
            *(below if row.get("below_k") and metric == "visitors" else row[metric] for metric in metrics),
        ]
        for row in results
    ]
    return _write(header, rows)


def consent_csv(result: Mapping[str, Any], table: str, language: str | None = None) -> str:
    """CSV of one table of consent_stats: totals, categories, timeseries, devices, languages or
    policy_versions. Opt-in rates get one column per category (`opt_in:analytics`)."""
    if table not in CONSENT_TABLES:
        raise ValueError(f"unknown consent table {table!r}; use one of {', '.join(CONSENT_TABLES)}")
    meta = result["meta"]
    below = f"<{meta['k']}"
    categories: list[str] = meta["categories"]
    data = result["results"][table]
    if table == "categories":
        header = ["category", "choices", "granted", "opt_in_rate"]
        return _write(header, [[row[column] for column in header] for row in data])
    key = {"timeseries": "date", "devices": "device", "languages": "language"}.get(table, "policy_version")
    counts = ["choices", *ACTIONS]
    header = [
        *([] if table == "totals" else [_heading(key, language) if key != "date" else key]),
        *(_heading(column, language) for column in counts),
        *(f"opt_in:{category}" for category in categories),
    ]
    rows = [data] if table == "totals" else data
    lines = []
    for row in rows:
        hidden = bool(row.get("below_k"))
        lines.append(
            [
                *([] if table == "totals" else [row[key]]),
                *(below if hidden and column == "choices" else row[column] for column in counts),
                *(row["opt_in"][category] for category in categories),
            ]
        )
    return _write(header, lines)
