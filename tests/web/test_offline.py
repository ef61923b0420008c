"""Offline: after a page has loaded, the network goes away.  What it shows stays usable (layers, details,
language), an action that needs the server says so in the user's language, and — the service worker
keeps the shell and the map's data — a reload still opens the page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from tests.web.conftest import goto

OFFLINE = {"en": "No connection to the server", "ru": "Нет связи с сервером"}


def test_map_stays_usable_offline_and_reloads(page: Any, lang: str, context: Any, watch: Any) -> None:
    goto(page, "#/map")
    page.wait_for_selector("#network-map path.leaflet-interactive")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # the first visit installs the worker; what the next one reads, it keeps
    page.wait_for_selector("#network-map path.leaflet-interactive")
    watch.allow_offline_errors = True
    context.set_offline(True)
    box = page.locator("main input[role=combobox]")
    box.fill("Актау")
    box.press("Enter")
    expect(page.locator("section.card h2").first).to_have_text("Актау" if lang == "ru" else "Aktau")
    page.uncheck("#layer-mode-sea")
    page.reload()
    page.wait_for_selector("#network-map path.leaflet-interactive")
    expect(page.locator("section.card h2").first).to_have_text("Актау" if lang == "ru" else "Aktau")
    context.set_offline(False)


@pytest.fixture
def role() -> str:
    return "admin"


def test_admin_says_it_needs_the_server(page: Any, lang: str, context: Any, watch: Any) -> None:
    goto(page, "#/admin")
    page.locator("#admin-users tbody tr").first.wait_for()
    watch.allow_offline_errors = True
    context.set_offline(True)
    page.fill("#new-user", "offline-user")
    page.click("#admin-users form button[type=submit]")
    expect(page.locator("#error")).to_contain_text(OFFLINE[lang])
    assert page.locator("#admin-users tbody tr").count() >= 3  # what was loaded is still there
    context.set_offline(False)
