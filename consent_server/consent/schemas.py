"""What the widget may send to the consent API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ..models import Action, Method
from ..sites.schemas import CATEGORY_KEY_PATTERN, SITE_KEY_PATTERN
from ..validation import Strict

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
ConsentId = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
CategoryKey = Annotated[str, StringConstraints(pattern=CATEGORY_KEY_PATTERN)]


class ConsentIn(Strict):
    site: Annotated[str, StringConstraints(pattern=SITE_KEY_PATTERN)]
    consent_id: ConsentId | None = None
    # The token issued for consent_id: proves the choice comes from the visitor who owns that id.
    token: Annotated[str, StringConstraints(max_length=2048)] | None = None
    categories: Annotated[dict[CategoryKey, bool], Field(max_length=32)] = {}
    policy_version: Annotated[int, Field(ge=1, le=1_000_000)]
    action: Action
    method: Method = "banner"
    language: Literal["nl", "en"]
    url: Annotated[str, StringConstraints(max_length=2048)] | None = None
