"""A set of non-overlapping spans with O(log n) overlap checks (extraction must stay linear in the text), and a
sorted list that grows while it is read.

Both keep their items sorted in blocks of at most ``2 * BLOCK``: an insertion moves at most a block's worth of
entries, where one sorted list moved half the list each time (200,000 figures once cost 7 s in insertions alone,
800,000 two minutes).
"""

from __future__ import annotations

import bisect

BLOCK = 512


class Spans:
    def __init__(self, spans=()) -> None:
        self._starts: list[list[int]] = []  # blocks of starts, in order; each block's ends beside it
        self._ends: list[list[int]] = []
        self._firsts: list[int] = []         # each block's first start, to find a block by bisection
        for s, e in sorted(spans):
            self.take(s, e)

    def __len__(self) -> int:
        return sum(len(b) for b in self._starts)

    def _block(self, s: int) -> int:
        """The last block whose first start is at or before ``s`` (-1: none)."""
        return bisect.bisect_right(self._firsts, s) - 1

    def free(self, s: int, e: int) -> bool:
        """True when [s, e) overlaps no span taken so far."""
        k = self._block(s)
        if k < 0:  # every span starts after s: only the first can overlap
            return not (self._starts and self._starts[0][0] < e)
        starts, ends = self._starts[k], self._ends[k]
        i = bisect.bisect_right(starts, s)  # at least 1: the block's first start is at or before s
        if ends[i - 1] > s:
            return False
        if i < len(starts):
            return not starts[i] < e
        return not (k + 1 < len(self._starts) and self._starts[k + 1][0] < e)

    def take(self, s: int, e: int) -> None:
        """Add [s, e), after any span with the same start."""
        if not self._starts:
            self._starts, self._ends, self._firsts = [[s]], [[e]], [s]
            return
        k = max(self._block(s), 0)
        starts, ends = self._starts[k], self._ends[k]
        i = bisect.bisect_right(starts, s)
        starts.insert(i, s)
        ends.insert(i, e)
        self._firsts[k] = starts[0]
        if len(starts) > 2 * BLOCK:  # split: blocks stay between BLOCK and 2 * BLOCK long
            self._starts[k + 1:k + 1] = [starts[BLOCK:]]
            self._ends[k + 1:k + 1] = [ends[BLOCK:]]
            del starts[BLOCK:], ends[BLOCK:]
            self._firsts.insert(k + 1, self._starts[k + 1][0])


class SortedList:
    """Items kept in order in blocks of at most ``2 * BLOCK``, for indexes that grow while they are read: an
    insertion moves one block (one sorted list moved half its length each time), a read starts by bisection."""

    def __init__(self) -> None:
        self._blocks: list[list] = []
        self._firsts: list = []

    def add(self, item) -> None:
        """Insert ``item`` after any equal one."""
        if not self._blocks:
            self._blocks, self._firsts = [[item]], [item]
            return
        k = max(bisect.bisect_right(self._firsts, item) - 1, 0)
        block = self._blocks[k]
        bisect.insort_right(block, item)
        self._firsts[k] = block[0]
        if len(block) > 2 * BLOCK:
            self._blocks.insert(k + 1, block[BLOCK:])
            del block[BLOCK:]
            self._firsts.insert(k + 1, self._blocks[k + 1][0])

    def from_(self, key):
        """The items not less than ``key``, in order."""
        k = bisect.bisect_left(self._firsts, key) - 1  # the last block that starts below key: none before it
        if k < 0:                                       # holds an item at or above it
            k, j = 0, 0
        else:
            j = bisect.bisect_left(self._blocks[k], key)
        while k < len(self._blocks):
            block = self._blocks[k]
            while j < len(block):
                yield block[j]
                j += 1
            k, j = k + 1, 0

    def __iter__(self):
        for block in self._blocks:
            yield from block
