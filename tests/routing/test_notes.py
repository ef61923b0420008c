"""Route notes are structured (code, English text, params) so a client can say them in its language."""

from __future__ import annotations

import typing

import pytest

from corridor.network import load_network
from corridor.routing import Note, Router
from corridor.routing.result import NOTE_CODES
from corridor.schemas.route import RouteNote

MINI = load_network("tests/data/mini")


def test_the_codes_are_the_published_schemas() -> None:
    assert set(NOTE_CODES) == set(typing.get_args(RouteNote.model_fields["code"].annotation))
    with pytest.raises(ValueError, match="unknown route note code"):
        Note("something-new", "text")


def test_closure_and_avoid_notes_carry_what_the_text_says() -> None:
    res = Router(MINI).route("A", "Z", depart="2025-01-15", avoid=["DE", "pipeline"])
    by_code = {n.code: n for n in res.notes}
    avoid = [n.params for n in res.notes if n.code == "avoid-unmatched"]
    assert avoid == [{"kind": "country", "value": "DE"}, {"kind": "mode", "value": "pipeline"}]  # mini has no pipeline
    closure = by_code["closure-season"]
    # tests/data/mini/closures.csv: P-winter closes P (Port East) Nov–Feb, 20 % of the time, storm
    assert closure.params == {
        "route": 1,
        "month": 1,
        "closures": [{"target": "P", "cause": "storm", "closed_share": 0.2}],
    }
    assert closure.text == (
        "route 1: the departure month (1) is in the closure season of Port East (storm, closed ~20% of the time)"
    )
    assert str(closure) == closure.text  # what the CLI prints
    summer = Router(MINI).route("A", "Z", depart="2025-07-15")
    assert not [n for n in summer.notes if n.code == "closure-season"]
