"""The shell: sign-in, language switch remembered, navigation by keyboard, problem+json errors shown in
the user's language, offline behaviour, and that the service serves the app under its CSP."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect
from tests.web.conftest import WebServer, goto

TITLES = {"en": "Sign in to the corridor workbench", "ru": "Вход в рабочее место corridor"}


def test_app_is_served_with_a_strict_csp(web_server: WebServer) -> None:
    r = httpx.get(web_server.url + "/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "default-src 'self'" in r.headers["content-security-policy"]
    js = httpx.get(web_server.url + "/app/js/app.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    again = httpx.get(web_server.url + "/app/js/app.js", headers={"If-None-Match": js.headers["etag"]})
    assert again.status_code == 304
    for bad in ("/app/../routers/webapp.py", "/app/%2e%2e/__init__.py", "/app/js/nope.js", "/app/index.py"):
        assert httpx.get(web_server.url + bad).status_code == 404, bad


def test_wrong_password_is_a_clear_error_in_the_users_language(
    context: Any, web_server: WebServer, lang: str, watch: Any
) -> None:
    page = context.new_page()
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    page.goto("/")
    page.wait_for_selector("body[data-ready]")
    assert page.locator("h1").inner_text() == TITLES[lang]
    assert page.evaluate("document.documentElement.lang") == lang
    page.fill("#login-user", "analyst")
    page.fill("#login-pass", "not the password")
    page.click("form.login button[type=submit]")
    banner = page.locator("#error")
    banner.wait_for(state="visible")
    expected = {"en": "Wrong user name or password.", "ru": "Неверное имя пользователя или пароль."}[lang]
    assert expected in banner.inner_text()
    assert watch.errors == []


def test_language_switch_is_remembered_and_signout_works(page: Any, lang: str) -> None:
    other = "ru" if lang == "en" else "en"
    page.select_option("#lang-select", other)
    expect(page.locator("html")).to_have_attribute("lang", other)
    page.reload()
    page.wait_for_selector("#nav a")
    assert page.evaluate("document.documentElement.lang") == other
    assert page.locator("#lang-select").input_value() == other
    page.click("#logout")
    page.wait_for_selector("#login-user")
    assert page.evaluate("fetch('/v1/me').then(r => r.status)") == 401


def test_keyboard_reaches_every_page_link(page: Any, role: str) -> None:
    page.reload()  # a fresh load focuses nothing: the first Tab is the skip link
    page.wait_for_selector("#nav a")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skip-link"
    seen = []
    for _ in range(16):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.getAttribute('href') || document.activeElement.id"))
    assert "#/quote" in seen and "#/map" in seen
    assert "#/admin" not in seen  # an analyst has no admin page


def test_unknown_page_says_so(page: Any, lang: str) -> None:
    goto(page, "#/nowhere")
    expected = {"en": "There is no page “nowhere”.", "ru": "Страницы «nowhere» нет."}[lang]
    assert page.locator("main h1").inner_text() == expected
