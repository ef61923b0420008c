"""Admin: add a user (one-time password shown once, and it signs in), change a role, create a token
(secret shown once, and it works against the API), revoke it (then refused), see it all in the audit log.
A non-admin has no Admin page."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from tests.web.conftest import WebServer, goto


@pytest.fixture
def role() -> str:
    return "admin"


def test_users_tokens_and_audit(page: Any, lang: str, web_server: WebServer, check: Any) -> None:
    goto(page, "#/admin")
    name = f"clerk-{lang}"
    page.fill("#new-user", name)
    page.select_option("#new-role", "viewer")
    page.click("#admin-users form button[type=submit]")
    secret = page.locator("#new-password")
    secret.wait_for()
    password = secret.inner_text()
    expect(page.locator(f"#admin-users tbody tr:has-text('{name}')")).to_have_count(1)  # the list refreshes after
    with httpx.Client(base_url=web_server.url) as c:  # the shown password really signs in
        assert c.post("/v1/auth/login", json={"username": name, "password": password}).status_code == 200
    page.select_option(f"#role-{name}", "analyst")
    changed = page.locator("#admin-audit tbody tr").filter(has_text="user.change").filter(has_text=name)
    expect(changed).to_have_count(1)
    page.select_option("#token-user", name)
    page.fill("#token-name", "erp link")
    page.click("#admin-tokens form button[type=submit]")
    token = page.locator("#new-token")
    token.wait_for()
    raw = token.inner_text()
    auth = {"Authorization": f"Bearer {raw}"}
    with httpx.Client(base_url=web_server.url, headers=auth) as c:
        me = c.get("/v1/me").json()
        assert me["user"] == name and me["role"] == "analyst"
        row = page.locator("#admin-tokens tbody tr:has-text('erp link')")
        row.locator("button").click()
        expect(page.locator("#admin-tokens tbody tr:has-text('erp link') button")).to_have_count(0)
        assert c.get("/v1/me").status_code == 401
    audit = page.locator("#admin-audit").inner_text()
    for action in ("user.add", "user.change", "token.create", "token.revoke"):
        assert action in audit
    # the role pickers in the users table read at the table's size, not the browser's small default
    sizes = page.locator("td select").first.evaluate(
        "e => [getComputedStyle(e).fontSize, getComputedStyle(e.closest('td')).fontSize]"
    )
    assert sizes[0] == sizes[1], sizes
    check("admin")


def test_only_admins_see_admin(context: Any, web_server: WebServer) -> None:
    from tests.web.conftest import sign_in

    page = context.new_page()
    sign_in(page, web_server, "viewer")
    assert page.locator("#nav a[href='#/admin']").count() == 0
    with httpx.Client(base_url=web_server.url, headers={"Authorization": f"Bearer {web_server.tokens['viewer']}"}) as c:
        assert c.get("/v1/users").status_code == 403
