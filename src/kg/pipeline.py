"""The build: read → normalise → split → recognise → link → relate → graph, one file at a time.

A bad file is reported and skipped; the others still build. `build` returns a
BuildResult holding the rdflib Graph, the plain records, per-file errors and timings.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg import gazetteer as gazetteer_mod
from kg.graph import RDF_WRITERS, build_graph
from kg.link import Linker, entity_iri, resolve_regions
from kg.model import Article, Entity, Observation, Relation
from kg.normalise import normalise
from kg.read import InputError, expand_paths, read_source
from kg.recognise import Recogniser
from kg.relate import Linked, Relator
from kg.split import split_articles


FORMATS = ("ttl", "trig", "nt", "jsonld", "html", "graphml", "json")


@dataclass
class BuildResult:
    """What a build made: the graph, its records, the errors met and how long it took."""

    graph: object
    articles: list[Article]
    entities: list[Entity]
    relations: list[Relation]
    observations: list[Observation]
    errors: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # e.g. a file read as GB18030
    files: int = 0
    seconds: float = 0.0

    def to_networkx(self, **options):
        """The graph as a networkx MultiDiGraph (see kg.export.to_networkx)."""
        from kg.export import to_networkx

        return to_networkx(self.graph, **options)

    def write(self, out_dir: str | os.PathLike = "output", formats=("ttl", "html", "graphml", "json")) -> list[Path]:
        """Write graph.<fmt> files into out_dir, each atomically (temporary file, then rename)."""
        from kg.export import WRITERS

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        nxg = None
        for fmt in formats:
            target = out / f"graph.{fmt}"
            fd, tmp = tempfile.mkstemp(prefix=".graph.", suffix=f".{fmt}", dir=out)
            os.close(fd)
            try:
                if fmt in RDF_WRITERS:
                    Path(tmp).write_bytes(RDF_WRITERS[fmt](self.graph))
                elif fmt in WRITERS:
                    nxg = nxg if nxg is not None else self.to_networkx()
                    WRITERS[fmt](nxg, tmp)
                else:
                    raise ValueError(f"unknown output format {fmt!r}; known: {', '.join(FORMATS)}")
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
            written.append(target)
        return written

    def summary(self) -> str:
        """A few lines: articles, entities per class, relations, observations, seconds."""
        per_class = Counter(e.cls for e in self.entities)
        classes = ", ".join(f"{c} {n}" for c, n in sorted(per_class.items()))
        lines = [
            f"files: {self.files} read, {len(self.errors)} skipped",
            f"articles: {len(self.articles)}",
            f"entities: {len(self.entities)} ({classes})",
            f"relations: {len(self.relations)}",
            f"observations: {len(self.observations)}",
            f"seconds: {self.seconds:.2f}",
        ]
        return "\n".join(lines)


def _table_part_of(entities: dict[str, Entity]) -> list[Relation]:
    """partOf between mentioned regions, from the administrative table (county→city→province)."""
    out = []
    for e in sorted(entities.values(), key=lambda e: e.iri):
        if e.parent and e.parent in entities:
            out.append(Relation(e.iri, "partOf", e.parent, "gb2260", None, 1.0))
    return out


def build(paths, *, year: int | None = None, min_confidence: float = 0.0, user_dicts=(),
          progress=None) -> BuildResult:
    """Build the graph from files, folders (recursively *.txt) and '-' (stdin)."""
    started = time.perf_counter()
    gaz = gazetteer_mod.load()
    if user_dicts:
        import copy

        gaz = copy.copy(gaz)
        gaz.names = {k: list(v) for k, v in gaz.names.items()}
        for path in user_dicts:
            gaz.add_user_terms(gazetteer_mod.read_user_dict(path))
    recognise = Recogniser(gaz)
    linker = Linker(gaz)
    china = entity_iri("Country", "CN")
    relator = Relator(china)

    files, errors = expand_paths(paths)
    articles: list[Article] = []
    relations: list[Relation] = []
    observations: list[Observation] = []
    notes: list[str] = []
    done = 0
    for n, path in enumerate(files, 1):
        try:
            source = read_source(path)
        except InputError as err:
            errors.append(err)
            continue
        if source.encoding != "utf-8":
            notes.append(f"{path}: not UTF-8, read as {source.encoding}")
        norm = normalise(source.text)
        page_articles = split_articles(norm, source.name, year=year)
        found = [[recognise(norm.text, sent) for sent in art.sentences] for art in page_articles]
        page_mentions = [m for per_art in found for ms in per_art for m in ms]
        for art, per_art in zip(page_articles, found):
            per_sentence = []
            for mentions in per_art:
                mentions = resolve_regions(mentions, gaz, page_mentions)
                linked = [Linked(m, iri) for m, iri in linker.link(mentions, art.key)]
                per_sentence.append(linked)
            rels, obs = relator.relate(norm.text, art, per_sentence)
            relations.extend(rels)
            observations.extend(obs)
        articles.extend(page_articles)
        done += 1
        if progress:
            progress(n, len(files), source.name)

    # subjects introduced by 我国 need the country entity
    used = {o.entity for o in observations} | {r.subject for r in relations}
    if china in used and china not in linker.entities:
        china_articles = {o.article for o in observations if o.entity == china} | {r.source for r in relations if r.subject == china}
        name = gaz.countries.get("CN", ("中国", "Country"))[0]
        linker.entities[china] = Entity(iri=china, cls="Country", label=name, iso_code="CN", articles=set(china_articles))
    renamed = linker.merge_aliases()

    def fix(iri):
        return renamed.get(iri, iri) if iri else iri

    relations = [Relation(fix(r.subject), r.predicate, fix(r.object), r.source, r.evidence, r.confidence) for r in relations]
    for ob in observations:
        ob.entity, ob.partner, ob.product = fix(ob.entity), fix(ob.partner), fix(ob.product)
    relations += _table_part_of(linker.entities)
    relations = _dedupe([r for r in relations if r.confidence >= min_confidence and r.subject in linker.entities and r.object in linker.entities])
    observations = _dedupe_obs([o for o in observations if o.confidence >= min_confidence and o.entity in linker.entities])
    entities = sorted(linker.entities.values(), key=lambda e: e.iri)
    graph = build_graph(articles, entities, relations, observations)
    return BuildResult(graph, articles, entities, relations, observations, errors, notes, done,
                       time.perf_counter() - started)


def _dedupe(relations: list[Relation]) -> list[Relation]:
    best: dict[tuple, Relation] = {}
    for r in relations:
        k = (r.subject, r.predicate, r.object, r.source, r.evidence)
        if k not in best or r.confidence > best[k].confidence:
            best[k] = r
    return [best[k] for k in sorted(best, key=lambda k: tuple("" if x is None else x for x in k))]


def _dedupe_obs(observations: list[Observation]) -> list[Observation]:
    seen, out = set(), []
    for o in observations:
        k = (o.article, o.entity, o.indicator, o.value, o.unit, o.period_label, o.partner, o.product, o.evidence)
        if k not in seen:
            seen.add(k)
            out.append(o)
    return out
