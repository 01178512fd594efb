"""Records: the audit log, data-subject requests (look up a consent id, its receipt, erase its
analytics) and the data inventory a privacy officer needs (GDPR art. 30)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..auth.access import admin_required
from ..auth.i18n import t
from ..auth.services import printable
from ..errors import DomainError
from ..extensions import db
from ..timeutil import utcnow
from . import services
from .blueprint import actor, bp

CONSENT_ID = re.compile(services.CONSENT_ID)
MAX_FILTER_LENGTH = 254
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# ---- the audit log -------------------------------------------------------------------------------------


def _filter_text(name: str, errors: dict[str, str]) -> str:
    value = request.args.get(name, "")
    if len(value) > MAX_FILTER_LENGTH:
        errors[name] = t("form.too_long", max=MAX_FILTER_LENGTH)
    elif printable(value, MAX_FILTER_LENGTH) != value:
        errors[name] = t("admin.error.control")
    return printable(value.strip(), MAX_FILTER_LENGTH)


def _filter_date(name: str, errors: dict[str, str]) -> date | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        if not DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = t("admin.audit.date_invalid")
        return None


@bp.get("/audit")
@admin_required
def audit() -> tuple[str, int]:
    errors: dict[str, str] = {}
    filters = services.AuditFilter(
        actor=_filter_text("actor", errors),
        action=_filter_text("action", errors),
        target=_filter_text("target", errors),
        since=_filter_date("from", errors),
        until=_filter_date("to", errors),
    )
    page_text = request.args.get("page", "1")
    page = int(page_text) if page_text.isdigit() and len(page_text) < 7 else 1
    if filters.since and filters.until and filters.since > filters.until:
        errors["to"] = t("admin.audit.date_order")
    query = {
        "actor": filters.actor,
        "action": filters.action,
        "target": filters.target,
        "from": request.args.get("from", "") if "from" not in errors else "",
        "to": request.args.get("to", "") if "to" not in errors else "",
    }
    result = None if errors else services.audit_page(db.session, filters, page)
    page_html = render_template(
        "admin/audit.html",
        filters=filters,
        query={name: value for name, value in query.items() if value},
        shown=query,
        errors=errors,
        result=result,
        retention=current_app.config["SECURITY_LOG_RETENTION_MONTHS"],
        details=audit_details,
    )
    return page_html, 422 if errors else 200


def audit_details(details: dict[str, Any] | None) -> list[tuple[str, str]]:
    """An entry's details as (name, text) lines; a change as `path: before → after`."""
    lines: list[tuple[str, str]] = []
    for name, value in (details or {}).items():
        if name == "changes" and isinstance(value, dict):
            for path, change in list(value.items())[:60]:
                if isinstance(change, dict):
                    text = f"{_short(change.get('before'))} → {_short(change.get('after'))}"
                else:
                    text = _short(change)
                lines.append((str(path), text))
            if len(value) > 60:
                lines.append(("…", t("admin.audit.more_changes", count=len(value) - 60)))
        elif isinstance(value, dict) and set(value) == {"before", "after"}:
            lines.append((name, f"{_short(value['before'])} → {_short(value['after'])}"))
        else:
            lines.append((name, _short(value)))
    return lines


def _short(value: Any, limit: int = 200) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- data subjects -------------------------------------------------------------------------------------


@bp.get("/consents")
@admin_required
def consents() -> ResponseReturnValue:
    """Look up a consent id; found -> its receipt page; not found -> said so (and audited)."""
    raw = request.args.get("consent_id")
    if raw is None:
        return render_template("admin/consents.html", consent_id="", error=None, missing=False)
    consent_id = raw.strip().lower()
    if not CONSENT_ID.match(consent_id):
        error = t("admin.consent.id_invalid")
        return render_template(
            "admin/consents.html", consent_id=printable(raw, 64), error=error, missing=False
        ), 422
    if not services.consent_exists(db.session, consent_id):
        services.record_lookup_miss(consent_id, actor())
        db.session.commit()
        return render_template("admin/consents.html", consent_id=consent_id, error=None, missing=True), 200
    return redirect(url_for("admin.consent", consent_id=consent_id), 303)  # the receipt page audits the view


def _known_id(consent_id: str) -> str | None:
    consent_id = consent_id.lower()
    return consent_id if CONSENT_ID.match(consent_id) else None


def _lookup_again(consent_id: str) -> ResponseReturnValue:
    # An id with nothing recorded: back to the lookup form, which says so.
    return redirect(url_for("admin.consents", consent_id=consent_id[:64]), 303)


@bp.get("/consents/<consent_id>")
@admin_required
def consent(consent_id: str) -> ResponseReturnValue:
    known = _known_id(consent_id)
    if known is None:
        return _lookup_again(consent_id)
    try:
        receipt = services.consent_receipt(db.session, known, actor())
    except DomainError:
        db.session.rollback()
        return _lookup_again(known)
    db.session.commit()
    return render_template("admin/consent.html", receipt=receipt)


@bp.get("/consents/<consent_id>/receipt.json")
@admin_required
def consent_export(consent_id: str) -> ResponseReturnValue:
    known = _known_id(consent_id)
    if known is None:
        return _lookup_again(consent_id)
    try:
        receipt = services.consent_receipt(db.session, known, actor(), action="consent.export")
    except DomainError:
        db.session.rollback()
        return _lookup_again(known)
    db.session.commit()
    response = Response(json.dumps(receipt, indent=2, ensure_ascii=False) + "\n", mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="consent-{known}.json"'
    return response


@bp.route("/consents/<consent_id>/erase", methods=["GET", "POST"])
@admin_required
def erase_consent(consent_id: str) -> ResponseReturnValue:
    known = _known_id(consent_id)
    if known is None:
        return _lookup_again(consent_id)
    if request.method == "GET":
        return render_template("admin/consent_erase.html", consent_id=known)
    try:
        erased = services.erase_consent(db.session, known, actor(), utcnow())
    except DomainError:
        db.session.rollback()
        return _lookup_again(known)
    db.session.commit()
    total = sum(erased.values())
    flash(t("admin.consent.erased", count=total), "success")
    return redirect(url_for("admin.consent", consent_id=known), 303)


# ---- the data inventory --------------------------------------------------------------------------------


@bp.get("/data")
@admin_required
def data() -> str:
    record = services.inventory(db.session, db.metadata.tables)
    config = current_app.config
    numbers = {
        "analytics": config["ANALYTICS_RETENTION_MONTHS"],
        "consent": config["CONSENT_LOG_RETENTION_MONTHS"],
        "security": config["SECURITY_LOG_RETENTION_MONTHS"],
        "users": config["USER_RETENTION_DAYS"],
        "salt": t(f"admin.data.salt_period.{config.get('SALT_PERIOD', 'day')}"),
    }
    return render_template("admin/data.html", inventory=record, numbers=numbers)
