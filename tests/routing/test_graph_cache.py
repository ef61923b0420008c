"""The routing arrays in the parsed-network cache (issue 13: `corridor route` on 10^5 links ≤ 2 s warm).

Pinned: the arrays hold what the records say (computed here again, independently, from the
records), a warm call reads them instead of rebuilding, a change to any network file or to the
code's key is never answered from stale arrays, a damaged file is rebuilt, and routes are the
same with and without the cache — in process and through the CLI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from corridor.network import Network, load_network, write_network
from corridor.network.cache import load_cached_entry
from corridor.network.synthetic import far_corners, synthetic_network
from corridor.routing import EmissionFactors, Router, cached_graph
from corridor.routing._graph import ARRAYS, RoutingGraph
from corridor.routing._graph_cache import code_key, graph_file
from corridor.routing._guided import LARGE_ARCS
from corridor.units import DEFAULT_T_PER_TEU, T_PER_FEU, TEU_PER_FEU

from .conftest import MINI


def _same_graph(a: RoutingGraph, b: RoutingGraph) -> None:
    for name in ARRAYS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name  # exact: no tolerance
    assert a.services == b.services


def test_the_arrays_hold_what_the_records_say(mini: Network) -> None:
    """Every arc's weights for every cargo, recomputed from the link, node and service records."""
    graph = RoutingGraph.build(mini)
    factors = EmissionFactors.default()
    services = {s.link_id: s for s in mini.services}
    seen = 0
    for cargo in ("container", "general", "liquid"):
        for u, arcs in enumerate(graph.adjacency(cargo)):
            node = mini.nodes[u]
            for arc in arcs:
                link = mini.links[int(graph.link[arc.id])]
                svc = services.get(link.id) if link.service else None
                assert mini.nodes[arc.head].id in (link.from_id, link.to_id) and node.id in (link.from_id, link.to_id)
                wait = 0.0
                if svc is not None and svc.departure == "fill_or_timeout" and svc.max_wait_h is not None:
                    wait = svc.max_wait_h / 2
                elif svc is not None and svc.departure == "schedule" and svc.headway_h is not None:
                    wait = svc.headway_h / 2
                assert arc.time_h == pytest.approx((node.dwell_h or 0) + link.moving_time_h + wait, rel=1e-12)
                tariffed = svc is not None and (svc.tariff_usd_per_feu is not None or svc.tariff_usd_per_t is not None)
                priced = svc if tariffed and svc is not None else link
                per_teu = (node.handling_usd_per_teu or 0) + (node.border_usd_per_teu or 0)
                if cargo == "container":
                    assert arc.line_usd == pytest.approx((priced.tariff_usd_per_feu or 0) / TEU_PER_FEU, rel=1e-12)
                    assert arc.node_usd == pytest.approx(per_teu, rel=1e-12)
                else:
                    per_t = priced.tariff_usd_per_t
                    want = per_t if per_t is not None else (priced.tariff_usd_per_feu or 0) / T_PER_FEU
                    assert arc.line_usd == pytest.approx(want, rel=1e-12)
                    assert arc.node_usd == pytest.approx(per_teu / DEFAULT_T_PER_TEU, rel=1e-12)
                leg = link.distance_km * factors.for_link(link).wtw / 1000
                assert arc.co2_kg == pytest.approx(factors.for_node(node).wtw + leg, rel=1e-12)
                assert cargo in link.allowed_cargo
                seen += 1
    assert seen > 20  # every cargo class had arcs to check


def test_a_warm_call_reads_the_stored_arrays(tmp_path: Path) -> None:
    net, entry = load_cached_entry(MINI, tmp_path)
    assert entry is not None
    built = cached_graph(net, entry)
    stored = graph_file(entry)
    assert stored.is_file() and stored.name.startswith(entry.name) and code_key() in stored.name
    _same_graph(cached_graph(net, entry), built)
    # prove the file is what a warm call uses: store doubled times, and the next call sees them
    with np.load(stored) as npz:
        columns = {k: npz[k] for k in npz.files}
    columns["time_h"] = columns["time_h"] * 2
    np.savez(stored, **columns)
    assert np.array_equal(cached_graph(net, entry).time_h, built.time_h * 2)


def test_a_damaged_or_foreign_file_is_rebuilt(tmp_path: Path) -> None:
    net, entry = load_cached_entry(MINI, tmp_path)
    assert entry is not None
    built = cached_graph(net, entry)
    whole = graph_file(entry).read_bytes()
    for damage in (b"\x00not an npz", b"", whole[: len(whole) // 2], whole[:-40]):  # foreign, empty, truncated
        graph_file(entry).write_bytes(damage)
        _same_graph(cached_graph(net, entry), built)
        with np.load(graph_file(entry)) as npz:  # and stored again, whole
            assert sorted(npz.files) == sorted(ARRAYS)
    other = synthetic_network(400, seed=3)  # arrays of another network under this entry's name
    np.savez(graph_file(entry), **RoutingGraph.build(other).arrays())
    _same_graph(cached_graph(net, entry), built)
    for key, bad in (("link", lambda x: x + 10**6), ("time_h", lambda x: x.astype(np.float32))):
        columns = built.arrays()
        columns[key] = bad(columns[key])  # the right shape, but an index off the network or another type
        np.savez(graph_file(entry), **columns)
        _same_graph(cached_graph(net, entry), built)


def test_a_changed_file_gets_new_arrays_and_the_old_ones_go(tmp_path: Path, mini_path: Path) -> None:
    cache = tmp_path / "cache"
    net, entry = load_cached_entry(mini_path, cache)
    assert entry is not None
    before = cached_graph(net, entry)
    links = mini_path / "links.csv"
    text = links.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    row = text[1].split(",")
    col = header.index("distance_km")
    row[col] = str(float(row[col]) * 3)
    links.write_text("\n".join([text[0], ",".join(row), *text[2:]]) + "\n", encoding="utf-8")
    changed, new_entry = load_cached_entry(mini_path, cache)
    assert new_entry is not None and new_entry != entry
    after = cached_graph(changed, new_entry)
    _same_graph(after, RoutingGraph.build(load_network(mini_path)))  # what the files say now
    assert not np.array_equal(after.co2_kg, before.co2_kg)
    assert not entry.exists() and not graph_file(entry).exists()  # stale entry and its arrays removed
    assert sorted(p.name for p in cache.iterdir()) == sorted([new_entry.name, graph_file(new_entry).name])


def test_arrays_of_another_code_version_are_never_read_and_are_removed(tmp_path: Path) -> None:
    net, entry = load_cached_entry(MINI, tmp_path)
    assert entry is not None
    stale = entry.with_name(f"{entry.name}.0123456789abcdef.routing.npz")
    shutil.copyfile(MINI / "nodes.csv", stale)  # anything: it must not even be opened
    cached_graph(net, entry)
    assert graph_file(entry).is_file() and not stale.exists()


def test_no_cache_folder_builds_and_writes_nothing(tmp_path: Path) -> None:
    net, entry = load_cached_entry(MINI, None)
    assert entry is None
    _same_graph(cached_graph(net, None), RoutingGraph.build(net))


def test_router_refuses_a_graph_of_another_network(mini: Network) -> None:
    with pytest.raises(ValueError, match="another network"):
        Router(mini, graph=RoutingGraph.build(synthetic_network(400, seed=3)))


@pytest.mark.parametrize("links", [400, 6_000])  # the exact search, and the guided one (≥ LARGE_ARCS arcs)
def test_routes_are_identical_with_and_without_the_cache(tmp_path: Path, links: int) -> None:
    write_network(synthetic_network(links, seed=5), tmp_path / "net")
    plain = load_network(tmp_path / "net")
    o, d = far_corners(plain)
    plain_router = Router(plain)
    expected = [plain_router.route(o, d, alternatives=5, optimize=goal).to_json() for goal in ("time", "co2")]
    for _ in range(2):  # the first call stores, the second reads
        net, entry = load_cached_entry(tmp_path / "net", tmp_path / "cache")
        router = Router(net, graph=cached_graph(net, entry))
        assert (router.graph.n_arcs >= LARGE_ARCS) == (links >= 6_000)
        assert [router.route(o, d, alternatives=5, optimize=goal).to_json() for goal in ("time", "co2")] == expected


def test_the_cli_answers_the_same_warm_cold_and_without_the_cache(tmp_path: Path) -> None:
    write_network(synthetic_network(6_000, seed=5), tmp_path / "net")
    o, d = far_corners(load_network(tmp_path / "net"))
    env = {"CORRIDOR_CACHE_DIR": str(tmp_path / "c"), "PATH": "", "COLUMNS": "100"}
    cmd = [sys.executable, "-m", "corridor", "route", o, d, "-k", "5", "--network", str(tmp_path / "net"), "--json"]
    runs = [
        subprocess.run(cmd + extra, env=env, capture_output=True, text=True, check=True)
        for extra in ([], [], ["--no-cache"])
    ]
    assert len(list((tmp_path / "c").glob("*.routing.npz"))) == 1
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert len(json.loads(runs[0].stdout)["routes"]) == 5
