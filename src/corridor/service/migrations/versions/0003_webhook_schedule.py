"""webhook deliveries: persisted retry schedule and a sender's lease (restart-safe retries)

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import corridor.service.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.add_column(sa.Column("next_attempt_at", corridor.service.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("claimed_until", corridor.service.db.UTCDateTime(timezone=True), nullable=True))
        batch.create_index("ix_webhook_deliveries_next_attempt_at", ["next_attempt_at"])


def downgrade() -> None:
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.drop_index("ix_webhook_deliveries_next_attempt_at")
        batch.drop_column("claimed_until")
        batch.drop_column("next_attempt_at")
