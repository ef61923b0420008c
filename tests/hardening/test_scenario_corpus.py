"""Adversarial scenario files, run through ``corridor compare`` on the mini network.

Malformed YAML, hostile YAML (aliases, depth, tags, huge names), bad values and bad references
must stop at load with ``file:line``; valid scenarios must run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Case, check_outcome, run_cli

HEAD = "name: s\nnetwork: net\ndemand: dem\n"


def scenario(text: str | bytes, name: str = "scen.yaml") -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        data = text.encode() if isinstance(text, str) else text
        (folder / name).write_bytes(data)

    return make


def change(text: str) -> Callable[[Path], None]:
    return scenario(HEAD + "changes:\n  - " + text + "\n")


def laughs(key: str) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + f"\nname: s\nnetwork: net\ndemand: dem\n{key}: *l8\n"


CASES: list[Case] = [
    Case("malformed", "error", ("scen.yaml:5", "expected the node content"), scenario(HEAD + "changes: [\n")),
    Case("duplicate-key", "error", ("scen.yaml:4", "duplicate key 'demand'"), scenario(HEAD + "demand: x\n")),
    Case("python-tag", "error", ("scen.yaml:4",), scenario(HEAD + "year: !!python/object/apply:os.system ['true']\n")),
    Case("laughs-description", "error", ("scen.yaml", "expands to more than"), scenario(laughs("description"))),
    Case("laughs-changes", "error", ("scen.yaml", "expands to more than"), scenario(laughs("changes"))),
    Case("laughs-unknown-key", "error", ("scen.yaml", "expands to more than"), scenario(laughs("colour"))),
    Case("deep-brackets", "error", ("scen.yaml:64", "nested more than"), scenario("name: " + "[\n" * 20000 + "]\n" * 20000)),
    Case("deep-one-line", "error", ("scen.yaml:1", "line of 40,006"), scenario("name: " + "[" * 20000 + "]" * 20000)),
    Case("deep-mappings", "error", ("nested more than",), scenario("".join("  " * i + f"k{i}:\n" for i in range(200)))),
    Case("feb-30", "error", ("scen.yaml:7", "not a calendar date"), change("closure:\n      target: P\n      start: 2025-02-30\n      days: 3")),
    Case("closure-days-huge", "error", ("scen.yaml:8 [days]",), change("closure:\n      target: P\n      start: 2025-02-01\n      days: 1000000000")),
    Case("closure-end-before-start", "error", ("scen.yaml:5 [end]",), change("closure: {target: P, start: 2025-03-01, end: 2025-02-01}")),
    Case("nan-capacity", "error", ("scen.yaml:5 [capacity_teu_per_year]", "finite"), change("scale: {node: G, capacity_teu_per_year: .nan}")),
    Case("inf-capacity", "error", ("scen.yaml:5 [capacity_teu_per_year]",), change("set: {node: G, capacity_teu_per_year: .inf}")),
    Case("zero-capacity", "error", ("scen.yaml:5 [capacity_teu_per_year]", "enabled"), change("set: {node: G, capacity_teu_per_year: 0}")),
    Case("negative-capacity", "error", ("scen.yaml:5 [capacity_teu_per_year]",), change("set: {node: G, capacity_teu_per_year: -3}")),
    Case("growth-inf", "error", ("scen.yaml:5 [growth]", "finite"), change("growth: .inf")),
    Case("growth-negative", "error", ("scen.yaml:5 [factor]",), change("growth: -1")),
    Case("growth-huge", "error", ("scen.yaml:5 [factor]", "[0, 1000]"), change("growth: 1e9")),
    Case("growth-text", "error", ("scen.yaml:5 [growth]",), change("growth: lots")),
    Case("unknown-action", "error", ("scen.yaml:5", "a change needs exactly one of"), change("teleport: {node: G}")),
    Case("unknown-top-key", "error", ("scen.yaml:4 [colour]",), scenario(HEAD + "colour: red\n")),
    Case("unknown-field", "error", ("scen.yaml:5 [capacity_teu]", "did you mean"), change("set: {node: G, capacity_teu: 5}")),
    Case("unknown-node", "error", ("scen.yaml", "G9"), change("set: {node: G9, dwell_h: 5}")),
    Case("bad-kind", "error", ("scen.yaml:5 [kind]",), change("set: {node: G, kind: castle}")),
    Case("name-300", "error", ("scen.yaml:1 [name]", "at most 200"), scenario("name: " + "x" * 300 + "\nnetwork: net\ndemand: dem\n")),
    Case("nul-in-name", "error", ("scen.yaml:1 [name]", "U+0000"), scenario('name: "s\\0"\nnetwork: net\ndemand: dem\n')),
    Case("huge-name", "error", ("scen.yaml:1", "at most 10,000"), scenario("name: " + "x" * 2_000_000 + "\nnetwork: net\ndemand: dem\n")),
    Case("inherits-cycle", "error", ("inherits back into itself",), scenario(HEAD + "inherits: scen.yaml\n")),
    Case("inherits-missing", "error", ("scen.yaml:2 [inherits]",), scenario("name: s\ninherits: nowhere\n")),
    Case("no-base", "error", ("scen.yaml:1",), scenario("name: s\n")),
    Case("top-is-list", "error", ("scen.yaml:1", "expected a mapping"), scenario("- a\n- b\n")),
    Case("empty-file", "error", ("scen.yaml:1",), scenario("")),
    Case("latin1", "error", ("scen.yaml:1", "UTF-8"), scenario("name: Gr\xfcn\n".encode("latin-1"))),
    Case("vessels-huge", "error", ("scen.yaml:5 [vessels]",), change("add_vessels: {service: F1, vessels: 1000000000}")),
    Case("new-node-bad-country", "error", ("scen.yaml:5 [country]",), change("new_node: {id: N1, name: New, country: XX, kind: port, lat: 1, lon: 1}")),
    Case("new-node-case-duplicate", "error", ("duplicate id 'g'",), change("new_node: {id: g, name: Gee, country: KZ, kind: port, lat: 1, lon: 1}")),
    Case("estimate-without-reason", "error", ("scen.yaml:6 [source]",), change("growth: 2\n    source: 'estimate:'")),
    Case("missing-scenario", "error", ("unknown scenario",), lambda f: None, ("no-such-scenario",)),
    # accepted
    Case("valid", "ok", (), change("growth: 1.5\n    source: 'estimate: a test'")),
    Case("valid-bom", "ok", (), scenario(b"\xef\xbb\xbf" + (HEAD + "changes: []\n").encode())),
    Case("valid-crlf", "ok", (), scenario((HEAD + "changes: []\n").replace("\n", "\r\n"))),
    Case("valid-aliases-small", "ok", (), scenario(HEAD + "description: &d short\nchanges:\n  - growth: 1.1\n    source: {estimate: *d}\n")),
    Case("valid-closure", "ok", (), change("closure: {target: P, start: 2025-02-01, days: 3}\n    source: 'estimate: a test'")),
    Case("valid-disable", "ok", (), change("disable: {link: QZ}")),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_scenario_case(case: Case, workdir: Path) -> None:
    case.make(workdir)
    args = case.args or (str(workdir / "scen.yaml"),)
    result = run_cli(["compare", *args])
    check_outcome(case, result)
