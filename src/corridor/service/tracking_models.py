"""Tables of tracking: shipments, DCSA events, event subscriptions and webhook deliveries.

Every row has ``org_id``: events, shipments and subscriptions of one organisation are invisible to
another.  Events are unique per organisation by ``event_id`` (ingestion is idempotent); ``seq`` is
the arrival order, the key of paging.  A delivery row records each webhook body exactly as sent
(the signed bytes) with its state ``pending`` → ``delivered`` | ``failed``, every attempt and when the
next one is due, so retries survive a restart.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from corridor.service.db import Base, UTCDateTime, utcnow


def new_uuid() -> str:
    return str(uuid.uuid4())


class ShipmentRow(Base):
    __tablename__ = "tracking_shipments"
    __table_args__ = (UniqueConstraint("org_id", "booking"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    booking: Mapped[str] = mapped_column(String(35))
    network: Mapped[str] = mapped_column(String(200), default="middle-corridor")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    last_p50: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventRow(Base):
    __tablename__ = "tracking_events"
    __table_args__ = (
        UniqueConstraint("org_id", "event_id"),
        Index("ix_tracking_events_org_booking", "org_id", "booking"),
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(100))
    booking: Mapped[str] = mapped_column(String(35))
    event_type: Mapped[str] = mapped_column(String(10))
    classifier: Mapped[str] = mapped_column(String(3))
    type_code: Mapped[str] = mapped_column(String(4))
    event_time: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_time: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(100), default="")
    equipment: Mapped[str] = mapped_column(String(15), default="")
    retracts: Mapped[str] = mapped_column(String(100), default="")
    retracted: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SubscriptionRow(Base):
    __tablename__ = "event_subscriptions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    callback_url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(400))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeliveryRow(Base):
    __tablename__ = "webhook_deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(ForeignKey("event_subscriptions.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    event_ids: Mapped[list[str]] = mapped_column(JSON)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: when the next attempt is due (None: at once while pending; cleared when delivered or failed)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    #: a sender's lease: another sender leaves the row alone until then (revision 0003)
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
