"""The admin blueprint and what its views share: the admin check, refusals in the admin's language.

Every route under /admin is for admins only (POLICY "admin" in auth/access.py, and `admin_required`
on each view); a marketing user gets 404 as for a page that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask import Blueprint

from ..auth.access import current_user
from ..auth.i18n import t
from .messages import ADMIN_MESSAGES  # importing it registers the admin.* texts

bp = Blueprint("admin", __name__, url_prefix="/admin")
__all__ = ["ADMIN_MESSAGES", "actor", "bp", "localized", "localized_fields"]

# How pydantic and the rules word a refusal -> our message key (with the number it names, if any).
PYDANTIC_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Field required$"), "form.required"),
    (re.compile(r"^String should have at least 1 character"), "form.required"),
    (re.compile(r"^String should have at most (\d+) characters?$"), "form.too_long"),
    (re.compile(r"^String should match pattern"), "admin.error.pattern"),
    (re.compile(r"^Input should be a valid integer"), "admin.error.integer"),
    (re.compile(r"^Input should be greater than or equal to (-?\d+)$"), "admin.error.minimum"),
    (re.compile(r"^Input should be less than or equal to (-?\d+)$"), "admin.error.maximum"),
    (re.compile(r"^Input should be "), "admin.error.choice"),
    (re.compile(r"^Value error, an origin is scheme"), "admin.error.origin"),
    (re.compile(r"^Value error, an origin has no path"), "admin.error.origin_path"),
    (re.compile(r"^Value error, must be an absolute http"), "admin.error.url"),
    (re.compile(r"^List should have at least 1 item"), "admin.error.list_empty"),
    (re.compile(r"^(?:List|Dictionary) should have at most (\d+) items?"), "admin.error.list_long"),
    (re.compile(r"^control characters$"), "admin.error.control"),
]
RULE = re.compile(
    r"^(EDPB-[A-G]|texts|necessary first|unique keys|known category|cookie domain|languages)\b[^:]*: (.*)$"
)


def actor() -> str:
    """Who is acting, for the audit log."""
    return current_user.email


def localized(message: str) -> str:
    """A validator's refusal in the admin's language: the rule named and explained, details kept."""
    rule = RULE.match(message)
    if rule:
        code = rule.group(1).replace(" ", "_")
        return t("admin.rule.refused", rule=t(f"admin.rule.{code}"), detail=rule.group(2))
    for pattern, key in PYDANTIC_MESSAGES:
        match = pattern.match(message)
        if match:
            if key == "form.too_long":
                return t(key, max=match.group(1))
            if key in ("admin.error.minimum", "admin.error.maximum", "admin.error.list_long"):
                return t(key, number=match.group(1))
            return t(key)
    return message


def localized_fields(fields: Mapping[str, str]) -> dict[str, str]:
    return {path: localized(message) for path, message in fields.items()}
