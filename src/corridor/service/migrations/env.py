"""Alembic environment: the URL comes from the caller (``migrate.alembic_config``), never a file."""

from __future__ import annotations

from alembic import context

from corridor.service.db import Base, make_engine
from corridor.service.routers import ROUTERS  # noqa: F401  (imports every module that defines tables)

url = context.config.attributes["url"]
engine = make_engine(url)
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=url.startswith("sqlite"),
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
