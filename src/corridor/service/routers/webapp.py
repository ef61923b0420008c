"""The workbench's files: ``/`` is its page, ``/app/…`` its modules, styles and vendored libraries.

Only files that exist under ``corridor/web/static`` are served (the list is read once per app), so no
path can reach outside it.  Every answer carries an ETag and ``no-cache``: the browser revalidates
and gets a 304, never a stale module after an upgrade.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from importlib.resources.abc import Traversable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from corridor.service.problems import not_found

router = APIRouter(include_in_schema=False)
MEDIA = {
    "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
    "json": "application/json", "png": "image/png", "svg": "image/svg+xml", "ico": "image/x-icon",
    "webmanifest": "application/manifest+json",
}  # fmt: skip


def _walk(folder: Traversable, prefix: str = "") -> dict[str, Traversable]:
    files: dict[str, Traversable] = {}
    for entry in folder.iterdir():
        name = prefix + entry.name
        if entry.is_dir():
            files.update(_walk(entry, name + "/"))
        elif entry.name.rsplit(".", 1)[-1] in MEDIA:
            files[name] = entry
    return files


def _file(request: Request, name: str) -> Response:
    ctx = request.app.state.ctx
    files: dict[str, Traversable] | None = ctx.cache.get("web-files")
    if files is None:
        files = ctx.cache["web-files"] = _walk(resources.files("corridor.web") / "static")
    entry = files.get(name)
    if entry is None:
        raise not_found("file", name)
    data = entry.read_bytes()
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    headers = {"Cache-Control": "no-cache", "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=MEDIA[name.rsplit(".", 1)[-1]], headers=headers)


@router.get("/")
def index(request: Request) -> Response:
    return _file(request, "index.html")


@router.get("/sw.js")
def service_worker(request: Request) -> Response:
    """At the root, so its scope is the whole app (it caches the shell for an offline reload)."""
    return _file(request, "sw.js")


@router.get("/app/{name:path}")
def app_file(name: str, request: Request) -> Response:
    return _file(request, name)
