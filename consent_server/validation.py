"""Declared schemas at the edge: one base model and one way to turn pydantic errors into ours."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import InvalidInput

Model = TypeVar("Model", bound=BaseModel)


class Strict(BaseModel):
    """Unknown fields and loose types (\"1\" for 1, 1 for true) are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


def validate(model: type[Model], data: Any, message: str = "The request is not valid.") -> Model:
    """Validate data against a schema. Raises InvalidInput with one message per offending field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(message, fields=error_fields(exc)) from None


def error_fields(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        path = ""
        for part in error["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        fields[path or "body"] = error["msg"]
    return fields
