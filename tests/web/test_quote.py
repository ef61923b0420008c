"""Quote: a forwarder types places in any alias, builds the cargo, gets options whose figures are the
routing engine's own (computed here in-process, independently of the browser), compares them, shares
the URL, downloads CSV, prints, books one (a tracked shipment appears) — by keyboard as by mouse."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.web.conftest import WebServer, goto, shot

from corridor.capacity import assign
from corridor.demand import load_demand
from corridor.network import load_network
from corridor.routing import Router, queueing_for, route

NET = load_network("middle-corridor")


@functools.cache
def router() -> Router:
    """As the service quotes (and `corridor route` answers): with the 2024 baseline's queueing in force."""
    return Router(NET, queueing=queueing_for(NET, assign(NET, load_demand("2024", NET))))


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def expected(
    origin: str, dest: str, cargo: str = "1x40HC", k: int = 3, depart: dt.date | None = None, optimize: str = "time"
) -> Any:
    return route(router(), origin, dest, cargo, alternatives=k, depart=depart, optimize=optimize).to_json()


def test_quote_by_url_matches_the_engine(page: Any, lang: str, check: Any) -> None:
    want = expected("CNXIA", "TRIST", depart=dt.date(2026, 12, 5))
    goto(page, "#/quote?from=CNXIA&to=TRIST&cargo=1x40HC&depart=2026-12-05")
    cards = page.locator("article.alt")
    cards.first.wait_for()
    assert cards.count() == len(want["routes"])
    for i, r in enumerate(want["routes"]):
        text = cards.nth(i).inner_text()
        assert digits(f"{r['cost_usd']['total']:.0f}") in digits(text.replace("\u202f", "").replace("\xa0", ""))
        days = f"{r['time_h']['p50'] / 24:.1f}"
        assert (days if lang == "en" else days.replace(".", ",")) in text
    # arrival dates shown in the locale's format, from the engine's P50
    p50 = dt.datetime.fromisoformat(want["routes"][0]["arrival"]["p50"])
    month = {
        "en": p50.strftime("%b"),
        "ru": ["янв", "февр", "мар", "апр", "мая", "июн", "июл", "авг", "сент", "окт", "нояб", "дек"][p50.month - 1],
    }[lang]
    assert month in cards.first.inner_text()
    # each stage of the bar has its own colour in the legend (border crossing and terminal were both grey)
    first = cards.first.locator(".legend .swatch")
    colours = first.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert len(colours) == len(want["routes"][0]["time_h"]["stages"]) - sum(
        1 for v in want["routes"][0]["time_h"]["stages"].values() if v["p50"] <= 0
    )
    assert len(set(colours)) == len(colours), colours
    comparison = page.locator("table.compare")
    assert comparison.locator("thead th").count() == len(want["routes"]) + 1
    # every engine note said in the page's language from its params: December is the Caspian storm
    # season and the 2024 queueing is in force, so both kinds are there, none left in English
    codes = [n["code"] for n in want["notes"]]
    assert "closure-season" in codes and "queueing" in codes
    notes = page.locator("#quote-results li[data-note]")
    assert notes.evaluate_all("els => els.map(e => e.dataset.note)") == codes
    assert page.locator("#quote-results li.untranslated").count() == 0
    closure = next(n for n in want["notes"] if n["code"] == "closure-season")
    shown = notes.nth(codes.index("closure-season")).inner_text()
    assert ("Option" if lang == "en" else "Вариант") + f" {closure['params']['route']}" in shown
    share = f"{closure['params']['closures'][0]['closed_share'] * 100:.0f}"
    assert f"{share}%" in shown.replace("\xa0", "").replace(" ", "")
    cause = closure["params"]["closures"][0]["cause"]
    assert (cause if lang == "en" else {"storm": "шторм", "wind": "ветер"}[cause]) in shown
    assert "2024" in notes.nth(codes.index("queueing")).inner_text()
    page.evaluate(
        "window.scrollTo(0, document.querySelector('#results-title').getBoundingClientRect().top + scrollY - 8)"
    )
    check("quote", readme=True)


@pytest.mark.parametrize("browser_locale", ["en-US"])
def test_the_departure_date_is_in_the_chosen_languages_format(page: Any, lang: str) -> None:
    # Chromium draws <input type=date> in the browser's locale (en-US: 12/05/2026) whatever lang= says;
    # the workbench's own field follows the language chosen in the app
    goto(page, "#/quote?from=CNXIA&to=TRIST&cargo=1x40HC&depart=2026-12-05")
    page.locator("article.alt").first.wait_for()
    field = page.locator("#q-depart")
    shown, hint = {"en": ("05/12/2026", "DD/MM/YYYY"), "ru": ("05.12.2026", "ДД.ММ.ГГГГ")}[lang]
    assert field.input_value() == shown
    assert field.get_attribute("placeholder") == hint
    expect(page.locator("#q-depart-hint")).to_contain_text(hint)
    field.fill("31.02.2027" if lang == "ru" else "31/02/2027")  # no such day
    page.click("form.quote-form button[type=submit]")
    expect(page.locator("#error")).to_contain_text(hint)
    assert field.get_attribute("aria-invalid") == "true"
    assert "depart=2026-12-05" in page.url  # nothing was sent
    field.fill("6.1.2027" if lang == "ru" else "6/1/2027")  # day first in both ru-RU and en-GB
    page.click("form.quote-form button[type=submit]")
    page.wait_for_url(re.compile(r"depart=2027-01-06"))
    page.locator("#quote-results li[data-note]").first.wait_for()
    want = expected("CNXIA", "TRIST", depart=dt.date(2027, 1, 6))
    notes = page.locator("#quote-results li[data-note]")
    assert notes.evaluate_all("els => els.map(e => e.dataset.note)") == [n["code"] for n in want["notes"]]
    assert field.input_value() == {"en": "06/01/2027", "ru": "06.01.2027"}[lang]
    field.fill("2027-01-06")  # ISO, as pasted from elsewhere, is understood too
    field.press("Tab")
    assert field.input_value() == {"en": "06/01/2027", "ru": "06.01.2027"}[lang]


def test_typing_aliases_and_building_cargo_by_keyboard(page: Any, lang: str, web_server: WebServer) -> None:
    goto(page, "#/quote")
    page.locator("input[name=from]").focus()
    page.keyboard.type("Сиань")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.locator("input[name=to]").focus()
    page.keyboard.type("Ələt")
    page.keyboard.press("Enter")
    shown_to = page.locator("input[name=to]").input_value()
    assert shown_to == ("Алят" if lang == "ru" else "Port of Baku (Alat)")
    page.locator("#cargo-add").focus()
    page.keyboard.press("Enter")  # a second line of boxes, focus moves to its count
    assert page.evaluate("document.activeElement.id") == "cargo-count-1"
    page.keyboard.press("Control+A")
    page.keyboard.type("10")
    page.select_option("#cargo-type-1", "RF")
    page.locator("form.quote-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.locator("article.alt").first.wait_for()
    h = page.evaluate("location.hash")
    assert "from=CNXIA" in h and "to=AZBAK" in h and "cargo=1x40HC%2C10x20RF" in h
    want = expected("CNXIA", "AZBAK", "1x40HC,10x20RF")
    text = page.locator("article.alt").first.inner_text()
    assert digits(f"{want['routes'][0]['cost_usd']['total']:.0f}") in digits(
        text.replace("\u202f", "").replace("\xa0", "")
    )
    reefer = {"en": "reefer surcharge", "ru": "надбавка за рефконтейнер"}[lang]
    assert reefer in text  # not priced, and says so


def test_unchosen_place_is_a_clear_message_and_bad_input_a_translated_problem(page: Any, lang: str) -> None:
    goto(page, "#/quote")
    page.fill("input[name=from]", "Atlantis")
    page.click("form.quote-form button[type=submit]")
    banner = page.locator("#error")
    banner.wait_for(state="visible")
    assert {"en": "Choose both places", "ru": "Выберите оба пункта"}[lang] in banner.inner_text()
    goto(page, "#/quote?from=CNXIA&to=TRIST&cargo=3x99ZZ")  # a cargo spec no builder makes: the server refuses it
    banner.wait_for(state="visible")
    assert {"en": "not valid", "ru": "недопустимые"}[lang] in banner.inner_text()
    assert "3x99ZZ" in banner.locator(".detail").inner_text()  # the server's own words, kept beside ours
    goto(page, "#/quote?from=CNXIA&to=TRIST&avoid=rail")
    expect(page.locator("#error .detail")).to_contain_text("avoid rail")
    assert {"en": "There is no route", "ru": "маршрута нет"}[lang] in banner.inner_text()


def test_share_csv_print_book_and_offline(
    page: Any, lang: str, web_server: WebServer, context: Any, watch: Any
) -> None:
    want = expected("KZAAU", "AZBAK")
    goto(page, "#/quote?from=KZAAU&to=AZBAK")
    page.locator("article.alt").first.wait_for()
    with page.expect_download() as dl:
        page.click("#quote-csv")
    rows = Path(dl.value.path()).read_text(encoding="utf-8").strip().splitlines()
    assert len(rows) == 1 + sum(len(r["cost_usd"]["lines"]) for r in want["routes"])
    page.emulate_media(media="print")
    assert not page.locator("form.quote-form").is_visible()
    assert page.locator("article.alt").first.is_visible()
    page.emulate_media(media="screen")
    page.locator("article.alt button.book").first.click()
    note = page.locator("p.booked")
    note.wait_for()
    booking = re.search(r"WB-\d{8}-[A-Z0-9]+", note.inner_text()).group(0)  # type: ignore[union-attr]
    api = web_server.api("viewer")
    try:
        ships = {s["booking"]: s for s in api.get("/v1/shipments").json()}
    finally:
        api.close()
    assert booking in ships and ships[booking]["nodes"] == want["routes"][0]["nodes"]
    # offline: what is on the page stays usable, a new quote says it needs the server
    watch.allow_offline_errors = True
    context.set_offline(True)
    if len(want["routes"]) > 1:
        page.locator("article.alt").nth(1).locator("button[aria-pressed]").click()
        assert page.locator("article.alt").nth(1).get_attribute("class") == "alt selected"
    page.locator("article.alt details summary").first.click()
    assert page.locator("article.alt details table").first.is_visible()
    page.select_option("#q-opt", "cost")
    page.click("form.quote-form button[type=submit]")
    banner = page.locator("#error")
    banner.wait_for(state="visible")
    assert {"en": "No connection to the server", "ru": "Нет связи с сервером"}[lang] in banner.inner_text()
    context.set_offline(False)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}])
def test_the_first_option_is_on_the_first_screen(page: Any, lang: str, check: Any) -> None:
    # the form is compact (advanced options folded away), so at 1280×800 a forwarder sees the
    # first option's price and arrival without scrolling
    goto(page, "#/quote?from=CNXIA&to=TRIST&cargo=1x40HC&depart=2026-12-05")
    first = page.locator("article.alt").first
    first.wait_for()
    assert page.evaluate("scrollY") == 0
    box = first.bounding_box()
    assert box is not None and box["y"] + 120 <= 800, box  # its heading, price and arrival line at least
    check("quote-first-screen")


def test_every_note_code_is_said_in_the_pages_language(page: Any, lang: str) -> None:
    # the notes a quote can carry (corridor.route/4): the mini network's real closure and avoid
    # notes, and the search and queueing notes as the router builds them, each validated by the schema
    from corridor.schemas.route import RouteNote

    golden = json.loads(Path("tests/golden/route-mini-notes.json").read_text(encoding="utf-8"))["notes"]
    more = [
        {"code": "label-limit", "text": "…", "params": {"max_labels": 200000}},
        {"code": "guided-search", "text": "…", "params": {"reason": "large-network", "arcs": 21, "epsilon": 0.02}},
        {"code": "guided-search", "text": "…", "params": {"reason": "label-limit", "arcs": 12345, "epsilon": 0.02}},
        {"code": "queueing", "text": "…", "params": {"demand": "2024"}},
    ]
    notes = [RouteNote.model_validate(n).model_dump() for n in [*golden, *more]]
    goto(page, "#/quote")
    said = page.evaluate(
        """async ([notes, nodes]) => {
          const m = await import('/app/js/pages/quote_notes.js');
          return m.noteItems(notes, nodes).map((li) => ({ text: li.textContent, untranslated: li.classList.contains('untranslated') }));
        }""",
        [notes, {"P": {"id": "P", "name": "Port East", "name_ru": "Порт Восток"}}],
    )
    texts = [s["text"] for s in said]
    assert not any(s["untranslated"] for s in said)
    if lang == "ru":
        assert all(not re.search(r"[A-Za-z]", t) for t in texts), texts  # no English left, not even an id
        assert "Германия" in texts[0]  # avoid DE: the country by name
        assert "Порт Восток (шторм, закрыт около 20\xa0% времени)" in texts[1]
        assert "(21 дуга)" in texts[3] and "(12\u00a0345 дуг в сети)" in texts[4]  # ru plural forms, ru thousands
        assert "«2024»" in texts[5]
    else:
        assert "Germany" in texts[0] and "Port East (storm, closed about 20% of the time)" in texts[1]
        assert "(21 arcs)" in texts[3] and "(12,345 arcs)" in texts[4]


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}])
def test_the_map_beside_the_options_fills_the_window_and_stays_in_view(page: Any, lang: str, viewport: Any) -> None:
    """At the common laptop and desktop sizes the route map beside the options is nearly the window's
    height, and it stays on screen while the forwarder scrolls down the options."""
    goto(page, "#/quote?from=CNXIA&to=TRIST&cargo=1x40HC&depart=2026-12-05")
    page.locator("article.alt").first.wait_for()
    vh = viewport["height"]
    box = page.locator("#quote-map").bounding_box()
    assert box is not None and box["height"] >= 0.9 * vh, box
    results = page.locator("#quote-results").bounding_box()
    assert results is not None and box["width"] >= results["width"]  # the wider of the two columns
    for where in ("article.alt >> nth=-1", "table.compare"):
        page.locator(where).scroll_into_view_if_needed()
        box = page.locator("#quote-map").bounding_box()
        assert box is not None and box["y"] >= -1 and box["y"] + box["height"] <= vh + 1, (where, box)
    # and the chosen route is drawn on it, framed: the highlighted line spans most of the map's width
    span = page.evaluate(
        """() => { const m = document.querySelector('#quote-map').getBoundingClientRect();
                   const paths = [...document.querySelectorAll('#quote-map path.leaflet-interactive')];
                   const bs = paths.map((p) => p.getBoundingClientRect());
                   return (Math.max(...bs.map((b) => b.right)) - Math.min(...bs.map((b) => b.left))) / m.width; }"""
    )
    assert span >= 0.5, span
    page.evaluate(
        "window.scrollTo(0, document.querySelector('#results-title').getBoundingClientRect().top + scrollY - 8)"
    )
    shot(page, f"quote-{viewport['width']}x{vh}", lang)


def test_ranked_by_price_fully_priced_options_come_first(page: Any, lang: str) -> None:
    # Almaty → Istanbul by price: the Khorgos–Shanghai–sea option's total (5,970) leaves out an
    # unpriced line haul, so it is not the cheapest real offer; it follows the three priced ones
    want = expected("almaty", "TRIST", k=4, optimize="cost")["routes"]
    complete = [r["cost_usd"]["complete"] for r in want]
    assert complete == [True, True, True, False]
    assert want[3]["cost_usd"]["total"] < want[1]["cost_usd"]["total"]  # by the bare total it would be second
    goto(page, "#/quote?from=almaty&to=TRIST&cargo=1x40HC&opt=cost&k=4")
    cards = page.locator("article.alt")
    cards.first.wait_for()
    assert cards.evaluate_all("els => els.map(e => e.dataset.complete)") == ["true", "true", "true", "false"]
    last = cards.nth(3)
    expect(last.locator("p.incomplete")).to_contain_text("Incomplete" if lang == "en" else "Неполно")
    assert last.locator(".kpi abbr.incomplete").inner_text().strip() == "+?"
    assert cards.first.locator(".incomplete").count() == 0
