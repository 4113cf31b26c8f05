"""Stage 7, merge: one entity per IRI over the whole build, and each page's facts rewritten to it.

Pages are linked and related on their own, in any process or on any machine. Merging is
the one step that needs every page, and it needs only their entities (a few per article),
never their triples: fragments of an entity are unioned by IRI (`combine`, which does not
care about order, so a dask foldby gives the same result as a loop), short and full names
of one company or cluster are joined, and the resulting renames and the set of known IRIs
go back to the pages (`finalise`) so that each page's relations and observations can be
turned into triples independently.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

from kg.extract.link import entity_iri, merge_aliases
from kg.model import Entity, Observation, PageFacts, Relation

CHINA = entity_iri("Country", "CN")


def combine(a: Entity, b: Entity) -> Entity:
    """Two fragments of one entity as one. Commutative and associative: the label is the
    smaller of the two (they agree unless reference data gave two spellings; the other is
    kept as an alias), surfaces and articles are unioned."""
    if a is b:
        return a
    lat, long = place(a, b)
    return Entity(
        iri=a.iri, cls=a.cls, label=min(a.label, b.label),
        aliases=a.aliases | b.aliases | {a.label, b.label},
        articles=a.articles | b.articles,
        adcode=either(a.adcode, b.adcode), iso_code=either(a.iso_code, b.iso_code),
        lat=lat, long=long, parent=either(a.parent, b.parent))


def either(x: str | None, y: str | None) -> str | None:
    """The one of two codes that is known, the smaller if both are: fragments of one IRI
    agree on them, and if reference data ever did not, the order of pages would not matter."""
    if not x:
        return y
    return min(x, y) if y else x


def place(a: Entity, b: Entity) -> tuple[float | None, float | None]:
    """The coordinates of whichever fragment has them (the smaller pair if both do)."""
    known = [(e.lat, e.long) for e in (a, b) if e.lat is not None]
    return min(known) if known else (None, None)


def own_copy(e: Entity) -> Entity:
    """A copy whose sets can be grown in place (`absorb`) without touching the page's."""
    return replace(e, aliases=set(e.aliases), articles=set(e.articles))


def absorb(acc: Entity, e: Entity) -> Entity:
    """`combine` in place, into an entity this merge owns: linear however often a name recurs
    (湖南省 in every article), where building a new entity each time would be quadratic."""
    acc.aliases.update(e.aliases)
    acc.aliases.update((acc.label, e.label))
    acc.articles.update(e.articles)
    acc.label = min(acc.label, e.label)
    acc.adcode, acc.iso_code, acc.parent = either(acc.adcode, e.adcode), either(acc.iso_code, e.iso_code), either(acc.parent, e.parent)
    if e.lat is not None:
        acc.lat, acc.long = place(acc, e)
    return acc


def union_entities(parts: Iterable[dict[str, Entity]], into: dict[str, Entity] | None = None) -> dict[str, Entity]:
    """The entities of many pages merged by IRI (into `into`, whose entities it owns)."""
    out: dict[str, Entity] = {} if into is None else into
    for part in parts:
        for iri, ent in part.items():
            have = out.get(iri)
            if have is None:
                out[iri] = own_copy(ent)
            else:
                absorb(have, ent)
    return out


def union_implied(parts: Iterable[dict[str, set[str]]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for part in parts:
        for iri, arts in part.items():
            out.setdefault(iri, set()).update(arts)
    return out


@dataclass
class Merged:
    """The build-wide result of the merge: final entities by IRI, the IRIs merged away and
    the partOf facts the administrative table gives between mentioned regions."""

    entities: dict[str, Entity]
    renamed: dict[str, str]
    table_relations: list[Relation] = field(default_factory=list)

    def context(self, min_confidence: float = 0.0) -> "Context":
        return Context({iri: e.label for iri, e in self.entities.items()}, dict(self.renamed), min_confidence)


@dataclass
class Context:
    """What `finalise` needs of the whole build: every kept IRI with its label, the renames,
    and the confidence floor. Small (one entry per entity), so it is sent to every worker."""

    labels: dict[str, str]
    renamed: dict[str, str]
    min_confidence: float = 0.0


def reduce_entities(entities: dict[str, Entity], implied: dict[str, set[str]], gaz) -> Merged:
    """Entities of the whole build: implied ones added, aliases merged, own labels out of
    the aliases; plus the table's partOf between them."""
    entities = dict(entities)
    if implied.get(CHINA) and CHINA not in entities:
        name = gaz.countries.get("CN", ("中国", "Country"))[0]
        entities[CHINA] = Entity(iri=CHINA, cls="Country", label=name, iso_code="CN", articles=set(implied[CHINA]))
    renamed = merge_aliases(entities, gaz)
    for ent in entities.values():
        ent.aliases.discard(ent.label)
    table = [Relation(e.iri, "partOf", e.parent, "gb2260", None, 1.0)
             for e in sorted(entities.values(), key=lambda e: e.iri) if e.parent and e.parent in entities]
    return Merged(dict(sorted(entities.items())), renamed, table)


def finalise(page: PageFacts, ctx: Context) -> tuple[list[Relation], list[Observation]]:
    """A page's relations and observations under the merged IRIs: weak ones (below the
    confidence floor) and those about unknown entities dropped, duplicates removed."""
    renamed, known, floor = ctx.renamed, ctx.labels, ctx.min_confidence

    def fix(iri):
        return renamed.get(iri, iri) if iri else iri

    relations = [Relation(fix(r.subject), r.predicate, fix(r.object), r.source, r.evidence, r.confidence)
                 for r in page.relations]
    relations = dedupe_relations([r for r in relations if r.confidence >= floor
                                  and r.subject in known and r.object in known])
    observations = [replace(o, entity=fix(o.entity), partner=fix(o.partner), product=fix(o.product))
                    for o in page.observations]
    observations = dedupe_observations([o for o in observations if o.confidence >= floor and o.entity in known])
    return relations, observations


def dedupe_relations(relations: list[Relation]) -> list[Relation]:
    """One relation per (subject, predicate, object, source, sentence): the most confident."""
    best: dict[tuple, Relation] = {}
    for r in relations:
        k = (r.subject, r.predicate, r.object, r.source, r.evidence)
        if k not in best or r.confidence > best[k].confidence:
            best[k] = r
    return [best[k] for k in sorted(best, key=lambda k: tuple("" if x is None else x for x in k))]


def dedupe_observations(observations: list[Observation]) -> list[Observation]:
    """One observation per article, entity, indicator, value, unit, period, partner, product
    and sentence: the first."""
    seen, out = set(), []
    for o in observations:
        k = (o.article, o.entity, o.indicator, o.value, o.unit, o.period_label, o.partner, o.product, o.evidence)
        if k not in seen:
            seen.add(k)
            out.append(o)
    return out
