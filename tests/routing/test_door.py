"""Issue 11: door legs (first/last-mile trucking), customs/broker lines per regime, door-to-door time."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from corridor.errors import InputError, UnknownNameError
from corridor.routing import DoorRates, Router
from corridor.routing.door import door_time
from corridor.schemas import dump


def _haversine(a: tuple[float, float], b: tuple[float, float]) -> float:  # independent of door.py's
    (la1, lo1), (la2, lo2) = (tuple(map(math.radians, p)) for p in (a, b))
    c = math.sin(la1) * math.sin(la2) + math.cos(la1) * math.cos(la2) * math.cos(lo2 - lo1)
    return 6371.0 * math.acos(max(-1.0, min(1.0, c)))


def test_door_time_by_hand() -> None:
    assert door_time(110) == pytest.approx((2 + 2.0, 1.5 * 4.0))  # gate + 110 km at 55 km/h
    # 1,000 km: 18.18 h driving = 3 days of 9 h, two 15 h rests between them
    assert door_time(1000)[0] == pytest.approx(2 + 1000 / 55 + 2 * 15)


def test_a_road_distance_door_is_trucked_at_the_regions_rate(bundled_router: Router) -> None:
    plain = bundled_router.route("Altynkol", "Baku", "2x40HC", alternatives=1).best
    door = bundled_router.route("Altynkol", "Baku", "2x40HC", alternatives=1, to_door="110km").best
    assert door.nodes == plain.nodes
    truck = [c for c in door.cost.lines if c.item == "trucking"]
    assert len(truck) == 1 and truck[0].country == "AZ"
    rate = DoorRates.default().find("truck", "AZ")
    assert truck[0].amount == pytest.approx(2 * 110 * rate.mid)  # one truck per box
    assert (truck[0].low, truck[0].high) == pytest.approx((2 * 110 * rate.low, 2 * 110 * rate.high))
    assert door.time.p50 == pytest.approx(plain.time.p50 + 4.0)
    assert door.time.p90 > plain.time.p90
    assert dict((s, a) for s, a, _ in door.time.stages)["door"] == pytest.approx(4.0)
    assert door.co2e.wtw > plain.co2e.wtw
    # the terminal-to-terminal lines are all still there
    assert [c for c in door.cost.lines if c.item not in ("trucking", "customs_broker")] == list(plain.cost.lines)


def test_customs_lines_follow_the_regimes_passed(bundled_router: Router) -> None:
    plain = bundled_router.route("Altynkol", "Baku", alternatives=1).best
    assert not [c for c in plain.cost.lines if c.item == "customs_broker"]  # terminal quotes: no clearance
    door = bundled_router.route("Altynkol", "Baku", alternatives=1, from_door="20km", to_door="20km").best
    customs = [c for c in door.cost.lines if c.item == "customs_broker"]
    assert [(c.where, c.basis.split(" declaration")[0]) for c in customs] == [("EAEU", "export"), ("AZ", "import")]
    long = bundled_router.route("Xian", "Istanbul", alternatives=1, to_door="50km", optimize="time").best
    regimes = [c.where for c in long.cost.lines if c.item == "customs_broker"]
    assert regimes[0] == "CN" and regimes[-1] == "Türkiye" and "EAEU" in regimes
    assert len(regimes) == len(set(regimes))


def test_coordinates_and_places_are_great_circle_times_circuity(bundled_router: Router) -> None:
    net = bundled_router.network
    aktau = net.resolve("Aktau")
    r = bundled_router.route("Aktau", "Baku", alternatives=1, from_door=f"{aktau.lat + 1:.3f},{aktau.lon}").best
    (d,) = r.doors
    assert d.road_km == pytest.approx(1.3 * _haversine((aktau.lat + 1, aktau.lon), (aktau.lat, aktau.lon)), rel=1e-6)
    beyneu = net.resolve("Beyneu")
    r = bundled_router.route("Aktau", "Baku", alternatives=1, from_door="Beyneu").best
    assert r.doors[0].road_km == pytest.approx(1.3 * _haversine((beyneu.lat, beyneu.lon), (aktau.lat, aktau.lon)))
    assert r.doors[0].country == "KZ"


def test_bulk_is_trucked_by_the_truckload(bundled_router: Router) -> None:
    r = bundled_router.route("Altynkol", "Baku", "general:500t", alternatives=1, from_door="10km").best
    (truck,) = [c for c in r.cost.lines if c.item == "trucking"]
    assert truck.basis.startswith("25 truck(s)")  # 500 t / 20 t per truck


@pytest.mark.parametrize("spec", ["0km", "9000km", "91,10", "Qwertyville"])
def test_bad_doors_are_clear_errors(bundled_router: Router, spec: str) -> None:
    with pytest.raises((InputError, UnknownNameError)) as exc:
        bundled_router.route("Altynkol", "Baku", to_door=spec)
    assert spec in str(exc.value)


def test_cli_door_json_validates_and_errors_are_clean(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    env = {**os.environ, "CORRIDOR_CACHE_DIR": str(tmp_path)}
    cmd = [sys.executable, "-m", "corridor", "route", "Altynkol", "Baku", "-k", "1", "--to-door", "110km", "--json",
           "--depart", "2025-03-03"]  # fmt: skip
    data = json.loads(subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout)
    assert data["schema"] == "corridor.route/4"
    route = data["routes"][0]
    assert route["doors"][0]["end"] == "to" and route["doors"][0]["road_km"] == 110.0
    assert dump("route", {k: v for k, v in data.items() if k != "schema"})["schema"] == "corridor.route/4"
    bad = subprocess.run([*cmd[:-3], "--to-door", "9000km"], env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "--to-door" in bad.stderr


def test_arrival_and_price_per_container_include_the_doors(bundled_router: Router) -> None:
    """Issue 11: with --depart a forwarder needs the arrival (P50/P90) and the price per container."""
    from datetime import datetime, timedelta

    res = bundled_router.route("Altynkol", "Baku", "3x40HC", depart="2025-01-10", alternatives=1, to_door="110km")
    best = res.best
    when = res.arrival(best)
    assert when is not None
    start = datetime(2025, 1, 10)
    assert abs(when[0] - (start + timedelta(hours=best.time.p50))) <= timedelta(minutes=1)
    assert abs(when[1] - (start + timedelta(hours=best.time.p90))) <= timedelta(minutes=1)
    assert res.per_unit(best) == (pytest.approx(best.cost.total / 3), "container")
    # January: the Caspian storm season
    assert any(n.code == "closure-season" and "closure season" in n.text for n in res.notes)
