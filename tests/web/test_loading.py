"""Page modules load on demand: the first page fetches only its own module graph, the others are
imported once it is drawn, so a page never visited before the network went away still opens offline —
without the service worker (blocked here: a plain-http LAN address is not a secure context, so it
has none)."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import WebServer, sign_in

PAGES = {
    "quote": {"en": "Quote a shipment", "ru": "Расчёт перевозки"},
    "map": {"en": "Network map", "ru": "Карта сети"},
    "capacity": {"en": "Capacity & bottlenecks", "ru": "Пропускная способность и узкие места"},
    "scenarios": {"en": "Scenarios", "ru": "Сценарии"},
    "compare": {"en": "Compare & appraise", "ru": "Сравнение и оценка"},
    "simulation": {"en": "Simulation", "ru": "Моделирование"},
    "tracking": {"en": "Tracking & operations", "ru": "Отслеживание и операции"},
    "kpis": {"en": "Corridor KPIs", "ru": "Показатели коридора"},
}
OTHERS = {f"{p}.js" for p in PAGES if p != "quote"} | {"wb.js", "wbmap.js"}  # not the quote page's


def test_first_page_loads_only_its_modules_and_unvisited_pages_open_offline(
    browser: Any, web_server: WebServer, lang: str
) -> None:
    ctx = browser.new_context(base_url=web_server.url, service_workers="block",
                              locale="ru-RU" if lang == "ru" else "en-GB")  # fmt: skip
    ctx.add_init_script(f"localStorage.setItem('corridor.lang', '{lang}');")
    errors: list[str] = []
    try:
        page = ctx.new_page()
        page.on("pageerror", lambda exc: errors.append(f"{exc}\n{exc.stack}"))
        sign_in(page, web_server, "analyst")
        page.goto("/#/quote")
        page.reload()
        page.wait_for_selector("main:not([aria-busy]) form.quote-form")
        page.wait_for_selector("body[data-pages=loaded]")
        timing = page.evaluate(
            """() => {
              const ready = performance.getEntriesByName('ready:quote')[0].startTime;
              const pages = performance.getEntriesByType('resource').filter((e) => e.name.includes('/app/js/pages/'));
              const name = (e) => e.name.split('/').pop();
              return { before: pages.filter((e) => e.startTime < ready).map(name),
                       after: pages.filter((e) => e.startTime >= ready).map(name) };
            }"""
        )
        # the quote page's module before it is drawn, nothing of another page; then all of them, in idle time
        assert "quote.js" in timing["before"] and not OTHERS & set(timing["before"]), timing
        assert set(timing["after"]) >= OTHERS, timing
        assert "admin.js" not in timing["before"] + timing["after"]  # an analyst's shell never fetches the admin page
        ctx.set_offline(True)
        for pid, title in PAGES.items():
            page.evaluate(f"location.hash = '#/{pid}'")
            page.wait_for_selector(f"main .page[data-page={pid}] h1")
            assert page.locator("main h1").first.inner_text() == title[lang], pid
        assert errors == []
    finally:
        ctx.set_offline(False)
        ctx.close()


def test_import_failure_offline_says_it_needs_the_server(browser: Any, web_server: WebServer) -> None:
    """Offline before a page's module was ever fetched (prefetch not done): the banner says so."""
    ctx = browser.new_context(base_url=web_server.url, service_workers="block", locale="en-GB")
    ctx.add_init_script("localStorage.setItem('corridor.lang', 'en');")
    try:
        page = ctx.new_page()
        sign_in(page, web_server, "analyst")
        # hold back the KPI page's module, so the idle prefetch cannot fetch it before the network goes
        ctx.route("**/app/js/pages/kpis.js", lambda route: route.abort("internetdisconnected"))
        page.goto("/#/quote")
        page.reload()
        page.wait_for_selector("body[data-pages]")
        ctx.set_offline(True)
        page.evaluate("location.hash = '#/kpis'")
        page.locator("#error").wait_for(state="visible")
        assert "No connection to the server" in page.locator("#error").inner_text()
    finally:
        ctx.set_offline(False)
        ctx.close()
