"""What the tracker may send to the collector. Everything bounded."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from ..sites.schemas import SITE_KEY_PATTERN
from ..validation import Strict

PropValue = Annotated[str, StringConstraints(max_length=200)] | int | float | bool
PropKey = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class CollectIn(Strict):
    site: Annotated[str, StringConstraints(pattern=SITE_KEY_PATTERN)]
    token: Annotated[str, StringConstraints(min_length=1, max_length=2048)]
    type: Literal["pageview", "event", "engagement"]
    url: Annotated[str, StringConstraints(min_length=1, max_length=2048)]
    referrer: Annotated[str, StringConstraints(max_length=2048)] | None = None
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)] | None = None
    props: Annotated[dict[PropKey, PropValue], Field(max_length=30)] | None = None
    engaged_ms: Annotated[int, Field(ge=0, le=86_400_000)] | None = None
    screen: Literal["mobile", "tablet", "laptop", "desktop"] | None = None

    @model_validator(mode="after")
    def _fields_of_the_type(self) -> CollectIn:
        if self.type == "event" and not self.name:
            raise ValueError("an event needs a name")
        if self.type == "engagement" and self.engaged_ms is None:
            raise ValueError("an engagement needs engaged_ms")
        if self.type != "event" and (self.name or self.props):
            raise ValueError("only events carry a name and props")
        return self
