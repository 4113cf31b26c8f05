"""Reference data: administrative divisions, countries, blocs, products, enterprises, patterns.

Everything is read from the files under kg/data (each names its source in its first
line) and compiled once into an Aho-Corasick automaton (ahocorasick_rs), so one pass
over a sentence finds every dictionary name.
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import ahocorasick_rs

from kg.extract import lexicon

DATA = resources.files("kg") / "data"

# A county's two-character short form that is also a common word (通道, 光明, 和平, 南岳 the
# mountain) is not used alone: jieba's dictionary frequency above this marks such words.
COMMON_WORD_FREQ = 300


@lru_cache(maxsize=1)
def homographs() -> frozenset[str]:
    """Short division names that are also ordinary words or other names (lexicon geo_short_homographs)."""
    return frozenset(w.split("#")[0].strip() for w in lexicon.words("geo_short_homographs"))


@dataclass(frozen=True)
class Region:
    adcode: str
    name: str
    level: str            # Province | City | County
    parent: str | None
    short: tuple[str, ...]
    lat: float | None
    long: float | None


@dataclass(frozen=True)
class Entry:
    """One dictionary name: what it is (class), its reference key and its canonical label."""

    cls: str
    key: str
    canonical: str
    source: str = "gazetteer"


def _rows(name: str):
    """Rows of a data TSV, skipping '#' comment lines; the first other line is the header."""
    text = (DATA / name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _split(field_value: str | None) -> list[str]:
    return [a.strip() for a in (field_value or "").split("|") if a.strip()]


def _end_then_start(hit: tuple[int, int, int]) -> tuple[int, int]:
    return hit[2], hit[1]


@dataclass
class Gazetteer:
    """All reference data, plus the compiled matcher over every name in it."""

    regions: dict[str, Region] = field(default_factory=dict)
    countries: dict[str, tuple[str, str]] = field(default_factory=dict)   # iso2 -> (name, kind)
    blocs: dict[str, str] = field(default_factory=dict)                   # slug -> name
    patterns: list[tuple[str, str, int]] = field(default_factory=list)    # (class, suffix, min_prefix)
    boundaries: list[str] = field(default_factory=list)
    generic: list[str] = field(default_factory=list)
    names: dict[str, list[Entry]] = field(default_factory=dict)
    division_names: Counter = field(default_factory=Counter)           # name or short form -> divisions
    surfaces: list[str] = field(default_factory=list)                  # the matcher's names, by its index
    automaton: object = None

    def add(self, surface: str, entry: Entry) -> None:
        surface = surface.strip()
        if len(surface) < 2:
            return
        bucket = self.names.setdefault(surface, [])
        if entry not in bucket:
            bucket.append(entry)

    def compile(self) -> None:
        self.surfaces = sorted(self.names)
        self.automaton = ahocorasick_rs.AhoCorasick(self.surfaces, matchkind=ahocorasick_rs.MatchKind.Standard)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "automaton": None}  # a compiled matcher does not pickle: made again

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if self.names:
            self.compile()

    def find(self, text: str):
        """Every (start, end, surface, entries) dictionary hit in text, overlapping ones included,
        by where they end, the longer first where two end together."""
        if not self.names:
            return
        hits = self.automaton.find_matches_as_indexes(text, overlapping=True)
        hits.sort(key=_end_then_start)
        for index, start, end in hits:
            surface = self.surfaces[index]
            yield start, end, surface, self.names[surface]

    def needs_context(self, surface: str) -> bool:
        """Whether a division's name is no mention by itself: it stands for several divisions (朝阳:
        朝阳市 and three 朝阳区/县; 吉林: 吉林省 and 吉林市) or is also an ordinary word (白银, 大理)."""
        return surface in homographs() or self.division_names.get(surface, 0) > 1

    def add_user_terms(self, terms) -> None:
        """Merge user dictionary terms [(name, class, aliases)] and recompile the matcher."""
        for name, cls, aliases in terms:
            entry = Entry(cls, name, name, "user")
            for surface in [name, *aliases]:
                self.names.setdefault(surface, [])
                self.names[surface] = [entry] + [e for e in self.names[surface] if e.source != "user"]
        self.compile()


@lru_cache(maxsize=1)
def jieba_ready():
    """jieba with its dictionary loaded once per process, and its start-up chatter silenced.
    Kept after the first call: setting jieba's log level clears logging's caches, which
    recognition, asking per clause, should not pay for."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    if not any(isinstance(f, OneLineLog) for f in jieba.default_logger.filters):
        jieba.default_logger.addFilter(OneLineLog())
    jieba.initialize()
    return jieba


class OneLineLog(logging.Filter):
    """jieba logs a traceback when it cannot write its dictionary cache (an unwritable temporary
    folder); it works on without one, so the user gets one line saying so."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            err = record.exc_info[1]
            record.msg, record.args = f"kg: note: jieba: {record.getMessage()} ({err}); it works on, slower to start", ()
            record.exc_info = record.exc_text = None
        return True


def _common_word(word: str) -> bool:
    jieba = jieba_ready()
    return jieba.dt.FREQ.get(word, 0) >= COMMON_WORD_FREQ


def _add_regions(g: Gazetteer) -> None:
    for row in _rows("regions.tsv"):
        lat = float(row["lat"]) if row.get("lat") else None
        lon = float(row["long"]) if row.get("long") else None
        if row["adcode"][:2] in ("71", "81", "82"):
            continue  # Taiwan, Hong Kong, Macao are trade partners (Territory) in the contract
        region = Region(row["adcode"], row["name"], row["level"], row.get("parent") or None,
                        tuple(_split(row.get("short"))), lat, lon)
        g.regions[region.adcode] = region
        entry = Entry(region.level, region.adcode, region.name)
        g.division_names.update({region.name, *region.short})
        g.add(region.name, entry)
        for short in region.short:
            if region.level == "County" and len(short) == 2 and _common_word(short):
                continue
            g.add(short, entry)


def _add_named(g: Gazetteer, table: str, cls: str | None, key: str, name: str) -> None:
    """Rows of a table with a name and aliases (countries, blocs, enterprises) as dictionary names."""
    for row in _rows(table):
        entry = Entry(cls or row.get("kind") or "Country", row[key], row[name])
        for surface in [row[name], *_split(row.get("aliases"))]:
            g.add(surface, entry)
        if table == "countries.tsv":
            g.countries[row[key]] = (row[name], entry.cls)
        elif table == "blocs.tsv":
            g.blocs[row[key]] = row[name]


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """Load and compile the shipped reference data (once per process)."""
    g = Gazetteer()
    _add_regions(g)
    _add_named(g, "countries.tsv", None, "iso2", "name_zh")
    _add_named(g, "blocs.tsv", "EconomicBloc", "slug", "name")
    for name in _lines("products.txt"):
        g.add(name, Entry("Product", name, name))
    _add_named(g, "enterprises.tsv", "Enterprise", "name", "name")
    g.patterns = sorted(((r["class"], r["suffix"], int(r["min_prefix"])) for r in _rows("patterns.tsv")),
                        key=lambda p: (-len(p[1]), p[1]))
    g.boundaries = sorted(_lines("boundaries.txt"), key=lambda w: (-len(w), w))
    g.generic = sorted(_lines("generic_names.txt"), key=lambda w: (-len(w), w))
    g.compile()
    return g


def read_user_dict(path: str | Path) -> list[tuple[str, str, list[str]]]:
    """A user dictionary: one term a line, `name<TAB or space>Class[<TAB>alias|alias]`; '#' comments."""
    from kg.vocab import ENTITY_CLASSES

    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: user dictionary is not UTF-8 (invalid byte at offset {err.start}); save it as UTF-8") from None
    except OSError as err:
        raise ValueError(f"{path}: user dictionary cannot be read ({err.strerror or err})") from None
    terms = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) < 2 or parts[1] not in ENTITY_CLASSES:
            raise ValueError(f"{path}:{n}: expected 'name<TAB>Class[<TAB>alias|alias]' with Class one of "
                             f"{', '.join(ENTITY_CLASSES)}; got {line!r}")
        if parts[1] in REFERENCE_CLASSES:  # their IRIs are codes from kg's tables (adcode, ISO code)
            raise ValueError(f"{path}:{n}: {parts[1]} comes from kg's reference tables and cannot be added "
                             f"by a user dictionary; got {line!r}")
        terms.append((parts[0], parts[1], _split(parts[2]) if len(parts) > 2 else []))
    return terms


# classes whose entities are named by a code of a reference table, which a user term has not
REFERENCE_CLASSES = frozenset({"Province", "City", "County", "Country", "Territory", "EconomicBloc"})
