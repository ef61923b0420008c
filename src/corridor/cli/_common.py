"""Options and output helpers shared by every command."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from corridor.errors import CorridorError, InputError, Problem, clip, group_problems

if TYPE_CHECKING:
    from corridor.demand import DemandSet

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_NETWORK = "middle-corridor"


def network_option(func: F) -> F:
    """``--network NAME|PATH`` (default: the bundled Middle Corridor)."""
    return click.option(
        "--network",
        "-n",
        "network",
        default=DEFAULT_NETWORK,
        show_default=True,
        metavar="NAME|PATH",
        help="Bundled network name or a network folder.",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(func)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))


class OutputFile(click.ParamType[Path]):
    """A file to write: checked when the option is parsed — before any work — that its folder
    exists and is writable and that it is not a folder (``corridor.atomic.check_output_file``)."""

    name = "file"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        from corridor.atomic import check_output_file
        from corridor.errors import InputError

        try:
            return check_output_file(value)
        except InputError as exc:
            self.fail(exc.problems[0].message if exc.problems else str(exc), param, ctx)


class OutputFolder(click.ParamType[Path]):
    """A folder to write outputs into (created if missing), checked before any work."""

    name = "folder"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        from corridor.atomic import check_output_folder
        from corridor.errors import InputError

        try:
            return check_output_folder(value)
        except InputError as exc:
            self.fail(exc.problems[0].message if exc.problems else str(exc), param, ctx)


class Limited(click.ParamType[float | int]):
    """A number checked against ``corridor.limits.LIMITS[name]`` when parsed: finite, in range,
    whole where it must be.  ``--growth inf`` or ``-r 10**30`` stops here, naming the flag."""

    def __init__(self, limit: str) -> None:
        from corridor.limits import LIMITS

        self.limit = LIMITS[limit]
        self.name = "integer" if self.limit.integer else "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float | int:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number: float | int = value
        else:
            text = str(value).strip()
            try:
                number = int(text) if self.limit.integer else float(text)
            except ValueError:
                try:
                    number = float(text)
                except ValueError:
                    self.fail(f"expected {self.name}, got {clip(text)}", param, ctx)
        problem = self.limit.problem(number)
        if problem is not None:
            self.fail(f"must be {problem.expected} ({self.limit.reason}); got {problem.got}", param, ctx)
        return int(number) if self.limit.integer else float(number)


def limited(limit: str) -> Limited:
    """The option type of a parameter with a documented range (``type=limited("replications")``)."""
    return Limited(limit)


# where an engine parameter is a CLI flag by another name; every other parameter is ``--name``
# with '_' as '-'.  The one place engine field names become flags.
_FLAGS = {"replications": "--replications/-r", "alternatives": "--alternatives/-k", "max_maps": "--maps"}


def flag_of(field: str) -> str:
    """The command-line flag of an engine parameter (``warmup_days`` → ``--warmup-days``)."""
    return _FLAGS.get(field, "--" + field.replace("_", "-"))


MAX_PROBLEMS_SHOWN = 50


def format_problems(
    problems: Sequence[Problem], *, show_all: bool = False, limit: int = MAX_PROBLEMS_SHOWN, hint: str = ""
) -> str:
    """Problems grouped by kind with counts, the first ``limit`` lines shown (all with ``show_all``).

    A problem whose source is a function (a parameter problem) is shown under its flag name."""
    lines: list[str] = []
    shown = 0
    groups = group_problems(problems)
    for kind, members in groups:
        if len(groups) > 1 or len(members) > 1:
            lines.append(f"  {len(members)} × {_cut(kind)}")
        for p in members:
            if not show_all and shown >= limit:
                break
            lines.append(f"    {_cut(_render(p))}" if len(groups) > 1 or len(members) > 1 else f"  {_cut(_render(p))}")
            shown += 1
    if not show_all and shown < len(problems):
        lines.append(f"  … {len(problems) - shown} more not shown{hint}")
    return "\n".join(lines)


# problem sources that are engine functions (their fields are parameters, shown as flags)
ENGINE_SOURCES = frozenset({"parameter", "route", "simulate", "assign", "capacity", "appraise", "compare"})


def _render(p: Problem) -> str:
    if p.source in ENGINE_SOURCES and p.field:
        return f"{flag_of(p.field)}: {p.message}"
    return str(p)


def _cut(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 1] + f"… ({len(text):,} characters)"


def format_error(exc: CorridorError, *, show_all: bool = False, hint: str = "") -> str:
    """``error: …`` with the problems of an :class:`InputError` grouped and capped."""
    if isinstance(exc, InputError) and exc.problems:
        head = _cut(Exception.__str__(exc))
        return f"error: {head}\n{format_problems(exc.problems, show_all=show_all, hint=hint)}"
    return f"error: {_cut(str(exc), 2000)}"


_SCHEDULER = re.compile(r"^(tcp|tls|ucx|ws|wss|inproc)://[A-Za-z0-9._\-\[\]:]+$")


class SchedulerAddress(click.ParamType[str]):
    """A Dask scheduler address (``tcp://host:8786``), checked before the network is even read."""

    name = "address"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if not _SCHEDULER.match(text):
            self.fail(f"expected an address such as tcp://host:8786, got {clip(text)}", param, ctx)
        return text


def work_limit_option(func: F) -> F:
    """``--no-work-limit``: run a simulation even when its estimated size exceeds the limit."""
    return click.option(
        "--work-limit/--no-work-limit",
        "work_limit",
        default=True,
        show_default=True,
        help="Refuse a run estimated above 2x10^9 events before it starts (see docs/limits.md).",
    )(func)


def check_simulation_work(
    demand: DemandSet, *, growth: float, days: int, warmup_days: int, replications: int, enforce: bool
) -> None:
    """Estimate a simulation's events from the demand and refuse one over the limit before it starts."""
    from corridor.limits import MAX_SIM_EVENTS, simulation_work
    from corridor.sim import SimRules

    rules = SimRules()
    volumes = [
        (f.volume * growth, rules.cohort_teu if f.cargo == "container" else rules.cohort_t) for f in demand.flows
    ]
    work = simulation_work(
        volumes,
        days=days,
        warmup_days=warmup_days,
        replications=replications,
        min_cohorts_per_year=rules.min_cohorts_per_year,
    )
    if enforce and work.too_large:
        raise InputError(
            f"this simulation would run about {work.events:.2g} events ({work.cohorts_per_replication:.2g} "
            f"cohorts per replication x {replications} replications); the limit is {MAX_SIM_EVENTS:.2g}. "
            "Lower --replications, --days or --growth, or pass --no-work-limit to run it anyway",
            [
                Problem(
                    "simulate",
                    "estimated work over the limit",
                    field="replications",
                    expected=f"at most {MAX_SIM_EVENTS:.2g} events",
                    got=f"{work.events:.2g} events",
                )
            ],
        )
