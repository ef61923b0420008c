"""Workbench fixtures: a real ``corridor serve`` subprocess on a throw-away SQLite data folder with an
admin, an analyst and a viewer added by the CLI (random one-time passwords), one headless Debian
Chromium for the session (Playwright drives it; no browser is downloaded), and a ``page`` per test that

- runs once in English and once in Russian (``lang``),
- fails the test on any console error or uncaught page error (a CSP violation is one),
- fails the test on any request to another origin,
- is signed in as ``role`` (``analyst`` unless a test module overrides the fixture),

plus helpers: ``shot(page, name)`` saves tests/web/screenshots/<name>-<lang>.png (and docs/img/ with
CORRIDOR_REGEN=1), ``axe(page)`` returns the serious/critical axe-core violations, ``latin_words(page)``
the Latin-letter words a Russian page shows outside data marked ``lang="en"``.

All browser tests are in xdist group ``web``: one worker, one browser, one server.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).parents[2]
SHOTS = Path(__file__).parent / "screenshots"
DOC_IMG = ROOT / "docs" / "img"
AXE = ROOT / "src" / "corridor" / "web" / "static" / "vendor" / "axe.min.js"
CORRIDOR = str(Path(sys.executable).parent / "corridor")
ROLES = ("admin", "analyst", "viewer")
API_REFUSAL = re.compile(r"the server responded with a status of 4\d\d")
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
]  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.xdist_group("web"))
            item.add_marker(pytest.mark.slow)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class WebServer:
    url: str
    data_dir: Path
    passwords: dict[str, str]
    tokens: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path

    def api(self, role: str = "admin") -> httpx.Client:
        """An httpx client with ``role``'s API token, for arranging and checking data (close it)."""
        return httpx.Client(base_url=self.url, timeout=60, headers={"Authorization": f"Bearer {self.tokens[role]}"})


def _cli(*args: str) -> str:
    out = subprocess.run([CORRIDOR, *args], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"corridor {' '.join(args)} failed: {out.stderr}")
    return out.stdout + out.stderr


@pytest.fixture(scope="session")
def web_server() -> Iterator[WebServer]:
    data = Path(tempfile.mkdtemp(prefix="corridor-web-"))
    try:
        _cli("db", "upgrade", "--data-dir", str(data))
        passwords, tokens = {}, {}
        for role in ROLES:
            out = _cli("user", "add", role, "--org", "acme", "--role", role, "--data-dir", str(data))
            found = re.search(r"password \(shown once\): (\S+)", out)
            assert found, out
            passwords[role] = found.group(1)
            out = _cli("token", "create", role, "--name", "tests", "--data-dir", str(data))
            secret = re.search(r"secret \(shown once\): (\S+)", out)
            assert secret, out
            tokens[role] = secret.group(1)
        port = _free_port()
        log = data / "serve.log"
        with open(log, "wb") as fh:
            proc = subprocess.Popen(
                [CORRIDOR, "serve", "--port", str(port), "--data-dir", str(data), "--workers", "1",
                 "--log-level", "warning"],
                stdout=fh, stderr=subprocess.STDOUT,
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("corridor serve did not start:\n" + log.read_text())
            time.sleep(0.2)
        server = WebServer(url, data, passwords, tokens, proc, log)
        try:
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
    finally:
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing (.ci/run installs Debian's chromium)")
        pytest.skip(f"no {CHROMIUM}: the workbench's browser tests need Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(params=["en", "ru"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def role() -> str:
    return "analyst"


@dataclass
class Watch:
    """What a page did that a test must not allow."""

    origin: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    allow_offline_errors: bool = False

    def on_console(self, msg: Any) -> None:
        if msg.type == "error":
            text = msg.text
            where = msg.location.get("url", "")
            if API_REFUSAL.search(text) and where.startswith((self.origin + "/v1/", self.origin + "/v2/")):
                return  # the browser's own log line for an API answer of 4xx: the app shows the problem
            if self.allow_offline_errors and ("ERR_INTERNET_DISCONNECTED" in text or "Failed to load" in text):
                return
            self.errors.append(f"console: {text} ({msg.location.get('url', '')})")

    def on_request(self, req: Any) -> None:
        url = req.url
        if url.startswith(("data:", "blob:")):
            return
        if not url.startswith(self.origin + "/") and url != self.origin:
            self.foreign.append(url)


@pytest.fixture
def browser_locale(lang: str) -> str:
    """The browser's own locale (a test may parametrize another: a Russian user in an English browser)."""
    return "ru-RU" if lang == "ru" else "en-GB"


@pytest.fixture
def viewport() -> dict[str, int]:
    return {"width": 1360, "height": 900}


@pytest.fixture
def context(
    browser: Any, web_server: WebServer, lang: str, browser_locale: str, viewport: dict[str, int]
) -> Iterator[Any]:
    ctx = browser.new_context(base_url=web_server.url, viewport=viewport, locale=browser_locale)
    ctx.add_init_script(f"if (!localStorage.getItem('corridor.lang')) localStorage.setItem('corridor.lang', '{lang}');")
    ctx.set_default_timeout(20_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def watch(web_server: WebServer) -> Watch:
    return Watch(web_server.url)


def sign_in(page: Any, web_server: WebServer, role: str) -> None:
    page.goto("/")
    page.wait_for_selector("body[data-ready]")
    page.fill("#login-user", role)
    page.fill("#login-pass", web_server.passwords[role])
    page.click("form.login button[type=submit]")
    page.wait_for_selector("#nav a")


@pytest.fixture
def page(context: Any, web_server: WebServer, role: str, watch: Watch) -> Iterator[Any]:
    p = context.new_page()
    p.on("console", watch.on_console)
    p.on("pageerror", lambda exc: watch.errors.append(f"page error: {exc}"))
    context.on("request", watch.on_request)
    sign_in(p, web_server, role)
    yield p
    assert watch.foreign == [], f"requests to another origin: {watch.foreign}"
    assert watch.errors == [], "\n".join(watch.errors)


def goto(page: Any, route: str) -> None:
    """Open ``#/route`` and wait until the page has rendered (main is no longer busy)."""
    page.goto("/" + route if route.startswith("#") else route)
    page.wait_for_selector("body[data-ready]")
    page.wait_for_selector("main:not([aria-busy])")


def shot(page: Any, name: str, lang: str, *, readme: bool = False) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}-{lang}.png"
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.screenshot(path=str(path), full_page=False)
    if readme and os.environ.get("CORRIDOR_REGEN"):
        DOC_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOC_IMG / path.name)
    return path


def axe(page: Any) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/app/vendor/axe.min.js")
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)"""
    )
    return list(found)


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def latin_words(page: Any) -> list[str]:
    """Latin-letter words visible on the page outside elements marked as data (lang="en" or
    .untranslated / .data / [translate=no]) — what a Russian page must not show."""
    texts: list[str] = page.evaluate(
        """() => {
          const out = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement;
            if (!el || !n.textContent.trim()) continue;
            if (el.closest('[lang="en"], .untranslated, .data, [translate="no"], script, style, .leaflet-control-attribution, [hidden]')) continue;
            if (!el.checkVisibility || !el.checkVisibility()) continue;
            out.push(n.textContent);
          }
          for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
            if (el.closest('[lang="en"], .untranslated, .data, [translate="no"]')) continue;
            for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
          }
          return out;
        }"""
    )
    allowed = {"corridor", "CO", "USD", "TEU", "FEU", "CSV", "WTT", "TTW", "ETA", "P50", "P90", "YAML", "ID", "API"}
    words = {w for text in texts for w in LATIN_WORD.findall(text)}
    return sorted(w for w in words if w not in allowed)


@pytest.fixture
def check(page: Any, lang: str) -> Callable[[str], None]:
    """``check(name)``: the page as it is now has no serious/critical axe violation, in Russian no stray
    Latin word, and its screenshot is saved."""

    def run(name: str, readme: bool = False) -> None:
        shot(page, name, lang, readme=readme)
        assert axe(page) == [], f"axe on {name}/{lang}"
        if lang == "ru":
            words = latin_words(page)
            assert words == [], f"English left on the Russian {name} page: {words}"

    return run
