"""Every CLI command has help text and is documented (sqlite-utils' tests/test_docs.py pattern)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from corridor.cli import cli

ROOT = Path(__file__).parents[1]


def _commands(group: click.Group, prefix: str = "corridor") -> Iterator[tuple[str, click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # through click's API: top-level commands load lazily
        command = group.get_command(ctx, name)
        assert command is not None, name
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


COMMANDS = list(_commands(cli))


def _docs() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    )


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_has_help_and_is_documented(path: str, command: click.Command) -> None:
    assert (command.help or "").strip(), f"{path} has no help text"
    result = CliRunner().invoke(cli, [*path.split()[1:], "--help"])
    assert result.exit_code == 0, result.output
    assert path in _docs(), f"{path} is not mentioned in README.md or docs/"
