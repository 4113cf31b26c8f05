"""A seeded corpus of newspaper pages made from real page text, for benchmarks.

    python benchmarks/corpus.py OUT --articles 1000 [--seed 7] [--check] [--sources DIR ...]

The text comes from real pages: the repository's seeds/ and, when it is found beside the
checkout (shared/dev/articles in the repository root's parent or one of its ancestors, as
in CI), the development set. Each source page is normalised and split with kg's own reader,
then cut into headlines, lead paragraphs (their dateline removed) and body paragraphs.
The paragraphs are shuffled across pages with a seeded RNG and dealt into new articles,
several to a page, each with headline, dateline (湖南日报11月15日讯（全媒体记者 张三）) or a
byline paragraph, so the splitter has a newspaper's work to do.

So that no sentence repeats anywhere (a per-sentence cache must not flatter a benchmark),
every reused sentence is varied: figures get new values of the same kind (amounts keep
their digits and decimals, percentages, months 1至10月, days and years stay plausible) and
names from kg's gazetteer (regions, enterprises, products, partner countries and blocs) are
swapped for others of the same kind, regions consistently within an article and within the
page's province. A sentence still seen before after a few draws is left out. --check splits
the written pages as kg does and counts repeated sentences (it must be zero) and articles.
The corpus is deterministic for a given seed and set of source pages.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract.gazetteer import load
from kg.extract.normalise import is_byline, normalise
from kg.extract.read import read_source
from kg.extract.split import sentences, split_articles

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# A lead's dateline in the forms kg does not cut off: 本报讯（记者 张三）, 本报哈尔滨2月15日讯, 中新网南宁4月23日电.
# The generator's own dateline shapes (湖南日报5月3日讯(记者 …)), to strip and re-date a lead
DATELINE = re.compile(r"^(?:\S{0,8}?报)?(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:讯|电)")
DATELINE_WITH_BYLINE = re.compile(r"(?:\S{0,8}?报)?(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:讯|电)(?:\([^()]{0,40}\))?")
SIGN_OFF_TAIL = re.compile(r"([。！？”])\s*[（(][^()（）]{1,30}[)）]\s*$")
OTHER_DATELINE = re.compile(r"^[^，。,：\s]{0,14}?[报网][^，。,：]{0,10}?[讯电](?:\([^()]{0,40}\))?")
BYLINE_ROLES = re.compile(r"\S{0,6}报|全媒体|首席|特约|见习|记者|评论员|通讯员|摄影|摄|实习生|本报|[()]")
TERMINAL = tuple("。！？”」』)")
# 1至10月 (a range of months) or one figure; a figure glued to Latin letters is a model name (C919, 5G)
FIGURE = re.compile(r"(?<![A-Za-z\d.])(?:(\d{1,2})(至|到|-)(\d{1,2})月|(\d+)(?:\.(\d+))?(?![A-Za-z\d]))")
CN_DIGITS = "一二三四五六七八九十"
CN_MONTH_RANGE = re.compile(r"一(至|到)(十一|十二|[二三四五六七八九十])月")
PER_PAGE = (3, 5)        # articles on a page
PARAGRAPHS = (4, 9)      # paragraphs in an article, the lead included
TRIES = 6                # new draws of a sentence already seen before it is left out
RANK = {"Province": 0, "City": 1, "County": 2}
KEPT = {"CN"}  # 中国 is where every report is; swapping it (中国香港 → 所罗门群岛香港) makes nonsense
# a county's short name is swapped only where it stands as a place (邵东、, 邵东县), not inside a
# word that happens to hold one (创新平台 holds 新平)
PLACE_NEXT = set("县市区旗镇乡、，。；与和的")
SWAPPED = {"Province", "City", "County", "Country", "Territory", "EconomicBloc", "Product", "Enterprise"}


def default_sources() -> list[Path]:
    """seeds/ and, when present beside the checkout, the development set's articles."""
    for folder in [ROOT.parent, *ROOT.parent.parents]:
        dev = folder / "shared" / "dev" / "articles"
        if dev.is_dir():
            return [SEEDS, dev]
    return [SEEDS]


@dataclass
class Pool:
    """What the source pages give: headline groups, leads, body paragraphs, reporters' names."""

    headlines: list[list[str]] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)


def reporter_names(byline: str) -> list[str]:
    """The personal names in a byline: 全媒体记者 唐曦 通讯员 隋鑫 → 唐曦, 隋鑫."""
    names = BYLINE_ROLES.sub(" ", byline).split()
    return [n for n in names if 2 <= len(n) <= 3 and all("\u4e00" <= ch <= "\u9fff" and ch not in "讯电报" for ch in n)]


def is_body(par: str) -> bool:
    # a paragraph kg would take for a headline or a byline would move an article boundary
    return (len(par) > 60 or "。" in par) and par.endswith(TERMINAL) and not is_byline(par) and not DATELINE.match(par)


def page_paragraphs(text: str) -> list[str]:
    """A source page's paragraphs, normalised as kg does. A page printed one paragraph a line is
    normalised line by line, so a headline without a full stop is not run into the next line;
    a page wrapped at column width (OCR) is rejoined by kg's normaliser."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lengths = sorted(len(ln) for ln in lines)
    if lengths and lengths[len(lengths) // 2] < 40:
        lines = normalise(text).text.split("\n")
    else:
        lines = [normalise(ln).text for ln in lines]
    return [ln.strip() for ln in lines if ln.strip()]


def cut_page(pars: list[str], pool: Pool) -> None:
    """A source page's paragraphs into the pool: headlines above a dateline or byline, leads, bodies."""
    pending: list[str] = []   # short lines without a full stop: the headlines of the next article
    lead = True
    for par in pars:
        dated = DATELINE_WITH_BYLINE.match(par) or OTHER_DATELINE.match(par)
        if dated or is_byline(par):
            if 0 < len(pending) <= 3:
                pool.headlines.append(pending)
            pending, lead = [], True
            pool.reporters.extend(reporter_names(dated.group() if dated else par))
            if not dated:
                continue
            par = par[dated.end():]
        par = SIGN_OFF_TAIL.sub(r"\1", par)  # (侯郑俐) closes its own article, not a shuffled one
        if is_body(par):
            if lead and 0 < len(pending) <= 3:
                pool.headlines.append(pending)  # the page's first article may have no dateline
            (pool.leads if lead else pool.bodies).append(par)
            pending, lead = [], False
        elif len(par) <= 60 and "。" not in par:
            pending.append(par.lstrip("#").strip())


def source_files(sources) -> list[Path]:
    """The .txt pages of each source in the order given, each folder's sorted by their path inside it
    (not by absolute path: the corpus of a seed must not depend on where the checkout is)."""
    files = []
    for s in map(Path, sources):
        files.extend(sorted(s.rglob("*.txt"), key=lambda p: p.relative_to(s).parts) if s.is_dir() else [s])
    return files


def read_pool(sources) -> Pool:
    """Cut every source page into a Pool."""
    pool = Pool()
    for path in source_files(sources):
        cut_page(page_paragraphs(read_source(str(path)).text), pool)
    pool.reporters = sorted(set(pool.reporters))
    if not pool.leads or not pool.headlines or not pool.reporters:
        raise SystemExit(f"corpus: too little page text in {', '.join(map(str, sources))}")
    return pool


def other_names(gaz) -> tuple[dict[str, list], dict[tuple[str, str], list[str]]]:
    """Enterprises, products, countries and blocs by class, and every surface of each (its aliases)."""
    by_class: dict[str, list] = {}
    aliases: dict[tuple[str, str], list[str]] = {}
    entry = {}
    for surface in sorted(gaz.names):
        for e in gaz.names[surface]:
            aliases.setdefault((e.cls, e.key), []).append(surface)
            entry[e.cls, e.key] = e
    for cls, key in sorted(entry):
        if cls in SWAPPED - set(RANK) and key not in KEPT:
            by_class.setdefault(cls, []).append(entry[cls, key])
    return by_class, aliases


class Names:
    """kg's gazetteer by kind, and the surfaces in a text that name one of its entries."""

    def __init__(self):
        self.gaz = load()
        # a region without a short form (城区, 郊区) reads badly in place of another's short name
        regions = sorted((r for r in self.gaz.regions.values() if r.short), key=lambda r: r.adcode)
        self.provinces = [r for r in regions if r.level == "Province"]
        self.cities = {p.adcode: [r for r in regions if r.level == "City" and r.parent == p.adcode] for p in self.provinces}
        self.counties = {p.adcode: [r for r in regions if r.level == "County" and r.adcode[:2] == p.adcode[:2]]
                         for p in self.provinces}
        self.page_provinces = [p for p in self.provinces if len(self.cities[p.adcode]) >= 2]
        self.by_class, self.aliases = other_names(self.gaz)

    def hits(self, text: str):
        """Non-overlapping gazetteer names in text, longest and highest kind first (前8月湖南: 湖南,
        not the county 月湖): (start, end, surface, entry), in text order."""
        found = []
        for s, e, surface, entries in self.gaz.find(text):
            kinds = sorted((e for e in entries if e.cls in SWAPPED and e.key not in KEPT), key=lambda e: RANK.get(e.cls, 0))
            if kinds:
                found.append((-(e - s), RANK.get(kinds[0].cls, 0), s, e, surface, kinds[0]))
        taken: set[int] = set()
        out = []
        for _, _, s, e, surface, entry in sorted(found, key=lambda h: h[:3]):
            if not taken.intersection(range(s, e)):
                taken.update(range(s, e))
                out.append((s, e, surface, entry))
        return sorted(out, key=lambda h: h[0])


@dataclass
class Scene:
    """The page's and the article's choices: province, year shift, and names swapped so far."""

    province: object
    year_shift: int
    swaps: dict = field(default_factory=dict)


def region_render(region, surface: str, old) -> str:
    """The new region written as the old one was: full name (衡阳市) or short form (衡阳)."""
    if surface == old.name or not region.short:
        return region.name
    return region.short[0]


def swap_region(names: Names, scene: Scene, old, rng: random.Random):
    if old.adcode in scene.swaps:
        return scene.swaps[old.adcode]
    p = scene.province.adcode
    taken = set(scene.swaps.values())
    if old.level == "Province":
        choices = [scene.province] if scene.province not in taken else names.provinces
    else:
        choices = (names.cities if old.level == "City" else names.counties)[p] or names.counties[p]
    free = [r for r in choices if r not in taken] or choices
    scene.swaps[old.adcode] = rng.choice(free)
    return scene.swaps[old.adcode]


def swap_entry(names: Names, entry, surface: str, rng: random.Random) -> str:
    """Another enterprise, product, country or bloc, written as the old one was (full name or alias)."""
    other = rng.choice(names.by_class[entry.cls])
    if surface == entry.canonical:
        return other.canonical
    forms = names.aliases.get((other.cls, other.key), [other.canonical])
    return min(forms, key=lambda f: (abs(len(f) - len(surface)), f))


def vary_names(text: str, names: Names, scene: Scene, rng: random.Random) -> str:
    out, pos = [], 0
    for s, e, surface, entry in names.hits(text):
        if entry.cls in ("Province", "City", "County"):
            old = names.gaz.regions[entry.key]
            if old.level == "County" and surface != old.name and text[e:e + 1] not in PLACE_NEXT:
                continue
            new = region_render(swap_region(names, scene, old, rng), surface, old)
        else:
            new = swap_entry(names, entry, surface, rng)
        out.extend((text[pos:s], new))
        pos = e
    out.append(text[pos:])
    return "".join(out)


def new_figure(whole: str, frac: str | None, after: str, scene: Scene, rng: random.Random) -> str:
    """A value of the same kind: a year shifted with the page, a month, a day, or the same shape."""
    value = int(whole)
    if len(whole) == 4 and 1990 <= value <= 2035 and not frac:
        return str(min(value + scene.year_shift, 2026))
    if not frac and 1 <= value <= 12 and after.startswith(("月", "个月")):
        return str(rng.randint(2, 11) if after.startswith("个") else rng.randint(1, 12))
    if not frac and 1 <= value <= 31 and after.startswith(("日", "号")):
        return str(rng.randint(1, 28))
    digits = "0" if whole == "0" else str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in whole[1:])
    if frac:
        digits += "." + "".join(rng.choice("0123456789") for _ in frac[:-1]) + rng.choice("123456789")
    return digits


def vary_figures(text: str, scene: Scene, rng: random.Random) -> str:
    def figure(m: re.Match) -> str:
        if m.group(4):
            return new_figure(m.group(4), m.group(5), text[m.end():m.end() + 2], scene, rng)
        first = 1 if m.group(1) == "1" else rng.randint(1, 6)  # 1至10月 stays a range that ends after it starts
        return f"{first}{m.group(2)}{rng.randint(first + 1, 12)}月"

    def cn_range(m: re.Match) -> str:  # 一至十月 → 一至八月
        end = rng.randint(2, 12)
        return f"一{m.group(1)}{CN_DIGITS[end - 1] if end <= 10 else '十' + CN_DIGITS[end - 11]}月"

    text = CN_MONTH_RANGE.sub(cn_range, text)
    return FIGURE.sub(figure, text)


class Writer:
    """Deals varied paragraphs into pages, remembering every sentence written."""

    def __init__(self, pool: Pool, names: Names, rng: random.Random):
        self.pool, self.names, self.rng = pool, names, rng
        self.seen: set[str] = set()
        self.decks: dict[str, list] = {}

    def draw(self, kind: str):
        """The next item of a shuffled deck of leads, bodies or headlines; reshuffled when spent."""
        deck = self.decks.get(kind)
        if not deck:
            deck = list(getattr(self.pool, kind))
            self.rng.shuffle(deck)
            self.decks[kind] = deck
        return deck.pop()

    def fresh(self, text: str, scene: Scene) -> str:
        """text varied until no sentence of it was written before; sentences that stay old are left out."""
        kept = []
        for sent in sentences(text, 0, len(text)):
            for _ in range(TRIES):
                new = vary_figures(vary_names(sent.text, self.names, scene, self.rng), scene, self.rng)
                if new not in self.seen:
                    self.seen.add(new)
                    kept.append(new)
                    break
        return "".join(kept)

    def headlines(self, scene: Scene) -> list[str]:
        for _ in range(TRIES):
            heads = [self.fresh(h, scene) for h in self.draw("headlines")]
            heads = [h for h in heads if h and len(h) <= 60 and not is_byline(h)]
            if heads:
                return heads
        return []

    def byline(self, page: dict, dateline: bool) -> str:
        """（全媒体记者 张三 通讯员 李四） after a dateline, or a paragraph of its own that must be new."""
        for _ in range(100):
            who = self.rng.sample(self.pool.reporters, k=min(len(self.pool.reporters), self.rng.randint(1, 3)))
            text = f"{page['role']} {' '.join(who[:2])}" + (f" 通讯员 {who[2]}" if len(who) > 2 else "")
            if dateline:
                return f"{page['open']}{text}{page['close']}"
            text = f"{page['paper']}{text}"
            if text not in self.seen:
                self.seen.add(text)
                return text
        raise SystemExit("corpus: too few reporters' names to write a new byline")

    def article(self, page: dict) -> list[str]:
        scene = Scene(page["province"], page["year_shift"])
        pars = []
        while not pars:
            pars = [p for p in (self.fresh(self.draw("leads"), scene),) if p]
        for _ in range(self.rng.randint(*PARAGRAPHS) - 1):
            par = self.fresh(self.draw("bodies"), scene)
            if par:
                pars.append(par)
        heads = self.headlines(scene)
        # a byline of its own under a headline without end punctuation would be run into it
        if self.rng.random() < 0.8 or (heads and not heads[-1].endswith(TERMINAL)):
            pars[0] = f"{page['paper']}{page['date']}讯{self.byline(page, True)}{pars[0]}"
        else:
            pars.insert(0, self.byline(page, False))
        return heads + pars

    def page(self, count: int) -> str:
        province = self.rng.choice(self.names.page_provinces)
        city = self.rng.choice(self.names.cities[province.adcode])
        local = city.short[0] if city.short and len(city.short[0]) <= 3 and self.rng.random() < 0.3 else None
        paper = f"{local or (province.short[0] if province.short else province.name)}日报"
        spaced = self.rng.random() < 0.2  # as OCR prints it: 湖南日报 3月 8日讯
        month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
        page = {"province": province, "year_shift": self.rng.randint(-8, 1), "paper": paper,
                "date": f" {month}月 {day}日" if spaced else f"{month}月{day}日",
                "role": self.rng.choice(["全媒体记者", "记者"]),
                **dict(zip(("open", "close"), self.rng.choice([("(", ")"), ("（", "）")])))}
        parts = []
        for _ in range(count):
            parts.extend(self.article(page))
        return "\n\n".join(parts) + "\n"


def generate(out: Path, articles: int, seed: int = 7, sources=None) -> list[Path]:
    """Write pages of several articles each, `articles` in all, under out/; return their paths."""
    rng = random.Random(seed)
    writer = Writer(read_pool(sources or default_sources()), Names(), rng)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths, left = [], articles
    while left > 0:
        count = min(left, rng.randint(*PER_PAGE))
        p = out / f"page_{len(paths):06d}.txt"
        p.write_text(writer.page(count), encoding="utf-8")
        paths.append(p)
        left -= count
    return paths


def fingerprint(sources=None) -> str:
    """A digest of this generator and its source pages: a stored corpus is stale when it changes."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for p in source_files(sources or default_sources()):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]


def check(paths) -> tuple[int, int, int]:
    """(articles, sentences, repeated sentences) of the pages as kg splits them."""
    counts: Counter = Counter()
    n_articles = 0
    for p in paths:
        for art in split_articles(normalise(read_source(str(p)).text), p.name):
            n_articles += 1
            counts.update(s.text for s in art.sentences)
    return n_articles, sum(counts.values()), sum(n - 1 for n in counts.values() if n > 1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--sources", nargs="+", help="folders of source pages (default: seeds/ and the dev set if found)")
    ap.add_argument("--check", action="store_true", help="count repeated sentences and articles as kg splits them")
    a = ap.parse_args(argv)
    sources = a.sources or default_sources()
    paths = generate(Path(a.out), a.articles, a.seed, sources)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    print(f"wrote {len(paths)} pages, {a.articles} articles, {chars:,} characters to {a.out} "
          f"from {', '.join(map(str, sources))}")
    if not a.check:
        return 0
    found, n_sent, repeated = check(paths)
    print(f"check: kg splits {found} articles (asked {a.articles}), {n_sent:,} sentences, {repeated} repeated")
    return 0 if found == a.articles and repeated == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
