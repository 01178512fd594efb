"""Site configuration: create, import (replace), export, and the hash of the banner a visitor saw."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from ..errors import Conflict, NotFound
from ..extensions import DBSession
from ..models import Category, Cookie, Service, Site
from ..timeutil import utcnow
from .schemas import NECESSARY, SiteDoc, parse_site_doc

DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Cookies op deze website",
        "description": "Wij gebruiken noodzakelijke cookies om deze website te laten werken. "
        "Met uw toestemming gebruiken we ook andere cookies. "
        "U kiest zelf en kunt uw keuze altijd wijzigen via 'Cookie-instellingen'.",
        "accept_all": "Alles accepteren",
        "reject_all": "Alles weigeren",
        "settings": "Instellingen",
        "save": "Keuze opslaan",
        "close": "Sluiten",
        "settings_title": "Cookie-instellingen",
        "declaration_link": "Cookieverklaring",
        "privacy_link": "Privacyverklaring",
        "floating_button": "Cookie-instellingen",
    },
    "en": {
        "title": "Cookies on this website",
        "description": "We use necessary cookies to make this website work. With your consent we also use "
        "other cookies. The choice is yours and you can change it at any time through 'Cookie settings'.",
        "accept_all": "Accept all",
        "reject_all": "Reject all",
        "settings": "Settings",
        "save": "Save choices",
        "close": "Close",
        "settings_title": "Cookie settings",
        "declaration_link": "Cookie declaration",
        "privacy_link": "Privacy statement",
        "floating_button": "Cookie settings",
    },
}
NECESSARY_TEXTS = {
    "nl": {
        "name": "Noodzakelijk",
        "description": "Nodig om de website te laten werken en uw keuze te onthouden. "
        "Deze cookies staan altijd aan.",
    },
    "en": {
        "name": "Necessary",
        "description": "Needed for the website to work and to remember your choice. "
        "These cookies are always on.",
    },
}


def get_site(session: DBSession, key: str) -> Site:
    """Return the site with this key. Raises NotFound."""
    site = session.scalar(select(Site).where(Site.key == key))
    if site is None:
        raise NotFound(f"No site with key {key!r}.", code="site_not_found")
    return site


def minimal_document(key: str, name: str, origins: list[str]) -> dict[str, Any]:
    """A lawful starting configuration: the necessary category only, default nl and en texts."""
    return {
        "key": key,
        "name": name,
        "origins": origins,
        "texts": DEFAULT_TEXTS,
        "categories": [{"key": NECESSARY, "legal_basis": "necessary", "texts": NECESSARY_TEXTS}],
    }


def create_site(session: DBSession, key: str, name: str, origins: list[str]) -> Site:
    """Create a site with a minimal lawful configuration. Raises InvalidInput or Conflict."""
    doc = parse_site_doc(minimal_document(key, name, origins))
    if session.scalar(select(Site.id).where(Site.key == key)) is not None:
        raise Conflict(f"A site with key {key!r} exists already.", code="site_exists")
    return apply_document(session, Site(key=key), doc)


def import_site(session: DBSession, data: Any) -> tuple[Site, bool]:
    """Create or replace a site from a configuration document. Returns (site, created).

    Raises InvalidInput or RuleViolation, and changes nothing then.
    """
    doc = parse_site_doc(data)
    site = session.scalar(select(Site).where(Site.key == doc.key))
    created = site is None
    return apply_document(session, site or Site(key=doc.key), doc), created


def apply_document(session: DBSession, site: Site, doc: SiteDoc) -> Site:
    site.name = doc.name
    site.origins = list(dict.fromkeys(doc.origins))
    site.cookie_domain = doc.cookie_domain
    site.default_language = doc.default_language
    if site.id is None or site.policy_version != doc.policy_version:
        site.policy_updated_at = utcnow()
    site.policy_version = doc.policy_version
    site.consent_lifetime_months = doc.consent_lifetime_months
    site.gpc_mode = doc.gpc_mode
    site.consent_mode = doc.consent_mode
    site.floating_button = doc.floating_button
    site.hash_routing = doc.hash_routing
    site.download_extensions = list(dict.fromkeys(doc.download_extensions))
    site.privacy_url = doc.privacy_url
    site.theme = doc.theme.model_dump(exclude_none=True)
    site.texts = {lang: texts.model_dump(exclude_none=True) for lang, texts in doc.texts.items()}
    # Child rows change without touching the site row, so mark the change here: the widget cache keys on it.
    site.updated_at = utcnow()
    # Replacing children wholesale keeps import idempotent; consent records refer to keys, not rows.
    site.services.clear()
    site.categories.clear()
    session.add(site)
    session.flush()
    by_key: dict[str, Category] = {}
    for position, category_doc in enumerate(doc.categories):
        category = Category(key=category_doc.key, position=position, texts=_dump_texts(category_doc.texts))
        site.categories.append(category)
        by_key[category.key] = category
    for position, service_doc in enumerate(doc.services):
        service = Service(
            key=service_doc.key,
            name=service_doc.name,
            provider=service_doc.provider,
            privacy_url=service_doc.privacy_url,
            position=position,
            texts=_dump_texts(service_doc.texts),
            category=by_key[service_doc.category],
        )
        for cookie_position, cookie_doc in enumerate(service_doc.cookies):
            service.cookies.append(
                Cookie(
                    name=cookie_doc.name,
                    domain=cookie_doc.domain,
                    storage=cookie_doc.storage,
                    duration_days=cookie_doc.duration_days,
                    position=cookie_position,
                    texts=_dump_texts(cookie_doc.texts),
                )
            )
        site.services.append(service)
    session.flush()
    return site


def _dump_texts(texts: Mapping[Any, BaseModel]) -> dict[str, Any]:
    return {lang: value.model_dump() for lang, value in texts.items()}


def export_site(site: Site) -> dict[str, Any]:
    """The full configuration document of a site; importing it again gives the same site."""
    doc: dict[str, Any] = {
        "key": site.key,
        "name": site.name,
        "origins": list(site.origins),
        "cookie_domain": site.cookie_domain,
        "default_language": site.default_language,
        "policy_version": site.policy_version,
        "consent_lifetime_months": site.consent_lifetime_months,
        "gpc_mode": site.gpc_mode,
        "consent_mode": site.consent_mode,
        "floating_button": site.floating_button,
        "hash_routing": site.hash_routing,
        "download_extensions": list(site.download_extensions),
        "privacy_url": site.privacy_url,
        "theme": dict(site.theme),
        "texts": dict(site.texts),
        "categories": [
            {
                "key": category.key,
                "legal_basis": "necessary" if category.key == NECESSARY else "consent",
                "texts": dict(category.texts),
            }
            for category in site.categories
        ],
        "services": [
            {
                "key": service.key,
                "category": service.category.key,
                "name": service.name,
                "provider": service.provider,
                "privacy_url": service.privacy_url,
                "legal_basis": "necessary" if service.category.key == NECESSARY else "consent",
                "texts": dict(service.texts),
                "cookies": [
                    {
                        "name": cookie.name,
                        "domain": cookie.domain,
                        "storage": cookie.storage,
                        "duration_days": cookie.duration_days,
                        "texts": dict(cookie.texts),
                    }
                    for cookie in service.cookies
                ],
            }
            for service in site.services
        ],
    }
    return _drop_none(doc)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _drop_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_drop_none(item) for item in value]
    return value


def banner_hash(site: Site, language: str) -> str:
    """SHA-256 of everything the visitor was shown in that language: banner texts and category texts."""
    shown = {
        "policy_version": site.policy_version,
        "texts": site.texts.get(language, {}),
        "categories": [{"key": c.key, "texts": c.texts.get(language, {})} for c in site.categories],
    }
    canonical = json.dumps(shown, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
