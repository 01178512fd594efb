"""The widget as served: source + the site's configuration, minified, precompressed, with an ETag."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import brotli
import rcssmin
import zopfli.gzip
from calmjs.parse import es5
from calmjs.parse.unparsers.es5 import minify_print
from sqlalchemy import select

from ..auth.i18n import MONTHS
from ..errors import Unauthorized
from ..extensions import DBSession
from ..models import Site
from ..paths import source_directory
from ..sites.schemas import contrast_ratio
from ..sites.services import DEFAULT_TEXTS, get_site
from ..timeutil import utcnow
from ..tokens import ConsentTokens

CONFIG_PLACEHOLDER = "__CONFIG__"

# Interface strings the widget needs besides the site's own banner texts; a site may override any.
WIDGET_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "details": "Diensten en cookies",
        "cookie": "Cookie",
        "provider": "Aanbieder",
        "purpose": "Doel",
        "duration": "Bewaartermijn",
        "consent_id": "Toestemmings-ID",
        "receipt": "Bewijs downloaden",
        "placeholder_title": "Geblokkeerde inhoud",
        "placeholder": "U hebt geen toestemming gegeven voor: {category}.",
        "allow": "{category} toestaan",
        "always_on": "altijd aan",
        "your_choice": "Uw keuze",
        "no_choice": "Nog geen keuze gemaakt.",
        "gpc_note": "Uw browser vraagt websites om u niet te volgen (Global Privacy Control).",
    },
    "en": {
        "details": "Services and cookies",
        "cookie": "Cookie",
        "provider": "Provider",
        "purpose": "Purpose",
        "duration": "Duration",
        "consent_id": "Consent ID",
        "receipt": "Download receipt",
        "placeholder_title": "Blocked content",
        "placeholder": "You have not allowed: {category}.",
        "allow": "Allow {category}",
        "always_on": "always on",
        "your_choice": "Your choice",
        "no_choice": "No choice made yet.",
        "gpc_note": "Your browser asks websites not to track you (Global Privacy Control).",
    },
}


# Durations are put into words here, so the widget carries no grammar of its own.
DURATION_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "session": "tot het sluiten van de browser",
        "day": "dag",
        "days": "dagen",
        "month": "maand",
        "months": "maanden",
        "year": "jaar",
        "years": "jaar",
    },
    "en": {
        "session": "until the browser closes",
        "day": "day",
        "days": "days",
        "month": "month",
        "months": "months",
        "year": "year",
        "years": "years",
    },
}


@dataclass(frozen=True)
class Artefact:
    """One built widget: identity, plain body and its precompressed forms."""

    etag: str
    body: bytes
    gzip: bytes
    brotli: bytes


@lru_cache(maxsize=1)
def _sources() -> tuple[str, str]:
    folder = source_directory("widget") / "src"
    # calmjs.parse minifies and renames locals (ES5): the widget is sent to every visitor of every site.
    script = minify_print(es5((folder / "consent.js").read_text(encoding="utf-8")), obfuscate=True)
    style = rcssmin.cssmin((folder / "consent.css").read_text(encoding="utf-8"))
    return script, style


def theme_css(theme: dict[str, Any]) -> str:
    """The site's theme as custom properties on the widget's shadow host."""
    background, text = theme.get("background", "#ffffff"), theme.get("text", "#1b1b1b")
    button = theme.get("accept_button") or {}
    accent, on_accent = (
        button.get("background", theme.get("accent", "#154273")),
        button.get("text", theme.get("accent_text", "#ffffff")),
    )
    link = accent if contrast_ratio(accent, background) >= 4.5 else text
    return (
        f":host{{--cs-bg:{background};--cs-fg:{text};--cs-accent:{accent};--cs-on-accent:{on_accent};"
        f"--cs-link:{link};--cs-focus:{link};--cs-radius:{int(theme.get('radius', 6))}px;"
        f"--cs-border:color-mix(in srgb,{text} 30%,{background})}}"
    )


def long_date(iso: str, lang: str) -> str:
    """2026-05-03 -> "3 mei 2026" / "3 May 2026", in the declaration's language."""
    day = date.fromisoformat(iso)
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


POLICY_LINE = {"nl": "Versie {version} van {date}.", "en": "Version {version} of {date}."}


def policy_date(site: Site) -> str:
    """The day the current policy version took effect (ISO), as the declaration shows it."""
    return (site.policy_updated_at or site.updated_at or utcnow()).date().isoformat()


# The theme's custom properties as served: one letter each (every byte goes to every visitor), while the
# sources keep readable names. The shadow host sets every one of them, so a host page's own never leak in.
SHORT_PROPERTIES = {
    "--cs-on-accent": "--o",
    "--cs-accent": "--a",
    "--cs-border": "--b",
    "--cs-radius": "--r",
    "--cs-focus": "--f",
    "--cs-link": "--l",
    "--cs-bg": "--g",
    "--cs-fg": "--c",
}


def widget_css(site: Site) -> str:
    """The site's theme and the widget's stylesheet, minified, with the short property names."""
    _, style = _sources()
    css = theme_css(site.theme) + style
    for name, short in SHORT_PROPERTIES.items():
        css = css.replace(name, short)
    return css


def widget_config(site: Site, css: str) -> dict[str, Any]:
    """What the widget needs, in short keys (every byte is sent to every visitor)."""
    texts = {
        lang: {**WIDGET_TEXTS[lang], **DEFAULT_TEXTS[lang], **site.texts[lang]} for lang in site.languages
    }
    # Texts this site never shows stay home; the floating button falls back to the settings title.
    for words in texts.values():
        if not site.floating_button or words["floating_button"] == words["settings_title"]:
            del words["floating_button"]
        if not site.privacy_url:
            del words["privacy_link"]
        if site.gpc_mode != "reject_marketing":
            del words["gpc_note"]
    day = policy_date(site)
    # False, the default position and empty lists are left out (None): the widget reads them as absent.
    return {
        "k": site.key,
        "v": site.policy_version,
        "l": site.consent_lifetime_months,
        "d": site.default_language,
        "g": site.gpc_mode,
        "m": site.consent_mode or None,
        "f": site.floating_button or None,
        "cd": site.cookie_domain,
        "p": site.privacy_url,
        "th": None if site.theme.get("position", "bottom") == "bottom" else site.theme["position"],
        "h": site.hash_routing or None,
        # Download extensions as the widget's regular expression wants them: "pdf|docx|zip".
        "x": "|".join(site.download_extensions) or None,
        "t": texts,
        # The declaration's "Version 3 of 25 November 2026.", put into words here like the durations.
        "pd": {
            lang: POLICY_LINE[lang].format(version=site.policy_version, date=long_date(day, lang))
            for lang in site.languages
        },
        "c": [
            {
                "k": category.key,
                "n": {lang: category.texts[lang]["name"] for lang in site.languages},
                "d": {lang: category.texts[lang]["description"] for lang in site.languages},
                "s": [
                    {
                        "n": service.name,
                        "p": service.provider,
                        "u": {lang: service.texts[lang]["purpose"] for lang in site.languages},
                        "c": [
                            {
                                "n": cookie.name,
                                "s": cookie.storage,
                                "d": {
                                    lang: duration_text(cookie.duration_days, lang) for lang in site.languages
                                },
                                "o": cookie.domain,
                                "p": {lang: cookie.texts[lang]["purpose"] for lang in site.languages},
                            }
                            for cookie in service.cookies
                        ],
                    }
                    for service in site.services
                    if service.category_id == category.id
                ],
            }
            for category in site.categories
        ],
        "css": css,
    }


def _compact(value: Any) -> Any:
    """Leave out nulls and the default storage: every byte goes to every visitor."""
    if isinstance(value, dict):
        return {
            k: _compact(v) for k, v in value.items() if v is not None and not (k == "s" and v == "cookie")
        }
    if isinstance(value, list):
        return [_compact(item) for item in value]
    return value


def _json_for_script(value: Any) -> str:
    # Site texts end up inside a <script>-served file: escape what could end a string or a script early.
    text = json.dumps(_compact(value), ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def build_widget(site: Site) -> Artefact:
    script, _ = _sources()
    config = widget_config(site, widget_css(site))
    body = script.replace(CONFIG_PLACEHOLDER, _json_for_script(config)).encode("utf-8")
    return Artefact(
        etag=hashlib.sha256(body).hexdigest()[:32],
        body=body,
        # zopfli writes ordinary gzip a few per cent smaller than zlib -9; it runs once per configuration.
        gzip=zopfli.gzip.compress(body),
        brotli=brotli.compress(body, quality=11),
    )


# The admin's live preview: the same widget, reading a draft configuration from the preview page.
PREVIEW_CONFIG_ELEMENT = "cs-preview-config"
PREVIEW_CONFIG = f'JSON.parse(document.getElementById("{PREVIEW_CONFIG_ELEMENT}").textContent)'


def preview_script() -> bytes:
    """The widget with no site in it: it takes its configuration from the page's JSON data block."""
    script, _ = _sources()
    return script.replace(CONFIG_PLACEHOLDER, PREVIEW_CONFIG).encode("utf-8")


def preview_config(site: Site) -> str:
    """What `build_widget` would embed for this site, as JSON safe inside a <script> data block."""
    return _json_for_script(widget_config(site, widget_css(site)))


_built: dict[str, tuple[datetime, Artefact]] = {}


def widget_for(session: DBSession, key: str) -> Artefact:
    """The built widget of a site, rebuilt only when its configuration changed since the last build.

    Every page view asks for it, so an unchanged site costs one indexed read of one column.
    Raises NotFound.
    """
    updated_at = session.scalar(select(Site.updated_at).where(Site.key == key))
    cached = _built.get(key)
    if updated_at is not None and cached is not None and cached[0] == updated_at:
        return cached[1]
    site = get_site(session, key)
    cached = (site.updated_at, build_widget(site))
    _built[key] = cached
    return cached[1]


def declaration(site: Site, lang: str) -> dict[str, Any]:
    """The cookie declaration of a site in one language, generated from its configuration."""
    texts = {**WIDGET_TEXTS[lang], **DEFAULT_TEXTS[lang], **site.texts.get(lang, {})}
    return {
        "site": site.key,
        "name": site.name,
        "language": lang,
        "policy_version": site.policy_version,
        "updated_at": site.updated_at.date().isoformat(),
        "policy_date": policy_date(site),
        "privacy_url": site.privacy_url,
        "consent_lifetime_months": site.consent_lifetime_months,
        "title": texts["declaration_link"],
        "categories": [
            {
                "key": category.key,
                "name": category.texts[lang]["name"],
                "description": category.texts[lang]["description"],
                "always_on": category.key == "necessary",
                "services": [
                    {
                        "name": service.name,
                        "provider": service.provider,
                        "privacy_url": service.privacy_url,
                        "purpose": service.texts[lang]["purpose"],
                        "cookies": [
                            {
                                "name": cookie.name,
                                "domain": cookie.domain or site.cookie_domain,
                                "storage": cookie.storage,
                                "duration_days": cookie.duration_days,
                                "purpose": cookie.texts[lang]["purpose"],
                            }
                            for cookie in service.cookies
                        ],
                    }
                    for service in site.services
                    if service.category_id == category.id
                ],
            }
            for category in site.categories
        ],
    }


def visitor_choice(site: Site, cookie: str | None, tokens: ConsentTokens) -> dict[str, Any] | None:
    """The choice the widget stored in the visitor's `cs_consent` cookie, when the browser sent it here.

    Browsers send it to the consent server only when the site's cookie domain covers this host (for
    example consent.monoconnect.nl under .monoconnect.nl). Only what the signed token says counts:
    None for a missing, unreadable or forged cookie, or one of another site.
    """
    if not cookie or len(cookie) > 4096:
        return None
    try:
        state = json.loads(unquote(cookie))
        claims = tokens.verify(state["t"])
    except (ValueError, TypeError, KeyError, Unauthorized):
        return None
    if claims.site != site.key or claims.consent_id != state.get("i"):
        return None
    return {
        "consent_id": claims.consent_id,
        "granted": [category.key for category in site.categories if category.key in claims.granted],
        "current": claims.policy_version == site.policy_version,
        "recorded_at": claims.issued_at,
    }


def duration_text(days: int, lang: str) -> str:
    """'2 jaar', '6 months', 'until the browser closes': how long a cookie stays, in words."""
    words = DURATION_WORDS[lang]
    if days == 0:
        return words["session"]
    if days >= 365 and days % 365 < 31:
        count, unit = round(days / 365), "year"
    elif days >= 28:
        count, unit = round(days / 30.44), "month"
    else:
        count, unit = days, "day"
    return f"{count} {words[unit + 's'] if count > 1 else words[unit]}"
