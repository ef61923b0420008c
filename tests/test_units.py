"""Units in one place (issue 12 item 8): hours↔days and the lognormal's Z90 live in ``units.py``."""

from __future__ import annotations

import ast
import math
from pathlib import Path

from corridor import units

SRC = Path(__file__).parents[1] / "src" / "corridor"
ALLOWED = {"units.py"}


def hour_day_literals(path: Path) -> list[str]:
    """``x / 24``, ``24.0 * x``, ``x // 24``: a 24 multiplied or divided in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div | ast.FloorDiv):
            for side in (node.left, node.right):
                if isinstance(side, ast.Constant) and side.value in (24, 24.0) and not isinstance(side.value, bool):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_no_hours_per_day_literal_outside_units() -> None:
    offenders = [
        hit
        for path in sorted(SRC.rglob("*.py"))
        if path.relative_to(SRC).as_posix() not in ALLOWED
        for hit in hour_day_literals(path)
    ]
    assert offenders == []


def test_the_literal_check_sees_one(tmp_path: Path) -> None:
    global SRC
    probe = tmp_path / "probe.py"
    probe.write_text("days = hours / 24.0\nalso = 24 * days\nfine = 24\n", encoding="utf-8")
    saved, SRC = SRC, tmp_path
    try:
        assert hour_day_literals(probe) == ["probe.py:1", "probe.py:2"]
    finally:
        SRC = saved


def test_z90_is_defined_once() -> None:
    defined = [
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.AnnAssign | ast.Assign)
        and any(
            isinstance(t, ast.Name) and t.id == "Z90" for t in getattr(node, "targets", [getattr(node, "target", None)])
        )
    ]
    assert defined == ["units.py"]


def test_z90_is_the_normal_quantile() -> None:
    # Phi(z) = (1 + erf(z / sqrt 2)) / 2 = 0.9 at the 90th percentile, independent of scipy.
    assert math.isclose((1 + math.erf(units.Z90 / math.sqrt(2))) / 2, 0.9, abs_tol=1e-12)
    assert math.isclose(units.lognormal_sigma(10.0, 10.0 * math.exp(units.Z90)), 1.0)


def test_conversions() -> None:
    assert units.hours_to_days(36.0) == 1.5
    assert units.days_to_hours(1.5) == 36.0
    assert units.T_PER_FEU == units.TEU_PER_FEU * units.DEFAULT_T_PER_TEU == 20.0
