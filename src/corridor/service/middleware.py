"""One ASGI middleware for every request: request id, size limit, security headers, metrics, log line."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

from corridor.service.problems import PROBLEM_JSON, TYPE_BASE

log = logging.getLogger("corridor.service.access")

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

Scope = dict[str, Any]


class Metrics:
    """The app's own Prometheus registry (never the process-global one)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "corridor_http_requests", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "corridor_http_request_seconds", "HTTP request latency", ["method", "route"], registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0),
        )  # fmt: skip
        self.jobs = Counter("corridor_jobs_submitted", "Jobs submitted", ["kind"], registry=self.registry)


class ServiceMiddleware:
    def __init__(self, app: Any, *, metrics: Metrics, max_body_bytes: int) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body = max_body_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        rid = headers.get(b"x-request-id", b"").decode("latin-1")[:64] or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        start = time.perf_counter()
        status = [500]
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._too_large(scope, send, rid)
            status[0] = 413
            self._record(scope, status[0], start, rid)
            return
        if "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b"").lower():
            # no text column (PostgreSQL's least of all) can hold a NUL; refuse it before any handler
            await self._problem(scope, send, rid, 400, "bad-request", "Bad request", "a NUL character (%00) in the URL")
            self._record(scope, 400, start, rid)
            return
        seen = [0]

        async def limited_receive() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                seen[0] += len(message.get("body", b""))
                if seen[0] > self.max_body:
                    raise BodyTooLarge
            return message

        async def send_wrapper(message: Any) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                hdrs = list(message.get("headers", []))
                names = {k.lower() for k, _ in hdrs}
                hdrs += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                hdrs.append((b"x-request-id", rid.encode("latin-1")))
                message = {**message, "headers": hdrs}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_wrapper)
        except BodyTooLarge:
            status[0] = 413
            await self._too_large(scope, send, rid)
        finally:
            self._record(scope, status[0], start, rid)

    async def _too_large(self, scope: Scope, send: Any, rid: str) -> None:
        detail = f"the body may be at most {self.max_body} bytes"
        await self._problem(scope, send, rid, 413, "too-large", "Request too large", detail)

    async def _problem(
        self, scope: Scope, send: Any, rid: str, status: int, slug: str, title: str, detail: str
    ) -> None:
        body = json.dumps(
            {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail,
             "instance": scope["path"].replace("\x00", "%00")}
        ).encode()  # fmt: skip
        hdrs = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
        hdrs += [*SECURITY_HEADERS, (b"x-request-id", rid.encode("latin-1")), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": status, "headers": hdrs})
        await send({"type": "http.response.body", "body": body})

    def _record(self, scope: Scope, status: int, start: float, rid: str) -> None:
        elapsed = time.perf_counter() - start
        route = scope.get("route")
        template = getattr(route, "path", None) or "unmatched"
        method = scope.get("method", "")
        self.metrics.requests.labels(method, template, str(status)).inc()
        self.metrics.latency.labels(method, template).observe(elapsed)
        if log.isEnabledFor(logging.INFO):
            log.info(
                "request",
                extra={"request_id": rid, "method": method, "path": scope.get("path"), "status": status,
                       "ms": round(elapsed * 1000, 2)},
            )  # fmt: skip


class BodyTooLarge(Exception):
    pass


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line: time, level, message and any structured extras (request id…)."""

    FIELDS = ("request_id", "method", "path", "status", "ms", "job_id")

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in self.FIELDS:
            if hasattr(record, key):
                data[key] = getattr(record, key)
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)
