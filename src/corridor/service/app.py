"""The application factory: ``create_app(settings)`` builds everything; importing builds nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from corridor.service import problems, webhooks
from corridor.service.auth import TokenCache
from corridor.service.db import Database
from corridor.service.jobs import HEARTBEAT_S, JobRunner
from corridor.service.middleware import Metrics, ServiceMiddleware
from corridor.service.ratelimit import RateLimiter
from corridor.service.settings import Settings
from corridor.service.store import FileStore

API_VERSION = "1.0.0"


@dataclass
class ServiceContext:
    """What routes reach through ``request.app.state.ctx``: one per app, never global."""

    settings: Settings
    db: Database
    store: FileStore
    jobs: JobRunner
    limiter: RateLimiter
    metrics: Metrics
    instance_id: str
    cache: dict[str, Any]
    tokens: TokenCache


def create_app(settings: Settings) -> FastAPI:
    """The corridor service for ``settings`` (the database must be migrated: ``corridor db upgrade``)."""
    from corridor.service.routers import ROUTERS

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_url)
    store = FileStore(settings.store_dir)
    if swept := store.sweep():
        logging.getLogger("corridor.service").info("removed %d stale temporaries from the file store", swept)
    instance_id = uuid.uuid4().hex
    ctx = ServiceContext(
        settings=settings,
        db=db,
        store=store,
        jobs=JobRunner(db, store, instance_id, workers=settings.workers, scheduler=settings.scheduler),
        limiter=RateLimiter(settings.rate_limit_per_minute),
        metrics=Metrics(),
        instance_id=instance_id,
        cache={},
        tokens=TokenCache(),
    )

    sender = webhooks.Sender(db, lambda: ctx.cache.get("webhook_backoff_s", webhooks.BACKOFF_S))

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(ctx.jobs.heartbeat)
        sender.start()  # webhook deliveries: due retries left by an earlier run go out now

        async def beat() -> None:
            while True:
                await asyncio.sleep(HEARTBEAT_S)
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(ctx.jobs.heartbeat)

        task = asyncio.create_task(beat())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await asyncio.to_thread(sender.stop)
            ctx.jobs.close()
            db.dispose()

    app = FastAPI(
        title="corridor",
        version=API_VERSION,
        summary="Plan, quote, simulate and appraise freight on the Middle Corridor",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.state.webhooks = sender
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=False)
    app.add_middleware(ServiceMiddleware, metrics=ctx.metrics, max_body_bytes=settings.max_body_bytes)
    return app
