"""Adversarial demand sets, run through ``corridor capacity`` on the mini network.

Errors must stop before the LP with the file, line and field; valid variations must solve.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Case, check_outcome, run_cli

HEADER = "origin,destination,cargo,volume_teu_per_year,volume_t_per_year,source,note\n"


def flows(text: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / "dem" / "flows.csv").write_text(HEADER + text, encoding="utf-8")

    return make


def raw_flows(data: bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / "dem" / "flows.csv").write_bytes(data)

    return make


def manifest(text: str | bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        data = text.encode() if isinstance(text, str) else text
        (folder / "dem" / "demand.toml").write_bytes(data)

    return make


GOOD = "A,Z,container,2000,,hand,\n"
TOML = 'name = "d"\nnetwork = "mini"\nyear = 2024\n'

CASES: list[Case] = [
    Case("unknown-origin", "error", ("flows.csv:2 [origin]", "did you mean"), flows("Alfx,Z,container,10,,hand,\n")),
    Case("negative-volume", "error", ("flows.csv:2 [volume_teu_per_year]",), flows("A,Z,container,-1,,hand,\n")),
    Case("nan-volume", "error", ("flows.csv:2 [volume_teu_per_year]", "finite"), flows("A,Z,container,nan,,hand,\n")),
    Case("inf-volume", "error", ("flows.csv:2 [volume_teu_per_year]",), flows("A,Z,container,inf,,hand,\n")),
    Case("1e12-volume", "error", ("flows.csv:2 [volume_teu_per_year]", "≤ 1e+10"), flows("A,Z,container,1e12,,hand,\n")),
    Case("text-volume", "error", ("flows.csv:2 [volume_teu_per_year]",), flows("A,Z,container,lots,,hand,\n")),
    Case("bad-cargo", "error", ("flows.csv:2 [cargo]",), flows("A,Z,boxes,10,,hand,\n")),
    Case("container-without-teu", "error", ("flows.csv:2 [volume_teu_per_year]",), flows("A,Z,container,,5,hand,\n")),
    Case("bulk-without-t", "error", ("flows.csv:2 [volume_t_per_year]",), flows("A,Z,general,5,,hand,\n")),
    Case("same-ends", "error", ("flows.csv:2 [destination]",), flows("A,Alfa,container,10,,hand,\n")),
    Case("duplicate-flow", "error", ("flows.csv:3 [origin]", "duplicate flow", "line 2"), flows(GOOD + GOOD)),
    Case("duplicate-via-alias", "error", ("flows.csv:3", "duplicate flow"), flows(GOOD + "Alfa,Zulu,container,5,,hand,\n")),
    Case("header-only", "error", ("flows.csv:2", "header but no rows"), flows("")),
    Case("empty-file", "error", ("flows.csv:1", "empty"), raw_flows(b"")),
    Case("binary", "error", ("flows.csv:1", "UTF-8"), raw_flows(b"\x00\xff\xfe\x89garbage")),
    Case("control-char-origin", "error", ("flows.csv:2 [origin]", "U+0007"), flows("A\x07,Z,container,10,,hand,\n")),
    Case("long-origin", "error", ("flows.csv:2 [origin]", "at most 200"), flows("A" * 5000 + ",Z,container,10,,hand,\n")),
    Case("unknown-column", "error", ("unknown column 'volume'",), raw_flows(b"origin,destination,cargo,volume\nA,Z,container,1\n")),
    Case("missing-column", "error", ("missing required column 'origin'",), raw_flows(b"destination,cargo\nZ,container\n")),
    Case("unknown-source", "error", ("flows.csv:2 [source]", "nowhere"), flows("A,Z,container,10,,nowhere,\n")),
    Case("other-network", "error", ("demand.toml [network]", "'elsewhere'"), manifest('name = "d"\nnetwork = "elsewhere"\n')),
    Case("toml-malformed", "error", ("demand.toml:2",), manifest('name = "d"\nyear = = 3\n')),
    Case("toml-unknown-key", "error", ("unknown key 'colour'",), manifest(TOML + 'colour = "red"\n')),
    Case("toml-year-text", "error", ("demand.toml [year]",), manifest('name = "d"\nnetwork = "mini"\nyear = "soon"\n')),
    Case("toml-without-unknown", "error", ("demand.toml [without]", "no link or node"), manifest(TOML + 'without = ["XY"]\n')),
    Case("toml-nul-name", "error", ("demand.toml [name]", "U+0000"), manifest('name = "d\\u0000"\nnetwork = "mini"\n')),
    Case("toml-binary", "error", ("demand.toml", "UTF-8"), manifest(b"\xff\xfe\x00\x01")),
    Case("demand-missing", "error", ("unknown demand set",), lambda f: None, ("--demand", "no-such-set")),
    # accepted
    Case("bom-flows", "ok", (), raw_flows(b"\xef\xbb\xbf" + (HEADER + GOOD).encode())),
    Case("bom-toml", "ok", (), manifest(b"\xef\xbb\xbf" + TOML.encode())),
    Case("crlf-flows", "ok", (), raw_flows((HEADER + GOOD).replace("\n", "\r\n").encode())),
    Case("cyrillic-alias", "ok", (), flows("Альфа,Z,container,10,,hand,\n")),
    Case("no-manifest", "ok", (), lambda f: (f / "dem" / "demand.toml").unlink()),
    Case("zero-volume", "ok", (), flows(GOOD + "G,Z,container,0,,hand,\n")),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_demand_case(case: Case, workdir: Path) -> None:
    case.make(workdir)
    args = case.args or ("--demand", str(workdir / "dem"))
    result = run_cli(["capacity", "-n", str(workdir / "net"), *args, "--no-max-growth", "--json"])
    check_outcome(case, result)


def test_many_bad_rows_are_grouped_and_capped_without_a_flag_the_command_lacks(workdir: Path) -> None:
    flows("".join(f"A,Z{i},container,10,,hand,\n" for i in range(60)))(workdir)
    result = run_cli(["capacity", "-n", str(workdir / "net"), "--demand", str(workdir / "dem")])
    assert result.code == 1
    assert "50 × flows.csv [destination]: unknown place" in result.err
    assert "… 10 more not shown\n" in result.err and "--all" not in result.err
