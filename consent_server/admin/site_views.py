"""Sites: the list, a new site, the edit form with its policy-bump confirmation, the live preview,
JSON import and export, and cookie scans.

The edit form posts `action`: "save" (validate; with a change to texts, categories or cookies a
confirmation page re-posts everything with confirmed=yes), "refresh" (re-render with empty rows to add
items, nothing saved) or "back" (from the confirmation page to the form). The preview renders the
draft in an iframe with the real widget, from a page of its own with its own CSP.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from ..auth.access import admin_required, visible_site
from ..auth.i18n import t
from ..auth.services import printable
from ..embed.services import PREVIEW_CONFIG_ELEMENT, preview_config, preview_script
from ..errors import DomainError
from ..extensions import db
from ..models import AuditLog, Site, User
from ..sites.services import apply_document
from . import services
from .blueprint import actor, bp, localized, localized_fields
from .forms import Group, SiteForm, keep_unshown

PREVIEW_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
PREVIEW_LANGUAGES = ("nl", "en")
MAX_IMPORT_BYTES = 512 * 1024


@bp.get("/")
@admin_required
def index() -> str:
    session = db.session
    counts = {
        "sites": session.scalar(select(func.count()).select_from(Site)) or 0,
        "users": session.scalar(select(func.count()).select_from(User).where(User.active.is_(True))) or 0,
    }
    recent = list(
        session.scalars(select(AuditLog).order_by(AuditLog.created_at.desc(), AuditLog.id.desc()).limit(5))
    )
    return render_template("admin/index.html", counts=counts, recent=recent)


@bp.get("/sites")
@admin_required
def sites() -> str:
    rows = list(db.session.scalars(select(Site).order_by(Site.name, Site.key)))
    return render_template("admin/sites.html", sites=rows)


# ---- a new site ----------------------------------------------------------------------------------------


@bp.route("/sites/new", methods=["GET", "POST"])
@admin_required
def new_site() -> ResponseReturnValue:
    values = {"key": "", "name": "", "origins": ""}
    if request.method == "GET":
        return render_template("admin/site_new.html", values=values, errors={})
    values = {name: printable(request.form.get(name, ""), 3000) for name in values}
    values["origins"] = "\n".join(
        printable(line, 300) for line in request.form.get("origins", "")[:20_000].splitlines()
    )
    errors: dict[str, str] = {}
    for name in values:
        if request.form.get(name, "") and any(ord(c) < 32 and c not in "\r\n" for c in request.form[name]):
            errors[name] = t("admin.error.control")
    origins = [line.strip() for line in values["origins"].splitlines() if line.strip()]
    if not errors:
        try:
            site = services.new_site(
                db.session, values["key"].strip(), values["name"].strip(), origins, actor()
            )
        except DomainError as exc:
            db.session.rollback()
            errors = _new_site_errors(exc)
        else:
            db.session.commit()
            flash(t("admin.site.created", name=site.name), "success")
            return redirect(url_for("admin.edit_site", key=site.key), 303)
    return render_template("admin/site_new.html", values=values, errors=errors), 422


def _new_site_errors(exc: DomainError) -> dict[str, str]:
    if exc.code == "site_exists":
        return {"key": t("admin.site.key_taken")}
    errors: dict[str, str] = {}
    for path, message in exc.fields.items():
        name = path.split("[")[0].split(".")[0]
        name = name if name in ("key", "name", "origins") else "general"
        if name == "key" and "pattern" in message:
            errors.setdefault(name, t("admin.site.key_invalid"))
        errors.setdefault(name, localized(message))
    return errors or {"general": localized(exc.message)}


# ---- the edit form -------------------------------------------------------------------------------------


def _summary(sections: list[Group], general: list[str]) -> list[tuple[str, str, str]]:
    """Every refusal on the page as (anchor id, where, message), for the error summary at the top."""
    found: list[tuple[str, str, str]] = [("", "", message) for message in general]

    def walk(group: Group, where: str) -> None:
        here = f"{where} / {group.legend}" if where else group.legend
        for message in group.errors:
            found.append((group.id, here, message))
        for item in group.fields:
            if item.error:
                found.append((item.id, f"{here} / {item.label}", item.error))
        for child in group.groups:
            walk(child, here)

    for section in sections:
        walk(section, "")
    return found


def _edit_page(site: Site, form: SiteForm, status: int = 200, notice: str | None = None) -> tuple[str, int]:
    sections = form.layout(t)
    page = render_template(
        "admin/site_edit.html",
        site=site,
        sections=sections,
        summary=_summary(sections, form.general),
        revision=services.revision(site),
        notice=notice,
        scans=_scans(site),
        preview_languages=PREVIEW_LANGUAGES,
    )
    return page, status


def _scans(site: Site) -> list[Any]:
    from ..scan.services import list_scans  # the scanner (Playwright) is only imported where scans are used

    return list_scans(db.session, site, limit=10)


@bp.get("/sites/<key>/")
@admin_required
def edit_site(key: str) -> tuple[str, int]:
    site = visible_site(key)
    return _edit_page(site, SiteForm.from_document(services.export_site(site)))


@bp.post("/sites/<key>/")
@admin_required
def save_site(key: str) -> ResponseReturnValue:
    site = visible_site(key)
    form = SiteForm.from_form(request.form, site.key, t)
    action = request.form.get("action", "save")
    if action in ("refresh", "back"):
        return _edit_page(site, form)
    document = keep_unshown(form.document(), services.export_site(site))
    if form.errors or form.general:
        return _edit_page(site, form, 422)
    try:
        change = services.plan_change(site, document)
    except DomainError as exc:
        db.session.rollback()
        form.place_errors(localized_fields(exc.fields) or {"": localized(exc.message)}, *form.names(t))
        return _edit_page(site, form, 422)
    if request.form.get("revision") != services.revision(site):
        return _edit_page(site, form, 409, notice=t("admin.site.changed_meanwhile"))
    if not change.changes:
        flash(t("admin.site.unchanged"), "info")
        return redirect(url_for("admin.edit_site", key=site.key), 303)
    if change.bumps_policy and request.form.get("confirmed") != "yes":
        return render_template(
            "admin/site_confirm.html",
            site=site,
            change=change,
            hidden=form.hidden(),
            revision=services.revision(site),
            action=url_for("admin.save_site", key=site.key),
        )
    services.apply_change(db.session, change, actor())
    db.session.commit()
    if change.bumps_policy:
        flash(t("admin.site.saved_bumped", version=site.policy_version), "success")
    else:
        flash(t("admin.site.saved"), "success")
    return redirect(url_for("admin.edit_site", key=site.key), 303)


# ---- the live preview ----------------------------------------------------------------------------------


def _preview(html: str) -> Response:
    response = Response(html, mimetype="text/html")
    # This page alone may be framed, by the admin pages; its widget sends nothing anywhere.
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _preview_lang() -> str:
    lang = request.args.get("lang", "")
    return lang if lang in PREVIEW_LANGUAGES else "nl"


@bp.route("/sites/<key>/preview", methods=["GET", "POST"])
@admin_required
def preview(key: str) -> Response:
    """The banner as visitors will see it: the saved configuration (GET) or the form's draft (POST)."""
    site = visible_site(key)
    lang = _preview_lang()
    problems: list[str] = []
    config = None
    if request.method == "GET":
        config = preview_config(site)
    else:
        form = SiteForm.from_form(request.form, site.key, t)
        document = keep_unshown(form.document(), services.export_site(site))
        problems = list(form.general) + list(dict.fromkeys(form.errors.values()))
        if not problems:
            try:
                change = services.plan_change(site, document)
            except DomainError as exc:
                problems = list(dict.fromkeys(localized_fields(exc.fields).values())) or [
                    localized(exc.message)
                ]
            else:
                # Built from the draft exactly as the widget route builds it, then never saved.
                apply_document(db.session, site, change.doc)
                config = preview_config(site)
        db.session.rollback()
    if config is not None and lang not in site_languages(config):
        lang = "nl" if lang == "en" else "en"
    page = render_template(
        "admin/preview_frame.html",
        site_name=site.name if request.method == "GET" else printable(request.form.get("name", ""), 200),
        lang=lang,
        config=config,
        config_element=PREVIEW_CONFIG_ELEMENT,
        problems=problems,
    )
    return _preview(page)


def site_languages(config: str) -> list[str]:
    return list(json.loads(config).get("t", {}))


@bp.get("/preview/widget.js")
@admin_required
def preview_widget() -> Response:
    response = Response(preview_script(), mimetype="application/javascript")
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- import and export ---------------------------------------------------------------------------------


@bp.get("/sites/<key>/export.json")
@admin_required
def export_site(key: str) -> Response:
    site = visible_site(key)
    document = services.export_document(site, actor())
    db.session.commit()
    body = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{site.key}.json"'
    return response


def _import_page(status: int = 200, **context: Any) -> tuple[str, int]:
    context.setdefault("text", "")
    context.setdefault("errors", [])
    return render_template("admin/site_import.html", **context), status


def _import_text() -> tuple[str | None, str | None]:
    """The uploaded file's text, else the pasted text; or an error message."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        raw = upload.stream.read(MAX_IMPORT_BYTES + 1)
        if len(raw) > MAX_IMPORT_BYTES:
            return None, t("admin.import.too_large", size=MAX_IMPORT_BYTES // 1024)
        try:
            return raw.decode("utf-8"), None
        except UnicodeDecodeError:
            return None, t("admin.import.not_utf8")
    text = request.form.get("text", "")
    if len(text) > MAX_IMPORT_BYTES:
        return None, t("admin.import.too_large", size=MAX_IMPORT_BYTES // 1024)
    if not text.strip():
        return None, t("admin.import.empty")
    return text, None


def _shown(text: str) -> str:
    """Pasted text to show again: lines kept, other control characters (NUL...) left out."""
    return "".join(char for char in text if char in "\n\t" or unicodedata.category(char)[0] != "C")


@bp.route("/sites/import", methods=["GET", "POST"])
@admin_required
def import_site() -> ResponseReturnValue:
    if request.method == "GET":
        return _import_page()
    text, error = _import_text()
    shown = _shown(text or "")
    if request.form.get("action") == "back":  # from the confirmation page: the form again, text kept
        return _import_page(text=shown)
    if error or text is None:
        return _import_page(422, text=shown, errors=[("", error or "")])
    try:
        data = json.loads(text)
    except ValueError as exc:
        return _import_page(422, text=shown, errors=[("", t("admin.import.not_json", detail=str(exc)))])
    try:
        change = services.plan_import(db.session, data)
    except DomainError as exc:
        db.session.rollback()
        fields = localized_fields(exc.fields)
        return _import_page(422, text=shown, errors=list(fields.items()) or [("", localized(exc.message))])
    site = change.site
    if site is not None and not change.changes:
        flash(t("admin.site.unchanged"), "info")
        return redirect(url_for("admin.edit_site", key=site.key), 303)
    if site is not None and change.bumps_policy and request.form.get("confirmed") != "yes":
        return render_template(
            "admin/site_confirm.html",
            site=site,
            change=change,
            hidden=[("text", text)],
            revision=services.revision(site),
            action=url_for("admin.import_site"),
        )
    if site is not None and request.form.get("revision", services.revision(site)) != services.revision(site):
        return _import_page(409, text=shown, errors=[("", t("admin.site.changed_meanwhile"))])
    saved = services.apply_change(db.session, change, actor(), action="site.import")
    db.session.commit()
    flash(t("admin.import.done", name=saved.name, version=saved.policy_version), "success")
    return redirect(url_for("admin.edit_site", key=saved.key), 303)


# ---- cookie scans --------------------------------------------------------------------------------------


@bp.post("/sites/<key>/scans")
@admin_required
def start_scan(key: str) -> ResponseReturnValue:
    from ..scan.services import run_scan_in_background
    from ..scan.services import start_scan as start

    site = visible_site(key)
    url = request.form.get("url", "").strip()
    pages = request.form.get("pages", "10").strip()
    try:
        scan = start(db.session, site, url, int(pages) if pages.isdigit() and len(pages) < 5 else 0, actor())
    except DomainError as exc:
        db.session.rollback()
        message = t("admin.scan.running") if exc.code == "scan_running" else t("admin.scan.invalid")
        flash(message, "error")
        return redirect(url_for("admin.edit_site", key=site.key, _anchor="scans"), 303)
    db.session.commit()
    run_scan_in_background(current_app._get_current_object(), scan.id)  # type: ignore[attr-defined]
    flash(t("admin.scan.started_note"), "success")
    return redirect(url_for("admin.scan", key=site.key, scan_id=scan.id), 303)


@bp.get("/sites/<key>/scans/<int:scan_id>")
@admin_required
def scan(key: str, scan_id: int) -> str:
    from ..scan.services import get_scan

    site = visible_site(key)
    try:
        found = get_scan(db.session, site, scan_id)
    except DomainError:
        abort(404)
    return render_template("admin/scan.html", site=site, scan=found, report=found.report or {})


@bp.post("/sites/<key>/scans/<int:scan_id>/proposals")
@admin_required
def add_proposals(key: str, scan_id: int) -> ResponseReturnValue:
    from ..scan.services import add_proposals as add
    from ..scan.services import get_scan, proposals_from_scan

    site = visible_site(key)
    try:
        found = get_scan(db.session, site, scan_id)
    except DomainError:
        abort(404)
    chosen = request.form.getlist("proposal")[:200]
    back = url_for("admin.scan", key=site.key, scan_id=found.id)
    if not chosen:
        flash(t("admin.scan.none_chosen"), "error")
        return redirect(back, 303)
    try:
        proposals: list[Mapping[str, Any]] = list(proposals_from_scan(found, chosen))
        site, added = add(db.session, site, proposals, actor())
    except DomainError as exc:
        db.session.rollback()
        details = "; ".join(localized_fields(exc.fields).values()) or localized(exc.message)
        flash(t("admin.scan.refused", detail=details), "error")
        return redirect(back, 303)
    db.session.commit()
    if added:
        flash(t("admin.scan.added", names=", ".join(added), version=site.policy_version), "success")
    else:
        flash(t("admin.scan.nothing_added"), "info")
    return redirect(back, 303)
