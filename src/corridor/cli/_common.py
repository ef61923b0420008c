"""Options and output helpers shared by every command."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

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
