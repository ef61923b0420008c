"""``corridor user add`` and ``corridor token create|revoke``: bootstrap the service's users."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import click

from corridor.cli.serve import check_db, data_dir_option, db_option
from corridor.errors import InputError

ROLE_CHOICE = click.Choice(["viewer", "analyst", "admin", "integrator"])


def _database(db: str | None, data_dir: Path) -> object:
    from corridor.service import Settings
    from corridor.service.db import Database

    settings = Settings(data_dir=data_dir.resolve(), db_url=db or "")
    check_db(settings.database_url)
    return Database(settings.database_url)


@click.group("user")
def user_group() -> None:
    """Users of the service."""


@user_group.command("add")
@click.argument("username")
@click.option("--org", "org", required=True, help="Organisation (created if new).")
@click.option("--role", type=ROLE_CHOICE, required=True)
@click.option("--password", "password_mode", type=click.Choice(["generate", "prompt", "none"]), default="generate",
              show_default=True, help="Generate a one-time password (printed once), prompt for one, or none (tokens only).")  # fmt: skip
@click.option("--if-missing", is_flag=True, help="Do nothing (exit 0) when the user exists.")
@db_option
@data_dir_option
def user_add(
    username: str, org: str, role: str, password_mode: str, if_missing: bool, db: str | None, data_dir: Path
) -> None:
    """Add USERNAME to an organisation with a role."""
    from sqlalchemy import select

    from corridor.service.auth import add_user
    from corridor.service.db import Database
    from corridor.service.models import User

    password: str | None = None
    if password_mode == "generate":
        password = secrets.token_urlsafe(18)
    elif password_mode == "prompt":
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
        if len(password) < 12:
            raise InputError("the password must have at least 12 characters")
    database = _database(db, data_dir)
    assert isinstance(database, Database)
    try:
        with database.session() as s:
            if if_missing and s.scalars(select(User).where(User.username == username)).first() is not None:
                click.echo(f"user {username} exists (its password was shown when it was added)")
                return
            add_user(s, org, username, role, password)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    finally:
        database.dispose()
    click.echo(f"added {username} ({role}) to {org}")
    if password_mode == "generate":
        click.echo(f"password (shown once): {password}")


@click.group("token")
def token_group() -> None:
    """API tokens of the service."""


@token_group.command("create")
@click.argument("username")
@click.option("--role", type=ROLE_CHOICE, default=None, help="Token role (default: the user's; never above it).")
@click.option("--name", default="", help="What the token is for.")
@click.option("--expires-days", type=click.FloatRange(min=0, min_open=True), default=None, help="Expire after N days.")
@db_option
@data_dir_option
def token_create(
    username: str, role: str | None, name: str, expires_days: float | None, db: str | None, data_dir: Path
) -> None:
    """Create an API token for USERNAME; the secret is printed once and stored only hashed."""
    from corridor.service.auth import create_token, find_user
    from corridor.service.db import Database

    database = _database(db, data_dir)
    assert isinstance(database, Database)
    try:
        with database.session() as s:
            user = find_user(s, username)
            expires = dt.timedelta(days=expires_days) if expires_days else None
            tok, raw = create_token(s, user, role=role, name=name, expires_in=expires)
            tok_id, tok_role, tok_exp = tok.id, tok.role, tok.expires_at
    except ValueError as exc:
        raise InputError(str(exc)) from None
    finally:
        database.dispose()
    click.echo(
        f"token {tok_id} for {username} ({tok_role}){f', expires {tok_exp:%Y-%m-%dT%H:%M:%SZ}' if tok_exp else ''}"
    )
    click.echo(f"secret (shown once): {raw}")


@token_group.command("revoke")
@click.argument("token_id")
@db_option
@data_dir_option
def token_revoke(token_id: str, db: str | None, data_dir: Path) -> None:
    """Revoke the token TOKEN_ID (its id, as printed by `token create` or GET /v1/tokens)."""
    from corridor.service.auth import revoke_token
    from corridor.service.db import Database

    database = _database(db, data_dir)
    assert isinstance(database, Database)
    try:
        with database.session() as s:
            revoke_token(s, token_id)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    finally:
        database.dispose()
    click.echo(f"revoked {token_id}")
