"""The site configuration document and the legal rules it must meet (PRODUCT.md, EDPB taskforce A-G).

Shape is checked by pydantic; the rules are checked afterwards by `check_rules`, which names the rule
that a configuration breaks, so an operator learns why it was refused.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StringConstraints

from ..errors import InvalidInput
from ..validation import Strict, validate

SITE_KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
CATEGORY_KEY_PATTERN = r"^[a-z][a-z0-9_-]{0,31}$"
NECESSARY = "necessary"
Language = Literal["nl", "en"]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
DomainName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=253,
        # Upper case allowed: pydantic matches the pattern before it applies to_lower.
        pattern=r"^\.?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$",
    ),
]


def _origin(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError("an origin is scheme://host[:port], e.g. https://www.example.nl")
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username:
        raise ValueError("an origin has no path, query, fragment or user name")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError("must be an absolute http(s) URL")
    return value


Extension = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-zA-Z0-9]{1,10}$")
]
DEFAULT_DOWNLOAD_EXTENSIONS = (
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "odp",
    "csv",
    "txt",
    "rtf",
    "zip",
    "7z",
    "gz",
    "epub",
    "mp3",
    "mp4",
    "ics",
)
Origin = Annotated[str, StringConstraints(max_length=300), AfterValidator(_origin)]
HttpUrl = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2048), AfterValidator(_http_url)]


class BannerTexts(Strict):
    title: ShortText
    description: Text
    accept_all: ShortText | None = None
    reject_all: ShortText | None = None
    settings: ShortText | None = None
    save: ShortText | None = None
    close: ShortText | None = None
    settings_title: ShortText | None = None
    declaration_link: ShortText | None = None
    privacy_link: ShortText | None = None
    floating_button: ShortText | None = None


class CategoryTexts(Strict):
    name: ShortText
    description: Text


class PurposeTexts(Strict):
    purpose: Text


class ButtonStyle(Strict):
    variant: Literal["filled", "outline", "link"] = "filled"
    background: Colour
    text: Colour


class Theme(Strict):
    background: Colour = "#ffffff"
    text: Colour = "#1b1b1b"
    accent: Colour = "#154273"
    accent_text: Colour = "#ffffff"
    radius: Annotated[int, Field(ge=0, le=24)] = 6
    position: Literal["bottom", "bottom-left", "bottom-right", "center"] = "bottom"
    # Separate button styles exist because other tools offer them; the rules require them to be equal.
    accept_button: ButtonStyle | None = None
    reject_button: ButtonStyle | None = None


class CookieDoc(Strict):
    name: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$"
        ),
    ]
    domain: DomainName | None = None
    storage: Literal["cookie", "local_storage", "session_storage"] = "cookie"
    duration_days: Annotated[int, Field(ge=0, le=400)]
    texts: dict[Language, PurposeTexts]


class ServiceDoc(Strict):
    key: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    category: Annotated[str, StringConstraints(pattern=CATEGORY_KEY_PATTERN)]
    name: ShortText
    provider: ShortText
    privacy_url: HttpUrl | None = None
    legal_basis: Literal["consent", "necessary", "legitimate_interest"] = "consent"
    texts: dict[Language, PurposeTexts]
    cookies: Annotated[list[CookieDoc], Field(max_length=100)] = []


class CategoryDoc(Strict):
    key: Annotated[str, StringConstraints(pattern=CATEGORY_KEY_PATTERN)]
    default: bool = False
    legal_basis: Literal["consent", "necessary", "legitimate_interest"] = "consent"
    texts: dict[Language, CategoryTexts]


class SiteDoc(Strict):
    key: Annotated[str, StringConstraints(pattern=SITE_KEY_PATTERN)]
    name: ShortText
    origins: Annotated[list[Origin], Field(min_length=1, max_length=50)]
    cookie_domain: DomainName | None = None
    default_language: Language = "nl"
    policy_version: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    consent_lifetime_months: Annotated[int, Field(ge=1, le=12)] = 12
    gpc_mode: Literal["reject_all", "reject_marketing", "ignore"] = "reject_marketing"
    consent_mode: bool = False
    floating_button: bool = True
    hash_routing: bool = False
    download_extensions: Annotated[list[Extension], Field(max_length=40)] = list(DEFAULT_DOWNLOAD_EXTENSIONS)
    privacy_url: HttpUrl | None = None
    theme: Theme = Theme()
    texts: Annotated[dict[Language, BannerTexts], Field(min_length=1)]
    categories: Annotated[list[CategoryDoc], Field(min_length=1, max_length=16)]
    services: Annotated[list[ServiceDoc], Field(max_length=200)] = []


# Cookies that are never strictly necessary: analytics and advertising cookies of the common vendors.
# Declaring one of them under `necessary` is EDPB case G (inaccurately classified essential cookies).
KNOWN_NON_ESSENTIAL_COOKIES = (
    "_ga",
    "_ga_*",
    "_gid",
    "_gat",
    "_gat_*",
    "__utm*",
    "_gcl_*",
    "_gac_*",
    "IDE",
    "NID",
    "DSID",
    "ANID",
    "test_cookie",
    "__gads",
    "__gpi",
    "_fbp",
    "_fbc",
    "fr",
    "_hj*",
    "_pk_*",
    "_clck",
    "_clsk",
    "MUID",
    "_uetsid",
    "_uetvid",
    "YSC",
    "VISITOR_INFO1_LIVE",
    "VISITOR_PRIVACY_METADATA",
    "li_sugr",
    "bcookie",
    "lidc",
    "UserMatchHistory",
    "_ttp",
    "_tt_*",
    "_pin_unauth",
    "hubspotutk",
    "__hs*",
    "mp_*",
    "ajs_*",
    "_mkto_trk",
    "AMCV_*",
    "s_cc",
    "s_sq",
    "_scid",
    "_rdt_uuid",
    "personalization_id",
    "guest_id",
)
LEGITIMATE_INTEREST_WORDING = re.compile(r"legitimate interest|gerechtvaardigd belang", re.IGNORECASE)
REQUIRED_BUTTONS = ("accept_all", "reject_all", "settings", "save")
MIN_CONTRAST = 4.5


class RuleViolation(InvalidInput):
    code = "configuration_refused"


def _relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio between two #rrggbb colours."""
    lighter, darker = sorted((_relative_luminance(first), _relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def is_known_non_essential(cookie_name: str) -> bool:
    return any(fnmatch.fnmatchcase(cookie_name, pattern) for pattern in KNOWN_NON_ESSENTIAL_COOKIES) or any(
        fnmatch.fnmatchcase(pattern, cookie_name) for pattern in KNOWN_NON_ESSENTIAL_COOKIES
    )


def check_rules(doc: SiteDoc) -> list[tuple[str, str]]:
    """Return every (field path, message) that breaks a rule; empty when the configuration is lawful."""
    problems: list[tuple[str, str]] = []
    languages = list(doc.texts)

    def refuse(path: str, rule: str, message: str) -> None:
        problems.append((path, f"{rule}: {message}"))

    if doc.default_language not in doc.texts:
        refuse("default_language", "languages", f"no texts for the default language {doc.default_language!r}")

    for lang, texts in doc.texts.items():
        for button in REQUIRED_BUTTONS:
            if not getattr(texts, button):
                rule = "EDPB-A (no reject on the first layer)" if button == "reject_all" else "texts"
                refuse(f"texts.{lang}.{button}", rule, f"the {button!r} button needs a {lang} text")

    keys = [category.key for category in doc.categories]
    if keys[0] != NECESSARY:
        refuse("categories[0].key", "necessary first", "the first category must be 'necessary'")
    for duplicate in {key for key in keys if keys.count(key) > 1}:
        refuse("categories", "unique keys", f"category {duplicate!r} appears more than once")
    for index, category in enumerate(doc.categories):
        path = f"categories[{index}]"
        if category.key != NECESSARY and category.default:
            refuse(
                f"{path}.default",
                "EDPB-B (pre-ticked boxes)",
                f"category {category.key!r} may not be on before the visitor chooses",
            )
        if category.key != NECESSARY and category.legal_basis != "consent":
            refuse(
                f"{path}.legal_basis",
                "EDPB-F (legitimate interest instead of consent)",
                f"category {category.key!r} must rest on consent, not {category.legal_basis!r}",
            )
        for lang in languages:
            if lang not in category.texts:
                refuse(f"{path}.texts.{lang}", "texts", f"category {category.key!r} needs a {lang} text")
            elif category.key != NECESSARY and LEGITIMATE_INTEREST_WORDING.search(
                category.texts[lang].description
            ):
                refuse(
                    f"{path}.texts.{lang}.description",
                    "EDPB-F (legitimate interest instead of consent)",
                    f"category {category.key!r} describes a legitimate interest; it needs consent",
                )

    service_keys = [service.key for service in doc.services]
    for duplicate in {key for key in service_keys if service_keys.count(key) > 1}:
        refuse("services", "unique keys", f"service {duplicate!r} appears more than once")
    for index, service in enumerate(doc.services):
        path = f"services[{index}]"
        if service.category not in keys:
            refuse(
                f"{path}.category",
                "known category",
                f"service {service.key!r} names unknown category {service.category!r}",
            )
        non_essential = service.category != NECESSARY
        if non_essential and service.legal_basis != "consent":
            refuse(
                f"{path}.legal_basis",
                "EDPB-F (legitimate interest instead of consent)",
                f"service {service.key!r} in {service.category!r} must rest on consent",
            )
        for lang in languages:
            if lang not in service.texts:
                refuse(f"{path}.texts.{lang}", "texts", f"service {service.key!r} needs a {lang} purpose")
            elif non_essential and LEGITIMATE_INTEREST_WORDING.search(service.texts[lang].purpose):
                refuse(
                    f"{path}.texts.{lang}.purpose",
                    "EDPB-F (legitimate interest instead of consent)",
                    f"service {service.key!r} claims a legitimate interest; it needs consent",
                )
        for cookie_index, cookie in enumerate(service.cookies):
            cookie_path = f"{path}.cookies[{cookie_index}]"
            if not non_essential and is_known_non_essential(cookie.name):
                refuse(
                    f"{cookie_path}.name",
                    "EDPB-G (non-essential cookie declared necessary)",
                    f"cookie {cookie.name!r} is a known analytics or advertising cookie, never 'necessary'",
                )
            for lang in languages:
                if lang not in cookie.texts:
                    refuse(
                        f"{cookie_path}.texts.{lang}",
                        "texts",
                        f"cookie {cookie.name!r} needs a {lang} purpose",
                    )

    if doc.cookie_domain:
        bare = doc.cookie_domain.lstrip(".")
        if "." not in bare:
            refuse("cookie_domain", "cookie domain", f"{doc.cookie_domain!r} is a top-level domain")
        hosts = [urlsplit(origin).hostname or "" for origin in doc.origins]
        if not any(host == bare or host.endswith("." + bare) for host in hosts):
            refuse(
                "cookie_domain",
                "cookie domain",
                f"{doc.cookie_domain!r} does not cover any registered origin",
            )

    _check_theme(doc.theme, refuse)
    return problems


def _check_theme(theme: Theme, refuse: Any) -> None:
    pairs = [
        ("theme.text", theme.text, theme.background),
        ("theme.accent_text", theme.accent_text, theme.accent),
    ]
    for name, style in (("accept_button", theme.accept_button), ("reject_button", theme.reject_button)):
        if style is not None:
            pairs.append((f"theme.{name}.text", style.text, style.background))
    for path, foreground, background in pairs:
        ratio = contrast_ratio(foreground, background)
        if ratio < MIN_CONTRAST:
            refuse(
                path,
                "EDPB-E (deceptive contrast)",
                f"contrast {ratio:.2f}:1 between {foreground} and {background} is below {MIN_CONTRAST}:1",
            )
    accept = theme.accept_button or ButtonStyle(
        variant="filled", background=theme.accent, text=theme.accent_text
    )
    reject = theme.reject_button or ButtonStyle(
        variant="filled", background=theme.accent, text=theme.accent_text
    )
    if reject.variant != accept.variant:
        refuse(
            "theme.reject_button.variant",
            "EDPB-C (reject shown differently, e.g. as a link)",
            f"reject is styled {reject.variant!r} while accept is {accept.variant!r}; they must be the same",
        )
    elif (reject.background.lower(), reject.text.lower()) != (accept.background.lower(), accept.text.lower()):
        refuse(
            "theme.reject_button",
            "EDPB-D (deceptive button colours)",
            "reject and accept must use the same colours",
        )


def parse_site_doc(data: Any) -> SiteDoc:
    """Validate a configuration document's shape and rules. Raises InvalidInput or RuleViolation."""
    doc = validate(SiteDoc, data, "The site configuration is not valid.")
    problems = check_rules(doc)
    if problems:
        summary = "; ".join(message for _, message in problems[:3])
        raise RuleViolation(f"The site configuration breaks a rule: {summary}", fields=dict(problems))
    return doc
