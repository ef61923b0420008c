"""The workbench's files: ``/`` is its page, ``/app/…`` its modules, styles and vendored libraries.

Only files that exist under ``corridor/web/static`` are served (the list is read once per app), so no
path can reach outside it.  Every answer carries an ETag and ``no-cache``: the browser revalidates
and gets a 304, never a stale module after an upgrade.
"""

from __future__ import annotations

import hashlib
import json
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


def _files(request: Request) -> dict[str, Traversable]:
    ctx = request.app.state.ctx
    files: dict[str, Traversable] | None = ctx.cache.get("web-files")
    if files is None:
        files = ctx.cache["web-files"] = _walk(resources.files("corridor.web") / "static")
    return files


def _file(request: Request, name: str) -> Response:
    entry = _files(request).get(name)
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
    """At the root, so its scope is the whole app; it precaches every file of the app (not the
    test-only axe-core) so a reload works offline, under a cache name that changes with their contents."""
    files = _files(request)
    names = sorted(n for n in files if n not in ("index.html", "sw.js", "vendor/axe.min.js"))
    digest = hashlib.sha256()
    for n in names:
        digest.update(n.encode() + b"\0" + files[n].read_bytes())
    body = files["sw.js"].read_text(encoding="utf-8")
    body = body.replace("__FILES__", json.dumps(["/app/" + n for n in names])).replace(
        "__DIGEST__", digest.hexdigest()[:16]
    )
    return Response(body, media_type=MEDIA["js"], headers={"Cache-Control": "no-cache"})


@router.get("/app/{name:path}")
def app_file(name: str, request: Request) -> Response:
    return _file(request, name)
