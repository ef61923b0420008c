"""Every router of the API, in one list: add a module here and its line below to register it.

Each module defines ``router = APIRouter(...)``; the tables it needs live in its own module on
``corridor.service.db.Base`` and get an Alembic revision (see docs/design/service.md).
"""

from fastapi import APIRouter

from corridor.service import tracking_api
from corridor.service.routers import auth, explore, health, jobs, networks, people, quotes, scenarios, webapp, workbench

ROUTERS: list[APIRouter] = [
    health.router,
    auth.router,
    networks.router,
    scenarios.router,
    quotes.router,
    jobs.router,
    tracking_api.router,
    workbench.router,
    explore.router,
    people.router,
    webapp.router,
]
