"""Pydantic models of the API's own resources (users, tokens, networks, scenarios, jobs).

Engine results are served as their declared JSON form (``to_json()``, ``"schema": "corridor.<kind>/<v>"``);
their OpenAPI models come from the result-schema layer once it lands.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from corridor.sim import SimRules

Role = Literal["viewer", "analyst", "admin", "integrator"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(Strict):
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class Me(BaseModel):
    user: str
    organisation: str
    role: str


class LoginResponse(Me):
    csrf_token: str
    expires_at: dt.datetime


class UserCreate(Strict):
    username: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._@-]+$")
    role: Role
    password: str | None = Field(default=None, min_length=12, max_length=1000)


class UserOut(BaseModel):
    id: str
    username: str
    role: str
    created_at: dt.datetime


class TokenCreate(Strict):
    username: str = Field(min_length=1, max_length=200)
    role: Role | None = None
    name: str = Field(default="", max_length=200)
    expires_in_days: float | None = Field(default=None, gt=0, le=3650)


class TokenOut(BaseModel):
    id: str
    user: str
    role: str
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret; shown this once, stored only hashed.")


class AuditOut(BaseModel):
    at: dt.datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


class NetworkOut(BaseModel):
    name: str
    bundled: bool
    id: str | None = None
    nodes: int
    links: int
    services: int
    countries: list[str]


class DemandSetOut(BaseModel):
    name: str
    flows: int
    total_teu: float
    total_t: float


class ScenarioVersionOut(BaseModel):
    scenario_id: str
    name: str
    version: int
    media_type: str
    digest: str
    created_by: str
    created_at: dt.datetime | None
    text: str


class ScenarioOut(BaseModel):
    id: str
    name: str
    bundled: bool
    latest: int


class QuoteRequest(Strict):
    origin: str = Field(min_length=1, max_length=200, examples=["Xi'an"])
    destination: str = Field(min_length=1, max_length=200, examples=["Istanbul"])
    cargo: str = Field(default="1x40HC", min_length=1, max_length=200)
    network: str = Field(default="middle-corridor", min_length=1, max_length=200)
    depart: dt.date | None = None
    optimize: Literal["time", "cost", "co2", "generalized"] = "time"
    alternatives: int = Field(default=3, ge=1, le=20)
    via: list[str] = Field(default_factory=list, max_length=10)
    avoid: list[str] = Field(default_factory=list, max_length=50)
    demand: str | None = Field(
        default=None, min_length=1, max_length=200,
        description="Demand set in force: times include its expected queueing (corridor route --demand); "
        "default 2024 on the bundled middle-corridor, else none; `none` for an empty network",
    )  # fmt: skip
    from_door: str | None = Field(default=None, min_length=1, max_length=200, description="Pick-up: place or lat,lon")
    to_door: str | None = Field(default=None, min_length=1, max_length=200, description="Delivery: place or lat,lon")


class RunInputs(Strict):
    network: str = Field(default="middle-corridor", min_length=1, max_length=200)
    demand: str = Field(default="2024", min_length=1, max_length=200)
    scenario: str | None = Field(default=None, max_length=200, description="A scenario id or bundled name")
    scenario_version: int | None = Field(default=None, ge=1)


class SimulationRequest(RunInputs):
    days: int = Field(default=365, ge=1, le=3650)
    warmup_days: int = Field(default=30, ge=0, le=3650)
    planning_utilisation: float = Field(
        default=SimRules.planning_utilisation,
        ge=0.1,
        le=1,
        description="Book against this share of every capacity (corridor.sim.SimRules)",
    )
    replications: int = Field(default=20, ge=1, le=10000)
    seed: int = Field(default=0, ge=0, le=2**63 - 1)


class CapacityRequest(RunInputs):
    growth: float = Field(default=1.0, gt=0, le=100)


class ScenarioRef(Strict):
    scenario: str = Field(min_length=1, max_length=200)
    version: int | None = Field(default=None, ge=1)


class ComparisonRequest(Strict):
    scenarios: list[ScenarioRef] = Field(min_length=1, max_length=20)


class ReportRequest(ComparisonRequest):
    """``corridor report`` as a job: the first scenario is the reference for differences."""

    lang: Literal["en", "ru"] = "en"
    sim: bool = Field(default=True, description="Simulate each scenario too (as corridor report --sim)")
    replications: int = Field(default=2, ge=1, le=100)
    seed: int = Field(default=2024, ge=0, le=2**63 - 1)
    maps: int = Field(default=4, ge=0, le=20, description="Utilisation maps for this many scenarios")


class JobProgress(BaseModel):
    done: int = Field(description="steps done (a simulation: replications)")
    total: int = Field(description="steps in all, as far as known")
    phase: str | None = Field(
        default=None,
        description="what the job is doing now, for kinds that say: a simulation's loading, assignment, layout, "
        "replications or summary; null for the others",
    )


class JobOut(BaseModel):
    id: str
    kind: str
    state: str = Field(description="queued, running, succeeded, failed, cancelled or interrupted")
    progress: JobProgress
    params: dict[str, Any]
    created_by: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    result: str | None = Field(description="URL of the result once succeeded")
    error: dict[str, Any] | None = None


class Health(BaseModel):
    status: str
    checks: dict[str, str] = Field(default_factory=dict)
