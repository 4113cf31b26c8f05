"""The units of work of a build, as frozen dataclasses a runner hands to any process:
`AnalyseTask` (step 1: one input file → its page facts, cached), `ShardTask` (step 3: one
shard of pages → sorted N-Triples and its parts of the networkx graph) and `EntityShardTask`
(the merged entities as a shard). What they share within a build (the `Extractors`, the merge)
is passed to `run`, never kept in a module."""

from __future__ import annotations

import copy
import hashlib
import heapq
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from kg.extract import gazetteer as gazetteer_mod
from kg.extract.link import Linker, page_context, resolve_regions
from kg.extract.normalise import normalise
from kg.extract.read import InputError, read_source
from kg.extract.recognise import Recogniser
from kg.extract.relate import Linked, Relator
from kg.extract.split import split_articles
from kg.model import Observation, PageFacts, Relation
from kg.pipeline.merge import CHINA, Context, Merged, dedupe_relations, finalise
from kg.pipeline.workspace import NETWORK_DIR, SHARD_PAGES, Workspace, load_page, page_file_name, save_page
from kg.write import triples
from kg.write.network import NetworkParts, PartFiles

STAGES = ("ingest", "segment", "extract", "link", "relate")  # the timings step 1 reports per page


# --- step 1: one file -----------------------------------------------------------------------

@dataclass(frozen=True)
class Extractors:
    """The gazetteer (with the user's terms) and the recogniser. Loading them takes about a
    second, so a process makes them once and every file it analyses shares them."""

    gaz: gazetteer_mod.Gazetteer
    recognise: Recogniser

    @classmethod
    def load(cls, user_dicts=()) -> "Extractors":
        gaz = gazetteer_mod.load()
        if user_dicts:  # a copy: the shipped gazetteer stays as loaded
            gaz = copy.copy(gaz)
            gaz.names = {k: list(v) for k, v in gaz.names.items()}
            for path in user_dicts:
                gaz.add_user_terms(gazetteer_mod.read_user_dict(path))
        return cls(gaz, Recogniser(gaz))


def analyse(path: str, tools: Extractors, year: int | None = None, name: str | None = None) -> PageFacts:
    """read → normalise → split → recognise → link → relate for one file, as page `name` (by
    default its file name); InputError for a bad one."""
    gaz, recognise = tools.gaz, tools.recognise
    t0 = time.perf_counter()
    source = read_source(path, name)
    norm = normalise(source.text)
    t1 = time.perf_counter()
    page_articles = split_articles(norm, source.name, year=year)
    t2 = time.perf_counter()
    found = [[recognise(norm.text, sent) for sent in art.sentences] for art in page_articles]
    named = page_context([m for per_art in found for ms in per_art for m in ms])  # once a page
    resolved = [[resolve_regions(ms, gaz, named) for ms in per_art] for per_art in found]
    t3 = time.perf_counter()
    linker, relator = Linker(gaz), Relator(CHINA)
    relations: list[Relation] = []
    observations: list[Observation] = []
    link_time = 0.0
    for art, per_art in zip(page_articles, resolved):
        l0 = time.perf_counter()
        key = art.key  # one string per article, shared by every entity it mentions
        per_sentence = [[Linked(m, iri) for m, iri in linker.link(ms, key)] for ms in per_art]
        link_time += time.perf_counter() - l0
        rels, obs = relator.relate(norm.text, art, per_sentence)
        relations.extend(rels)
        observations.extend(obs)
    t4 = time.perf_counter()
    # 我国 makes China the subject without naming it: the merge adds it if no page names it
    implied = {o.article for o in observations if o.entity == CHINA} | {r.source for r in relations if r.subject == CHINA}
    note = page_note(path, source.encoding, page_articles)
    digest = hashlib.sha1(source.text.encode("utf-8")).hexdigest()
    articles = [replace(a, sentences=[]) for a in page_articles]
    return PageFacts(source.name, path, digest, articles, linker.entities, relations, observations,
                     {CHINA: implied} if implied else {}, note,
                     dict(zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, link_time, (t4 - t3) - link_time))))


def page_note(path: str, encoding: str, articles) -> str | None:
    """What the user should hear about how a page was read, on one line, or None: an
    encoding other than UTF-8, an article whose year nothing tells (no dateline year, no
    year in its text, no --year), which leaves its date out and 前10个月 without a year."""
    notes = [f"{path}: not UTF-8, read as {encoding}"] if encoding != "utf-8" else []
    if any(a.year is None for a in articles):
        notes.append(f"{path}: no year in its dateline or text, so its articles have no date and its periods "
                     "(前10个月 …) no year; give the year with --year YYYY")
    return "; ".join(notes) or None


@dataclass(frozen=True)
class AnalyseTask:
    """Step 1 for one input file: its facts go to the cache folder, and the page comes back
    without its relations and observations (or the InputError that stopped it)."""

    path: str
    year: int | None
    user_dicts: tuple[str, ...]
    cache: str
    options: dict
    name: str | None = None  # the page's name (kg.extract.read.find_inputs); by default the file's

    @property
    def label(self) -> str:
        return self.name or os.path.basename(self.path)

    def absolute(self) -> "AnalyseTask":
        """Every path absolute, for workers that run elsewhere (on a file system they share)."""
        return replace(self, path=os.path.abspath(self.path), cache=os.path.abspath(self.cache),
                       user_dicts=tuple(os.path.abspath(d) for d in self.user_dicts))

    def run(self, tools: Extractors) -> PageFacts | InputError:
        try:
            page = analyse(self.path, tools, self.year, self.name)
        except InputError as err:
            return err
        save_page(Path(self.cache) / page_file_name(page.name), self.options, page)
        return replace(page, relations=[], observations=[])


# --- step 3: one shard ----------------------------------------------------------------------

@dataclass
class ShardResult:
    """What finalising a shard gives back: counts and where its networkx parts went."""

    path: str
    triples: int
    relations: int
    observations: int
    network: PartFiles
    seconds: float


@dataclass(frozen=True)
class ShardTask:
    """Step 3 for one shard of pages: their facts under the merged IRIs, written as one sorted
    N-Triples shard, and their parts of the networkx graph under the cache's network folder."""

    path: str
    names: tuple[str, ...]
    cache: str

    @property
    def label(self) -> str:
        return os.path.basename(self.path)

    def run(self, ctx: Context, merged: Merged | None = None) -> ShardResult:
        """`merged` is not needed here: it is taken so that every shard task runs alike."""
        t0 = time.perf_counter()
        lines: list[str] = []
        parts = NetworkParts()
        n_rel = n_obs = 0
        for name in self.names:
            page = load_page(Path(self.cache) / page_file_name(name), entities=False)
            rels, obs = finalise(page, ctx)
            n_rel += len(rels)
            n_obs += len(obs)
            for a in page.articles:
                lines += triples.article_lines(a)
            for r in rels:
                lines += triples.relation_lines(r)
            for o in obs:
                lines += triples.observation_lines(o)
            parts.add(page.articles, rels, obs, ctx.labels)
        n = triples.write_shard(lines, self.path)
        del lines
        files = parts.save(Path(self.cache) / NETWORK_DIR / Path(self.path).stem)
        return ShardResult(self.path, n, n_rel, n_obs, files, time.perf_counter() - t0)


@dataclass(frozen=True)
class EntityShardTask:
    """The merged entities and the administrative table's partOf facts, as a shard: written
    entity by entity in IRI order, since all their mentionedIn lines would not fit in memory.
    `network`: the folder of the networkx parts."""

    path: str
    network: str

    @property
    def label(self) -> str:
        return os.path.basename(self.path)

    def run(self, ctx: Context, merged: Merged) -> ShardResult:
        t0 = time.perf_counter()
        rels = dedupe_relations([r for r in merged.table_relations if r.confidence >= ctx.min_confidence])
        others = triples.source_lines()
        for r in rels:
            others += triples.relation_lines(r)
        per_entity = (line for iri in sorted(merged.entities)
                      for line in sorted(set(triples.entity_lines(merged.entities[iri]))))
        n = triples.write_sorted_shard(heapq.merge(per_entity, sorted(set(others), key=triples.line_key),
                                                   key=triples.line_key), self.path)
        parts = NetworkParts()
        parts.add([], rels, [], ctx.labels)
        files = parts.save(Path(self.network) / Path(self.path).stem)
        return ShardResult(self.path, n, len(rels), 0, files, time.perf_counter() - t0)


def shard_plan(ws: Workspace, names) -> list[ShardTask]:
    """One task per shard: pages in name order, SHARD_PAGES a shard, so the shards depend
    only on the set of pages, not on jobs or partitions."""
    names = sorted(names)
    return [ShardTask(str(ws.shards / f"part-{i // SHARD_PAGES:05d}.nt"), tuple(names[i:i + SHARD_PAGES]), str(ws.cache))
            for i in range(0, len(names), SHARD_PAGES)]
