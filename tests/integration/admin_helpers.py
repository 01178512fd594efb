"""What the admin tests share: an admin's test client, and forms read from a page as a browser sends them.

fields = form_fields(page_html, "site-form")      # [(name, value), ...] as the browser would post
fields = with_values(fields, {"texts.nl.title": "Nieuw"})
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from consent_server.extensions import db
from consent_server.models import AuditLog

Fields = list[tuple[str, str]]


class _Forms(HTMLParser):
    """Every form of a page with its successful controls (text inputs, checked boxes, selects, textareas)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: list[Any] | None = None
        self._textarea: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = {"id": a.get("id", ""), "action": a.get("action", ""), "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and "name" in a and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and "name" in a:
            self._select = (a["name"], [])
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and "name" in a:
            self._textarea = [a["name"], ""]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select is not None:
            value = self._option[0] if self._option[0] is not None else self._option[2]
            self._select[1].append((value, self._option[1]))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options = self._select
            chosen = [value for value, selected in options if selected] or [options[0][0]] if options else []
            self._form["fields"] += [(name, value) for value in chosen[:1]]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form["fields"].append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_fields(html: str, form: str) -> Fields:
    """The fields the form with this id (or action) posts when submitted without changes."""
    parser = _Forms()
    parser.feed(html)
    for found in parser.forms:
        if form in (found["id"], found["action"]):
            return list(found["fields"])
    raise AssertionError(f"no form {form!r} on the page: {[f['id'] or f['action'] for f in parser.forms]}")


def with_values(fields: Fields, changes: Mapping[str, str | None]) -> MultiDict[str, str]:
    """The fields with some values replaced (None removes the field; new names are added), to post."""
    result: Fields = []
    done = set()
    for name, value in fields:
        if name in changes:
            if name not in done and changes[name] is not None:
                result.append((name, str(changes[name])))
            done.add(name)
        else:
            result.append((name, value))
    result += [
        (name, str(value)) for name, value in changes.items() if name not in done and value is not None
    ]
    return MultiDict(result)


def without(fields: Fields, names: Iterable[str]) -> Fields:
    drop = set(names)
    return [(name, value) for name, value in fields if name not in drop]


def audit(action: str) -> list[AuditLog]:
    """The audit entries with this action, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": False}  # the CSRF check has its own test (test_admin_access)


@pytest.fixture
def admin_user(make_user: Any) -> Any:
    return make_user("admin", email="admin@example.org")


@pytest.fixture
def admin(client: FlaskClient, login_as: Any, admin_user: Any) -> FlaskClient:
    """A test client signed in as an admin."""
    return login_as(admin_user)
