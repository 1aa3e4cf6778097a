"""A set of non-overlapping spans with O(log n) overlap checks (extraction must stay linear in the text)."""

from __future__ import annotations

import bisect


class Spans:
    def __init__(self, spans=()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for s, e in sorted(spans):
            self.take(s, e)

    def free(self, s: int, e: int) -> bool:
        """True when [s, e) overlaps no span taken so far."""
        i = bisect.bisect_right(self.starts, s)
        if i > 0 and self.ends[i - 1] > s:
            return False
        return not (i < len(self.starts) and self.starts[i] < e)

    def take(self, s: int, e: int) -> None:
        i = bisect.bisect_right(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)
