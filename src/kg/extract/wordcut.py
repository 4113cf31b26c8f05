"""Where jieba ends its words: the offsets `jieba.cut(text, HMM=False)` cuts text at.

Recognition asks one thing of jieba, again and again: does a short name start and end on
word boundaries (湘南|平均 holds no 湘南)? jieba answers it in pure Python, and that was
most of recognition's time. rjieba (the Python binding of jieba-rs, a Rust port of jieba
with jieba's own dictionary) runs the same dynamic programme about ten times faster and
gives the same cuts: tests/test_wordcut.py holds it to jieba.cut over the seeds and
hand-written text. jieba itself stays for its word frequencies (kg.extract.gazetteer).
"""

from __future__ import annotations

import bisect
import functools
import re

# jieba's re_han_default: the runs it segments; every other character is a word of its own
BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")


@functools.lru_cache(maxsize=1 << 16)
def jieba_bounds(text: str) -> tuple[int, ...]:
    """Offsets where jieba (no HMM) ends a word in text, with 0. Cached: the same text recurs
    often (a park's name before each of its companies)."""
    import rjieba  # its dictionary loads on first use (a fifth of a second, once per process)

    out, pos = [0], 0
    for m in BLOCK.finditer(text):
        _between(text, pos, m.start(), out)
        end = m.start()
        for word in rjieba.cut(m.group(), False):  # False: no HMM, as kg asks of jieba
            end += len(word)
            out.append(end)
        pos = m.end()
    _between(text, pos, len(text), out)
    return tuple(out)


def _between(text: str, start: int, stop: int, out: list[int]) -> None:
    """Between blocks each character is a word, but for a "\\r\\n", which jieba keeps whole."""
    for i in range(start + 1, stop + 1):
        if not (text[i - 1] == "\r" and i < stop and text[i] == "\n"):
            out.append(i)


class WordBounds:
    """`pos in bounds`: whether jieba (no HMM) ends a word at pos of text (page offset OFFSET).

    The same answers as segmenting the whole text, but only the runs asked about are
    segmented, each once: a sentence's short names sit in a few of its clauses, and jieba's
    segmentation is most of the cost of recognition."""

    __slots__ = ("_cuts", "_ends", "_starts", "offset", "text")

    def __init__(self, text: str, offset: int = 0):
        self.text, self.offset = text, offset
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        self._cuts: dict[int, frozenset[int]] = {}

    def __contains__(self, pos: int) -> bool:
        p = pos - self.offset
        if p < 0 or p > len(self.text):
            return False
        if self._starts is None:
            spans = [m.span() for m in BLOCK.finditer(self.text)]
            self._starts, self._ends = [s for s, _ in spans], [e for _, e in spans]
        k = bisect.bisect_right(self._starts, p) - 1
        if k < 0 or p >= self._ends[k] or p == self._starts[k]:
            return True  # at a run's edge, or between runs: every character there is a word
        cuts = self._cuts.get(k)
        if cuts is None:
            start = self._starts[k]
            cuts = self._cuts[k] = frozenset(start + b for b in jieba_bounds(self.text[start:self._ends[k]]))
        return p in cuts
