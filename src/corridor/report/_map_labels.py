"""Label placement for maps: greedy, nearest free spot first, with leader lines for far spots.

Layout only; it never computes anything about the network.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any, Final

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox

from corridor.network import Network, Node

HALO: Final = [patheffects.withStroke(linewidth=2.6, foreground="white", alpha=0.85)]
MAJOR_FONT: Final = 9.0
MINOR_FONT: Final = 7.0
_LABEL_PRIORITY: Final = {"port": 0, "gauge_change": 0, "border": 0, "hub": 1, "terminal": 1, "junction": 3}


def short_name(name: str) -> str:
    """Labels drop a parenthetical and anything after a comma: 'Port of Baku (Alat)' -> 'Port of Baku'."""
    return name.split(" (")[0].split(",")[0].strip()


def _label_order(network: Network, highlight: set[str]) -> list[Node]:
    def key(node: Node) -> tuple[int, int, str]:
        rank = -1 if node.id in highlight else _LABEL_PRIORITY.get(node.kind, 1)
        if node.is_border:
            rank = min(rank, 0)
        return (rank, 0 if node.enabled else 1, node.id)

    return sorted(network.nodes, key=key)


_OFFSETS: Final = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]


def place_labels(
    ax: Axes,
    network: Network,
    label_ids: set[str],
    highlight: set[str],
    lines: Iterable[Sequence[tuple[float, float]]],
    renderer: Any,
    obstacles: Iterable[Bbox],
) -> None:
    """Greedy placement: each label takes the nearest spot that overlaps no label, marker, legend
    or (if possible) line.  Far spots get a leader line; a junction with no spot stays unlabelled."""
    frame = ax.get_window_extent(renderer)
    px = ax.figure.dpi / 72.0
    boxes = [[b.x0, b.y0, b.x1, b.y1] for b in obstacles]
    for node in network.nodes:
        x, y = ax.transData.transform((node.lon, node.lat))
        boxes.append([x - 4 * px, y - 4 * px, x + 4 * px, y + 4 * px])
    for child in ax.texts:
        boxes.append(list(child.get_window_extent(renderer).extents))
    samples: list[tuple[float, float]] = []
    for points in lines:
        xy = ax.transData.transform(points)
        for (x0, y0), (x1, y1) in itertools.pairwise(xy):
            steps = max(2, int(math.hypot(x1 - x0, y1 - y0) / (4 * px)))
            samples.extend((x0 + (x1 - x0) * t / steps, y0 + (y1 - y0) * t / steps) for t in range(steps + 1))
    line_xy = np.array(samples).reshape(-1, 2)
    for node in _label_order(network, highlight):
        if node.id not in label_ids:
            continue
        minor = node.kind == "junction" and node.id not in highlight
        style: dict[str, Any] = {
            "fontsize": MINOR_FONT if minor else MAJOR_FONT,
            "fontweight": "bold" if node.id in highlight else "normal",
            "color": "#555555" if minor else "#111111",
            "path_effects": HALO,
            "zorder": 7,
        }
        text = short_name(node.name) + ("" if node.enabled else " (planned)")
        probe = ax.annotate(text, (node.lon, node.lat), xytext=(0, 0), textcoords="offset points", **style)
        radii = (7.0, 12.0) if minor else (7.0, 12.0, 22.0, 34.0, 48.0)
        spot = None
        for avoid_lines in (True, False):
            spot = _find_spot(probe, renderer, frame, np.array(boxes), line_xy if avoid_lines else None, radii)
            if spot is not None:
                break
        probe.remove()
        if spot is None:
            continue
        offset, ha, va, box = spot
        arrow = {"arrowstyle": "-", "color": "#666666", "lw": 0.6, "shrinkA": 0, "shrinkB": 4}
        far = math.hypot(*offset) > 20
        ax.annotate(
            text, (node.lon, node.lat), xytext=offset, textcoords="offset points", ha=ha, va=va,
            arrowprops=arrow if far else None, **style,
        )  # fmt: skip
        boxes.append(list(box.extents))


def _find_spot(
    probe: Any,
    renderer: Any,
    frame: Bbox,
    boxes: np.ndarray[Any, Any],
    line_xy: np.ndarray[Any, Any] | None,
    radii: Iterable[float],
) -> tuple[tuple[float, float], str, str, Bbox] | None:
    """The nearest offset where the label fits inside the frame, overlapping nothing."""
    for radius in radii:
        for ox, oy in _OFFSETS:
            ha = "left" if ox > 0 else "right" if ox < 0 else "center"
            va = "bottom" if oy > 0 else "top" if oy < 0 else "center"
            scale = radius / math.hypot(ox, oy)
            offset = (ox * scale, oy * scale)
            probe.set_position(offset)
            probe.set_ha(ha)
            probe.set_va(va)
            box = probe.get_window_extent(renderer).expanded(1.04, 1.12)
            if not (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1):
                continue
            if len(boxes) and np.any(
                (boxes[:, 0] < box.x1) & (boxes[:, 2] > box.x0) & (boxes[:, 1] < box.y1) & (boxes[:, 3] > box.y0)
            ):
                continue
            if line_xy is not None and np.any(
                (line_xy[:, 0] > box.x0)
                & (line_xy[:, 0] < box.x1)
                & (line_xy[:, 1] > box.y0)
                & (line_xy[:, 1] < box.y1)
            ):
                continue
            return offset, ha, va, box
    return None
