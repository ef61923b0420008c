"""Per-token rate limits: a token bucket per caller, refilled continuously; over the limit is 429."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from corridor.service.problems import ApiProblem


class RateLimiter:
    """``per_minute`` requests per key, with bursts up to the same number; 0 disables.

    Limits are per ``corridor serve`` process (documented in docs/api.md).
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        if self.capacity <= 0:
            return
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                wait = math.ceil((1.0 - tokens) / self.rate)
                raise ApiProblem(
                    429, "rate-limited", "Too many requests", f"limit is {self.capacity:.0f} per minute",
                    headers={"Retry-After": str(max(1, wait))},
                )  # fmt: skip
            self._buckets[key] = (tokens - 1.0, now)
