"""The two base classes of every result schema: a closed JSON object, and a versioned document."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class Shape(BaseModel):
    """A JSON object with exactly these keys: an unknown or missing key is a validation error, so a
    result whose JSON form drifts from its declaration fails the schema tests, not a user's parser."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, ser_json_inf_nan="strings")


class Document(Shape):
    """A top-level JSON document: carries ``"schema": "corridor.<KIND>/<VERSION>"`` as its first key."""

    KIND: ClassVar[str]
    VERSION: ClassVar[int]

    @classmethod
    def schema_id(cls) -> str:
        return f"corridor.{cls.KIND}/{cls.VERSION}"
