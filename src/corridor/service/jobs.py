"""Long work as jobs: persistent records, local worker processes by default, Dask with a scheduler.

Interface for whoever adds a kind of job: register ``kind → function(params, progress) -> dict | bytes``
in :data:`corridor.service.job_kinds.JOB_KINDS`; the function gets the JSON-able ``params``
stored with the job and a ``progress(done, total, phase=None)`` callback (``phase``: what it is
doing now, a short code the job status shows), and returns the result's JSON
(or a file's bytes, its media type in ``RESULT_MEDIA_TYPES``).

The function runs in :func:`execute_job` on a worker (a local process or a Dask worker), which
writes the job's state itself through its own database connection: ``queued → running →
succeeded | failed | cancelled``.  The result goes to the content-addressed store first and is
linked in the same transaction that marks the job succeeded, so nothing is half-written.  A job
whose serving process died is marked ``interrupted`` (see :func:`sweep_interrupted`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import multiprocessing
import multiprocessing.pool
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from corridor.errors import CorridorError, InputError
from corridor.service.db import Database, utcnow
from corridor.service.models import Instance, Job
from corridor.service.store import FileStore

STATES = ("queued", "running", "succeeded", "failed", "cancelled", "interrupted")
FINAL = frozenset({"succeeded", "failed", "cancelled", "interrupted"})
HEARTBEAT_S = 5.0
STALE_S = 20.0
log = logging.getLogger("corridor.service")
#: The result schema (``corridor.schemas`` kind) of each job kind whose result is JSON.
RESULT_SCHEMAS: dict[str, str] = {
    "simulation": "simulation",
    "capacity": "capacity",
    "comparison": "comparison",
    "appraisal": "appraisal",
}
#: Job kinds (``job_kinds.JOB_KINDS``) whose result is a file, not JSON, and its media type.
RESULT_MEDIA_TYPES: dict[str, str] = {"report": "text/html; charset=utf-8"}


class JobCancelled(Exception):
    """Raised inside a job's progress callback when the job was cancelled."""


def execute_job(db_url: str, store_root: str, job_id: str) -> str:
    """Run job ``job_id`` to a final state; returns that state.  Safe to run on any worker."""
    from corridor.service.job_kinds import JOB_KINDS, NETWORK_CACHE

    db = Database(db_url)
    try:
        with db.session() as s:
            claimed = s.execute(update(Job).where(Job.id == job_id, Job.state == "queued").values(state="running"))
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return "skipped"
            job = s.get(Job, job_id)
            assert job is not None
            kind, params = job.kind, dict(job.params)

        def progress(done: int, total: int, phase: str | None = None) -> None:
            values: dict[str, Any] = {"done": done, "total": total}
            if phase is not None:
                values["phase"] = phase
            with db.session() as s2:
                s2.execute(update(Job).where(Job.id == job_id, Job.state == "running").values(**values))
                state = s2.scalars(select(Job.state).where(Job.id == job_id)).one()
            if state != "running":
                raise JobCancelled

        # the store is <data_dir>/store (Settings.store_dir): the network cache sits beside it,
        # which a Dask worker reaching the store also reaches
        token = NETWORK_CACHE.set(Path(store_root).parent / "cache")
        try:
            result = JOB_KINDS[kind](params, progress)
            if isinstance(result, bytes):
                blob = result
            else:
                blob = json.dumps(result, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
            digest = FileStore(Path(store_root)).put(blob)
            return _finish(db, job_id, "succeeded", result_digest=digest)
        except JobCancelled:
            return "cancelled"
        except InputError as exc:
            problems = [
                {"source": p.source, "message": p.message, "line": p.line, "field": p.field, "record": p.record}
                for p in exc.problems
            ]
            return _finish(
                db,
                job_id,
                "failed",
                error={"title": "Invalid input", "detail": str(exc).split("\n")[0], "problems": problems},
            )
        except CorridorError as exc:
            return _finish(db, job_id, "failed", error={"title": "Cannot be computed as asked", "detail": str(exc)})
        except Exception:
            log.exception("job %s failed", job_id)
            return _finish(
                db, job_id, "failed", error={"title": "Internal error", "detail": "the job failed; see the server log"}
            )
        finally:
            NETWORK_CACHE.reset(token)
    finally:
        db.dispose()


def _finish(db: Database, job_id: str, state: str, **values: Any) -> str:
    with db.session() as s:
        s.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == "running")
            .values(state=state, finished_at=utcnow(), **values)
        )
    return state


class JobRunner:
    """Submits jobs to local processes (``workers``) or a Dask scheduler; owns no job state itself.

    Local jobs run on a ``multiprocessing`` pool (spawned processes): its public ``terminate()``
    stops running jobs at shutdown, which ``concurrent.futures`` offers only from Python 3.14.
    Cancelling needs nothing from the pool: the job's record says ``cancelled``, so a queued job is
    skipped when a worker picks it up and a running one stops at its next progress report.
    """

    def __init__(
        self, db: Database, store: FileStore, instance_id: str, *, workers: int, scheduler: str | None
    ) -> None:
        self.db = db
        self.store = store
        self.instance_id = instance_id
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self._pool: multiprocessing.pool.Pool | None = None
        self._client: Any = None
        self._futures: dict[str, Any] = {}

    def submit(self, job_id: str) -> None:
        """Start a job already stored as ``queued``."""
        args = (self.db.url, str(self.store.root), job_id)
        if self.scheduler:
            if self._client is None:
                from distributed import Client

                self._client = Client(self.scheduler, set_as_default=False)  # type: ignore[no-untyped-call]
            fut = self._client.submit(execute_job, *args, pure=False)
            self._futures[job_id] = fut
            fut.add_done_callback(lambda f: self._dask_done(job_id, f))
            return
        if self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(self.workers)
        self._pool.apply_async(execute_job, args, error_callback=lambda exc: self._failed(job_id, exc))

    def _dask_done(self, job_id: str, fut: Any) -> None:
        self._futures.pop(job_id, None)
        if not fut.cancelled() and (exc := fut.exception()) is not None:
            self._failed(job_id, exc)

    def _failed(self, job_id: str, exc: BaseException) -> None:
        log.error("job %s could not run: %s", job_id, exc, exc_info=exc)

    def cancel(self, job_id: str) -> bool:
        """Mark the job cancelled (a running job stops at its next progress report)."""
        with self.db.session() as s:
            res = s.execute(
                update(Job)
                .where(Job.id == job_id, Job.state.in_(("queued", "running")))
                .values(state="cancelled", finished_at=utcnow())
            )
            changed: bool = res.rowcount == 1  # type: ignore[attr-defined]
        fut = self._futures.get(job_id)
        if fut is not None:
            fut.cancel()
        return changed

    def heartbeat(self) -> None:
        with self.db.session() as s:
            inst = s.get(Instance, self.instance_id)
            if inst is None:
                s.add(Instance(id=self.instance_id))
            else:
                inst.heartbeat_at = utcnow()
        sweep_interrupted(self.db)

    def close(self) -> None:
        """Stop this process's workers; its unfinished jobs become ``interrupted`` (resubmit them)."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.terminate()
            pool.join()
        if self._client is not None:
            for fut in list(self._futures.values()):
                fut.cancel()
            self._client.close()
            self._client = None
        with contextlib.suppress(Exception), self.db.session() as s:
            s.execute(
                update(Job)
                .where(Job.instance == self.instance_id, Job.state.in_(("queued", "running")))
                .values(state="interrupted", finished_at=utcnow())
            )
            s.execute(delete(Instance).where(Instance.id == self.instance_id))


def sweep_interrupted(db: Database, now: dt.datetime | None = None) -> int:
    """Mark ``interrupted`` every unfinished job whose serving process stopped beating."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(seconds=STALE_S)
    with db.session() as s:
        alive = set(s.scalars(select(Instance.id).where(Instance.heartbeat_at >= cutoff)))
        stale = [
            j.id for j in s.scalars(select(Job).where(Job.state.in_(("queued", "running")))) if j.instance not in alive
        ]
        if stale:
            s.execute(update(Job).where(Job.id.in_(stale)).values(state="interrupted", finished_at=now))
    return len(stale)
