"""Reading YAML with line numbers, so a scenario's problems can name the line of the bad key or value.

:func:`read_yaml` returns plain Python values in which every mapping is a :class:`LineMap`: a
``dict`` that also remembers the line of itself, of each key and of each value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from corridor.errors import DataError, Problem


class LineMap(dict[str, Any]):
    """A mapping from a YAML file with the 1-based line of itself, its keys and its values."""

    line: int
    key_lines: dict[str, int]
    value_lines: dict[str, int]

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines = {}
        self.value_lines = {}

    def key_line(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def value_line(self, key: str) -> int:
        return self.value_lines.get(key, self.key_line(key))


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """A safe loader whose mappings are :class:`LineMap` and which rejects duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    out = LineMap(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in out:
            raise _DuplicateKey(
                "while reading a mapping", node.start_mark, f"found duplicate key {key!r}", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
        out.value_lines[key] = value_node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse ``path``; malformed YAML raises :class:`DataError` with the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path} is not valid UTF-8", [Problem(path.name, f"not valid UTF-8 at byte {exc.start}")]
        ) from None
    return parse_yaml(text, path.name)


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML text; ``file`` names it in problems."""
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader derives from SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        context = exc.context or ""
        if exc.context_mark is not None and mark is not exc.context_mark:
            context += f" (which starts on line {exc.context_mark.line + 1})"
        what = ", ".join(p for p in (context.strip(), exc.problem) if p)
        raise DataError(f"{file} is not valid YAML", [Problem(file, f"malformed YAML: {what}", line=line)]) from None
    except yaml.YAMLError as exc:
        raise DataError(f"{file} is not valid YAML", [Problem(file, f"malformed YAML: {exc}")]) from None
