"""The ``corridor`` command line: parse, call one library function, render.

Errors are mapped to messages in one place, :func:`main`: a :class:`CorridorError` (bad input,
no route, infeasible problem) prints ``error: …`` with every problem and exits 1; click's usage
errors exit 2.  No user mistake produces a traceback.
"""

from __future__ import annotations

import importlib
import signal
import sys
import threading
from typing import Any

import click

from corridor.cli._common import format_error
from corridor.errors import CorridorError


class _LazyGroup(click.Group):
    """A group whose commands are imported when first used: ``corridor route`` then pays only for
    routing's imports, not for the solver, the simulator and the report stack (start-up time).
    Commands added with ``add_command`` work as usual."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, attr = self.lazy[cmd_name].split(":")
            found = getattr(importlib.import_module(module), attr)
            self.add_command(found if isinstance(found, click.Command) else found(), cmd_name)
        return super().get_command(ctx, cmd_name)


def network_commands() -> click.Command:
    """``corridor network …`` with its ``import-osm`` subcommand."""
    from corridor.cli.network import network_group
    from corridor.cli.network_osm import import_osm_command

    network_group.add_command(import_osm_command)
    return network_group


#: command name → "module:attribute" of its click command, or of a function returning it (imported on first use)
LAZY_COMMANDS: dict[str, str] = {
    "network": "corridor.cli:network_commands",
    "demo": "corridor.cli.demo:demo_command",
    "capacity": "corridor.cli.capacity:capacity_command",
    "route": "corridor.cli.route:route_command",
    "compare": "corridor.cli.compare:compare_command",
    "appraise": "corridor.cli.appraise:appraise_command",
    "report": "corridor.cli.report:report_command",
    "simulate": "corridor.cli.simulate:simulate_command",
    "schema": "corridor.cli.schema:schema_command",
    "serve": "corridor.cli.serve:serve_command",
    "db": "corridor.cli.serve:db_group",
    "user": "corridor.cli.users:user_group",
    "token": "corridor.cli.users:token_group",
    "track": "corridor.cli.track:track_group",
}


@click.group(
    cls=_LazyGroup,
    lazy=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="corridor")
def cli() -> None:
    """Plan, quote and simulate freight on the Middle Corridor (TITR) and any multimodal corridor."""


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so every atomic write removes its temporary on the way out."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and turn corridor's errors into a message and an exit code.

    Problems are grouped by kind and capped at 50 lines (``--all`` anywhere on the command line
    shows every one).  An operating-system error (a file that cannot be read) or an input too deep
    or too large for memory is a message too, never a traceback.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    show_all = "--all" in args
    previous = signal.getsignal(signal.SIGTERM)
    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread:
        signal.signal(signal.SIGTERM, _terminate)
    try:
        cli.main(args=args, prog_name="corridor", standalone_mode=False)
    except CorridorError as exc:
        validating = [a for a in args if not a.startswith("-")][:2] == ["network", "validate"]
        hint = " (all with --all, or --problems FILE)" if validating else ""
        click.echo(format_error(exc, show_all=show_all, hint=hint), err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        click.echo("interrupted; nothing was written half-way", err=True)
        return 130
    except OSError as exc:
        name = f" {exc.filename!r}" if exc.filename else ""
        click.echo(f"error: cannot access{name}: {exc.strerror or exc}", err=True)
        return 1
    except RecursionError:
        click.echo("error: the input is nested too deeply to read", err=True)
        return 1
    except MemoryError:
        click.echo("error: out of memory; reduce the input (flows, replications, days) and retry", err=True)
        return 1
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    return 0


if __name__ == "__main__":
    sys.exit(main())
