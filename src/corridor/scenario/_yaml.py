"""Reading YAML with line numbers, so a scenario's problems can name the line of the bad key or value.

:func:`read_yaml` returns plain Python values in which every mapping is a :class:`LineMap`: a
``dict`` that also remembers the line of itself, of each key and of each value.

The loader is PyYAML's safe loader (no ``!!python`` tags) with two bounds checked on the composed
node graph *before* any value is built: nesting depth (``MAX_DEPTH``) and the number of values
after alias expansion (``MAX_NODES``), so neither 20,000 nested ``[`` nor a "billion laughs" of
aliases can exhaust the stack or memory.  A date YAML reads but the calendar lacks (2025-02-30)
is a problem at its line, like any other bad value.
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


MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted (scenarios nest about 4 deep)."""
MAX_NODES = 200_000
"""Most values a file may hold once aliases are expanded (the largest bundled scenario has < 500)."""
MAX_LINE_CHARS = 10_000
"""Longest line of a scenario file (descriptions wrap; a 10 MB one-line name is refused unread)."""
MAX_YAML_BYTES = 16 * 1024 * 1024
"""Largest scenario file read."""


class _Bounded(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """A safe loader whose mappings are :class:`LineMap`, which rejects duplicate keys, and which
    bounds depth and alias expansion before constructing anything."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _Bounded(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> yaml.Node | None:
        node = super().get_single_node()
        if node is not None:
            _check_expanded_size(node)
        return node


def _check_expanded_size(root: yaml.Node) -> None:
    """Count values as construction would see them (an alias counts its whole target again)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a recursive alias counts once; the safe constructor handles cycles
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        total = min(total, MAX_NODES + 1)
        sizes[id(node)] = total
        if total > MAX_NODES:
            raise _Bounded(
                None,
                None,
                f"expands to more than {MAX_NODES:,} values (YAML aliases repeated inside each other?)",
                node.start_mark,
            )
        return total

    size(root)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise _Bounded(None, None, f"{node.value!r} is not a calendar date ({exc})", node.start_mark) from None


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
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_yaml(path: Path) -> Any:
    """Parse ``path``; malformed YAML raises :class:`DataError` with the file and line."""
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise DataError(
                f"{path} is too large",
                [Problem(path.name, f"file of {path.stat().st_size:,} bytes; at most {MAX_YAML_BYTES:,} read")],
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(
            f"cannot read {path}", [Problem(path.name, f"cannot read the file: {exc.strerror or exc}")]
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path} is not valid UTF-8", [Problem(path.name, f"not valid UTF-8 at byte {exc.start}", line=line)]
        ) from None
    for number, row_text in enumerate(text.splitlines(), start=1):
        if len(row_text) > MAX_LINE_CHARS:  # PyYAML would take seconds per megabyte to read it
            raise DataError(
                f"{path.name} has a line too long to be a scenario's",
                [
                    Problem(
                        path.name,
                        f"line of {len(row_text):,} characters; at most {MAX_LINE_CHARS:,}",
                        line=number,
                        expected=f"lines of at most {MAX_LINE_CHARS} characters",
                        got=f"{len(row_text)} characters",
                    )
                ],
            )
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
    except RecursionError:
        raise DataError(f"{file} is not valid YAML", [Problem(file, "nested too deeply")]) from None
