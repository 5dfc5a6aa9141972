"""Recent latency of an agency's calls, for health views."""

from __future__ import annotations

from collections import deque
from statistics import median


class LatencyWindow:
    """The durations of the last ``size`` answered calls, in milliseconds."""

    def __init__(self, size: int = 100) -> None:
        self._samples: deque[float] = deque(maxlen=size)

    def add(self, milliseconds: float) -> None:
        """Record one answered call."""
        self._samples.append(milliseconds)

    @property
    def median_ms(self) -> float | None:
        """The median of the window; ``None`` before the first call."""
        return median(self._samples) if self._samples else None

    @property
    def p95_ms(self) -> float | None:
        """The 95th percentile of the window; ``None`` before the first call."""
        if not self._samples:
            return None
        ordered = sorted(self._samples)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
