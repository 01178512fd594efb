"""Realistic demo traffic for `consent-server demo`: 90 days of consent choices and the visits they allow.

Written the way real traffic is, through the storage layer with a fixed clock: each new visitor makes a
choice (a consent proof record: about 58% accept all, 27% reject all, 15% a custom choice); only those
who allowed analytics leave visits, through the collector's `store_hits` (sessionising, anonymous daily
visitor keys, source and channel classification, country from a truncated network). Returning visitors
come back on later days under the same consent id, and a few withdraw. Then the daily rollups of every
day are built with `refresh_day`, as the rollup job does.

The mix is that of a small Dutch B2B site (monoconnect.nl): mostly Dutch visitors, search and direct
first, LinkedIn, a monthly newsletter and a paid campaign with utm_* tags, quieter weekends, growth over
the period, custom events (demo requests, downloads). Seeded once: nothing is added to a site that
already has visits from before today.
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import func, select, text

from .analytics.rollups import refresh_day, refresh_months
from .collect.services import Hit, store_hits
from .consent.services import category_state
from .extensions import DBSession
from .models import AnalyticsSession, ConsentRecord, Site
from .privacy import clean_url
from .sites.services import banner_hash
from .timeutil import add_months

DEMO_DAYS = 90
HOST = "www.monoconnect.nl"
SEED = 2026


class Weighted:
    """Draw one of `items` with the given weights (bisect over the running total)."""

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def draw(self, rng: random.Random) -> Any:
        return self.items[bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


PAGES = Weighted(
    [
        ("/", 30),
        ("/oplossingen", 10),
        ("/oplossingen/gemeente-app", 8),
        ("/oplossingen/meldingen-openbare-ruimte", 5),
        ("/oplossingen/afvalkalender", 4),
        ("/klantverhalen", 5),
        ("/klantverhalen/gemeente-almere", 2),
        ("/klantverhalen/gemeente-zwolle", 2),
        ("/klantverhalen/waterschap-rivierenland", 1),
        ("/over-ons", 4),
        ("/contact", 6),
        ("/demo-aanvragen", 4),
        ("/vacatures", 3),
        ("/vacatures/backend-developer", 1.5),
        ("/vacatures/ux-designer", 1),
        ("/blog", 4),
        ("/blog/digitale-toegankelijkheid-2026", 2.5),
        ("/blog/wcag-22-voor-gemeenten", 2),
        ("/blog/privacy-by-design", 1.5),
        ("/blog/open-source-bij-gemeenten", 1),
        ("/blog/cookiebanner-zonder-dark-patterns", 1),
        ("/privacyverklaring", 1),
        ("/cookieverklaring", 0.8),
        ("/en", 2),
        ("/en/solutions", 1),
        ("/en/contact", 0.5),
    ]
)
# Where a visit lands depends a little on where it came from.
SEARCH_LANDING = Weighted(
    [("/", 40), ("/blog/digitale-toegankelijkheid-2026", 12), ("/blog/wcag-22-voor-gemeenten", 10),
     ("/oplossingen/gemeente-app", 10), ("/vacatures/backend-developer", 5), ("/contact", 8),
     ("/blog/privacy-by-design", 6), ("/en", 4)]
)  # fmt: skip


@dataclass(frozen=True)
class Source:
    referrer: str | None
    utm: dict[str, str]
    landing: str | None = None  # a fixed landing page (a campaign's), else drawn


def _newsletter(day: date) -> Source:
    return Source(
        None,
        {"utm_source": "nieuwsbrief", "utm_medium": "email", "utm_campaign": f"nieuwsbrief-{day:%Y-%m}"},
        "/blog/digitale-toegankelijkheid-2026",
    )


SOURCES = Weighted(
    [
        (Source(None, {}), 30),
        (Source("https://www.google.com/", {}), 32),
        (Source("https://www.bing.com/", {}), 3),
        (Source("https://duckduckgo.com/", {}), 2),
        (Source("https://www.ecosia.org/", {}), 1.2),
        (Source("https://www.linkedin.com/", {}), 7),
        (Source("https://l.facebook.com/", {}), 1.2),
        (Source("https://t.co/", {}), 0.8),
        (Source("https://mail.google.com/", {}), 0.5),
        (Source("https://vng.nl/artikelen/apps-voor-gemeenten", {}), 3),
        (Source("https://www.binnenlandsbestuur.nl/digitaal", {}), 2),
        (Source("https://www.digitaleoverheid.nl/", {}), 1.5),
        (Source("https://github.com/monoconnect", {}), 1),
        (Source("https://ibestuur.nl/", {}), 0.8),
        (Source("https://www.linkedin.com/", {"utm_source": "linkedin", "utm_medium": "social",
                                               "utm_campaign": "webinar-toegankelijkheid"}, "/blog"), 2.5),
        (Source(None, {"utm_source": "google", "utm_medium": "cpc", "utm_campaign": "gemeente-app"},
                "/oplossingen/gemeente-app"), 2.5),
        (Source(None, {"utm_source": "vng-magazine", "utm_medium": "print", "utm_campaign": "qr-code"},
                "/demo-aanvragen"), 0.6),
    ]
)  # fmt: skip
# Truncated networks (what the collector keeps of an address) whose country the offline data knows.
NETWORKS = Weighted(
    [
        ("145.100.0.0", 20), ("82.161.0.0", 20), ("95.96.0.0", 15), ("84.104.0.0", 12), ("77.160.0.0", 8),
        ("2a02:a440:1::", 11),  # NL
        ("81.82.0.0", 4), ("2a02:1810:1::", 2),  # BE
        ("91.10.0.0", 2), ("95.90.0.0", 1),  # DE
        ("86.0.0.0", 1.5), ("8.8.8.0", 1.5), ("90.0.0.0", 1),  # GB, US, FR
        ("83.32.0.0", 0.4), ("78.64.0.0", 0.3), ("83.0.0.0", 0.3), ("37.0.0.0", 0.2),  # ES, SE, PL, IE
        (None, 0.8),  # no address the data knows
    ]
)  # fmt: skip


@dataclass(frozen=True)
class Agent:
    browser: str
    os: str
    device: str
    screen: str


def _agents() -> Weighted:
    rows: list[tuple[Agent, float]] = []
    desktop = [
        ("Windows", 70, [("Chrome 131", 40), ("Chrome 130", 20), ("Edge 131", 28), ("Firefox 133", 12)]),
        ("Mac OS X", 25, [("Safari 18", 50), ("Chrome 131", 40), ("Firefox 133", 10)]),
        ("Linux", 5, [("Firefox 133", 60), ("Chrome 131", 40)]),
    ]
    mobile = [
        ("iOS", 52, [("Mobile Safari 18", 75), ("Mobile Safari 17", 12), ("Chrome Mobile iOS 131", 13)]),
        ("Android", 48, [("Chrome Mobile 131", 78), ("Samsung Internet 26", 22)]),
    ]
    tablet = [("iOS", 75, [("Mobile Safari 18", 100)]), ("Android", 25, [("Chrome Mobile 131", 100)])]
    for device, share, systems in (("desktop", 58, desktop), ("mobile", 38, mobile), ("tablet", 4, tablet)):
        for os_name, os_share, browsers in systems:
            for browser, browser_share in browsers:
                screen = device if device != "desktop" else ("laptop" if os_name == "Mac OS X" else "desktop")
                rows.append((Agent(browser, os_name, device, screen), share * os_share * browser_share))
    return Weighted(rows)


AGENTS = _agents()
# Hours of the day (UTC) when Dutch office visitors come: mornings and early afternoons.
HOURS = Weighted([(hour, weight) for hour, weight in enumerate(
    [1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 10, 9, 9, 9, 8, 7, 5, 4, 4, 4, 3, 2, 2, 1]
)])  # fmt: skip
EVENTS = (
    ("/demo-aanvragen", "Demo aangevraagd", 0.25),
    ("/oplossingen/gemeente-app", "Brochure gedownload", 0.08),
    ("/blog", "Nieuwsbrief aangemeld", 0.05),
    ("/contact", "Contactformulier verzonden", 0.15),
)


@dataclass(frozen=True)
class SiteFacts:
    """What the seeding needs of the site, read once (the ORM reloads a Site after every commit)."""

    id: int
    key: str
    policy_version: int
    lifetime_months: int
    categories: dict[str, bool]  # the state after "reject all": necessary on, the rest off
    banner_hashes: dict[str, str]

    @classmethod
    def of(cls, site: Site) -> SiteFacts:
        return cls(
            site.id,
            site.key,
            site.policy_version,
            site.consent_lifetime_months,
            category_state(site, "reject_all", {}),
            {language: banner_hash(site, language) for language in site.languages},
        )


@dataclass
class Visitor:
    """Someone who chose, as the demo knows them: their consent id and device, for later visits."""

    consent_id: str
    agent: Agent
    network: str | None
    language: str
    analytics: bool


def already_seeded(session: DBSession, site: Site, today: date) -> bool:
    """Whether the site has visits from before today (seeded before, or real traffic): then leave it."""
    start = datetime(today.year, today.month, today.day, tzinfo=UTC)
    older = select(func.count()).where(
        AnalyticsSession.site_id == site.id, AnalyticsSession.started_at < start
    )
    return bool(session.scalar(older))


def seed_demo_traffic(
    session: DBSession,
    site: Site,
    now: datetime,
    salt_period: str = "day",
    geo_database: str | None = None,
    days: int = DEMO_DAYS,
    scale: float = 1.0,
    seed: int = SEED,
) -> dict[str, int]:
    """Seed `days` days of choices and visits up to `now` (its UTC day included), then the rollups.

    Commits once per day. Returns what was written ({"choices", "hits", "days"}); all zero when the
    site already has visits from before today. `scale` multiplies the daily volume (tests use less).
    """
    today = now.astimezone(UTC).date()
    if already_seeded(session, site, today):
        return {"choices": 0, "hits": 0, "days": 0}
    rng = random.Random(seed)
    facts = SiteFacts.of(site)
    first = today - timedelta(days=days - 1)
    pool: list[Visitor] = []
    choices = hits = 0
    for index in range(days):
        day = first + timedelta(days=index)
        volume = _daily_volume(day, index, days, rng) * scale
        until = now if day == today else None
        day_choices, day_hits = _seed_day(
            session, facts, day, until, round(volume), pool, rng, salt_period, geo_database
        )
        choices += day_choices
        hits += day_hits
        session.commit()
        if index == 0 and session.get_bind().dialect.name == "sqlite":
            # Planner statistics, as PostgreSQL's autovacuum keeps them: without them SQLite reads the
            # collector's "latest choice" lookup through the site index, scanning every record per hit.
            session.execute(text("ANALYZE"))
    for index in range(days):
        refresh_day(session, first + timedelta(days=index))
    refresh_months(session, now)
    session.commit()
    return {"choices": choices, "hits": hits, "days": days}


def _daily_volume(day: date, index: int, days: int, rng: random.Random) -> float:
    """New visitors of a day: growth over the period, quiet weekends, noise, newsletter Tuesdays."""
    base = 95 * (0.8 + 0.4 * index / max(days - 1, 1))
    if day.weekday() >= 5:
        base *= 0.45
    if day.weekday() == 1 and day.day <= 7:  # the newsletter goes out on the first Tuesday
        base *= 1.6
    return base * rng.uniform(0.85, 1.15)


def _moment(day: date, until: datetime | None, rng: random.Random) -> datetime:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    moment = start + timedelta(hours=HOURS.draw(rng), seconds=rng.randrange(3600))
    if until is not None and moment > until - timedelta(minutes=6):
        # Today: only what has happened, and nothing in the realtime window (seeded apart, below).
        span = max(1, int((until - start).total_seconds()) - 600)
        moment = start + timedelta(seconds=rng.randrange(span))
    return moment


def _seed_day(
    session: DBSession,
    site: SiteFacts,
    day: date,
    until: datetime | None,
    new_visitors: int,
    pool: list[Visitor],
    rng: random.Random,
    salt_period: str,
    geo_database: str | None,
) -> tuple[int, int]:
    records: list[ConsentRecord] = []
    visits: list[tuple[Visitor, datetime, Source]] = []
    returning = [visitor for visitor in pool if visitor.analytics]
    newsletter_day = day.weekday() == 1 and day.day <= 7
    for _ in range(new_visitors):
        source = _newsletter(day) if newsletter_day and rng.random() < 0.3 else SOURCES.draw(rng)
        when = _moment(day, until, rng)
        visitor = _new_visitor(rng)
        records.append(_choice(site, visitor, when, rng, _landing(source, rng)))
        pool.append(visitor)
        if visitor.analytics:
            visits.append((visitor, when + timedelta(seconds=rng.randrange(2, 20)), source))
    for _ in range(int(new_visitors * 0.3)):
        if returning:
            source = SOURCES.draw(rng) if rng.random() < 0.5 else Source(None, {})
            visits.append((rng.choice(returning), _moment(day, until, rng), source))
    if until is not None:  # a few visitors right now, for the realtime card
        for _ in range(rng.randrange(5, 9)):
            visitor = _new_visitor(rng, analytics=True)
            when = until - timedelta(seconds=rng.randrange(30, 240))
            records.append(_choice(site, visitor, when - timedelta(seconds=5), rng, "/"))
            pool.append(visitor)
            visits.append((visitor, when, SOURCES.draw(rng)))
    # A few who allowed analytics withdraw at the end of the day (after their visits).
    for visitor in rng.sample(returning, k=min(len(returning), rng.randrange(0, 2))):
        end = until or datetime(day.year, day.month, day.day, 23, 30, tzinfo=UTC)
        withdrawal = _choice(
            site, visitor, end - timedelta(minutes=rng.randrange(1, 20)), rng, "/", "withdraw"
        )
        records.append(withdrawal)
    session.add_all(record for record in records if record.action != "withdraw")
    session.flush()
    pending = sorted(
        (
            hit
            for visitor, when, source in visits
            for hit in _visit_hits(site, visitor, when, source, until, rng)
        ),
        key=lambda hit: hit.occurred_at,
    )
    stored = store_hits(session, pending, salt_period, geo_database)
    withdrawn = [record for record in records if record.action == "withdraw"]
    session.add_all(withdrawn)
    gone = {record.consent_id for record in withdrawn}
    pool[:] = [visitor for visitor in pool if visitor.consent_id not in gone]
    return len(records), stored


def _new_visitor(rng: random.Random, analytics: bool | None = None) -> Visitor:
    agent = AGENTS.draw(rng)
    language = "en" if rng.random() < 0.08 else "nl"
    if analytics is None:
        analytics = rng.random() < 0.7  # decided together with the choice below
    return Visitor(
        str(uuid.UUID(int=rng.getrandbits(128), version=4)), agent, NETWORKS.draw(rng), language, analytics
    )


def _landing(source: Source, rng: random.Random) -> str:
    if source.landing:
        return source.landing
    if source.referrer and any(
        engine in source.referrer for engine in ("google", "bing", "duckduckgo", "ecosia")
    ):
        return str(SEARCH_LANDING.draw(rng))
    return str(PAGES.draw(rng))


def _choice(
    site: SiteFacts,
    visitor: Visitor,
    when: datetime,
    rng: random.Random,
    page: str,
    action: str | None = None,
) -> ConsentRecord:
    """A consent proof record as the consent API writes it, matching the visitor's analytics choice."""
    requested: dict[str, bool] = {}
    if action is None:
        if visitor.analytics:
            action = "accept_all" if rng.random() < 0.83 else "custom"
            requested = {
                "analytics": True,
                "preferences": rng.random() < 0.6,
                "marketing": rng.random() < 0.2,
            }
        else:
            action = "reject_all" if rng.random() < 0.9 else "custom"
            requested = {"preferences": rng.random() < 0.5}
    if action == "accept_all":
        state = dict.fromkeys(site.categories, True)
    else:  # as category_state: necessary always on, what the visitor asked for, nothing else
        state = {key: on or requested.get(key, False) for key, on in site.categories.items()}
    return ConsentRecord(
        consent_id=visitor.consent_id,
        site_id=site.id,
        created_at=when,
        expires_at=add_months(when, site.lifetime_months),
        action=action,
        method="settings" if action == "withdraw" else "banner",
        categories=state,
        policy_version=site.policy_version,
        banner_hash=site.banner_hashes.get(visitor.language) or next(iter(site.banner_hashes.values())),
        language=visitor.language,
        url=clean_url(f"https://{HOST}{page}"),
        browser=visitor.agent.browser,
        os=visitor.agent.os,
        device=visitor.agent.device,
        ip_network=visitor.network,
    )


def _visit_hits(
    site: SiteFacts,
    visitor: Visitor,
    start: datetime,
    source: Source,
    until: datetime | None,
    rng: random.Random,
) -> list[Hit]:
    """The hits of one visit: pageviews 15 s to 3 min apart, maybe custom events, an engagement ping."""
    pages = [_landing(source, rng)]
    if rng.random() > 0.42:  # about 42% of visits bounce
        pages += [str(PAGES.draw(rng)) for _ in range(min(8, int(rng.expovariate(0.7)) + 1))]
    moment = start
    found: list[tuple[datetime, str, str, str | None, int | None]] = []
    for page in pages:
        found.append((moment, "pageview", page, None, None))
        for prefix, event, chance in EVENTS:
            if page.startswith(prefix) and rng.random() < chance:
                found.append((moment + timedelta(seconds=rng.randrange(10, 60)), "event", page, event, None))
        moment += timedelta(seconds=rng.randrange(15, 180))
    if rng.random() < 0.65:
        engaged = rng.randrange(5, 150)
        found.append(
            (moment - timedelta(seconds=rng.randrange(0, 10)), "engagement", pages[-1], None, engaged * 1000)
        )
    hits = []
    for index, (when, kind, page, name, engaged_ms) in enumerate(sorted(found, key=lambda item: item[0])):
        if until is not None and when > until:
            break
        first = index == 0
        hits.append(
            Hit(
                site_id=site.id,
                site_key=site.key,
                consent_id=visitor.consent_id,
                occurred_at=when,
                kind=kind,
                host=HOST,
                path=page,
                page_host=HOST,
                referrer=source.referrer if first else f"https://{HOST}/",
                utm=source.utm if first else {},
                name=name,
                props=None,
                engaged_ms=engaged_ms,
                screen=visitor.agent.screen,
                browser=visitor.agent.browser,
                os=visitor.agent.os,
                device=visitor.agent.device,
                network=visitor.network,
            )
        )
    return hits
