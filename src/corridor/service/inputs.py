"""Resolving the inputs a request names: networks (bundled or the organisation's), demand, scenarios."""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.demand import bundled_demand_sets
from corridor.network import Network, bundled_networks
from corridor.network.cache import load_cached_entry
from corridor.routing import Router, cached_graph
from corridor.scenario import bundled_scenarios
from corridor.service.app import ServiceContext
from corridor.service.auth import Principal
from corridor.service.models import IdempotencyRecord, ScenarioVersion, StoredNetwork, StoredScenario
from corridor.service.problems import ApiProblem, not_found
from corridor.service.uploads import extract_zip

_lock = threading.Lock()


def network_folder(ctx: ServiceContext, session: Session, principal: Principal, name: str) -> str:
    """The folder (or bundled name) of network ``name`` as the caller sees it.

    Uploads may not take a bundled name (409), so a bundled name needs no database lookup.
    """
    if name in bundled_network_names(ctx):
        return name
    row = session.scalars(
        select(StoredNetwork).where(StoredNetwork.org_id == principal.org_id, StoredNetwork.name == name)
    ).first()
    if row is None:
        if name in bundled_networks():
            return name
        raise ApiProblem(422, "unknown-name", "Unknown name", f"unknown network {name!r}",
                         headers=None)  # fmt: skip
    folder = ctx.settings.data_dir / "networks" / row.digest
    marker = folder / ".complete"
    if not marker.exists():
        with _lock:
            if not marker.exists():
                tmp = Path(tempfile.mkdtemp(dir=ctx.settings.data_dir, prefix=".net-"))
                inner = extract_zip(ctx.store.get(row.digest), tmp, max_files=10**6, max_bytes=10**12)
                (inner / ".complete").write_text("ok")
                folder.parent.mkdir(parents=True, exist_ok=True)
                if not folder.exists():
                    inner.rename(folder)
    return str(folder)


def bundled_network_names(ctx: ServiceContext) -> frozenset[str]:
    """The bundled networks' names, listed once per app."""
    names = ctx.cache.get("bundled-networks")
    if names is None:
        names = ctx.cache["bundled-networks"] = frozenset(bundled_networks())
    assert isinstance(names, frozenset)
    return names


def network_for(ctx: ServiceContext, session: Session, principal: Principal, name: str) -> Network:
    return network_entry(ctx, session, principal, name)[0]


def network_entry(
    ctx: ServiceContext, session: Session, principal: Principal, name: str
) -> tuple[Network, Path | None]:
    """The network ``name`` and its entry in the parsed-network cache (under the data dir), read
    from that cache when the files are unchanged: a 100k-link upload parses in seconds, decodes in
    well under one.  Held in memory per app after the first request."""
    folder = network_folder(ctx, session, principal, name)
    key = f"network:{folder}"
    hit = ctx.cache.get(key)
    if hit is None:
        hit = ctx.cache[key] = load_cached_entry(folder, ctx.settings.cache_dir)
    net, entry = hit
    assert isinstance(net, Network)
    return net, entry


def router_for(ctx: ServiceContext, session: Session, principal: Principal, name: str) -> Router:
    net, entry = network_entry(ctx, session, principal, name)
    key = f"router:{id(net)}"
    rt = ctx.cache.get(key)
    if rt is None:
        rt = Router(net, graph=cached_graph(net, entry))
        ctx.cache[key] = rt
    assert isinstance(rt, Router)
    return rt


def check_demand(name: str) -> None:
    if name not in bundled_demand_sets():
        raise ApiProblem(
            422,
            "unknown-name",
            "Unknown name",
            f"unknown demand set {name!r}; bundled: {', '.join(sorted(bundled_demand_sets()))}",
        )


def scenario_text(
    session: Session, principal: Principal, ref: str, version: int | None
) -> tuple[str, str, str | None, int]:
    """(name, text, version id or None for bundled, version number) of a scenario reference."""
    row = session.get(StoredScenario, ref)
    if row is not None and row.org_id == principal.org_id:
        v = version or row.latest
        ver = session.scalars(
            select(ScenarioVersion).where(ScenarioVersion.scenario_id == row.id, ScenarioVersion.version == v)
        ).first()
        if ver is None:
            raise not_found("scenario version", f"{ref}@{v}")
        return row.name, ver.body, ver.id, ver.version
    bundled = bundled_scenarios()
    if ref in bundled and version in (None, 1):
        return ref, bundled[ref].read_text(encoding="utf-8"), None, 1
    raise not_found("scenario", ref)


def request_hash(path: str, body: Any) -> str:
    return hashlib.sha256(json.dumps([path, body], sort_keys=True, default=str).encode()).hexdigest()


def idempotent_replay(
    session: Session, principal: Principal, key: str | None, req_hash: str
) -> IdempotencyRecord | None:
    """The stored response of an earlier request with this ``Idempotency-Key``, if any."""
    if not key:
        return None
    if len(key) > 200:
        raise ApiProblem(422, "invalid-request", "Invalid request", "Idempotency-Key is at most 200 characters")
    rec = session.get(IdempotencyRecord, (principal.rate_key, key))
    if rec is not None and rec.request_hash != req_hash:
        raise ApiProblem(
            422, "idempotency-key-reused", "Idempotency-Key reused", "this key was used with a different request"
        )
    return rec


def remember(
    session: Session,
    principal: Principal,
    key: str | None,
    req_hash: str,
    status: int,
    body: str,
    headers: dict[str, str],
) -> None:
    if key:
        session.add(
            IdempotencyRecord(
                principal=principal.rate_key, key=key, request_hash=req_hash, status=status, body=body, headers=headers
            )
        )
