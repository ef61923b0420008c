"""Plain-text tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def fmt_num(value: float | None, digits: int = 0) -> str:
    """``12,345`` style numbers; ``–`` for missing."""
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def share_parts(value: float, digits: int = 0) -> tuple[str, float, int]:
    """How to print a share (1.0 = 100%) so that one short of all never reads 100% and a non-zero
    one never 0%: ``(bound, percent, decimals)``.  Up to two more decimals than ``digits`` until the
    rounded figure is off 0/100, then a bound (``">"``/``"<"`` before 99.99, 100 or 0.01).  The
    value is first rounded to 6 decimals, as the JSON results are, so solver noise on a full
    capacity still reads 100%."""
    x = round(value, 6)
    for d in range(digits, digits + 3):
        shown = round(x * 100.0, d) / 100.0
        if not (shown in (0.0, 1.0, -1.0) and shown != x):
            return "", x * 100.0, d
    d = digits + 2
    step = 10.0 ** -(d + 2)
    n = round(x)
    if n == 0:
        return ("<", step * 100.0, d) if x > 0 else (">", -step * 100.0, d)
    return (">", (n - step) * 100.0, d) if x < n else (">", n * 100.0, digits)


def fmt_share(value: float | None, digits: int = 0) -> str:
    """``99.8%``, ``<0.01%`` (:func:`share_parts`); ``–`` for missing."""
    if value is None:
        return "–"
    bound, pct, d = share_parts(value, digits)
    return f"{bound}{pct:,.{d}f}%"


def wrap(text: str, width: int | None, indent: str = "  ") -> list[str]:
    """``text`` as lines of at most ``width`` columns (continuations indented); unchanged without a width."""
    if width is None or len(text) <= width:
        return [text]
    import textwrap

    return textwrap.wrap(text, width=max(width, 20), subsequent_indent=indent, break_on_hyphens=False)


def _is_num(text: str) -> bool:
    """A number, a percentage or a dash, or a number followed by its unit (``8,000 teu``)."""
    number, _, unit = text.partition(" ")
    if unit and unit.isalpha() and len(unit) <= 4:
        text = number
    stripped = (
        text.replace(",", "").replace(".", "").replace("%", "").replace("-", "").replace("+", "").replace("–", "")
    ).lstrip("<>")
    return stripped.isdigit() or text == "–"


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str = "",
    max_width: int | None = None,
    keep: Sequence[str] = (),
) -> str:
    """Columns padded to width; numeric-looking cells right-aligned.

    With ``max_width`` the widest text columns are cut (ending in ``…``, never below 8 characters)
    until a line fits, the columns named in ``keep`` only once the others cannot give more;
    numbers are never cut.
    """
    cells = [[str(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    if max_width is not None:
        numeric = [all(_is_num(row[i]) or not row[i] for row in cells) for i in range(len(widths))]
        while sum(widths) + 2 * (len(widths) - 1) > max_width:
            text = [i for i in range(len(widths)) if not numeric[i] and widths[i] > max(8, len(headers[i]))]
            text = [i for i in text if headers[i] not in keep] or text
            if not text:
                break
            widest = max(text, key=lambda i: widths[i])
            widths[widest] -= 1
        for row in cells:
            for i, cell in enumerate(row):
                if len(cell) > widths[i]:
                    row[i] = cell[: widths[i] - 1] + "…"
    is_num = _is_num

    lines = []
    if title:
        lines.append(title)
    lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        parts = [c.rjust(w) if is_num(c) else c.ljust(w) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)
