"""The collector: re-check consent, keep only what the privacy invariants allow, sessionise, store.

No request access here: the route hands over the truncated network and the parsed User-Agent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import delete, select, update

from ..analytics.salts import current_salt, live_salts, previous_salt
from ..consent.services import Visitor
from ..errors import Conflict, Forbidden
from ..extensions import DBSession
from ..models import AnalyticsEvent, AnalyticsSession, BotTally, ConsentRecord, Site
from ..privacy import clean_url, hash_route, url_host, visitor_key
from ..timeutil import add_months
from ..tokens import TokenClaims
from .geo import country_of
from .referrers import classify
from .schemas import CollectIn

SESSION_GAP = timedelta(minutes=30)
ANALYTICS = "analytics"
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


class ConsentRefused(Forbidden):
    code = "consent_refused"


def check_consent(session: DBSession, site: Site, claims: TokenClaims, now: datetime) -> None:
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
    latest = session.execute(
        select(ConsentRecord.categories, ConsentRecord.policy_version)
        .where(ConsentRecord.consent_id == claims.consent_id, ConsentRecord.site_id == site.id)
        .order_by(ConsentRecord.id.desc())
        .limit(1)
    ).first()
    if latest is None or not latest.categories.get(ANALYTICS) or latest.policy_version != site.policy_version:
        raise ConsentRefused("The visitor's current choice does not include analytics.")


def _page(cleaned: str) -> tuple[str, str, dict[str, str]]:
    """Split a cleaned URL (host/path?utm_...) into host, path and the utm_* values."""
    host, _, rest = cleaned.partition("/")
    path, _, query = ("/" + rest).partition("?")
    utm = {key.lower(): value[:200] for key, value in parse_qsl(query) if key.lower() in UTM_FIELDS}
    return host, path, utm


def _count_bot(session: DBSession, site: Site, now: datetime) -> None:
    day = now.date()
    updated = session.execute(
        update(BotTally)
        .where(BotTally.site_id == site.id, BotTally.day == day)
        .values(hits=BotTally.hits + 1)
    )
    if not updated.rowcount:  # type: ignore[attr-defined]
        session.add(BotTally(site_id=site.id, day=day, hits=1))


def _open_session(session: DBSession, site: Site, key: str, now: datetime) -> AnalyticsSession | None:
    return session.scalar(
        select(AnalyticsSession)
        .where(
            AnalyticsSession.site_id == site.id,
            AnalyticsSession.visitor_key == key,
            AnalyticsSession.last_seen_at > now - SESSION_GAP,
        )
        .order_by(AnalyticsSession.last_seen_at.desc())
        .limit(1)
    )


def record_hit(
    session: DBSession,
    site: Site,
    hit: CollectIn,
    claims: TokenClaims,
    visitor: Visitor,
    now: datetime,
    salt_period: str,
    prefetch: bool = False,
    geo_database: str | None = None,
) -> bool:
    """Store one hit after the consent check; True when stored. Bots and prefetches are only counted.

    The caller commits.

    Raises ConsentRefused or Conflict, and stores nothing then.
    """
    check_consent(session, site, claims, now)
    if visitor.agent.is_bot or prefetch:
        _count_bot(session, site, now)
        return False
    cleaned = clean_url(hit.url)
    if cleaned is None:
        return False  # not an http(s) page: nothing to count
    host, path, utm = _page(cleaned)
    if site.hash_routing and (route := hash_route(hit.url)):
        path = f"{path}#{route}"

    salt = current_salt(session, now, salt_period)
    key = visitor_key(salt.secret, site.key, claims.consent_id)
    visit = _open_session(session, site, key, now)
    if visit is None and (previous := previous_salt(session, salt, now)) is not None:
        # A visit that began before the salt turned over keeps its key until it ends.
        old_key = visitor_key(previous.secret, site.key, claims.consent_id)
        visit = _open_session(session, site, old_key, now)
        key = old_key if visit is not None else key
    if visit is None:
        if hit.type != "pageview":
            return False  # an engagement or event without its visit
        source = classify(hit.referrer, url_host(hit.url) or host, utm)
        visit = AnalyticsSession(
            site_id=site.id,
            visitor_key=key,
            started_at=now,
            last_seen_at=now,
            entry_page=path,
            exit_page=path,
            pageviews=0,
            events=0,
            engaged_ms=0,
            duration_s=0,
            source=source.source,
            channel=source.channel,
            referrer_host=source.referrer_host,
            browser=visitor.agent.browser_label,
            os=visitor.agent.os,
            device=visitor.agent.device,
            screen=hit.screen,
            country=country_of(visitor.network, geo_database),
            **{field: utm.get(field) for field in UTM_FIELDS},
        )
        session.add(visit)
        session.flush()
    # Counters move in SQL, not in Python: two hits of one visitor at once must both count.
    counters: dict[str, Any] = {
        "last_seen_at": now,
        "duration_s": int((now - visit.started_at).total_seconds()),
    }
    if hit.type == "pageview":
        counters.update(pageviews=AnalyticsSession.pageviews + 1, exit_page=path)
    elif hit.type == "event":
        counters["events"] = AnalyticsSession.events + 1
    else:
        counters["engaged_ms"] = AnalyticsSession.engaged_ms + (hit.engaged_ms or 0)
    session.execute(
        update(AnalyticsSession)
        .where(AnalyticsSession.id == visit.id)
        .values(**counters)
        .execution_options(synchronize_session=False)
    )
    session.add(
        AnalyticsEvent(
            site_id=site.id,
            session_id=visit.id,
            visitor_key=key,
            occurred_at=now,
            kind=hit.type,
            host=host,
            page=path,
            name=hit.name,
            props=hit.props,
            engaged_ms=hit.engaged_ms,
        )
    )
    session.flush()
    return True


def erase_visitor(session: DBSession, site: Site, consent_id: str) -> dict[str, int]:
    """Delete the events and visits still linkable to a consent id (through salts not yet destroyed)."""
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
