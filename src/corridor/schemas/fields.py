"""The docs' field tables, generated from the result models so they cannot drift from ``--json``.

A document marks a table with ``<!-- fields: KIND -->`` … ``<!-- /fields -->``; between the marks
goes :func:`field_table` of that kind: one row per top-level key with its JSON type and the field's
``description``, and for objects and lists of objects the keys inside (two levels deep).
``tests/schemas/test_field_tables.py`` checks every marked table and ``make docs`` rewrites them.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel

from corridor.schemas import model

MARK = re.compile(r"(<!-- fields: (?P<kind>[a-z_]+) -->\n)(?P<body>.*?)(<!-- /fields -->)", re.S)


def _args(tp: Any) -> tuple[Any, ...]:
    return tuple(a for a in typing.get_args(tp) if a is not type(None))


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (Union, types.UnionType)


def _inner_model(tp: Any) -> type[BaseModel] | None:
    """The model inside ``tp`` (itself, in a list, a dict's values or an optional), if any."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for arg in _args(tp):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def type_name(tp: Any) -> str:
    """A JSON type for a reader: ``number``, ``string | null``, ``list of object``, ``object``."""
    if _is_union(tp):
        names = [type_name(a) for a in _args(tp)]
        nullable = type(None) in typing.get_args(tp)
        return " \\| ".join(dict.fromkeys(names)) + (" \\| null" if nullable else "")
    origin = typing.get_origin(tp)
    if origin is Literal:
        return " \\| ".join(f"`{v}`" for v in typing.get_args(tp))
    if origin in (list, tuple):
        inner = _args(tp)
        return f"list of {type_name(inner[0])}" if inner else "list"
    if origin is dict:
        inner = _args(tp)
        return f"map of {type_name(inner[1])}" if len(inner) == 2 else "object"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "object"
    simple = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null"}
    return simple.get(tp, "any") if isinstance(tp, type) else "any"


def _keys(cls: type[BaseModel], depth: int) -> str:
    parts = []
    for name, info in cls.model_fields.items():
        key = info.alias or name
        inner = _inner_model(info.annotation)
        if inner is not None and depth > 1:
            parts.append(f"`{key}` {{{_keys(inner, depth - 1)}}}")
        else:
            parts.append(f"`{key}`")
    return ", ".join(parts)


def field_table(kind: str) -> str:
    """The markdown table of one result kind's top-level keys (``schema`` first)."""
    cls = model(kind)
    rows = ["| key | type | content |", "|---|---|---|"]
    for name, info in cls.model_fields.items():
        key = info.alias or name
        text = (info.description or "").strip()
        if key == "schema":
            text = text or f"`{cls.schema_id()}`: the document's kind and version"
        inner = _inner_model(info.annotation)
        if inner is not None:
            keys = _keys(inner, 2)
            text = f"{text}: {keys}" if text else keys
        kind_of = "string" if key == "schema" else type_name(info.annotation)
        rows.append(f"| `{key}` | {kind_of} | {text} |")
    return "\n".join(rows) + "\n"


def regenerate(text: str) -> str:
    """``text`` with every marked field table replaced by its generated form."""
    return MARK.sub(lambda m: m.group(1) + field_table(m.group("kind")) + m.group(4), text)


__all__ = ["MARK", "field_table", "regenerate", "type_name"]
