"""``corridor schema [KIND]``: the published JSON Schema of every result document."""

from __future__ import annotations

from pathlib import Path

import click

from corridor.atomic import write_text
from corridor.cli._common import OutputFolder, echo_json
from corridor.schemas import SCHEMAS, json_schema


@click.command("schema")
@click.argument("kind", required=False, type=click.Choice(sorted(SCHEMAS)))
@click.option("--out", "out_dir", type=OutputFolder(), default=None, help="Write every schema to DIR/<kind>.json.")
def schema_command(kind: str | None, out_dir: Path | None) -> None:
    """Print the JSON Schema of one result document (route, capacity, simulation, …).

    Every ``--json`` output carries ``"schema": "corridor.<kind>/<version>"`` and validates against
    the schema printed here; the service's OpenAPI is built from the same models.  Without KIND,
    list the kinds and their schema ids; with ``--out DIR``, write them all.
    """
    if out_dir is not None:
        import json

        out_dir.mkdir(parents=True, exist_ok=True)
        for name in sorted(SCHEMAS):
            write_text(out_dir / f"{name}.json", json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n")
        click.echo(f"wrote {len(SCHEMAS)} schemas to {out_dir}")
        return
    if kind is None:
        for name, model in sorted(SCHEMAS.items()):
            click.echo(f"{name:<11} {model.schema_id()}")
        return
    echo_json(json_schema(kind))
