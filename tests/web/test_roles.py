"""A viewer knows up front what their role may not do: the run and save buttons of the analysis pages
are disabled with the reason beside them (the role comes from /v1/me at sign-in), so nobody learns it
from a refused request after clicking — and none is sent.  An analyst sees the same pages enabled."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import goto

NEEDS = {
    "en": "Needs the analyst role: you are signed in as a viewer",
    "ru": "Нужна роль «аналитик»: вы вошли как наблюдатель",
}
#: page → the buttons (by accessible name) only an analyst may press
ACTIONS = {
    "#/capacity": {"en": ["Run the assignment"], "ru": ["Рассчитать распределение"]},
    "#/simulation": {"en": ["Start the simulation"], "ru": ["Запустить моделирование"]},
    "#/compare": {"en": ["Compare", "Appraise the investments"], "ru": ["Сравнить", "Оценить инвестиции"]},
}


def writes(page: Any) -> list[str]:
    sent: list[str] = []
    # every request but a read, and but a quote (a viewer may quote: POST /v1/quotes computes, stores nothing)
    page.on(
        "request",
        lambda r: sent.append(f"{r.method} {r.url}") if r.method != "GET" and "/v1/quotes" not in r.url else None,
    )
    return sent


@pytest.mark.parametrize("role", ["viewer"])
def test_a_viewer_sees_the_actions_disabled_with_the_reason(page: Any, lang: str, check: Any) -> None:
    sent = writes(page)
    for route, names in ACTIONS.items():
        goto(page, route)
        for name in names[lang]:
            button = page.get_by_role("button", name=name, exact=True)
            assert button.is_disabled(), f"{route} {name}"
            note_id = button.get_attribute("aria-describedby")
            assert note_id and NEEDS[lang] in page.locator(f"#{note_id}").inner_text()
        page.locator(".role-note").first.wait_for()
    check("compare-viewer")
    goto(page, "#/scenarios?id=alyat-phase-2")
    page.get_by_role("button", name={"en": "Clone and edit", "ru": "Скопировать и изменить"}[lang]).click()
    save = page.get_by_role("button", name={"en": "Save as a new scenario", "ru": "Сохранить как новый сценарий"}[lang])
    assert save.is_disabled()
    assert NEEDS[lang] in page.locator(".code-editor ~ .role-note, section .role-note").first.inner_text()
    # checking a text is allowed to a viewer (POST /v1/scenario-checks stores nothing)
    check_button = page.get_by_role("button", name={"en": "Check", "ru": "Проверить"}[lang], exact=True)
    assert check_button.is_enabled()
    goto(page, "#/quote?from=CNXIA&to=TRIST&cargo=1x40HC")  # quoting is a viewer's; booking is not, and says so
    page.locator("article.alt").first.wait_for()
    assert page.locator("button.book").count() == 0
    assert {"en": "needs the analyst role", "ru": "роли «аналитик»"}[lang] in page.locator(
        "#quote-results .role-note"
    ).inner_text()
    goto(page, "#/admin")  # not in the viewer's menu; opened by URL it says why instead of "no such page"
    page.locator("main .role-note").wait_for()
    assert {"en": "administrator", "ru": "администратор"}[lang] in page.locator("main .role-note").inner_text()
    assert sent == []


def test_an_analyst_sees_them_enabled(page: Any, lang: str) -> None:
    for route, names in ACTIONS.items():
        goto(page, route)
        for name in names[lang]:
            assert page.get_by_role("button", name=name, exact=True).is_enabled(), f"{route} {name}"
        assert page.locator(".role-note").count() == 0
    goto(page, "#/quote?from=CNXIA&to=TRIST&cargo=1x40HC")
    page.locator("article.alt").first.wait_for()
    assert page.locator("button.book").count() > 0 and page.locator(".role-note").count() == 0
