"""The ``corridor`` command line: parse, call one library function, render.

Errors are mapped to messages in one place, :func:`main`: a :class:`CorridorError` (bad input,
no route, infeasible problem) prints ``error: …`` with every problem and exits 1; click's usage
errors exit 2.  No user mistake produces a traceback.
"""

from __future__ import annotations

import signal
import sys
import threading

import click

from corridor.cli._common import format_error
from corridor.cli.network import network_group
from corridor.errors import CorridorError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="corridor")
def cli() -> None:
    """Plan, quote and simulate freight on the Middle Corridor (TITR) and any multimodal corridor."""


cli.add_command(network_group)

from corridor.cli.network_osm import import_osm_command  # noqa: E402

network_group.add_command(import_osm_command)

from corridor.cli.demo import demo_command  # noqa: E402

cli.add_command(demo_command)

from corridor.cli.capacity import capacity_command  # noqa: E402

cli.add_command(capacity_command)

from corridor.cli.route import route_command  # noqa: E402

cli.add_command(route_command)

from corridor.cli.compare import compare_command  # noqa: E402

cli.add_command(compare_command)

from corridor.cli.appraise import appraise_command  # noqa: E402

cli.add_command(appraise_command)

from corridor.cli.report import report_command  # noqa: E402

cli.add_command(report_command)

from corridor.cli.simulate import simulate_command  # noqa: E402

cli.add_command(simulate_command)


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
        click.echo(format_error(exc, show_all=show_all), err=True)
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
