"""The JSON form of an error: an RFC 9457 problem document whose ``problems`` are corridor's
structured :class:`~corridor.errors.Problem` records (file, line, field, record, expected, got)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from corridor.schemas._base import Document, Shape


class ErrorProblem(Shape):
    source: str
    message: str
    line: int | None = None
    field: str | None = None
    record: str | None = None
    expected: str | None = None
    got: str | None = None


class Error(Document):
    """What went wrong, for a machine: the kind (``type``), a one-line ``title``, the full ``detail``
    and every problem found."""

    KIND: ClassVar[str] = "error"
    VERSION: ClassVar[int] = 1
    schema_: Literal["corridor.error/1"] = Field(alias="schema")
    type: str
    title: str
    status: int
    detail: str
    problems: list[ErrorProblem] = Field(default_factory=list)
