"""Dutch and English for the dashboard and admin UI: one message catalog and `t(key)`.

Usage, in Python and (as globals) in every template:

    t("login.title")                       -> "Inloggen" or "Log in"
    t("nav.signed_in_as", email=email)     -> str.format placeholders
    ui_lang()                              -> "nl" or "en" (for <html lang>)
    format_date(d), format_datetime(dt), format_number(n)

An area adds its own messages once, at import, under its own prefix (`dashboard.`, `admin.`):

    add_messages({"dashboard.visitors": {"nl": "Bezoekers", "en": "Visitors"}})

The language is the user's choice (the `lang` cookie set by POST /account/language), else the
browser's Accept-Language, else Dutch. A key missing from the catalog raises KeyError, so a test
that renders the page finds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask import g, has_request_context, request

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
LANGUAGE_COOKIE = "lang"
# Each language's name in itself, for the switch.
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}

MONTHS = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

# key -> {"nl": ..., "en": ...}; both languages always.
CATALOG: dict[str, dict[str, str]] = {}


def add_messages(messages: Mapping[str, Mapping[str, str]]) -> None:
    """Add messages to the catalog. Raises ValueError for a missing language or a key already taken."""
    for key, texts in messages.items():
        missing = [lang for lang in LANGUAGES if not texts.get(lang)]
        if missing:
            raise ValueError(f"message {key!r} has no text in {', '.join(missing)}")
        if key in CATALOG and CATALOG[key] != dict(texts):
            raise ValueError(f"message {key!r} is defined twice with different texts")
        CATALOG[key] = dict(texts)


def current_language() -> str:
    """The UI language of this request: the user's cookie, then Accept-Language, then Dutch."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    if "ui_lang" not in g:
        chosen = request.cookies.get(LANGUAGE_COOKIE)
        if chosen not in LANGUAGES:
            chosen = request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE
        g.ui_lang = chosen
    return str(g.ui_lang)


def t(key: str, **params: Any) -> str:
    """The message in the current language, with `{name}` placeholders filled from params."""
    text = CATALOG[key][current_language()]
    return text.format(**params) if params else text


def format_number(value: float) -> str:
    """12345 -> "12.345" (nl) or "12,345" (en)."""
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    if current_language() == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_date(value: date) -> str:
    """3 mei 2026 / 3 May 2026."""
    return f"{value.day} {MONTHS[current_language()][value.month - 1]} {value.year}"


def format_datetime(value: datetime) -> str:
    """3 mei 2026, 14:05 UTC (times are shown in UTC, as they are stored)."""
    return f"{format_date(value)}, {value:%H:%M} UTC"


add_messages(
    {
        # the shell (base.html)
        "app.name": {"nl": "consent-server", "en": "consent-server"},
        "app.tagline": {
            "nl": "Statistieken alleen van bezoekers die toestemming gaven.",
            "en": "Statistics only from visitors who gave consent.",
        },
        "nav.skip": {"nl": "Naar de inhoud", "en": "Skip to content"},
        "nav.label": {"nl": "Hoofdmenu", "en": "Main menu"},
        "nav.sites": {"nl": "Sites", "en": "Sites"},
        "nav.api_keys": {"nl": "API-sleutels", "en": "API keys"},
        "nav.admin": {"nl": "Beheer", "en": "Admin"},
        "nav.logout": {"nl": "Uitloggen", "en": "Log out"},
        "nav.signed_in_as": {"nl": "Ingelogd als {email}", "en": "Signed in as {email}"},
        "messages.label": {"nl": "Meldingen", "en": "Messages"},
        # login and logout
        "login.title": {"nl": "Inloggen", "en": "Log in"},
        "login.intro": {
            "nl": "Log in om de statistieken van uw sites te bekijken.",
            "en": "Log in to see the statistics of your sites.",
        },
        "login.email": {"nl": "E-mail", "en": "Email"},
        "login.password": {"nl": "Wachtwoord", "en": "Password"},
        "login.submit": {"nl": "Inloggen", "en": "Log in"},
        "login.failed": {
            "nl": "Het e-mailadres of het wachtwoord klopt niet.",
            "en": "The email address or the password is not correct.",
        },
        "login.error_summary": {"nl": "Inloggen is niet gelukt", "en": "You are not logged in"},
        "login.logged_out": {
            "nl": "U bent uitgelogd, op al uw apparaten.",
            "en": "You have been logged out, on all your devices.",
        },
        "form.required": {"nl": "Vul dit veld in.", "en": "Fill in this field."},
        "form.too_long": {
            "nl": "Dit veld mag hoogstens {max} tekens hebben.",
            "en": "This field can have at most {max} characters.",
        },
        # pages shown instead of a form
        "error.back": {"nl": "Terug naar de startpagina", "en": "Back to the start page"},
        "throttle.title": {"nl": "Te veel pogingen", "en": "Too many attempts"},
        "throttle.body": {
            "nl": "Er is te vaak geprobeerd in te loggen. Wacht een minuut en probeer het dan opnieuw.",
            "en": "There were too many login attempts. Wait a minute, then try again.",
        },
        "throttle.retry": {"nl": "Opnieuw proberen", "en": "Try again"},
        "csrf.title": {"nl": "Formulier verlopen", "en": "Form expired"},
        "csrf.body": {
            "nl": "Het formulier is verlopen of niet volledig verstuurd. Laad de pagina opnieuw en "
            "probeer het nog eens.",
            "en": "The form expired or was not sent completely. Reload the page and try again.",
        },
        # the start page: the user's sites
        "sites.title": {"nl": "Uw sites", "en": "Your sites"},
        "sites.admin_note": {
            "nl": "Als beheerder ziet u alle sites.",
            "en": "As an admin you see every site.",
        },
        "sites.empty": {
            "nl": "Er zijn nog geen sites aan u toegekend. Vraag een beheerder om toegang.",
            "en": "No sites have been granted to you yet. Ask an admin for access.",
        },
        # API keys
        "apikeys.title": {"nl": "API-sleutels", "en": "API keys"},
        "apikeys.intro": {
            "nl": "Met een API-sleutel leest een programma de statistieken via de stats-API, met dezelfde "
            "rechten als uw account. Stuur de sleutel mee in de header Authorization: Bearer <sleutel>.",
            "en": "With an API key a program reads statistics through the stats API, with the same rights "
            "as your account. Send the key in the header Authorization: Bearer <key>.",
        },
        "apikeys.create_title": {"nl": "Nieuwe sleutel", "en": "New key"},
        "apikeys.name": {"nl": "Naam", "en": "Name"},
        "apikeys.name_hint": {
            "nl": "Waarvoor is de sleutel? Bijvoorbeeld: maandrapportage.",
            "en": "What is the key for? For example: monthly report.",
        },
        "apikeys.name_invalid": {
            "nl": "Geef de sleutel een naam van 1 tot 100 tekens.",
            "en": "Give the key a name of 1 to 100 characters.",
        },
        "apikeys.too_many": {
            "nl": "U heeft het maximum aantal actieve sleutels. Trek eerst een sleutel in.",
            "en": "You have the maximum number of active keys. Revoke a key first.",
        },
        "apikeys.create": {"nl": "Sleutel aanmaken", "en": "Create key"},
        "apikeys.new_title": {"nl": "Uw nieuwe sleutel: {name}", "en": "Your new key: {name}"},
        "apikeys.new_once": {
            "nl": "Kopieer de sleutel nu. Hij wordt maar één keer getoond; daarna weet ook de server "
            "hem niet meer.",
            "en": "Copy the key now. It is shown only once; after this not even the server knows it.",
        },
        "apikeys.new_label": {"nl": "API-sleutel", "en": "API key"},
        "apikeys.list_title": {"nl": "Uw sleutels", "en": "Your keys"},
        "apikeys.none": {"nl": "U heeft nog geen API-sleutels.", "en": "You have no API keys yet."},
        "apikeys.prefix": {"nl": "Begint met", "en": "Starts with"},
        "apikeys.created_at": {"nl": "Aangemaakt", "en": "Created"},
        "apikeys.last_used": {"nl": "Laatst gebruikt", "en": "Last used"},
        "apikeys.never": {"nl": "Nooit", "en": "Never"},
        "apikeys.status": {"nl": "Status", "en": "Status"},
        "apikeys.active": {"nl": "Actief", "en": "Active"},
        "apikeys.revoked_on": {"nl": "Ingetrokken op {date}", "en": "Revoked on {date}"},
        "apikeys.revoke": {"nl": "Intrekken", "en": "Revoke"},
        "apikeys.revoked": {
            "nl": "De sleutel {name} is ingetrokken.",
            "en": "The key {name} has been revoked.",
        },
    }
)
