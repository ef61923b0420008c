from __future__ import annotations

from pathlib import Path

import pytest

from corridor.network import Network, load_network
from corridor.routing import Router

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"


@pytest.fixture(scope="session")
def mini() -> Network:
    return load_network(MINI)


@pytest.fixture(scope="session")
def mini_router(mini: Network) -> Router:
    return Router(mini)


@pytest.fixture(scope="session")
def bundled_router() -> Router:
    return Router(load_network("middle-corridor"))
