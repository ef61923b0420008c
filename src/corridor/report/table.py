"""Plain-text tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def fmt_num(value: float | None, digits: int = 0) -> str:
    """``12,345`` style numbers; ``–`` for missing."""
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str = "") -> str:
    """Columns padded to width; numeric-looking cells right-aligned."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def is_num(text: str) -> bool:
        stripped = text.replace(",", "").replace(".", "").replace("%", "").replace("-", "").replace("+", "")
        return stripped.isdigit() or text == "–"

    lines = []
    if title:
        lines.append(title)
    lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        parts = [c.rjust(w) if is_num(c) else c.ljust(w) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)
