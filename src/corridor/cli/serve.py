"""``corridor serve`` and ``corridor db upgrade``: run the service, migrate its database."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from corridor.errors import InputError

DEFAULT_DATA_DIR = Path("corridor-data")


def _settings(
    data_dir: Path, db: str | None, workers: int, scheduler: str | None, insecure_cookies: bool, rate_limit: int
) -> object:
    from corridor.service import Settings

    return Settings(
        data_dir=data_dir.resolve(), db_url=db or "", workers=workers, scheduler=scheduler,
        secure_cookies=not insecure_cookies, rate_limit_per_minute=rate_limit,
    )  # fmt: skip


def check_db(url: str) -> None:
    from corridor.service.migrate import current, head

    try:
        rev = current(url)
    except Exception as exc:  # the driver's own error names the problem
        raise InputError(f"cannot open the database {url!r}: {type(exc).__name__}: {exc}") from None
    if rev != head():
        raise InputError(
            f"the database is at migration {rev or 'none'}, this corridor needs {head()}; run `corridor db upgrade`"
        )


db_option = click.option(
    "--db", "db", default=None, metavar="URL", help="SQLAlchemy URL (default: SQLite in the data dir)."
)
data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_DATA_DIR, show_default=True,
    help="Directory for the SQLite database and the file store.",
)  # fmt: skip


@click.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told otherwise)."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@db_option
@data_dir_option
@click.option(
    "--workers", type=click.IntRange(1, 256), default=2, show_default=True, help="Local job worker processes."
)
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT", help="Run jobs on this Dask scheduler.")
@click.option(
    "--rate-limit", type=click.IntRange(0, 10**9), default=6000, show_default=True, metavar="N",
    help="Requests per minute per token (per serving process); over it is 429. 0 disables.",
)  # fmt: skip
@click.option("--insecure-cookies", is_flag=True, help="Session cookies without Secure (plain-HTTP loopback only).")
@click.option(
    "--log-level", type=click.Choice(["debug", "info", "warning", "error"]), default="info", show_default=True
)
def serve_command(
    host: str, port: int, db: str | None, data_dir: Path, workers: int, scheduler: str | None,
    rate_limit: int, insecure_cookies: bool, log_level: str,
) -> None:  # fmt: skip
    """Serve the corridor API (OpenAPI at /openapi.json, docs at /docs) with uvicorn."""
    import uvicorn

    from corridor.service import Settings, create_app
    from corridor.service.middleware import JsonLogFormatter

    settings = _settings(data_dir, db, workers, scheduler, insecure_cookies, rate_limit)
    assert isinstance(settings, Settings)
    check_db(settings.database_url)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter())
    for name in ("corridor", "uvicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers = [handler]
        lg.setLevel(log_level.upper())
        lg.propagate = False
    app = create_app(settings)
    click.echo(f"corridor serving http://{host}:{port} (database {settings.database_url})", err=True)
    # httptools' C parser and uvloop's event loop (both pinned) take ~40% less CPU per request than
    # h11 and asyncio's loop (docs/design/service.md, benchmarks/service.py)
    uvicorn.run(
        app, host=host, port=port, log_config=None, access_log=False, server_header=False,
        http="httptools", loop="uvloop",
    )  # fmt: skip


@click.group("db")
def db_group() -> None:
    """The service's database."""


@db_group.command("upgrade")
@db_option
@data_dir_option
def db_upgrade(db: str | None, data_dir: Path) -> None:
    """Create or migrate the database to this corridor's schema."""
    from corridor.service import Settings
    from corridor.service.migrate import current, head, upgrade

    settings = Settings(data_dir=data_dir.resolve(), db_url=db or "")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        upgrade(settings.database_url)
        click.echo(f"database at {current(settings.database_url)} (head {head()})")
    except Exception as exc:
        raise InputError(f"cannot migrate {settings.database_url!r}: {type(exc).__name__}: {exc}") from None
