"""The collector: re-check consent, keep only what the privacy invariants allow, sessionise, store.

No request access here. The request path calls `judge_consent` on the latest choice it read and
`prepare_hit`, which keeps only what may be stored; `store_hits` writes a batch of prepared hits in one
transaction (the per-worker buffer in runtime.py calls it every few milliseconds, tests call it at once).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import parse_qsl

from sqlalchemy import Integer, String, bindparam, case, delete, insert, select, text, update

from ..analytics.salts import GRACE, current_salt, live_salts, period_bounds, previous_salt
from ..consent.services import Visitor
from ..errors import Conflict, Forbidden
from ..extensions import DBSession
from ..models import (
    AnalyticsEvent,
    AnalyticsSalt,
    AnalyticsSession,
    BotTally,
    ConsentRecord,
    Site,
    UTCDateTime,
)
from ..privacy import clean_url, hash_route, url_host, visitor_key
from ..timeutil import add_months
from ..tokens import TokenClaims
from .geo import country_of
from .referrers import classify
from .schemas import CollectIn

SESSION_GAP = timedelta(minutes=30)
ANALYTICS = "analytics"
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
# Erasure and ingest take this PostgreSQL advisory lock (exclusive and shared): a batch being written
# and an erasure of one of its visitors never interleave.
ERASURE_LOCK = 0x636F6E73656E74  # "consent"


class ConsentRefused(Forbidden):
    code = "consent_refused"


class CollectSite(Protocol):
    """What the collector needs of a site (a Site row, or the per-worker snapshot of one)."""

    @property
    def id(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def policy_version(self) -> int: ...
    @property
    def consent_lifetime_months(self) -> int: ...
    @property
    def hash_routing(self) -> bool: ...


@dataclass(frozen=True)
class LatestChoice:
    """The visitor's latest recorded choice: what holds now, whatever the token says."""

    categories: dict[str, bool]
    policy_version: int


def decode_categories(value: Any) -> dict[str, bool]:
    """A JSON column as a driver returns it (a dict, or text on SQLite's raw connection)."""
    decoded = json.loads(value) if isinstance(value, str | bytes) else value
    return decoded if isinstance(decoded, dict) else {}


def judge_consent(site: CollectSite, claims: TokenClaims, latest: LatestChoice | None, now: datetime) -> None:
    """Refuse unless the token grants analytics for this site, now, under the current policy, unwithdrawn.

    Raises ConsentRefused (403) or Conflict (409, an old policy version).
    """
    if claims.site != site.key:
        raise ConsentRefused("The consent token belongs to another site.")
    if ANALYTICS not in claims.granted:
        raise ConsentRefused("The visitor did not consent to analytics.")
    if claims.policy_version != site.policy_version:
        raise Conflict("The consent was given under an older policy version.", code="policy_outdated")
    if add_months(claims.issued_at, site.consent_lifetime_months) <= now:
        raise ConsentRefused("The consent has expired.")
    # The token proves what was granted when it was issued; the proof log says what holds now.
    if latest is None or not latest.categories.get(ANALYTICS) or latest.policy_version != site.policy_version:
        raise ConsentRefused("The visitor's current choice does not include analytics.")


@dataclass(frozen=True, slots=True)
class Hit:
    """One accepted hit, reduced to what may be stored (no IP but the truncated network, no UA)."""

    site_id: int
    site_key: str
    consent_id: str
    occurred_at: datetime
    kind: str
    host: str
    path: str
    page_host: str
    referrer: str | None
    utm: dict[str, str]
    name: str | None
    props: dict[str, Any] | None
    engaged_ms: int | None
    screen: str | None
    browser: str
    os: str
    device: str
    network: str | None


@dataclass(frozen=True, slots=True)
class BotHit:
    """A bot or prefetch hit: only counted, per site and day."""

    site_id: int
    day: date


Pending = Hit | BotHit


def _page(cleaned: str) -> tuple[str, str, dict[str, str]]:
    """Split a cleaned URL (host/path?utm_...) into host, path and the utm_* values."""
    host, _, rest = cleaned.partition("/")
    path, _, query = ("/" + rest).partition("?")
    utm = {key.lower(): value[:200] for key, value in parse_qsl(query) if key.lower() in UTM_FIELDS}
    return host, path, utm


def prepare_hit(
    site: CollectSite,
    hit: CollectIn,
    consent_id: str,
    visitor: Visitor,
    now: datetime,
    prefetch: bool = False,
) -> Pending | None:
    """Reduce a consented hit to what may be stored; None when there is nothing to count (not a web page)."""
    if visitor.agent.is_bot or prefetch:
        return BotHit(site.id, now.date())
    cleaned = clean_url(hit.url)
    if cleaned is None:
        return None
    host, path, utm = _page(cleaned)
    if site.hash_routing and (route := hash_route(hit.url)):
        path = f"{path}#{route}"
    return Hit(
        site_id=site.id,
        site_key=site.key,
        consent_id=consent_id,
        occurred_at=now,
        kind=hit.type,
        host=host,
        path=path,
        page_host=url_host(hit.url) or host,
        referrer=hit.referrer,
        utm=utm,
        name=hit.name,
        props=hit.props,
        engaged_ms=hit.engaged_ms,
        screen=hit.screen,
        browser=visitor.agent.browser_label,
        os=visitor.agent.os,
        device=visitor.agent.device,
        network=visitor.network,
    )


@dataclass
class _Visit:
    """A visit touched by a batch: its id once known, and what the batch adds to it."""

    id: int | None
    key: str
    started_at: datetime
    last_seen_at: datetime
    row: AnalyticsSession | None = None  # a visit this batch creates
    pageviews: int = 0
    events: int = 0
    engaged_ms: int = 0
    exit_page: str | None = None
    exit_at: datetime | None = None
    event_rows: list[dict[str, Any]] = field(default_factory=list)


def store_hits(
    session: DBSession, pending: Sequence[Pending], salt_period: str, geo_database: str | None = None
) -> int:
    """Write a batch of prepared hits in the session's transaction; returns how many events were stored.

    Hits of visitors whose latest choice no longer includes analytics (a withdrawal that arrived while
    the hits waited) are dropped. Counters move in SQL, so batches of several workers add up.
    The caller commits.
    """
    _exclude_erasure(session)
    _count_bots(session, [item for item in pending if isinstance(item, BotHit)])
    hits = [item for item in pending if isinstance(item, Hit)]
    hits = _still_consented(session, hits)
    if not hits:
        return 0
    salts: dict[datetime, tuple[bytes, bytes | None]] = {}
    keys = [_keys_for(session, hit, salt_period, salts) for hit in hits]
    visits = _open_visits(session, hits, keys)
    stored = 0
    new_rows: list[AnalyticsSession] = []
    for hit, (key, old_key) in zip(hits, keys, strict=True):
        visit = _visit_for(visits, hit, key, old_key)
        if visit is None:
            if hit.kind != "pageview":
                continue  # an engagement or event without its visit
            visit = _start_visit(hit, key, geo_database)
            assert visit.row is not None
            new_rows.append(visit.row)
            visits[(hit.site_id, key)] = visit
        _apply(visit, hit)
        stored += 1
    _write(session, visits.values(), new_rows)
    return stored


def _exclude_erasure(session: DBSession) -> None:
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": ERASURE_LOCK})
    else:
        # SQLite: take the write lock before reading anything, so an erasure commits wholly before or
        # wholly after this batch (an UPDATE that matches no row still takes it).
        session.execute(update(AnalyticsSalt).where(AnalyticsSalt.id < 0).values(id=AnalyticsSalt.id))


def lock_out_ingest(session: DBSession) -> None:
    """Before an erasure: wait for batches being written, and hold new ones until the caller commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ERASURE_LOCK})


def _count_bots(session: DBSession, bots: list[BotHit]) -> None:
    for (site_id, day), hits in Counter((bot.site_id, bot.day) for bot in bots).items():
        updated = session.execute(
            update(BotTally)
            .where(BotTally.site_id == site_id, BotTally.day == day)
            .values(hits=BotTally.hits + hits)
        )
        if not updated.rowcount:  # type: ignore[attr-defined]
            session.add(BotTally(site_id=site_id, day=day, hits=hits))
    if bots:
        session.flush()


def _still_consented(session: DBSession, hits: list[Hit]) -> list[Hit]:
    if not hits:
        return hits
    rows = session.execute(
        select(ConsentRecord.site_id, ConsentRecord.consent_id, ConsentRecord.categories)
        .where(ConsentRecord.consent_id.in_({hit.consent_id for hit in hits}))
        .order_by(ConsentRecord.id)
    ).all()
    latest = {(site_id, consent_id): categories for site_id, consent_id, categories in rows}
    granted = {pair for pair, categories in latest.items() if decode_categories(categories).get(ANALYTICS)}
    return [hit for hit in hits if (hit.site_id, hit.consent_id) in granted]


def _keys_for(
    session: DBSession, hit: Hit, salt_period: str, salts: dict[datetime, tuple[bytes, bytes | None]]
) -> tuple[str, str | None]:
    """The visitor key under the salt of the hit's period, and under the previous salt while in grace."""
    start, _ = period_bounds(hit.occurred_at, salt_period)
    in_grace = hit.occurred_at - start < GRACE
    if start not in salts:
        salt = current_salt(session, hit.occurred_at, salt_period)
        previous = previous_salt(session, salt, start)
        salts[start] = (salt.secret, previous.secret if previous is not None else None)
    secret, previous_secret = salts[start]
    key = visitor_key(secret, hit.site_key, hit.consent_id)
    if previous_secret is None or not in_grace:
        return key, None
    return key, visitor_key(previous_secret, hit.site_key, hit.consent_id)


def _open_visits(
    session: DBSession, hits: list[Hit], keys: list[tuple[str, str | None]]
) -> dict[tuple[int, str], _Visit]:
    """The latest visit of every (site, key) of the batch that may still be open."""
    wanted = {key for pair in keys for key in pair if key is not None}
    s = AnalyticsSession
    rows = session.execute(
        select(s.id, s.site_id, s.visitor_key, s.started_at, s.last_seen_at)
        .where(
            s.site_id.in_({hit.site_id for hit in hits}),
            s.visitor_key.in_(wanted),
            s.last_seen_at > min(hit.occurred_at for hit in hits) - SESSION_GAP,
        )
        .order_by(s.last_seen_at)
    ).all()
    # Later rows replace earlier ones: the latest visit of each key wins.
    return {
        (row[1], row[2]): _Visit(id=row[0], key=row[2], started_at=row[3], last_seen_at=row[4])
        for row in rows
    }


def _visit_for(
    visits: dict[tuple[int, str], _Visit], hit: Hit, key: str, old_key: str | None
) -> _Visit | None:
    for candidate in (key, old_key):
        if candidate is None:
            continue
        visit = visits.get((hit.site_id, candidate))
        if visit is not None and visit.last_seen_at > hit.occurred_at - SESSION_GAP:
            return visit
    return None


def _start_visit(hit: Hit, key: str, geo_database: str | None) -> _Visit:
    source = classify(hit.referrer, hit.page_host, hit.utm)
    row = AnalyticsSession(
        site_id=hit.site_id,
        visitor_key=key,
        started_at=hit.occurred_at,
        last_seen_at=hit.occurred_at,
        entry_page=hit.path,
        exit_page=hit.path,
        pageviews=0,
        events=0,
        engaged_ms=0,
        duration_s=0,
        source=source.source,
        channel=source.channel,
        referrer_host=source.referrer_host,
        browser=hit.browser,
        os=hit.os,
        device=hit.device,
        screen=hit.screen,
        country=country_of(hit.network, geo_database),
        **{name: hit.utm.get(name) for name in UTM_FIELDS},
    )
    return _Visit(id=None, key=key, started_at=hit.occurred_at, last_seen_at=hit.occurred_at, row=row)


def _apply(visit: _Visit, hit: Hit) -> None:
    if hit.kind == "pageview":
        visit.pageviews += 1
        if visit.exit_at is None or hit.occurred_at >= visit.exit_at:
            visit.exit_page, visit.exit_at = hit.path, hit.occurred_at
    elif hit.kind == "event":
        visit.events += 1
    else:
        visit.engaged_ms += hit.engaged_ms or 0
    visit.last_seen_at = max(visit.last_seen_at, hit.occurred_at)
    visit.event_rows.append(
        {
            "site_id": hit.site_id,
            "occurred_at": hit.occurred_at,
            "kind": hit.kind,
            "host": hit.host,
            "page": hit.path,
            "name": hit.name,
            "props": hit.props,
            "engaged_ms": hit.engaged_ms,
        }
    )


def _seconds(later: datetime, earlier: datetime) -> int:
    return int((later - earlier).total_seconds())


# Existing visits: counters add up in SQL; times and the exit page only move forward. Core statements
# on the table (not the ORM entity), so a list of parameter sets runs as one executemany.
_VISITS = AnalyticsSession.__table__
_ADVANCE = (
    update(_VISITS)
    .where(_VISITS.c.id == bindparam("visit_id", type_=Integer))
    .values(
        pageviews=_VISITS.c.pageviews + bindparam("add_pageviews", type_=Integer),
        events=_VISITS.c.events + bindparam("add_events", type_=Integer),
        engaged_ms=_VISITS.c.engaged_ms + bindparam("add_engaged_ms", type_=Integer),
        last_seen_at=case(
            (_VISITS.c.last_seen_at < bindparam("seen_at", type_=UTCDateTime), bindparam("seen_at")),
            else_=_VISITS.c.last_seen_at,
        ),
        duration_s=case(
            (_VISITS.c.duration_s < bindparam("duration", type_=Integer), bindparam("duration")),
            else_=_VISITS.c.duration_s,
        ),
    )
)
_ADVANCE_EXIT = _ADVANCE.values(
    exit_page=case(
        (
            _VISITS.c.last_seen_at <= bindparam("exit_at", type_=UTCDateTime),
            bindparam("new_exit", type_=String),
        ),
        else_=_VISITS.c.exit_page,
    )
)


def _write(session: DBSession, visits: Iterable[_Visit], new_rows: list[AnalyticsSession]) -> None:
    visits = list(visits)
    for visit in visits:
        if visit.row is not None:  # created by this batch: final values known
            visit.row.pageviews = visit.pageviews
            visit.row.events = visit.events
            visit.row.engaged_ms = visit.engaged_ms
            visit.row.last_seen_at = visit.last_seen_at
            visit.row.duration_s = _seconds(visit.last_seen_at, visit.started_at)
            visit.row.exit_page = visit.exit_page or visit.row.exit_page
    if new_rows:
        session.add_all(new_rows)
        session.flush()  # ids for the events
    advances: dict[bool, list[dict[str, Any]]] = {True: [], False: []}
    events: list[dict[str, Any]] = []
    for visit in visits:
        if not visit.event_rows:
            continue
        if visit.row is not None:
            visit.id = visit.row.id
        else:
            params: dict[str, Any] = {
                "visit_id": visit.id,
                "add_pageviews": visit.pageviews,
                "add_events": visit.events,
                "add_engaged_ms": visit.engaged_ms,
                "seen_at": visit.last_seen_at,
                "duration": _seconds(visit.last_seen_at, visit.started_at),
            }
            if visit.exit_page is not None:
                params.update(exit_at=visit.exit_at, new_exit=visit.exit_page)
            advances[visit.exit_page is not None].append(params)
        events.extend({**row, "session_id": visit.id, "visitor_key": visit.key} for row in visit.event_rows)
    for with_exit, params_list in advances.items():
        if params_list:
            session.execute(_ADVANCE_EXIT if with_exit else _ADVANCE, params_list)
    if events:
        session.execute(insert(AnalyticsEvent.__table__), events)


def erase_visitor(session: DBSession, site: Site, consent_id: str) -> dict[str, int]:
    """Delete the events and visits still linkable to a consent id (through salts not yet destroyed).

    Takes the erasure lock first, so no batch in flight writes the visitor's hits after the erasure.
    """
    lock_out_ingest(session)
    keys = [visitor_key(salt.secret, site.key, consent_id) for salt in live_salts(session)]
    if not keys:
        return {"analytics_events": 0, "analytics_sessions": 0}
    events = session.execute(
        delete(AnalyticsEvent)
        .where(AnalyticsEvent.site_id == site.id, AnalyticsEvent.visitor_key.in_(keys))
        .execution_options(synchronize_session=False)
    )
    visits = session.execute(
        delete(AnalyticsSession)
        .where(AnalyticsSession.site_id == site.id, AnalyticsSession.visitor_key.in_(keys))
        .execution_options(synchronize_session=False)
    )
    return {
        "analytics_events": events.rowcount,  # type: ignore[attr-defined]
        "analytics_sessions": visits.rowcount,  # type: ignore[attr-defined]
    }
