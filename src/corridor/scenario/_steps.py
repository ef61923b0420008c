"""Progress counted in steps whose total is known before the first (compare and appraise jobs)."""

from __future__ import annotations

from collections.abc import Callable


class StepCounter:
    """``counter(n)`` adds ``n`` steps done and reports ``progress(done, total)`` (never past the
    total); the first report, ``(0, total)``, is made when the counter is created."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None) -> None:
        self.total, self.done, self.progress = total, 0, progress
        if progress is not None:
            progress(0, total)

    def __call__(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)
