"""The parsed-network cache (issue 13 item 6): keyed by content, invalidated on change, never wrong."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corridor.errors import DataError
from corridor.network import bundled_networks, load_network
from corridor.network.cache import content_key, decode, default_cache_dir, encode, load_cached
from corridor.network.synthetic import synthetic_network


def test_round_trip_is_exact_for_the_bundled_and_a_synthetic_network() -> None:
    for net in (load_network("middle-corridor"), synthetic_network(500, seed=2)):
        back = decode(encode(net))
        assert back == net
        assert [n.provenance for n in back.nodes] == [n.provenance for n in net.nodes]
        assert back.resolve(net.nodes[-1].name) == net.nodes[-1]


def test_a_hit_skips_parsing_and_a_change_is_seen(tmp_path: Path, mini_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_cached(mini_path, cache)
    entries = list(cache.glob("*.net"))
    assert len(entries) == 1
    assert load_cached(mini_path, cache) == first
    nodes = mini_path / "nodes.csv"
    text = nodes.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    row = text[1].split(",")
    row[header.index("name")] = "Renamed Terminal"
    nodes.write_text("\n".join([text[0], ",".join(row), *text[2:]]) + "\n", encoding="utf-8")
    changed = load_cached(mini_path, cache)
    assert changed.nodes[0].name == "Renamed Terminal"
    assert [p.name for p in cache.glob("*.net")] != [p.name for p in entries]  # the stale entry is gone
    assert len(list(cache.glob("*.net"))) == 1


def test_a_corrupt_entry_is_rebuilt(tmp_path: Path, mini_path: Path) -> None:
    cache = tmp_path / "cache"
    net = load_cached(mini_path, cache)
    (entry,) = cache.glob("*.net")
    whole = entry.read_bytes()
    for damage in (b"\x00garbage", whole[: len(whole) // 2], whole[:-3]):  # foreign, truncated
        entry.write_bytes(damage)
        assert load_cached(mini_path, cache) == net
        assert decode(entry.read_bytes()) == net


def test_an_invalid_network_is_reported_and_never_cached(tmp_path: Path, mini_path: Path) -> None:
    cache = tmp_path / "cache"
    links = mini_path / "links.csv"
    links.write_text(links.read_text(encoding="utf-8").replace(",rail,", ",teleport,", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"links\.csv"):
        load_cached(mini_path, cache)
    assert not cache.exists() or not list(cache.glob("*.net"))


def test_the_key_covers_every_file(tmp_path: Path, mini_path: Path) -> None:
    before = content_key(mini_path)
    (mini_path / "sources.csv").write_text((mini_path / "sources.csv").read_text() + "\n", encoding="utf-8")
    assert content_key(mini_path) != before


def test_default_folder_follows_the_environment() -> None:
    assert default_cache_dir({"CORRIDOR_CACHE_DIR": "/x/y"}) == Path("/x/y")
    assert default_cache_dir({"XDG_CACHE_HOME": "/c"}) == Path("/c/corridor")


@pytest.mark.skipif("middle-corridor" not in bundled_networks(), reason="bundled network not present")
def test_the_cli_fills_the_cache_and_answers_the_same_from_it(tmp_path: Path) -> None:
    env = {"CORRIDOR_CACHE_DIR": str(tmp_path / "c"), "PATH": "", "COLUMNS": "100"}
    cmd = [sys.executable, "-m", "corridor", "route", "Altynkol", "Baku", "--json"]
    cold = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert len(list((tmp_path / "c").glob("*.net"))) == 1
    warm = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert warm.stdout == cold.stdout
    folder = tmp_path / "copy"
    shutil.copytree(bundled_networks()["middle-corridor"], folder)
    nocache = subprocess.run([*cmd, "--network", str(folder), "--no-cache"], env=env, capture_output=True, text=True)
    assert nocache.returncode == 0 and len(list((tmp_path / "c").glob("*.net"))) == 1


def test_a_column_of_equal_values_keeps_each_value_exact() -> None:
    """Columns of one value are stored once: 0.0 and -0.0, or 1 and 1.0, must not merge on the way."""
    import math
    from dataclasses import replace

    net = load_network("middle-corridor")
    nodes = [replace(n, lat=0.0, lon=-0.0 if i == 3 else 0.0) for i, n in enumerate(net.nodes)]
    links = [replace(lk, distance_km=1 if i == 0 else 1.0) for i, lk in enumerate(net.links)]
    back = decode(encode(replace(net, nodes=tuple(nodes), links=tuple(links))))
    assert [math.copysign(1.0, n.lon) for n in back.nodes[2:5]] == [1.0, -1.0, 1.0]
    assert type(back.links[0].distance_km) is int and type(back.links[1].distance_km) is float
    assert all(n.lat == 0.0 for n in back.nodes)
