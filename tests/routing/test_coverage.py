"""Issue 11's forwarder answers on the bundled network: right path, order and price shape."""

from __future__ import annotations

import pytest

from corridor.routing import Route, Router

FAR = {"NLRTM", "DEDUI"}


def _countries(router: Router, r: Route) -> set[str]:
    return {router.network.node(n).country for n in r.nodes}


def test_shanghai_istanbul_offers_sea_via_suez_middle_corridor_and_northern(bundled_router: Router) -> None:
    res = bundled_router.route("Shanghai", "Istanbul", alternatives=4)
    assert len(res.routes) == 4
    assert all(not FAR & set(r.nodes) for r in res.routes)  # never via Rotterdam or Duisburg
    kinds = set()
    for r in res.routes:
        cs = _countries(bundled_router, r)
        if "RU" in cs:
            kinds.add("northern")
        elif "AZ" in cs:
            kinds.add("middle")
        elif len(r.legs) <= 2 and any(leg.mode == "sea" for leg in r.legs):
            kinds.add("sea")
    assert kinds == {"northern", "middle", "sea"}
    sea = next(r for r in res.routes if r.nodes[:2] == ("CNSHA", "TRAMR"))
    assert sea.cost.total < min(r.cost.total for r in res.routes if r is not sea)  # the sea option is cheapest


def test_xian_budapest_northern_goes_poland_to_hungary_not_duisburg(bundled_router: Router) -> None:
    res = bundled_router.route("Xi'an", "Budapest", alternatives=4)
    northern = [r for r in res.routes if "PLMAA" in r.nodes]
    assert northern and all("DEDUI" not in r.nodes for r in northern)
    assert any(r.nodes[-2:] == ("PLMAA", "budapest") for r in northern)


def test_xian_istanbul_sea_option_is_direct_via_suez(bundled_router: Router) -> None:
    res = bundled_router.route("Xi'an", "Istanbul", alternatives=4)
    sea = [r for r in res.routes if any(leg.mode == "sea" and leg.from_id == "CNSHA" for leg in r.legs)]
    assert sea and all(not FAR & set(r.nodes) for r in sea)


@pytest.mark.parametrize(
    ("origin", "destination"),
    [("Chongqing", "Baku"), ("Chengdu", "Poti"), ("Lianyungang", "Aktau"), ("Kashgar", "Almaty"),
     ("Tashkent", "Baku"), ("Ningbo", "Piraeus"), ("Shanghai", "Constanța"), ("Shanghai", "Poti")],
)  # fmt: skip
def test_new_places_are_routable(bundled_router: Router, origin: str, destination: str) -> None:
    res = bundled_router.route(origin, destination, alternatives=2)
    assert res.routes


def test_tashkent_reaches_the_caspian_via_beyneu_and_via_turkmenbashi(bundled_router: Router) -> None:
    res = bundled_router.route("Tashkent", "Baku", alternatives=4)
    seen = {n for r in res.routes for n in r.nodes}
    assert {"kungrad", "beyneu"} <= seen or {"turkmenabat", "TMKRW"} <= seen


def test_the_planned_china_kyrgyzstan_uzbekistan_line_is_not_routable(bundled_router: Router) -> None:
    net = bundled_router.network
    planned = [lk for lk in net.links if lk.id.endswith("-planned")]
    assert {lk.id for lk in planned} == {"kashgar-torugart-planned", "torugart-andijan-planned"}
    assert not any(lk.enabled for lk in planned)
    res = bundled_router.route("Kashgar", "Andijan", alternatives=3)
    assert all("torugart" not in r.nodes for r in res.routes)  # 465 km away, yet no route takes the planned line
    assert all(len(r.nodes) > 4 for r in res.routes)
