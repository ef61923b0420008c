"""Fixtures: the mini network and demand, and a writer of scenario files into tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from corridor.demand import DemandSet, load_demand
from corridor.network import Network, load_network

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = DATA / "mini"
MINI_DEMAND = DATA / "mini-demand"
HEADER = f"network: {MINI}\ndemand: {MINI_DEMAND}\n"


@pytest.fixture(scope="session")
def mini() -> Network:
    return load_network(MINI)


@pytest.fixture(scope="session")
def mini_demand(mini: Network) -> DemandSet:
    return load_demand(MINI_DEMAND, mini)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """``write("name", yaml_text)`` → the path of ``name.yaml`` in tmp_path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return _write
