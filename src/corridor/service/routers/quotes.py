"""``POST /v1/quotes``: the synchronous door-to-door quote (the CLI's ``corridor route``).

A quote depends only on the network and the request, so the serialised answer is kept in a small
per-app LRU cache (``QUOTE_CACHE`` entries) keyed by both: asking the same quote twice computes it once.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from corridor.network import bundled_networks
from corridor.routing import route
from corridor.service.auth import Principal, require_role
from corridor.service.inputs import router_for
from corridor.service.problems import PROBLEM_RESPONSES
from corridor.service.resources import QuoteRequest

router = APIRouter(prefix="/v1", tags=["quotes"], responses=PROBLEM_RESPONSES)
QUOTE_CACHE = 2048


class QuoteCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[tuple[int, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str]) -> bytes | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: tuple[int, str], value: bytes) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


@router.post(
    "/quotes",
    summary="Quote a shipment: routes, P50/P90 times, itemised costs, CO2e (corridor.route/3)",
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}, "description": "The quote"}},
)
async def quote(
    body: QuoteRequest, request: Request, principal: Principal = Depends(require_role("viewer"))
) -> Response:
    ctx = request.app.state.ctx
    cache: QuoteCache = ctx.cache.setdefault("quotes", QuoteCache(QUOTE_CACHE))
    rt = ctx.cache.get(f"bundled-router:{body.network}")
    if rt is not None:  # common case: answered on the event loop without a thread hop
        data = cache.get((id(rt), body.model_dump_json()))
        if data is not None:
            return Response(data, media_type="application/json")
    data = await run_in_threadpool(_compute, ctx, principal, body, cache)
    return Response(data, media_type="application/json")


def _compute(ctx: Any, principal: Principal, body: QuoteRequest, cache: QuoteCache) -> bytes:
    with ctx.db.session() as session:
        rt = router_for(ctx, session, principal, body.network)
    if body.network in bundled_networks():
        ctx.cache[f"bundled-router:{body.network}"] = rt
    key = (id(rt), body.model_dump_json())
    data = cache.get(key)
    if data is None:
        result = route(
            rt, body.origin, body.destination, body.cargo, depart=body.depart, optimize=body.optimize,
            alternatives=body.alternatives, via=body.via, avoid=body.avoid,
        )  # fmt: skip
        data = _dumps(result.to_json())
        cache.put(key, data)
    return data


def _dumps(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
