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

from collections.abc import Iterable
from dataclasses import dataclass


class CorridorError(Exception):
    """Base class of every error corridor raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f" [{self.column}]"
        return f"{where}: {self.message}"


class InputError(CorridorError, ValueError):
    """The input is wrong; ``problems`` lists every problem found, not just the first."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        return head + "\n" + "\n".join(f"  {p}" for p in self.problems)


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
