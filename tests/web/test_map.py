"""Map / network explorer: layers by mode, search in any alias and script, click → data with sources."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import pytest
from tests.web.conftest import goto

from corridor.network import load_network

NET = load_network("middle-corridor")
SEA = (0xDF, 0xEA, 0xF2)  # .map's background in app.css


def pixel(page: Any, x: float, y: float) -> tuple[int, int, int]:
    """The colour a user sees at page point (x, y): a 1×1 screenshot, decoded here (one pixel: every
    PNG filter leaves its bytes as they are, after the filter-type byte)."""
    png = page.screenshot(clip={"x": x, "y": y, "width": 1, "height": 1})
    pos, raw = 8, b""
    while pos < len(png):
        (size,) = struct.unpack(">I", png[pos : pos + 4])
        if png[pos + 4 : pos + 8] == b"IDAT":
            raw += png[pos + 8 : pos + 8 + size]
        pos += 12 + size
    r, g, b = zlib.decompress(raw)[1:4]
    return r, g, b


def test_map_shows_the_network_and_its_layers(page: Any, lang: str, check: Any) -> None:
    goto(page, "#/map")
    page.wait_for_selector("#network-map path.leaflet-interactive")
    counts = page.locator("main .page > p.muted").first.inner_text()
    assert str(len(NET.nodes)) in counts and str(len(NET.links)) in counts
    enabled = [link for link in NET.links if link.enabled]
    # one SVG path per link drawn, plus the outlines (not interactive) and circle markers of the shown node kinds
    rail = sum(1 for link in enabled if link.mode == "rail")
    before = page.locator("#network-map path.leaflet-interactive").count()
    page.uncheck("#layer-mode-rail")
    after = page.locator("#network-map path.leaflet-interactive").count()
    assert before - after == rail
    assert "layers=" in page.evaluate("location.hash") and "mode:rail" not in page.evaluate("location.hash")
    page.check("#layer-mode-rail")
    # north of the bundled outlines (they stop at 62° N) the map is grey, not sea over Siberia
    box = page.locator("#network-map").bounding_box()
    top = pixel(page, box["x"] + box["width"] * 0.6, box["y"] + 12)
    assert top != SEA and max(top) - min(top) < 16, top  # a neutral grey
    check("map")


@pytest.mark.parametrize(("query", "node"), [("Актау", "KZAAU"), ("Ələt", "AZBAK"), ("西安", "CNXIA")])
def test_search_any_alias_shows_the_place_with_sources(page: Any, lang: str, query: str, node: str) -> None:
    goto(page, "#/map")
    box = page.locator("main input[role=combobox]")
    box.fill(query)
    page.wait_for_selector("[role=listbox] [role=option]")
    box.press("Enter")
    head = page.locator("section.card h2").first
    head.wait_for()
    n = NET.node(node) if hasattr(NET, "node") else next(x for x in NET.nodes if x.id == node)
    ru = next((a for a in n.aliases if all("А" <= c <= "я" or c in "Ёё -" for c in a)), None)
    assert head.inner_text() == (ru if lang == "ru" and ru else n.name)
    assert f"at={node}" in page.evaluate("location.hash")
    body = page.locator("section.card").inner_text()
    est = {"en": "estimate", "ru": "оценка"}[lang]
    assert est in body  # coordinates are marked as estimates with the reason
    src = next(s for s in NET.sources if s.id == n.provenance["lat"])
    assert src.title in body


def test_clicking_a_link_shows_its_figures_and_sources(page: Any, lang: str) -> None:
    goto(page, "#/map?at=KZAAU")
    page.locator("section.card button.link-button").first.click()
    card = page.locator("section.card").inner_text()
    link = next(
        x for x in NET.links if "KZAAU" in (x.from_id, x.to_id)
    )  # the first line listed is the first in the data
    assert link.id in card
    km = {"en": "km", "ru": "км"}[lang]
    assert km in card


def test_a_long_sea_link_is_drawn_along_the_sea_lanes_and_says_so(page: Any, lang: str, check: Any) -> None:
    """Shanghai–Piraeus is drawn through Malacca, Bab-el-Mandeb and Suez (not across Asia): the line has
    the lanes' vertices, and its card names the passages and marks the line as an estimate."""
    goto(page, "#/map?at=shanghai-piraeus-suez")
    page.wait_for_selector("#network-map path.leaflet-interactive")
    card = page.locator("section.card").inner_text()
    via = {"en": ["Strait of Malacca", "Bab-el-Mandeb", "Suez Canal"],
           "ru": ["Малаккский пролив", "Баб-эль-Мандебский пролив", "Суэцкий канал"]}[lang]  # fmt: skip
    for name in via:
        assert name in card, name
    assert {"en": "estimate", "ru": "оценка"}[lang] in page.locator("p.path-note").inner_text()
    # the longest drawn line has more than two points (Leaflet writes one "L" per further vertex)
    most = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('#network-map path.leaflet-interactive')]"
        ".map((p) => (p.getAttribute('d').match(/L/g) || []).length))"
    )
    assert most >= 20
    page.evaluate("window.scrollTo(0, 0)")
    check("map-sea-lanes")


def _clickable_link(page: Any) -> dict[str, Any]:
    """A link's line on the map and a point on it that is not covered by another feature (found in the
    page, as a user's eye would find one), with its label."""
    found = page.evaluate(
        """() => {
          for (const p of document.querySelectorAll('#network-map path.leaflet-interactive[role=button]')) {
            const len = p.getTotalLength ? p.getTotalLength() : 0;
            if (len < 60) continue;
            const pt = p.getPointAtLength(len / 2);
            const m = p.getScreenCTM();
            const x = m.a * pt.x + m.c * pt.y + m.e, y = m.b * pt.x + m.d * pt.y + m.f;
            if (document.elementFromPoint(x, y) === p) return { x, y, label: p.getAttribute('aria-label'), d: p.getAttribute('d') };
          }
          return null;
        }"""
    )
    assert found, "no link line on the map can be clicked"
    return dict(found)


def _settled_clickable_link(page: Any) -> dict[str, Any]:
    """:func:`_clickable_link` once the map has stopped changing: layers that load after the first
    line (ports, closures) can redraw or refit it, moving the point between finding and clicking."""
    page.wait_for_load_state("networkidle")
    hit = _clickable_link(page)
    for _ in range(20):
        page.wait_for_timeout(150)
        again = _clickable_link(page)
        if again == hit:
            return hit
        hit = again
    raise AssertionError("the network map kept changing for 3 s after its data loaded")


def _marked(page: Any) -> list[dict[str, Any]]:
    """The selection marks drawn on the map: their outline and width."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('#network-map path.selected')].map((p) => ({
                 d: p.getAttribute('d'), width: Number(p.getAttribute('stroke-width')), colour: p.getAttribute('stroke') }))"""
        )
    )


def test_a_picked_link_is_marked_on_the_map_by_mouse_and_by_keyboard(page: Any, lang: str, check: Any) -> None:
    """Clicking a line shows its card and marks that line (a wide amber halo along the same path);
    picking another moves the mark; a line is reached by Tab and picked with Enter as well."""
    goto(page, "#/map")
    page.wait_for_selector("#network-map path.leaflet-interactive")
    assert _marked(page) == []
    hit = _settled_clickable_link(page)
    page.mouse.click(hit["x"], hit["y"])
    # the card is the clicked line's (wait for it: the card says "Details" while the line's data loads)
    page.wait_for_function(
        "(label) => { const h = document.querySelector('section.card h2'); return h && h.textContent !== '' && label.startsWith(h.textContent); }",
        arg=hit["label"],
    )
    marks = _marked(page)
    assert len(marks) == 1 and marks[0]["d"] == hit["d"], marks  # drawn along the clicked line
    width = page.locator(f'#network-map path[aria-label="{hit["label"]}"]').get_attribute("stroke-width")
    assert marks[0]["width"] >= 3 * float(width or 0) and marks[0]["colour"] == "#f0a202"
    check("map-selected")
    # by keyboard: a line takes focus and Enter picks it; the mark moves to it, only one stays
    other = page.locator("#network-map path.leaflet-interactive[role=button][tabindex='0'][aria-label*=' — ']").nth(3)
    label, d = other.get_attribute("aria-label"), other.get_attribute("d")
    assert label and label != hit["label"]
    other.focus()
    page.keyboard.press("Enter")
    expect_head = label.rsplit(", ", 1)[0]
    page.wait_for_function(
        "(t) => [...document.querySelectorAll('section.card h2')].some((h) => h.textContent === t)", arg=expect_head
    )
    marks = _marked(page)
    assert len(marks) == 1 and marks[0]["d"] == d
