"""Where jieba ends its words: the offsets `jieba.cut(text, HMM=False)` cuts text at.

Recognition asks one thing of jieba, again and again: does a short name start and end on
word boundaries (湘南|平均 holds no 湘南)? jieba answers it in pure Python, and that was
most of recognition's time. rjieba (the Python binding of jieba-rs, a Rust port of jieba
with jieba's own dictionary) runs the same dynamic programme about ten times faster and
gives the same cuts: tests/test_wordcut.py holds it to jieba.cut over the seeds and
hand-written text. jieba itself stays for its word frequencies (kg.extract.gazetteer).
"""

from __future__ import annotations

import functools
from itertools import accumulate


@functools.lru_cache(maxsize=1 << 16)
def jieba_bounds(text: str) -> tuple[int, ...]:
    """Offsets where jieba (no HMM) ends a word in text, with 0. Cached: the same text recurs
    often (a park's name before each of its companies)."""
    import rjieba  # its dictionary loads on first use (a fifth of a second, once per process)

    return tuple(accumulate(map(len, rjieba.cut(text, False)), initial=0))  # False: no HMM, as kg asks of jieba


class WordBounds:
    """`pos in bounds`: whether jieba (no HMM) ends a word at pos of text (page offset OFFSET).
    The text is segmented when first asked (a sentence without a short name never is)."""

    __slots__ = ("_cuts", "offset", "text")

    def __init__(self, text: str, offset: int = 0):
        self.text, self.offset = text, offset
        self._cuts: frozenset[int] | None = None

    def __contains__(self, pos: int) -> bool:
        if self._cuts is None:
            self._cuts = frozenset(jieba_bounds(self.text))
        return (pos - self.offset) in self._cuts
