"""Errors raised by corridor.

Every error derives from :class:`CorridorError`; mistakes in what a user gave us
(files, names, options) are also :class:`ValueError`::

    CorridorError
     ├── InputError (also ValueError)         bad input, with every problem listed
     │    ├── DataError                        a data file failed validation
     │    └── UnknownNameError                 a place, asset or dataset name did not resolve
     ├── NoRouteError                          constraints cut every path
     └── InfeasibleError                       an engine could not solve the problem as stated

The CLI maps any ``CorridorError`` to a message on stderr and a non-zero exit (see ``cli.py``);
engines never print.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


class CorridorError(Exception):
    """Base class of every error corridor raises on purpose."""


MAX_SHOWN_TEXT = 80
"""Longest piece of user text quoted back in a message; longer text is clipped with its length."""


def clip(value: object, limit: int = MAX_SHOWN_TEXT) -> str:
    """``repr(value)`` clipped to ``limit`` characters, so a 10 MB name is never echoed whole."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(str(value)):,} characters)"


@dataclass(frozen=True, init=False)
class Problem:
    """One thing wrong with an input: where it is, what was expected and what was found.

    ``source`` is the file (``nodes.csv``, ``scenario.yaml``) or, for a value given to a function,
    the function (``simulate``); ``field`` the column, key or parameter; ``record`` the id of the
    row or item; ``expected``/``got`` the rule and the offending value, when the problem is one.
    Adapters read these fields (the CLI maps a parameter to its flag); nobody parses ``message``.
    ``file`` and ``column`` are the older names of ``source`` and ``field``.
    """

    source: str
    message: str
    line: int | None
    field: str | None
    record: str | None
    expected: str | None
    got: str | None

    def __init__(
        self,
        source: str,
        message: str,
        line: int | None = None,
        field: str | None = None,
        *,
        record: str | None = None,
        expected: str | None = None,
        got: str | None = None,
        column: str | None = None,
    ) -> None:
        # frozen: set the fields once, directly (a validation with 10^5 problems builds 10^5 of these)
        self.__dict__.update(
            source=source,
            message=message,
            line=line,
            field=field if field is not None else column,
            record=record,
            expected=expected,
            got=got,
        )

    @property
    def file(self) -> str:
        return self.source

    @property
    def column(self) -> str | None:
        return self.field

    @property
    def kind(self) -> str:
        """What kind of problem this is, for grouping: the source, field and rule, without the value."""
        rule = self.expected or _VALUES.sub("…", self.message)
        where = f"{self.source} [{self.field}]" if self.field else self.source
        return f"{where}: {rule}"

    def located(self, line: int | None) -> Problem:
        """The same problem at ``line``."""
        return Problem(
            self.source,
            self.message,
            line,
            self.field,
            record=self.record,
            expected=self.expected,
            got=self.got,
        )

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" [{self.field}]"
        return f"{where}: {self.message}"


_VALUES = re.compile(r"'[^']*'|\"[^\"]*\"|(?<![\w.])-?\d[\d,._]*(?:e[+-]?\d+)?(?![\w])")


def group_problems(problems: Iterable[Problem]) -> list[tuple[str, list[Problem]]]:
    """Problems grouped by :attr:`Problem.kind`, largest group first (ties in order of appearance)."""
    groups: dict[str, list[Problem]] = {}
    for p in problems:
        groups.setdefault(p.kind, []).append(p)
    return sorted(groups.items(), key=lambda kv: -len(kv[1]))


MAX_PROBLEMS_IN_TEXT = 50
"""Problems listed in ``str(InputError)``; every one stays in ``.problems``."""


class InputError(CorridorError, ValueError):
    """The input is wrong; ``problems`` lists every problem found, not just the first."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        shown = self.problems[:MAX_PROBLEMS_IN_TEXT]
        more = len(self.problems) - len(shown)
        tail = f"\n  … and {more} more (all in .problems)" if more else ""
        return head + "\n" + "\n".join(f"  {p}" for p in shown) + tail


class DataError(InputError):
    """A network, demand or scenario file failed validation."""


class UnknownNameError(InputError):
    """A name (place, asset, dataset) did not resolve; ``suggestions`` holds close matches."""

    def __init__(self, kind: str, name: str, suggestions: Iterable[str] = ()) -> None:
        self.kind = kind
        self.name = name
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")


class NoRouteError(CorridorError):
    """No path satisfies the constraints; the message says which constraint cut the network."""


class InfeasibleError(CorridorError):
    """An optimisation or simulation could not be carried out as specified."""
