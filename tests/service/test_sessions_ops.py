"""Browser sessions with CSRF, metrics, structured logs, and the bootstrap CLI."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import httpx
from tests.service.conftest import PASSWORD, Service, scenario_yaml

from corridor.service.middleware import JsonLogFormatter


def test_cookie_session_needs_the_csrf_token_for_writes(service: Service) -> None:
    with httpx.Client(base_url=service.url) as c:
        assert c.post("/v1/auth/login", json={"username": "analyst@acme", "password": "wrong"}).status_code == 401
        r = c.post("/v1/auth/login", json={"username": "analyst@acme", "password": PASSWORD})
        assert r.status_code == 200, r.text
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        csrf = r.json()["csrf_token"]
        assert c.get("/v1/me").json()["user"] == "analyst@acme"
        yaml = {"content-type": "application/yaml"}
        refused = c.post("/v1/scenarios", content=scenario_yaml("via-cookie"), headers=yaml)
        assert refused.status_code == 403 and refused.json()["type"].endswith("/csrf")
        ok = c.post("/v1/scenarios", content=scenario_yaml("via-cookie"), headers={**yaml, "X-CSRF-Token": csrf})
        assert ok.status_code == 201
        assert c.post("/v1/auth/logout").status_code == 204
        assert c.get("/v1/me").status_code == 401


def test_metrics_count_requests_by_route(service: Service) -> None:
    with service.client(role="viewer") as c:
        c.get("/v1/networks")
        text = c.get("/metrics").text
    assert 'corridor_http_requests_total{method="GET",route="/v1/networks",status="200"} 1.0' in text
    assert "corridor_http_request_seconds_bucket" in text


def test_log_lines_are_json_with_the_request_id() -> None:
    record = logging.LogRecord("corridor.service.access", logging.INFO, __file__, 1, "request", None, None)
    record.request_id = "abc123"
    record.status = 200
    line = json.loads(JsonLogFormatter().format(record))
    assert line["request_id"] == "abc123" and line["status"] == 200 and line["message"] == "request"


def test_request_id_is_echoed(service: Service) -> None:
    with service.client(role=None) as c:
        assert c.get("/healthz", headers={"X-Request-ID": "req-42"}).headers["x-request-id"] == "req-42"


def test_bootstrap_cli(tmp_path: Path) -> None:
    exe = str(Path(sys.executable).parent / "corridor")
    data = ["--data-dir", str(tmp_path / "d")]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *args, *data], capture_output=True, text=True, timeout=120)

    before = run("user", "add", "ann", "--org", "acme", "--role", "admin")
    assert before.returncode == 1 and "cannot open the database" in before.stderr and "Traceback" not in before.stderr
    assert run("db", "upgrade").returncode == 0
    added = run("user", "add", "ann", "--org", "acme", "--role", "admin")
    assert added.returncode == 0 and "password (shown once): " in added.stdout
    again = run("user", "add", "ann", "--org", "acme", "--role", "admin")
    assert again.returncode == 1 and "already exists" in again.stderr and "Traceback" not in again.stderr
    tok = run("token", "create", "ann", "--role", "viewer", "--expires-days", "1")
    assert tok.returncode == 0 and "secret (shown once): cor_" in tok.stdout
    token_id = tok.stdout.split()[1]
    assert run("token", "revoke", token_id).returncode == 0
    missing = run("token", "revoke", "nope")
    assert missing.returncode == 1 and "no token 'nope'" in missing.stderr
