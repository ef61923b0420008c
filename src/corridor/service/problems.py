"""RFC 9457 ``application/problem+json``: the one place errors become HTTP responses.

Routes raise :class:`ApiProblem` (or let a :class:`corridor.errors.CorridorError` escape); the
handlers registered by :func:`install` turn them into a problem document carrying the same
structured problems (file, line, field) the CLI prints.  No traceback ever reaches a client.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from corridor.errors import CorridorError, InputError, NoRouteError, Problem, UnknownNameError

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://corridor.example/problems/"
log = logging.getLogger("corridor.service")


class ProblemJSONResponse(JSONResponse):
    """problem+json rendered ASCII-safe: echoed input may hold lone surrogates from JSON escapes."""

    media_type = PROBLEM_JSON

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


class ProblemItem(BaseModel):
    """One thing wrong with the input, as the CLI prints it (:class:`corridor.errors.Problem`)."""

    source: str = Field(description="File (nodes.csv, scenario.yaml), request part (body, query) or function")
    message: str
    line: int | None = None
    field: str | None = None
    record: str | None = None
    expected: str | None = None
    got: str | None = None


class ProblemDocument(BaseModel):
    """An RFC 9457 problem detail."""

    type: str
    title: str
    status: int
    detail: str = ""
    instance: str | None = None
    problems: list[ProblemItem] = Field(default_factory=list)
    suggestions: list[str] | None = None


class ApiProblem(Exception):
    """Raise from a route to answer with a problem document."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str = "",
        *,
        problems: Iterable[Problem] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.problems = tuple(problems)
        self.headers = dict(headers or {})


def not_found(what: str, ident: str) -> ApiProblem:
    return ApiProblem(404, "not-found", "Not found", f"no {what} {ident!r}")


def problem_response(
    request: Request,
    status: int,
    slug: str,
    title: str,
    detail: str = "",
    problems: Iterable[ProblemItem] = (),
    headers: Mapping[str, str] | None = None,
    suggestions: Iterable[str] | None = None,
) -> JSONResponse:
    doc = ProblemDocument(
        type=TYPE_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        problems=list(problems),
        suggestions=None if suggestions is None else list(suggestions),
    )
    return ProblemJSONResponse(doc.model_dump(exclude_none=True), status_code=status, headers=dict(headers or {}))


def _items(problems: Iterable[Problem]) -> list[ProblemItem]:
    return [
        ProblemItem(source=p.source, message=p.message, line=p.line, field=p.field, record=p.record,
                    expected=p.expected, got=p.got)
        for p in problems
    ]  # fmt: skip


async def _api_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return problem_response(request, exc.status, exc.slug, exc.title, exc.detail, _items(exc.problems), exc.headers)


async def _corridor_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CorridorError)
    if isinstance(exc, UnknownNameError):
        return problem_response(
            request, 422, "unknown-name", "Unknown name", str(exc), _items(exc.problems), suggestions=exc.suggestions
        )
    if isinstance(exc, InputError):
        head = str(exc).split("\n", 1)[0]
        return problem_response(request, 422, "invalid-input", "Invalid input", head, _items(exc.problems))
    if isinstance(exc, NoRouteError):
        return problem_response(request, 422, "no-route", "No route", str(exc))
    return problem_response(request, 422, "infeasible", "Cannot be computed as asked", str(exc))


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    items = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ())]
        where = loc[0] if loc else "request"
        items.append(ProblemItem(source=where, field=".".join(loc[1:]) or None, message=str(err.get("msg", "invalid"))))
    return problem_response(
        request, 422, "invalid-request", "Invalid request", "the request does not match the API", items
    )


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    titles = {404: "Not found", 405: "Method not allowed", 401: "Unauthorized", 403: "Forbidden"}
    title = titles.get(exc.status_code, "Error")
    return problem_response(
        request, exc.status_code, title.lower().replace(" ", "-"), title, str(exc.detail), headers=exc.headers
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error", exc_info=exc, extra={"path": request.url.path})
    return problem_response(request, 500, "internal", "Internal error", "the server failed; the error is logged")


def install(app: FastAPI) -> None:
    """Register the handlers on ``app`` (called by ``create_app``)."""
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(CorridorError, _corridor_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ProblemDocument, "content": {PROBLEM_JSON: {}}, "description": desc}
    for code, desc in (
        (400, "Malformed request body"),
        (401, "Not signed in"),
        (403, "Role too low, or CSRF check failed"),
        (404, "Not found (or another organisation's)"),
        (409, "Conflict with stored data"),
        (413, "Request too large"),
        (415, "Unsupported media type"),
        (422, "Invalid input, with every problem"),
        (429, "Rate limit exceeded (see Retry-After)"),
    )
}
