"""The JSON form of equipment-number checks (``corridor track check --json``): ISO 6346 containers, UIC wagons."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape


class EquipmentNumber(Shape):
    """One number as given: valid (kind, normalised number, display form) or not (the problems)."""

    input: str
    valid: bool
    kind: str | None = None
    number: str | None = None
    display: str | None = None
    problems: list[str] | None = None


class EquipmentCheck(Document):
    KIND: ClassVar[str] = "equipment-check"
    VERSION: ClassVar[int] = 1
    schema_: Literal["corridor.equipment-check/1"] = Field(alias="schema")
    numbers: list[EquipmentNumber]
