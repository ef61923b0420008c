"""Networks (bundled and uploaded as a zip of the network folder) and demand sets."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.demand import bundled_demand_sets, load_demand
from corridor.errors import DataError
from corridor.network import Network, bundled_networks, read_network
from corridor.service.auth import Principal, audit, require_role, session_dep
from corridor.service.inputs import network_for
from corridor.service.models import StoredNetwork
from corridor.service.problems import PROBLEM_RESPONSES, ApiProblem, not_found
from corridor.service.resources import DemandSetOut, NetworkOut
from corridor.service.uploads import extract_zip

router = APIRouter(prefix="/v1", tags=["networks and demand"], responses=PROBLEM_RESPONSES)
viewer = require_role("viewer")


def _summary(net: Network) -> dict[str, object]:
    return {
        "nodes": len(net.nodes),
        "links": len(net.links),
        "services": len(net.services),
        "countries": sorted({n.country for n in net.nodes if n.country}),
    }


def _bundled_out(request: Request, name: str) -> NetworkOut:
    ctx = request.app.state.ctx
    key = f"summary:{name}"
    if key not in ctx.cache:
        from corridor.network import load_network

        ctx.cache[key] = _summary(load_network(name))
    return NetworkOut(name=name, bundled=True, **ctx.cache[key])


@router.get("/networks", response_model=list[NetworkOut], summary="Networks the caller can use")
def list_networks(
    request: Request, principal: Principal = Depends(viewer), session: Session = Depends(session_dep, scope="function")
) -> list[NetworkOut]:
    out = [_bundled_out(request, n) for n in sorted(bundled_networks())]
    rows = session.scalars(
        select(StoredNetwork).where(StoredNetwork.org_id == principal.org_id).order_by(StoredNetwork.name)
    )
    out += [NetworkOut(name=r.name, bundled=False, id=r.id, **r.summary) for r in rows]
    return out


@router.get("/networks/{name}", response_model=NetworkOut, summary="One network's summary")
def get_network(
    name: str,
    request: Request,
    principal: Principal = Depends(viewer),
    session: Session = Depends(session_dep, scope="function"),
) -> NetworkOut:
    row = session.scalars(
        select(StoredNetwork).where(StoredNetwork.org_id == principal.org_id, StoredNetwork.name == name)
    ).first()
    if row is not None:
        return NetworkOut(name=row.name, bundled=False, id=row.id, **row.summary)
    if name in bundled_networks():
        return _bundled_out(request, name)
    raise not_found("network", name)


@router.post(
    "/networks",
    status_code=201,
    response_model=NetworkOut,
    summary="Upload a network folder as a zip; validated, every problem returned with file, line and field",
)
def upload_network(
    file: UploadFile,
    request: Request,
    principal: Principal = Depends(require_role("analyst")),
    session: Session = Depends(session_dep, scope="function"),
) -> NetworkOut:
    ctx = request.app.state.ctx
    data = file.file.read()
    with tempfile.TemporaryDirectory(dir=ctx.settings.data_dir, prefix=".upload-") as tmp:
        folder = extract_zip(
            data, Path(tmp), max_files=ctx.settings.max_zip_files, max_bytes=ctx.settings.max_zip_bytes
        )
        try:
            net = read_network(folder)
        except DataError as exc:
            detail = f"the network in the upload has {len(exc.problems)} problem(s)"  # never the server's paths
            raise ApiProblem(422, "invalid-network", "Invalid network", detail, problems=exc.problems) from None
    name = net.name
    if name in bundled_networks():
        raise ApiProblem(
            409, "conflict", "Conflict", f"{name!r} is a bundled network's name; rename it in network.toml"
        )
    if session.scalars(
        select(StoredNetwork).where(StoredNetwork.org_id == principal.org_id, StoredNetwork.name == name)
    ).first():
        raise ApiProblem(409, "conflict", "Conflict", f"network {name!r} already exists in this organisation")
    digest = ctx.store.put(data)
    row = StoredNetwork(
        org_id=principal.org_id, name=name, digest=digest, summary=_summary(net), created_by=principal.username
    )
    session.add(row)
    session.flush()
    audit(session, principal, "network.upload", row.id, name=name, digest=digest)
    return NetworkOut(name=name, bundled=False, id=row.id, **row.summary)


@router.get("/demand-sets", response_model=list[DemandSetOut], summary="Bundled demand sets")
def list_demand(
    request: Request, principal: Principal = Depends(viewer), session: Session = Depends(session_dep, scope="function")
) -> list[DemandSetOut]:
    return [_demand_out(request, session, principal, n) for n in sorted(bundled_demand_sets())]


@router.get("/demand-sets/{name}", response_model=DemandSetOut, summary="One demand set on the bundled network")
def get_demand(
    name: str,
    request: Request,
    principal: Principal = Depends(viewer),
    session: Session = Depends(session_dep, scope="function"),
) -> DemandSetOut:
    if name not in bundled_demand_sets():
        raise not_found("demand set", name)
    return _demand_out(request, session, principal, name)


def _demand_out(request: Request, session: Session, principal: Principal, name: str) -> DemandSetOut:
    ctx = request.app.state.ctx
    key = f"demand:{name}"
    if key not in ctx.cache:
        net = network_for(ctx, session, principal, "middle-corridor")
        dem = load_demand(name, net)
        ctx.cache[key] = DemandSetOut(name=name, flows=len(dem.flows), total_teu=dem.total_teu, total_t=dem.total_t)
    out: DemandSetOut = ctx.cache[key]
    return out
