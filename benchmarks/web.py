"""The workbench in Debian's Chromium (Playwright) against a real ``corridor serve`` on loopback.

Run from the project root::

    .venv/bin/python benchmarks/web.py [--quick]

Figures (targets from issue 16):

- page weight per page: every response a cold load of ``#/<page>`` fetches before the page is drawn
  (its ``ready:<page>`` mark; no cache, no service worker), each gzip-compressed as a server would
  send it, summed (target ≤ 2 MB); beside it, the total once the network is idle, which adds the
  other pages' modules the shell imports after the first page is drawn (so they open offline);
- quote page interactive: navigation start → the page's ``ready:quote`` performance mark, i.e. the
  form drawn with its places loaded and usable (target ≤ 1.5 s);
- quote result drawn: submit → ``quote-drawn`` mark, i.e. the API's answer drawn as cards,
  comparison and map (target ≤ 300 ms); each repetition asks a quote the server has not cached.

Comparisons (one JSON line each, the headline last): ``web-quote-drawn`` (headline): ours = the
median submit→drawn time in the browser, peer = the median time of the same kind of uncached quote
asked with httpx (``ratio`` below 1 is what the UI adds on top of the API); ``equal_results`` says
the browser showed as many options as the API returned, with the API's total cost for each.
``web-quote-interactive``: ours = the page's time to interactive, peer = httpx fetching the
same files and the network GeoJSON one after another.  Wall-clock figures: on a loaded machine
they are inflated; the lead re-measures on an idle one.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

EXE = str(Path(sys.executable).parent / "corridor")
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]  # fmt: skip
PAGES = ["quote", "map", "capacity", "scenarios", "compare", "simulation", "tracking", "kpis", "admin"]
LANES = [("CNXIA", "TRIST"), ("KZAAU", "AZBAK"), ("CNXIA", "DEDUI"), ("KZAAU", "GEPTI"), ("CNXIA", "AZBAK")]


def _run(args: list[str], data: Path) -> str:
    return subprocess.run([EXE, *args, "--data-dir", str(data)], check=True, capture_output=True, text=True).stdout


def start(data: Path) -> tuple[subprocess.Popen[bytes], str, str, str]:
    _run(["db", "upgrade"], data)
    out = _run(["user", "add", "bench", "--org", "bench", "--role", "admin"], data)
    password = re.search(r"password \(shown once\): (\S+)", out).group(1)  # type: ignore[union-attr]
    token = _run(["token", "create", "bench"], data).split("secret (shown once): ")[1].strip()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([EXE, "serve", "--port", str(port), "--data-dir", str(data), "--log-level", "error"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url, password, token
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("corridor serve did not start")


def sign_in(browser: Any, url: str, password: str, *, service_workers: str = "block") -> tuple[Any, Any]:
    ctx = browser.new_context(base_url=url, service_workers=service_workers)
    page = ctx.new_page()
    page.goto("/")
    page.wait_for_selector("body[data-ready]")
    page.fill("#login-user", "bench")
    page.fill("#login-pass", password)
    page.click("form.login button[type=submit]")
    page.wait_for_selector("#nav a")
    return ctx, page


def page_weight(page: Any, route: str) -> tuple[int, int, int, int]:
    """(gzip bytes to draw, raw bytes to draw, requests to draw, gzip bytes in all) of a cold load of
    ``route``: what is fetched before the page's ``ready:<page>`` mark, and everything fetched by the
    time the network is idle (the other pages' modules, imported after the page is drawn)."""
    bodies: list[tuple[str, bytes]] = []

    def on_response(res: Any) -> None:
        try:
            bodies.append((res.url, res.body()))
        except Exception:  # a redirect or aborted request has no body
            bodies.append((res.url, b""))

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.on("response", on_response)
    page.goto("/#/" + route)
    page.reload()  # a full load of the page itself, not a hash change
    page.wait_for_selector("main:not([aria-busy]) .page")
    page.wait_for_selector("body[data-pages]")
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", on_response)
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    late = set(
        page.evaluate(
            """(id) => { const ready = performance.getEntriesByName('ready:' + id)[0].startTime;
                 return performance.getEntriesByType('resource').filter((e) => e.startTime >= ready).map((e) => e.name); }""",
            route,
        )
    )
    early = [b for url, b in bodies if url not in late]
    gz = [len(gzip.compress(b, 6)) for b in early]
    total = sum(len(gzip.compress(b, 6)) for _, b in bodies)
    return sum(gz), sum(len(b) for b in early), len(early), total


def interactive_ms(page: Any) -> float:
    page.goto("/#/quote")
    page.reload()
    page.wait_for_selector("main:not([aria-busy]) form.quote-form")
    return float(page.evaluate("performance.getEntriesByName('ready:quote')[0].startTime"))


def drawn_ms(page: Any, lane: tuple[str, str], cargo: str) -> tuple[float, list[str]]:
    page.goto(f"/#/quote?from={lane[0]}&to={lane[1]}")
    page.reload()
    page.wait_for_selector("article.alt")
    page.evaluate("performance.clearMarks(); performance.clearMeasures()")
    page.select_option("#cargo-type-0", "DV")
    page.fill("#cargo-count-0", cargo.split("x")[0])
    page.click("form.quote-form button[type=submit]")
    for _ in range(600):
        got = page.evaluate("() => performance.getEntriesByName('quote').map(m => m.duration)")
        if got:
            break
        time.sleep(0.02)
    costs = page.locator("article.alt .kpis .kpi:nth-child(3) .v").all_inner_texts()
    return float(got[0]), costs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="CI: fewer repetitions")
    opts = ap.parse_args()
    reps = 2 if opts.quick else 7
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        proc, url, password, token = start(Path(tmp))
        api = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=120)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                ctx, page = sign_in(browser, url, password)
                print(f"page weight (gzip, cold load, no cache)  load average {os.getloadavg()[0]:.1f}")
                weights = {}
                for name in PAGES:
                    gz, raw, n, total = page_weight(page, name)
                    weights[name] = gz
                    print(f"  {name:10s} {gz / 1e6:6.3f} MB gzip  ({raw / 1e6:.3f} MB raw, {n} requests)  target ≤ 2 MB;"
                          f"  {total / 1e6:.3f} MB with the other pages' modules fetched after it is drawn")  # fmt: skip
                inter = [interactive_ms(page) for _ in range(reps)]
                t0 = time.perf_counter()
                for path in ("/", "/app/js/app.js", "/app/vendor/leaflet-src.esm.js", "/app/css/app.css"):
                    api.get(path)
                api.get("/v1/explore/network")
                api.get("/v1/explore/basemap")
                peer_inter = (time.perf_counter() - t0) * 1000
                drawn, peer, equal = [], [], True
                for i in range(reps):
                    lane = LANES[i % len(LANES)]
                    n = 3 + i  # a quote nobody asked before: the server's cache cannot answer
                    ms, costs = drawn_ms(page, lane, f"{n}x40")
                    drawn.append(ms)
                    body = {"origin": lane[0], "destination": lane[1], "cargo": f"{n}x40DV"}
                    answer = api.post("/v1/quotes", json=body).json()  # now cached: the same quote, to compare
                    want = [f"{r['cost_usd']['total']:.0f}" for r in answer["routes"]]
                    equal &= [re.sub(r"\D", "", c) for c in costs] == want
                    fresh = {"origin": lane[0], "destination": lane[1], "cargo": f"{n}x20DV"}
                    t0 = time.perf_counter()
                    api.post("/v1/quotes", json=fresh).raise_for_status()
                    peer.append((time.perf_counter() - t0) * 1000)
                ctx.close()
                browser.close()
        finally:
            api.close()
            proc.terminate()
            proc.wait(20)
    mi, md, mp = statistics.median(inter), statistics.median(drawn), statistics.median(peer)
    print(
        f"quote page interactive  median {mi:7.1f} ms  (target ≤ 1500 ms; httpx fetching its files {peer_inter:.1f} ms)"
    )
    print(
        f"quote result drawn      median {md:7.1f} ms  (target ≤ 300 ms; the same kind of quote by httpx {mp:.1f} ms)"
    )
    print(f"heaviest page {max(weights, key=weights.__getitem__)} {max(weights.values()) / 1e6:.3f} MB gzip")
    print(json.dumps({"benchmark": "web-quote-interactive", "ours_s": round(mi / 1000, 4), "peer": "httpx (files + GeoJSON)",
                      "peer_s": round(peer_inter / 1000, 4), "ratio": round(peer_inter / mi, 3), "equal_results": True,
                      "page_weight_gzip_bytes": weights}))  # fmt: skip
    print(json.dumps({"benchmark": "web-quote-drawn", "ours_s": round(md / 1000, 4), "peer": "httpx POST /v1/quotes",
                      "peer_s": round(mp / 1000, 4), "ratio": round(mp / md, 3), "equal_results": equal}))  # fmt: skip


if __name__ == "__main__":
    main()
