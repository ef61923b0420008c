"""Shared fixtures: small reference datasets copied into tmp_path, so tests may change them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"
MINI_DEMAND = DATA / "mini-demand"


@pytest.fixture
def mini_factory(tmp_path: Path) -> Callable[[str], Path]:
    """Copy the mini network into ``tmp_path/<name>`` and return the folder."""

    def make(name: str = "mini") -> Path:
        dest = tmp_path / name
        shutil.copytree(MINI, dest)
        return dest

    return make


@pytest.fixture
def mini_path(mini_factory: Callable[[str], Path]) -> Path:
    return mini_factory("mini")


@pytest.fixture(autouse=True, scope="session")
def _private_network_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """CLI runs in tests keep the parsed-network cache in a temporary folder, never in ~/.cache."""
    import os

    os.environ["CORRIDOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("network-cache"))
