"""Where jieba ends its words: the offsets `jieba.cut(text, HMM=False)` cuts text at.

Recognition asks one thing of jieba, again and again: does a short name start and end on
word boundaries (湘南|平均 holds no 湘南)? jieba.cut answers it by building a dict of
word-end lists and a dict of route tuples per block, then yielding each word from a
generator; that bookkeeping is most of recognition's time. This is the same dynamic
programme (jieba's get_DAG, calc and __cut_DAG_NO_HMM folded into one backward pass over
the block and one forward walk), reading jieba's own dictionary, so it gives the same cuts:
the best route's score is compared exactly as jieba's max() over (score, end) tuples does,
ties going to the longer word, and a run of single Latin letters or digits is one word,
as in jieba. tests/test_wordcut.py holds it to jieba.cut over the seeds and hand-written
text.
"""

from __future__ import annotations

import bisect
import functools
import re
from math import log

from kg.extract.gazetteer import jieba_ready

# jieba's re_han_default: the runs it segments; every other character is a word of its own
BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")
_ENG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _best_ends(block: str, freq: dict, logtotal: float) -> list[int]:
    """For each offset k of block, where the word of jieba's best route from k ends."""
    n = len(block)
    score = [0.0] * (n + 1)
    end = [0] * (n + 1)
    for k in range(n - 1, -1, -1):
        best, best_end = 0.0, 0
        i, frag = k, block[k]
        while frag in freq:
            f = freq[frag]
            if f:
                s = log(f) - logtotal + score[i + 1]
                if not best_end or s >= best:  # max() over (score, end): a tie goes to the later end
                    best, best_end = s, i + 1
            i += 1
            if i >= n:
                break
            frag = block[k:i + 1]
        if not best_end:  # no word starts here: the character alone
            best, best_end = log(freq.get(block[k]) or 1) - logtotal + score[k + 1], k + 1
        score[k], end[k] = best, best_end
    return end


def _block_bounds(block: str, offset: int, out: list[int], freq: dict, logtotal: float) -> None:
    """Append the word ends of one block (offset into the text) to out."""
    end = _best_ends(block, freq, logtotal)
    x, n, latin = 0, len(block), False
    while x < n:
        y = end[x]
        if y == x + 1 and block[x] in _ENG:  # single letters and digits run together
            latin = True
        else:
            if latin:
                out.append(offset + x)
                latin = False
            out.append(offset + y)
        x = y
    if latin:
        out.append(offset + n)


@functools.lru_cache(maxsize=1 << 16)
def jieba_bounds(text: str) -> tuple[int, ...]:
    """Offsets where jieba (no HMM) ends a word in text, with 0. Cached: the same text recurs
    often (a park's name before each of its companies)."""
    tokenizer = jieba_ready().dt
    freq, logtotal = tokenizer.FREQ, log(tokenizer.total)
    out, pos = [0], 0
    for m in BLOCK.finditer(text):
        _between(text, pos, m.start(), out)
        _block_bounds(m.group(), m.start(), out, freq, logtotal)
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
