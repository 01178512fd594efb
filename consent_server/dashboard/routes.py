"""The statistics pages of a site: web statistics, consent statistics, and their CSV downloads.

GET /sites/<key>/                          statistics (period, filters, chart metric, expanded table)
GET /sites/<key>/export/<table>.csv        one table of it as CSV, same period and filters
GET /sites/<key>/consent                   consent statistics (period)
GET /sites/<key>/consent/export/<table>.csv

Access rule "site" (auth/access.py): a user without a grant gets 404, as for a missing site. A URL
that cannot be answered (unknown period, malformed filters, control characters...) gets the page with
an error message and status 400, never a 500.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from ..auth.access import login_required, visible_site
from ..auth.i18n import current_language, t
from ..errors import InvalidInput
from ..extensions import db
from ..models import Site
from ..stats.export import consent_csv, to_csv
from ..stats.periods import DateRange
from ..stats.services import aggregate, breakdown, consent_stats, timeseries
from ..timeutil import utcnow
from . import messages as _messages  # noqa: F401  (registers the dashboard.* texts)
from . import pages
from .params import PageState, read_state
from .tables import CARD_METRICS, CONSENT_EXPORTS, EXPORTS, ROWS_EXPORTED, TABLES_BY_KEY

bp = Blueprint("dashboard", __name__)

# The fields an InvalidInput names -> the message that explains it to a person.
ERROR_FIELDS = ("period", "date", "filters", "metric", "show", "query", "interval", "limit")


def _k() -> int:
    return int(current_app.config["STATS_MIN_VISITORS"])


@bp.errorhandler(InvalidInput)
def _refused(exc: InvalidInput) -> tuple[str, int]:
    """A URL these pages cannot answer: the page with an error message instead of figures, status 400."""
    site = visible_site(str((request.view_args or {}).get("key", "")))
    field = next((name for name in exc.fields if name in ERROR_FIELDS), "other")
    page = "consent" if request.endpoint in ("dashboard.consent", "dashboard.consent_export") else "stats"
    message = t(f"dashboard.error.{field}")
    return render_template("dashboard/invalid.html", site=site, page=page, message=message), 400


def _period_only(state: PageState) -> PageState:
    """Only the period of a state: what the consent page shares with the statistics page."""
    return replace(state, filters_text="", filters=(), metric="visitors", show=None)


@bp.get("/sites/<key>/")
@login_required
def site_stats(key: str) -> ResponseReturnValue:
    site = visible_site(key)
    now = utcnow()
    state, period = read_state(request.args, now.date())
    k = _k()
    return render_template(
        "dashboard/site.html",
        site=site,
        state=state,
        period=period,
        period_nav=pages.period_nav(state, period),
        period_args=_period_only(state).args(),
        chips=pages.filter_chips(state),
        sample_note=pages.sample_note(db.session, site, period, state, k),
        cards=pages.cards(db.session, site, period, state, k),
        realtime=pages.realtime_card(db.session, site, now, k, filtered=bool(state.filters)),
        chart=pages.visits_chart(db.session, site, period, state, k),
        chart_metrics=pages.chart_metrics(state),
        panels=pages.panels(db.session, site, period, state, k),
        notes=pages.notes(k),
        k=k,
    )


@bp.get("/sites/<key>/export/<table>.csv")
@login_required
def export(key: str, table: str) -> ResponseReturnValue:
    site = visible_site(key)
    if table not in EXPORTS:
        raise NotFound()
    state, period = read_state(request.args, utcnow().date())
    k = _k()
    if table == "summary":
        result = aggregate(db.session, site, period, CARD_METRICS, state.filters, compare=True, k=k)
    elif table == "timeseries":
        interval = "hour" if period.days == 1 else None
        result = timeseries(db.session, site, period, CARD_METRICS, state.filters, interval, k=k)
    else:
        found = TABLES_BY_KEY[table]
        result = breakdown(
            db.session, site, period, found.prop, found.metrics, state.filters, ROWS_EXPORTED, k=k
        )
    return _csv(to_csv(result, current_language()), site, table, period)


@bp.get("/sites/<key>/consent")
@login_required
def consent(key: str) -> ResponseReturnValue:
    site = visible_site(key)
    state, period = read_state(request.args, utcnow().date())
    state = _period_only(state)
    k = _k()
    return render_template(
        "dashboard/consent.html",
        site=site,
        state=state,
        period=period,
        period_nav=pages.period_nav(state, period, compare=False),
        period_args=state.args(),
        figures=pages.consent_page(db.session, site, period, k),
        notes=pages.consent_notes(k),
        k=k,
    )


@bp.get("/sites/<key>/consent/export/<table>.csv")
@login_required
def consent_export(key: str, table: str) -> ResponseReturnValue:
    site = visible_site(key)
    if table not in CONSENT_EXPORTS:
        raise NotFound()
    _, period = read_state(request.args, utcnow().date())
    result = consent_stats(db.session, site, period, k=_k())
    return _csv(consent_csv(result, table, current_language()), site, f"consent-{table}", period)


def _csv(text: str, site: Site, name: str, period: DateRange) -> Response:
    filename = f"{site.key}-{name}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
