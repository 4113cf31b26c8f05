"""Word lists of the extraction rules, kept as data under ``kg/data/lexicon/``.

Each list is a text file: first lines starting with ``#`` say what the list is for and
where it came from; then one entry a line. A list is read once and cached; `pattern()`
turns it into a regex alternation (longest entry first, so 进出口 wins over 出口).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.assets import shipped


@lru_cache(maxsize=None)
def words(name: str) -> tuple[str, ...]:
    """The entries of ``kg/data/lexicon/<name>.txt``, in file order."""
    text = (shipped("data") / "lexicon" / f"{name}.txt").read_text(encoding="utf-8")
    return tuple(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


@lru_cache(maxsize=None)
def alternation(name: str, longest_first: bool = True) -> str:
    """The list as a regex alternation (escaped; longest first unless the file's order is asked for)."""
    entries = sorted(words(name), key=lambda w: (-len(w), w)) if longest_first else words(name)
    return "|".join(re.escape(w) for w in entries)


@lru_cache(maxsize=None)
def pattern(name: str, template: str = "{}", longest_first: bool = True) -> re.Pattern:
    """A compiled regex of the list; ``template`` wraps the group, e.g. ``"^{}"``."""
    return re.compile(template.format("(?:" + alternation(name, longest_first) + ")"))
