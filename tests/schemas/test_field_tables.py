"""The docs' field tables are generated from the result models (``corridor.schemas.fields``):
every ``<!-- fields: KIND -->`` table in README.md and docs/ equals what the model gives, so a key
added to a model and not to the docs — or a hand edit of a table — fails here.
``CORRIDOR_REGEN=1`` (``make docs``) rewrites the tables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corridor.schemas import SCHEMAS
from corridor.schemas.fields import MARK, field_table, regenerate, type_name

ROOT = Path(__file__).parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
MARKED = [p for p in DOCS if MARK.search(p.read_text(encoding="utf-8"))]


def test_the_result_docs_have_generated_tables() -> None:
    kinds = {m.group("kind") for p in MARKED for m in MARK.finditer(p.read_text(encoding="utf-8"))}
    assert {"route", "capacity", "simulation"} <= kinds
    assert kinds <= set(SCHEMAS)


@pytest.mark.parametrize("doc", MARKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_field_tables_match_the_models(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    fresh = regenerate(text)
    if os.environ.get("CORRIDOR_REGEN"):
        if fresh != text:
            doc.write_text(fresh, encoding="utf-8")
        return
    assert fresh == text, f"{doc.relative_to(ROOT)}: a field table differs from its model; run `make docs`"


def test_every_top_level_key_has_a_row_and_a_hand_edit_is_caught() -> None:
    for kind in ("route", "capacity", "simulation"):
        table = field_table(kind)
        keys = [line.split("|")[1].strip().strip("`") for line in table.splitlines()[2:]]
        cls = SCHEMAS[kind]
        assert keys == [f.alias or name for name, f in cls.model_fields.items()]
    doc = (
        "x\n<!-- fields: simulation -->\n"
        + field_table("simulation").replace("| `seed` ", "| `sead` ")
        + "<!-- /fields -->\n"
    )
    assert regenerate(doc) != doc and "`sead`" not in regenerate(doc)


def test_type_names() -> None:
    assert type_name(float | None) == "number \\| null"
    assert type_name(list[str]) == "list of string"
    assert type_name(dict[str, float]) == "map of number"
