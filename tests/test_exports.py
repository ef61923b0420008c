"""The public surface (httpx ``tests/test_exported_members.py``): ``corridor.__all__`` is sorted,
every name in it exists, and every public name the package binds is in it — so a name added to
``corridor/__init__.py`` without ``__all__`` (or the reverse) fails here."""

from __future__ import annotations

import types

import corridor
import corridor.capacity
import corridor.demand
import corridor.network
import corridor.routing
import corridor.scenario
import corridor.sim

PACKAGES = [
    corridor,
    corridor.capacity,
    corridor.demand,
    corridor.network,
    corridor.routing,
    corridor.scenario,
    corridor.sim,
]


def public_names(module: types.ModuleType) -> set[str]:
    """Names bound in the module that are neither private, nor submodules, nor ``annotations``."""
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }


def test_all_is_sorted_and_complete() -> None:
    assert corridor.__all__ == sorted(corridor.__all__)
    for name in corridor.__all__:
        assert hasattr(corridor, name), name


def test_every_public_name_is_exported() -> None:
    for name in corridor.__all__:  # the top level binds its names lazily, on first use
        getattr(corridor, name)
    for package in PACKAGES:
        assert public_names(package) == set(package.__all__), package.__name__


def test_the_check_sees_a_missing_name() -> None:
    probe = types.ModuleType("probe")
    probe.__all__ = ["kept"]  # type: ignore[attr-defined]
    probe.kept = 1  # type: ignore[attr-defined]
    probe.forgotten = 2  # type: ignore[attr-defined]
    assert public_names(probe) - set(probe.__all__) == {"forgotten"}  # type: ignore[attr-defined]


def test_public_names_are_not_private() -> None:
    assert not [n for n in corridor.__all__ if n.startswith("_")]


def test_the_error_tree_is_public() -> None:
    for name in ("CorridorError", "InputError", "DataError", "UnknownNameError", "NoRouteError", "InfeasibleError"):
        assert issubclass(getattr(corridor, name), corridor.CorridorError), name
