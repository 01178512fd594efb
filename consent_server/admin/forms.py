"""The site form: a configuration document as form fields and back, with every refusal at its field.

A field's name is its path in the document (`texts.nl.title`, `categories[2].texts.en.name`,
`services[0].cookies[1].duration_days`), with list indexes counting form rows. Rows left blank or marked
for removal are not part of the document, so `SiteForm.document()` keeps a map from document indexes back
to form rows: a refusal of `services[1].cookies[0].name` lands next to the field the admin typed it in.

    form = SiteForm.from_document(export_site(site))        # GET: the saved configuration
    form = SiteForm.from_form(request.form)                 # POST: what the admin typed
    doc = form.document()                                   # -> dict for parse_site_doc
    form.place_errors(fields_from_the_validator)            # -> form.errors by field name
    sections = form.layout(messages)                        # -> what the template renders

No request access here; labels come from the caller's `t`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..sites.schemas import DEFAULT_DOWNLOAD_EXTENSIONS, NECESSARY
from ..sites.services import DEFAULT_TEXTS

LANGUAGES = ("nl", "en")
BANNER_TEXTS = (
    "title",
    "description",
    "accept_all",
    "reject_all",
    "settings",
    "save",
    "close",
    "settings_title",
    "declaration_link",
    "privacy_link",
    "floating_button",
)
THEME_COLOURS = ("background", "text", "accent", "accent_text")
THEME_DEFAULTS: dict[str, Any] = {
    "background": "#ffffff",
    "text": "#1b1b1b",
    "accent": "#154273",
    "accent_text": "#ffffff",
    "radius": 6,
    "position": "bottom",
}
POSITIONS = ("bottom", "bottom-left", "bottom-right", "center")
GPC_MODES = ("reject_marketing", "reject_all", "ignore")
STORAGES = ("cookie", "local_storage", "session_storage")
SITE_FLAGS = ("consent_mode", "floating_button", "hash_routing")
NUMBERS = {"consent_lifetime_months", "theme.radius", "duration_days"}
# Rows a form may hold; the document's own limits (16 categories, 200 services, 100 cookies) are lower.
MAX_ROWS = {"categories": 40, "services": 240, "cookies": 140}
MAX_VALUE_LENGTH = 20_000  # one field; the schema's limits are far lower, this only bounds the work
ROW = re.compile(r"^(categories|services)\[(\d{1,4})\](?:\.cookies\[(\d{1,4})\])?\.")
# A field name as the form may send it: letters, digits, _ . [ ] only.
NAME = re.compile(r"^[a-z_]+(?:\[\d{1,4}\])?(?:\.[a-z_]+(?:\[\d{1,4}\])?)*$")

Value = str | bool | list[str]
Translate = Callable[..., str]


def _clean(value: str, multiline: bool) -> tuple[str, bool]:
    """The value with CR removed, and whether it holds characters no field may hold (NUL, controls)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    allowed = "\n\t" if multiline else ""
    bad = any(unicodedata.category(char) in ("Cc", "Cs", "Co") and char not in allowed for char in value)
    return value, bad


def field_id(name: str) -> str:
    """An HTML id for a field name: `texts.nl.title` -> `f-texts-nl-title`."""
    return "f-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _multiline(name: str) -> bool:
    return name in ("origins", "download_extensions") or name.endswith(("description", "purpose"))


def _number(value: str) -> int | str:
    text = value.strip()
    return int(text) if re.fullmatch(r"-?\d{1,9}", text) else text


@dataclass
class Field:
    """One input as the template renders it."""

    name: str
    label: str
    kind: str  # text | textarea | number | select | checkbox | color | url | checkboxes
    value: Any
    hint: str = ""
    options: Sequence[tuple[str, str]] = ()
    required: bool = False
    maxlength: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    lang: str | None = None
    readonly: bool = False
    error: str | None = None

    @property
    def id(self) -> str:
        return field_id(self.name)


@dataclass
class Group:
    """A fieldset: a section, a language's texts, a list item (with its remove box) or a new row."""

    name: str
    legend: str
    fields: list[Field] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    new: bool = False  # an empty row for adding an item
    hint: str = ""

    @property
    def id(self) -> str:
        return "g" + field_id(self.name)[1:] if self.name else "g-site"

    def all_fields(self) -> Iterable[Field]:
        yield from self.fields
        for group in self.groups:
            yield from group.all_fields()

    def has_errors(self) -> bool:
        return (
            bool(self.errors) or any(f.error for f in self.fields) or any(g.has_errors() for g in self.groups)
        )


@dataclass
class SiteForm:
    """The posted or saved values of the site form, by field name."""

    values: dict[str, Value]
    key: str
    errors: dict[str, str] = field(default_factory=dict)
    # Refusals that belong to no field or row (shown at the top), in order.
    general: list[str] = field(default_factory=list)
    # document index -> form row, filled by document()
    _category_rows: list[int] = field(default_factory=list)
    _service_rows: list[int] = field(default_factory=list)
    _cookie_rows: list[list[int]] = field(default_factory=list)
    _by_row: dict[str, list[str]] | None = None

    # ---- in -----------------------------------------------------------------------------------------

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> SiteForm:
        """The form for a saved configuration (an export_site document)."""
        values: dict[str, Value] = {
            "name": doc.get("name", ""),
            "origins": "\n".join(doc.get("origins", [])),
            "cookie_domain": doc.get("cookie_domain") or "",
            "default_language": doc.get("default_language", "nl"),
            "languages": [lang for lang in LANGUAGES if lang in doc.get("texts", {})],
            "privacy_url": doc.get("privacy_url") or "",
            "consent_lifetime_months": str(doc.get("consent_lifetime_months", 12)),
            "gpc_mode": doc.get("gpc_mode", "reject_marketing"),
            "consent_mode": bool(doc.get("consent_mode", False)),
            "floating_button": bool(doc.get("floating_button", True)),
            "hash_routing": bool(doc.get("hash_routing", False)),
            "download_extensions": " ".join(doc.get("download_extensions", DEFAULT_DOWNLOAD_EXTENSIONS)),
        }
        theme = {**THEME_DEFAULTS, **doc.get("theme", {})}
        for name in (*THEME_COLOURS, "position"):
            values[f"theme.{name}"] = str(theme[name])
        values["theme.radius"] = str(theme["radius"])
        for lang, texts in doc.get("texts", {}).items():
            for name in BANNER_TEXTS:
                values[f"texts.{lang}.{name}"] = texts.get(name) or ""
        for row, category in enumerate(doc.get("categories", [])):
            values[f"categories[{row}].key"] = category["key"]
            for lang, texts in category.get("texts", {}).items():
                values[f"categories[{row}].texts.{lang}.name"] = texts.get("name", "")
                values[f"categories[{row}].texts.{lang}.description"] = texts.get("description", "")
        for row, service in enumerate(doc.get("services", [])):
            prefix = f"services[{row}]"
            for name in ("key", "category", "name", "provider"):
                values[f"{prefix}.{name}"] = service.get(name, "")
            values[f"{prefix}.privacy_url"] = service.get("privacy_url") or ""
            for lang, texts in service.get("texts", {}).items():
                values[f"{prefix}.texts.{lang}.purpose"] = texts.get("purpose", "")
            for cookie_row, cookie in enumerate(service.get("cookies", [])):
                cookie_prefix = f"{prefix}.cookies[{cookie_row}]"
                values[f"{cookie_prefix}.name"] = cookie["name"]
                values[f"{cookie_prefix}.domain"] = cookie.get("domain") or ""
                values[f"{cookie_prefix}.storage"] = cookie.get("storage", "cookie")
                values[f"{cookie_prefix}.duration_days"] = str(cookie.get("duration_days", 0))
                for lang, texts in cookie.get("texts", {}).items():
                    values[f"{cookie_prefix}.texts.{lang}.purpose"] = texts.get("purpose", "")
        return cls(values=values, key=str(doc.get("key", "")))

    @classmethod
    def from_form(cls, form: Any, key: str, t: Translate) -> SiteForm:
        """What the admin posted (a MultiDict). Unknown names are ignored; a value with control
        characters (NUL and the like) is refused at its field."""
        values: dict[str, Value] = {}
        errors: dict[str, str] = {}
        for name in form:
            if not NAME.match(name) or name in ("csrf_token", "action", "confirmed", "revision"):
                continue
            if name == "languages":
                values[name] = [lang for lang in form.getlist(name) if lang in LANGUAGES]
                continue
            if name in SITE_FLAGS or name.endswith(".remove"):
                values[name] = True
                continue
            raw = form.get(name, "")[:MAX_VALUE_LENGTH]
            text, bad = _clean(raw, _multiline(name))
            values[name] = text
            if bad:
                errors[name] = t("admin.error.control")
        for flag in SITE_FLAGS:
            values.setdefault(flag, False)
        values.setdefault("languages", [])
        form_ = cls(values=values, key=key, errors=errors)
        if form_.too_many_rows():
            form_.general.append(t("admin.error.too_many_rows"))
        return form_

    # ---- the document ---------------------------------------------------------------------------------

    def text(self, name: str) -> str:
        value = self.values.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    def _index(self) -> dict[str, list[str]]:
        """Field names by the row they belong to ("categories", "services[2]", ... -> names), built once."""
        if self._by_row is None:
            self._by_row = {}
            for name in self.values:
                match = ROW.match(name)
                if not match:
                    continue
                kind, row, cookie = match.groups()
                row_name = f"{kind}[{int(row)}]"
                self._by_row.setdefault(kind, []).append(row_name)
                if cookie is None:
                    self._by_row.setdefault(row_name + ".", []).append(name)
                else:
                    cookie_name = f"{row_name}.cookies[{int(cookie)}]"
                    self._by_row.setdefault(row_name + ".cookies", []).append(cookie_name)
                    self._by_row.setdefault(cookie_name + ".", []).append(name)
        return self._by_row

    def _rows(self, prefix: str, inner: str | None = None) -> list[int]:
        """The form rows of categories, of services, or (with inner) of service row `inner`'s cookies."""
        group = prefix if inner is None else f"{prefix}[{int(inner)}].cookies"
        rows = {int(name[name.rindex("[") + 1 : -1]) for name in self._index().get(group, [])}
        return sorted(rows)

    def _row_names(self, prefix: str) -> list[str]:
        """The fields of one row itself (a service's cookies are rows of their own)."""
        return self._index().get(prefix + ".", [])

    def _blank(self, prefix: str) -> bool:
        """A row whose typed-in inputs are all empty (choices from a list alone do not make a row)."""
        for name in self._row_names(prefix):
            if name.endswith((".remove", ".storage", ".category")):
                continue
            value = self.values[name]
            if isinstance(value, str) and value.strip():
                return False
        return True

    def _removed(self, prefix: str) -> bool:
        return self.values.get(f"{prefix}.remove") is True

    def languages(self) -> list[str]:
        chosen = self.values.get("languages", [])
        return [lang for lang in LANGUAGES if isinstance(chosen, list) and lang in chosen]

    def _texts(self, prefix: str, names: Sequence[str]) -> dict[str, dict[str, str]]:
        texts: dict[str, dict[str, str]] = {}
        for lang in self.languages():
            entry = {name: self.text(f"{prefix}texts.{lang}.{name}") for name in names}
            texts[lang] = {name: value for name, value in entry.items() if value}
        return texts

    def document(self) -> dict[str, Any]:
        """The configuration document the form describes (for parse_site_doc), key included."""
        doc: dict[str, Any] = {
            "key": self.key,
            "name": self.text("name"),
            "origins": [line.strip() for line in self.text("origins").split("\n") if line.strip()],
            "cookie_domain": self.text("cookie_domain"),
            "default_language": self.text("default_language"),
            "consent_lifetime_months": _number(self.text("consent_lifetime_months")),
            "gpc_mode": self.text("gpc_mode"),
            "privacy_url": self.text("privacy_url"),
            "download_extensions": re.split(r"[\s,;]+", self.text("download_extensions"))
            if self.text("download_extensions")
            else [],
        }
        for flag in SITE_FLAGS:
            doc[flag] = self.values.get(flag) is True
        doc["theme"] = {name: self.text(f"theme.{name}") for name in (*THEME_COLOURS, "position")}
        doc["theme"]["radius"] = _number(self.text("theme.radius"))
        doc["texts"] = self._texts("", BANNER_TEXTS)

        self._category_rows = []
        doc["categories"] = []
        for row in self._rows("categories")[: MAX_ROWS["categories"]]:
            prefix = f"categories[{row}]"
            if self._removed(prefix) or self._blank(prefix):
                continue
            key = self.text(f"{prefix}.key")
            doc["categories"].append(
                {
                    "key": key,
                    "legal_basis": "necessary" if key == NECESSARY else "consent",
                    "texts": self._texts(prefix + ".", ("name", "description")),
                }
            )
            self._category_rows.append(row)

        self._service_rows, self._cookie_rows = [], []
        doc["services"] = []
        for row in self._rows("services")[: MAX_ROWS["services"]]:
            prefix = f"services[{row}]"
            if self._removed(prefix) or self._blank(prefix):
                continue
            category = self.text(f"{prefix}.category")
            service: dict[str, Any] = {
                "key": self.text(f"{prefix}.key"),
                "category": category,
                "name": self.text(f"{prefix}.name"),
                "provider": self.text(f"{prefix}.provider"),
                "privacy_url": self.text(f"{prefix}.privacy_url"),
                "legal_basis": "necessary" if category == NECESSARY else "consent",
                "texts": self._texts(prefix + ".", ("purpose",)),
                "cookies": [],
            }
            cookie_rows = []
            for cookie_row in self._rows("services", str(row))[: MAX_ROWS["cookies"]]:
                cookie_prefix = f"{prefix}.cookies[{cookie_row}]"
                if self._removed(cookie_prefix) or self._blank(cookie_prefix):
                    continue
                service["cookies"].append(
                    {
                        "name": self.text(f"{cookie_prefix}.name"),
                        "domain": self.text(f"{cookie_prefix}.domain"),
                        "storage": self.text(f"{cookie_prefix}.storage") or "cookie",
                        "duration_days": _number(self.text(f"{cookie_prefix}.duration_days")),
                        "texts": self._texts(cookie_prefix + ".", ("purpose",)),
                    }
                )
                cookie_rows.append(cookie_row)
            doc["services"].append(service)
            self._service_rows.append(row)
            self._cookie_rows.append(cookie_rows)
        return _drop_empty(doc)

    def too_many_rows(self) -> bool:
        """More rows than any configuration may hold (a hand-made post): refused, never cut silently."""
        services = self._rows("services")
        return (
            len(self._rows("categories")) > MAX_ROWS["categories"]
            or len(services) > MAX_ROWS["services"]
            or any(len(self._rows("services", str(row))) > MAX_ROWS["cookies"] for row in services)
        )

    # ---- refusals -------------------------------------------------------------------------------------

    def form_path(self, path: str) -> str:
        """A document path as the form names it: document indexes become form rows."""

        def rows(match: re.Match[str]) -> str:
            kind, index, cookie = match.group(1), int(match.group(2)), match.group(3)
            table = self._category_rows if kind == "categories" else self._service_rows
            row = table[index] if index < len(table) else index
            if cookie is None:
                return f"{kind}[{row}]"
            cookies = self._cookie_rows[index] if index < len(self._cookie_rows) else []
            cookie_index = int(cookie)
            return (
                f"{kind}[{row}].cookies[{cookies[cookie_index] if cookie_index < len(cookies) else cookie}]"
            )

        path = re.sub(r"^(categories|services)\[(\d+)\](?:\.cookies\[(\d+)\])?", rows, path)
        return "languages" if path == "texts" else path

    def place_errors(self, fields: Mapping[str, str], known: set[str], groups: set[str]) -> None:
        """Put each refusal at its field, else at the nearest row or section that holds it, else on top."""
        for path, message in fields.items():
            target = self.form_path(path)
            while target and target not in known and target not in groups:
                parent = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", target)
                target = "" if parent == target else parent
            if target in known:
                if target not in self.errors:
                    self.errors[target] = message
            elif target in groups:
                self.errors.setdefault("@" + target, message)
            else:
                self.general.append(message)

    # ---- out ------------------------------------------------------------------------------------------

    def hidden(self) -> list[tuple[str, str]]:
        """Every value as (name, value) pairs for hidden inputs (the confirmation step re-posts them)."""
        pairs: list[tuple[str, str]] = []
        for name, value in self.values.items():
            if isinstance(value, list):
                pairs += [(name, item) for item in value]
            elif value is True:
                pairs.append((name, "on"))
            elif isinstance(value, str):
                pairs.append((name, value))
        return pairs

    def category_keys(self) -> list[str]:
        keys = [self.text(f"categories[{row}].key") for row in self._rows("categories")]
        return [key for key in dict.fromkeys(keys) if key]

    def layout(self, t: Translate) -> list[Group]:
        """The sections of the form, every field with its value and error."""
        sections = [
            self._site_section(t),
            self._theme_section(t),
            self._texts_section(t),
            self._categories_section(t),
            self._services_section(t),
        ]
        for section in sections:
            self._attach_errors(section)
        return sections

    def _shown_rows(self, prefix: str, inner: str | None = None) -> tuple[list[int], list[int]]:
        """The rows that hold an item, and those plus one empty row to add an item (a blank row that was
        posted stays the empty row; it never turns into an item of its own)."""
        rows = self._rows(prefix, inner)
        path = prefix if inner is None else f"{prefix}[{inner}].cookies"
        filled = [row for row in rows if not self._blank(f"{path}[{row}]")]
        blank = [row for row in rows if row not in filled]
        return filled, filled + (blank[:1] or [(rows[-1] + 1) if rows else 0])

    def _attach_errors(self, group: Group) -> None:
        for item in group.fields:
            item.error = self.errors.get(item.name)
        if "@" + group.name in self.errors:
            group.errors.append(self.errors["@" + group.name])
        for child in group.groups:
            self._attach_errors(child)

    def _value(self, name: str, default: Value = "") -> Value:
        return self.values.get(name, default)

    def _field(self, name: str, label: str, kind: str = "text", **extra: Any) -> Field:
        default: Value = False if kind == "checkbox" else ""
        return Field(name=name, label=label, kind=kind, value=self._value(name, default), **extra)

    def _site_section(self, t: Translate) -> Group:
        languages = [(lang, t(f"admin.lang.{lang}")) for lang in LANGUAGES]
        return Group(
            name="",
            legend=t("admin.site.section.site"),
            fields=[
                self._field("name", t("admin.site.name"), required=True, maxlength=200),
                self._field(
                    "origins",
                    t("admin.site.origins"),
                    "textarea",
                    hint=t("admin.site.origins_hint"),
                    required=True,
                ),
                self._field(
                    "cookie_domain",
                    t("admin.site.cookie_domain"),
                    hint=t("admin.site.cookie_domain_hint"),
                    maxlength=253,
                ),
                Field(
                    "languages", t("admin.site.languages"), "checkboxes", self.languages(), options=languages
                ),
                self._field(
                    "default_language", t("admin.site.default_language"), "select", options=languages
                ),
                self._field("privacy_url", t("admin.site.privacy_url"), "url", maxlength=2048),
                self._field(
                    "consent_lifetime_months",
                    t("admin.site.lifetime"),
                    "number",
                    hint=t("admin.site.lifetime_hint"),
                    minimum=1,
                    maximum=12,
                    required=True,
                ),
                self._field(
                    "gpc_mode",
                    t("admin.site.gpc_mode"),
                    "select",
                    options=[(mode, t(f"admin.site.gpc.{mode}")) for mode in GPC_MODES],
                    hint=t("admin.site.gpc_hint"),
                ),
                self._field(
                    "consent_mode",
                    t("admin.site.consent_mode"),
                    "checkbox",
                    hint=t("admin.site.consent_mode_hint"),
                ),
                self._field(
                    "floating_button",
                    t("admin.site.floating_button"),
                    "checkbox",
                    hint=t("admin.site.floating_button_hint"),
                ),
                self._field(
                    "hash_routing",
                    t("admin.site.hash_routing"),
                    "checkbox",
                    hint=t("admin.site.hash_routing_hint"),
                ),
                self._field(
                    "download_extensions",
                    t("admin.site.download_extensions"),
                    hint=t("admin.site.download_extensions_hint"),
                ),
            ],
        )

    def _theme_section(self, t: Translate) -> Group:
        fields = [self._field(f"theme.{name}", t(f"admin.theme.{name}"), "color") for name in THEME_COLOURS]
        fields += [
            self._field("theme.radius", t("admin.theme.radius"), "number", minimum=0, maximum=24),
            self._field(
                "theme.position",
                t("admin.theme.position"),
                "select",
                options=[(position, t(f"admin.theme.position.{position}")) for position in POSITIONS],
            ),
        ]
        return Group(
            name="theme", legend=t("admin.site.section.theme"), fields=fields, hint=t("admin.theme.hint")
        )

    def _texts_section(self, t: Translate) -> Group:
        groups = []
        for lang in LANGUAGES:
            fields = []
            for name in BANNER_TEXTS:
                default = DEFAULT_TEXTS[lang].get(name, "")
                required = name in ("title", "description", "accept_all", "reject_all", "settings", "save")
                fields.append(
                    self._field(
                        f"texts.{lang}.{name}",
                        t(f"admin.texts.{name}"),
                        "textarea" if name == "description" else "text",
                        lang=lang,
                        maxlength=2000 if name == "description" else 200,
                        hint="" if required else t("admin.texts.default", text=default),
                    )
                )
            groups.append(Group(name=f"texts.{lang}", legend=t(f"admin.lang.{lang}"), fields=fields))
        return Group(
            name="texts", legend=t("admin.site.section.texts"), groups=groups, hint=t("admin.texts.hint")
        )

    def _categories_section(self, t: Translate) -> Group:
        rows, shown = self._shown_rows("categories")
        first = rows[0] if rows else None
        groups = []
        for row in shown:
            prefix = f"categories[{row}]"
            new = row not in rows
            key = self.text(f"{prefix}.key")
            fixed = key == NECESSARY and row == first
            fields = [
                self._field(
                    f"{prefix}.key",
                    t("admin.category.key"),
                    hint=t("admin.category.key_hint"),
                    maxlength=32,
                    readonly=fixed,
                )
            ]
            for lang in LANGUAGES:
                fields.append(
                    self._field(
                        f"{prefix}.texts.{lang}.name",
                        t(f"admin.category.name.{lang}"),
                        lang=lang,
                        maxlength=200,
                    )
                )
                fields.append(
                    self._field(
                        f"{prefix}.texts.{lang}.description",
                        t(f"admin.category.description.{lang}"),
                        "textarea",
                        lang=lang,
                        maxlength=2000,
                    )
                )
            if not new and not fixed:
                fields.append(self._field(f"{prefix}.remove", t("admin.row.remove"), "checkbox"))
            legend = t("admin.category.new") if new else t("admin.category.legend", name=key or "?")
            groups.append(Group(name=prefix, legend=legend, fields=fields, new=new))
        return Group(
            name="categories",
            legend=t("admin.site.section.categories"),
            groups=groups,
            hint=t("admin.category.hint"),
        )

    def _services_section(self, t: Translate) -> Group:
        categories = [("", t("admin.choose"))] + [(key, key) for key in self.category_keys()]
        rows, shown = self._shown_rows("services")
        groups = []
        for row in shown:
            prefix = f"services[{row}]"
            new = row not in rows
            chosen = self.text(f"{prefix}.category")
            options = categories + (
                [(chosen, chosen)] if chosen and (chosen, chosen) not in categories else []
            )
            fields = [
                self._field(
                    f"{prefix}.key", t("admin.service.key"), hint=t("admin.service.key_hint"), maxlength=64
                ),
                self._field(f"{prefix}.category", t("admin.service.category"), "select", options=options),
                self._field(f"{prefix}.name", t("admin.service.name"), maxlength=200),
                self._field(f"{prefix}.provider", t("admin.service.provider"), maxlength=200),
                self._field(f"{prefix}.privacy_url", t("admin.service.privacy_url"), "url", maxlength=2048),
            ]
            for lang in LANGUAGES:
                fields.append(
                    self._field(
                        f"{prefix}.texts.{lang}.purpose",
                        t(f"admin.service.purpose.{lang}"),
                        "textarea",
                        lang=lang,
                        maxlength=2000,
                    )
                )
            if not new:
                fields.append(self._field(f"{prefix}.remove", t("admin.row.remove"), "checkbox"))
            cookie_rows, shown_cookies = self._shown_rows("services", str(row))
            cookies = []
            for cookie_row in shown_cookies:
                cookies.append(
                    self._cookie_group(t, f"{prefix}.cookies[{cookie_row}]", cookie_row not in cookie_rows)
                )
            name = self.text(f"{prefix}.name") or self.text(f"{prefix}.key")
            legend = t("admin.service.new") if new else t("admin.service.legend", name=name or "?")
            groups.append(Group(name=prefix, legend=legend, fields=fields, groups=cookies, new=new))
        return Group(
            name="services",
            legend=t("admin.site.section.services"),
            groups=groups,
            hint=t("admin.service.hint"),
        )

    def _cookie_group(self, t: Translate, prefix: str, new: bool) -> Group:
        fields = [
            self._field(
                f"{prefix}.name", t("admin.cookie.name"), hint=t("admin.cookie.name_hint"), maxlength=200
            ),
            self._field(
                f"{prefix}.domain",
                t("admin.cookie.domain"),
                hint=t("admin.cookie.domain_hint"),
                maxlength=253,
            ),
            self._field(
                f"{prefix}.storage",
                t("admin.cookie.storage"),
                "select",
                options=[(storage, t(f"admin.cookie.storage.{storage}")) for storage in STORAGES],
            ),
            self._field(
                f"{prefix}.duration_days",
                t("admin.cookie.duration"),
                "number",
                hint=t("admin.cookie.duration_hint"),
                minimum=0,
                maximum=400,
            ),
        ]
        for lang in LANGUAGES:
            fields.append(
                self._field(
                    f"{prefix}.texts.{lang}.purpose",
                    t(f"admin.cookie.purpose.{lang}"),
                    "textarea",
                    lang=lang,
                    maxlength=2000,
                )
            )
        if not new:
            fields.append(self._field(f"{prefix}.remove", t("admin.row.remove"), "checkbox"))
        name = self.text(f"{prefix}.name")
        legend = t("admin.cookie.new") if new else t("admin.cookie.legend", name=name or "?")
        return Group(name=prefix, legend=legend, fields=fields, new=new)

    def names(self, t: Translate) -> tuple[set[str], set[str]]:
        """The field names and group names the layout renders (for place_errors)."""
        known: set[str] = set()
        groups: set[str] = set()

        def walk(group: Group) -> None:
            groups.add(group.name)
            known.update(item.name for item in group.fields)
            for child in group.groups:
                walk(child)

        for section in self.layout(t):
            walk(section)
        groups.discard("")
        return known, groups


# Parts of a configuration the form does not show (separate button styles, which the rules require to
# be equal anyway): a save through the form keeps them as they were.
UNSHOWN_THEME = ("accept_button", "reject_button")


def keep_unshown(document: dict[str, Any], saved: Mapping[str, Any]) -> dict[str, Any]:
    """The form's document with what the form does not show taken over from the saved configuration."""
    kept = {name: saved["theme"][name] for name in UNSHOWN_THEME if name in saved.get("theme", {})}
    return {**document, "theme": {**document.get("theme", {}), **kept}} if kept else document


def _drop_empty(value: Any) -> Any:
    """Leave out empty optional strings: the schema reads a missing key as "not set"."""
    if isinstance(value, dict):
        return {key: _drop_empty(item) for key, item in value.items() if item != ""}
    if isinstance(value, list):
        return [_drop_empty(item) for item in value]
    return value
