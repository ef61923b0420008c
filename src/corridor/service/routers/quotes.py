"""``POST /v1/quotes``: the synchronous door-to-door quote (the CLI's ``corridor route``).

A quote depends only on the network, the demand set in force and the request, so the serialised
answer is kept in a small per-app LRU cache (``QUOTE_CACHE`` entries) keyed by them: asking the same
quote twice computes it once.  As ``corridor route`` does, times include the expected queueing of the
demand set in force (``demand``; by default the network's calibration baseline, :func:`corridor.demand.calibration_baseline`),
computed once per network and demand set and kept with the router.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from corridor.demand import calibration_baseline
from corridor.routing import Router, cached_graph, queueing_for, route
from corridor.schemas import dump_json
from corridor.schemas.route import Route
from corridor.service.auth import Principal, require_role
from corridor.service.inputs import bundled_network_names, check_demand, network_entry, router_for
from corridor.service.problems import PROBLEM_RESPONSES
from corridor.service.resources import QuoteRequest

router = APIRouter(prefix="/v1", tags=["quotes"], responses=PROBLEM_RESPONSES)
QUOTE_CACHE = 2048
_lock = threading.Lock()


def demand_in_force(body: QuoteRequest) -> str:
    return (body.demand or calibration_baseline(body.network)).strip()


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
    summary="Quote a shipment: routes, P50/P90 times, itemised costs, CO2e (corridor.route)",
    responses={200: {"model": Route, "description": "The quote: the same document as corridor route --json"}},
)
async def quote(
    body: QuoteRequest, request: Request, principal: Principal = Depends(require_role("viewer"))
) -> Response:
    ctx = request.app.state.ctx
    cache: QuoteCache = ctx.cache.setdefault("quotes", QuoteCache(QUOTE_CACHE))
    rt = ctx.cache.get(f"bundled-router:{body.network}:{demand_in_force(body)}")
    if rt is not None:  # common case: answered on the event loop without a thread hop
        data = cache.get((id(rt), body.model_dump_json()))
        if data is not None:
            return Response(data, media_type="application/json")
    data = await run_in_threadpool(_compute, ctx, principal, body, cache)
    return Response(data, media_type="application/json")


def _router(ctx: Any, principal: Principal, body: QuoteRequest) -> Router:
    demand = demand_in_force(body)
    with ctx.db.session() as session:
        if demand.lower() == "none":
            return router_for(ctx, session, principal, body.network)
        check_demand(demand)
        net, entry = network_entry(ctx, session, principal, body.network)
    key = f"router:{id(net)}:{demand}"
    from corridor.capacity import assign  # the capacity engine (HiGHS) only once a quote needs it
    from corridor.demand import load_demand

    with _lock:  # the assignment behind the queueing takes a second: once per network and demand set
        rt = ctx.cache.get(key)
        if rt is None:
            queueing = queueing_for(net, assign(net, load_demand(demand, net)))
            rt = ctx.cache[key] = Router(net, queueing=queueing, graph=cached_graph(net, entry))
    assert isinstance(rt, Router)
    return rt


def _compute(ctx: Any, principal: Principal, body: QuoteRequest, cache: QuoteCache) -> bytes:
    fast_key = f"bundled-router:{body.network}:{demand_in_force(body)}"
    rt = ctx.cache.get(fast_key)
    if rt is None:  # an uploaded network (or the first quote on a bundled one): resolved via the database
        rt = _router(ctx, principal, body)
        if body.network in bundled_network_names(ctx):
            ctx.cache[fast_key] = rt
    key = (id(rt), body.model_dump_json())
    data = cache.get(key)
    if data is None:
        result = route(
            rt, body.origin, body.destination, body.cargo, depart=body.depart, optimize=body.optimize,
            alternatives=body.alternatives, via=body.via, avoid=body.avoid, from_door=body.from_door,
            to_door=body.to_door,
        )  # fmt: skip
        data = dump_json("route", result.to_json())
        cache.put(key, data)
    return data
