"""Stage 5, link: mentions → entities with one IRI each, canonical labels, aliases, reference data.

Ambiguous place names (a short form shared by several divisions) are resolved by the
page's context: the candidate whose province or city the page also names wins, then the
higher level. Enterprises named in full and in short (株洲中车时代电气股份有限公司 /
中车时代电气) are merged by their core name: the name without its leading place, its
bracketed place and its company-form suffix.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from urllib.parse import quote

from kg.extract.gazetteer import Gazetteer
from kg.extract.lexicon import alternation, words
from kg.model import Entity, Mention
from kg.vocab import KGR

_LEVEL_RANK = {"Province": 0, "City": 1, "County": 2}
# what is dropped from a name to find the core it shares with its other forms
_NAME_TAIL = {
    "IndustryCluster": re.compile("(?:" + alternation("link_cluster_tails") + ")$"),
    "Platform": re.compile(r"\([\u4e00-\u9fff]{2,6}\)$|国际(?=" + alternation("link_port_kinds") + ")"),
    "Project": re.compile(r"项目$"),
}
_TAILED = ("Enterprise", "Platform", "IndustryCluster")  # merged with their shorter names
COMPANY_ENDING = re.compile("(?:" + alternation("link_company_forms") + ")$")  # 有限公司, 集团 … 药业: a company name's ending
# 石家庄经济技术开发区 and 石家庄经开区 are one zone: full forms of zone kinds become their short forms
_ZONE_SHORT = dict(line.split() for line in words("link_zone_short_forms"))
_ZONE_FULL = re.compile("|".join(map(re.escape, _ZONE_SHORT)))


@functools.lru_cache(maxsize=1 << 16)  # a page names the same places again and again
def entity_iri(cls: str, key: str) -> str:
    """Deterministic IRI: by adcode, ISO code or bloc slug where known, else by canonical name."""
    if cls in ("Province", "City", "County"):
        return str(KGR[f"region/{key}"])
    if cls in ("Country", "Territory"):
        return str(KGR[f"{cls.lower()}/{key}"])
    if cls == "EconomicBloc":
        return str(KGR[f"bloc/{key}"])
    return str(KGR[f"{cls.lower()}/{quote(key, safe='')}"])


def confident(m: Mention) -> bool:
    """A place named by its province or its full official name (not a bare short form)."""
    return m.cls == "Province" or (m.text == m.canonical and len(m.text) > 2)


def page_context(mentions: list[Mention]) -> frozenset[str]:
    """Province and city code prefixes of the places a page names with confidence: what a
    short or shared place name needs beside it. Made once per page (not per sentence)."""
    named = {m.key for m in mentions if m.cls in _LEVEL_RANK and confident(m)}
    return frozenset({k[:4] for k in named} | {k[:2] for k in named})


def resolve_regions(mentions: list[Mention], gaz: Gazetteer, named: frozenset[str] | None = None) -> list[Mention]:
    """Pick one reading per span for place names that several divisions share.

    A county named only by its short form (新田, 天心) or by a two-character name is kept
    only when the page also names its city or province: alone, such a string is more
    often part of another word than a place. NAMED is the page's `page_context` (by default
    that of MENTIONS alone).
    """
    named_prefixes = page_context(mentions) if named is None else named

    def plausible(m: Mention) -> bool:
        if m.cls not in ("City", "County") or confident(m):
            return True
        # a name only one division carries and that is no common word (扬州, 遵义) stands on its
        # own; a county's short name (邵东) wants a 3-character form or its province on the page
        if not gaz.needs_context(m.text) and (m.cls == "City" or len(m.text) >= 3 or m.key[:2] in named_prefixes):
            return True
        if m.cls == "City":  # 长沙 needs 湖南 (or another place of the province) on the page
            return m.key[:2] in named_prefixes
        return m.key[:4] in named_prefixes or (m.key[:2] in named_prefixes and m.key[:4] + "00" not in gaz.regions)

    mentions = [m for m in mentions if plausible(m)]
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        by_span.setdefault((m.start, m.end, m.cls in _LEVEL_RANK), []).append(m)
    sure = Counter()
    for (_, _, is_region), ms in by_span.items():
        if is_region and len(ms) == 1:
            code = ms[0].key
            sure[code[:2]] += 1
            sure[code[:4]] += 1
    out = []
    for (_, _, is_region), ms in sorted(by_span.items()):
        if not is_region or len(ms) == 1:
            out.extend(ms)
            continue

        def score(m: Mention):
            return (-(sure[m.key[:4]] * 2 + sure[m.key[:2]]), _LEVEL_RANK[m.cls], m.key)

        out.append(min(ms, key=score))
    return out


def enterprise_core(name: str, gaz: Gazetteer) -> str:
    """The distinctive part of a company name: no leading place, bracketed place or form suffix."""
    core = re.sub(r"\([\u4e00-\u9fff]{2,8}\)", "", name)
    core = COMPANY_ENDING.sub("", core)
    for _ in range(2):
        for s, e, surface, entries in sorted(gaz.find(core), key=lambda h: (h[0], -h[1])):
            if s == 0 and any(en.cls in _LEVEL_RANK for en in entries) and len(core) - e >= 2:
                core = core[e:]
                break
    return core or name


class Linker:
    """Accumulates entities over the whole build; `link` maps an article's mentions to IRIs."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        self.entities: dict[str, Entity] = {}

    def _canonical(self, m: Mention) -> tuple[str, str]:
        """(key, label) of a mention: reference key and label where known, else its own name."""
        if m.source in ("gazetteer", "user") or m.cls in _LEVEL_RANK or m.cls in ("Country", "Territory", "EconomicBloc"):
            return m.key, m.canonical or m.text
        if m.cls == "Product":
            bare = m.text[:-2] if m.text.endswith("产品") and len(m.text) > 3 else m.text
            entries = self.gaz.names.get(bare) or self.gaz.names.get(bare.strip("“”"))
            if entries and entries[0].cls == "Product":
                return entries[0].key, entries[0].canonical
        return m.text, m.text

    def link(self, mentions: list[Mention], article_key: str) -> list[tuple[Mention, str]]:
        """IRIs for an article's mentions; entities gain the article and the surface as alias."""
        out = []
        for m in mentions:
            key, label = self._canonical(m)
            iri = entity_iri(m.cls, key)
            ent = self.entities.get(iri)
            if ent is None:
                ent = Entity(iri=iri, cls=m.cls, label=label)
                if m.cls in _LEVEL_RANK:
                    region = self.gaz.regions[key]
                    ent.adcode = region.adcode
                    ent.lat, ent.long = region.lat, region.long
                    ent.aliases.update(region.short)
                    if region.parent and region.parent in self.gaz.regions:
                        ent.parent = entity_iri(self.gaz.regions[region.parent].level, region.parent)
                elif m.cls in ("Country", "Territory"):
                    ent.iso_code = key
                self.entities[iri] = ent
            ent.articles.add(article_key)
            if m.text != ent.label:
                ent.aliases.add(m.text)
            out.append((m, iri))
        return out


def _core(ent: Entity, gaz: Gazetteer) -> str:
    if ent.cls == "Enterprise":
        return enterprise_core(ent.label, gaz)
    core = _NAME_TAIL[ent.cls].sub("", ent.label) or ent.label
    return _ZONE_FULL.sub(lambda m: _ZONE_SHORT[m.group(0)], core) if ent.cls == "Platform" else core


def _tails(cls: str, core: str, gaz: Gazetteer):
    """The shorter names a core also goes by. A company: any tail of three or more characters
    (中车时代电气 of 株洲中车时代电气). A zone or cluster: its name without the leading place, if a
    name is left besides the kind (松木经开区 of 衡阳松木经开区, 打火机 of 邵东打火机; but
    长沙经开区 is not just any 经开区, nor 绥芬河互市贸易区 any 互市贸易区)."""
    if cls == "Enterprise":
        yield from (core[i:] for i in range(1, len(core) - 2))
        return
    lead = max((e for s, e, _, entries in gaz.find(core) if s == 0 and any(en.cls in _LEVEL_RANK for en in entries)),
               default=0)
    rest = core[lead:]
    kind = max((len(k) for c, k, _ in gaz.patterns if c == cls and rest.endswith(k)), default=0)
    if lead and len(rest) - kind >= 2:
        yield rest


def _join_tails(groups: dict[tuple[str, str], list[Entity]], gaz: Gazetteer) -> None:
    """A short name that is the tail of a longer core joins the first such core in core order;
    tails are indexed so this stays linear in the entities."""
    cores = sorted(groups, key=lambda c: (c[0], -len(c[1]), c[1]))
    rank = {core: i for i, core in enumerate(cores)}
    tails: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for core in cores:
        if core[0] in _TAILED:
            for tail in _tails(core[0], core[1], gaz):
                tails.setdefault((core[0], tail), []).append(core)
    for core in cores:
        if core[0] not in _TAILED or len(core[1]) < 3 or not groups.get(core):
            continue
        for longer in sorted(tails.get(core, ()), key=rank.__getitem__):
            if groups.get(longer):
                groups[longer].extend(groups.pop(core))
                break


def merge_aliases(entities: dict[str, Entity], gaz: Gazetteer) -> dict[str, str]:
    """Merge entities sharing a core name, in place; returns {old IRI: kept IRI} for the merged ones.

    Enterprises: 株洲中车时代电气股份有限公司 / 中车时代电气; clusters: X产业集群 / X;
    platforms: 中欧班列(衡阳) / 中欧班列, 石家庄经济技术开发区 / 石家庄经开区; projects: 湘江院士港项目 / 湘江院士港.
    The result depends only on the set of entities, not on the order they came in.
    """
    groups: dict[tuple[str, str], list[Entity]] = {}
    for ent in sorted(entities.values(), key=lambda e: e.iri):
        if ent.cls in _NAME_TAIL or ent.cls == "Enterprise":
            groups.setdefault((ent.cls, _core(ent, gaz)), []).append(ent)
    _join_tails(groups, gaz)
    renamed: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        keep = max(members, key=lambda e: (e.label.endswith("公司"), len(e.label), e.label))
        for ent in members:
            if ent is keep:
                continue
            keep.aliases.update(ent.aliases | {ent.label})
            keep.articles.update(ent.articles)
            renamed[ent.iri] = keep.iri
            del entities[ent.iri]
        keep.aliases.discard(keep.label)
    return renamed
