"""The units of work of a build: step 1 (one input file → its page facts, cached) and step 3
(one shard of pages → sorted N-Triples and its parts of the networkx graph)."""


import hashlib
import heapq
import time
from dataclasses import dataclass, replace
from pathlib import Path

from kg.extract import gazetteer as gazetteer_mod
from kg.extract.link import Linker, resolve_regions
from kg.pipeline.merge import CHINA, Context, Merged, dedupe_relations, finalise
from kg.model import Observation, PageFacts, Relation
from kg.write.network import NetworkParts, PartFiles
from kg.extract.normalise import normalise
from kg.extract.read import InputError, read_source
from kg.extract.recognise import Recogniser
from kg.extract.relate import Linked, Relator
from kg.extract.split import split_articles
from kg.write import triples
from kg.pipeline.workspace import NETWORK_DIR, SHARD_PAGES, Workspace, load_page, page_file_name, save_page

# --- step 1: one file -----------------------------------------------------------------------

_WORKER: dict = {}


def setup(user_dicts=()) -> tuple:
    """The gazetteer (with user terms) and recogniser: made once per process."""
    key = tuple(str(p) for p in user_dicts)
    if _WORKER.get("key") != key:
        gaz = gazetteer_mod.load()
        if user_dicts:
            import copy

            gaz = copy.copy(gaz)
            gaz.names = {k: list(v) for k, v in gaz.names.items()}
            for path in user_dicts:
                gaz.add_user_terms(gazetteer_mod.read_user_dict(path))
        _WORKER.update(key=key, gaz=gaz, recognise=Recogniser(gaz))
    return _WORKER["gaz"], _WORKER["recognise"]


def analyse(path: str, year: int | None = None, user_dicts=()) -> PageFacts:
    """read → normalise → split → recognise → link → relate for one file; InputError for a bad one."""
    gaz, recognise = setup(user_dicts)
    t0 = time.perf_counter()
    source = read_source(path)
    norm = normalise(source.text)
    t1 = time.perf_counter()
    page_articles = split_articles(norm, source.name, year=year)
    t2 = time.perf_counter()
    found = [[recognise(norm.text, sent) for sent in art.sentences] for art in page_articles]
    page_mentions = [m for per_art in found for ms in per_art for m in ms]
    resolved = [[resolve_regions(ms, gaz, page_mentions) for ms in per_art] for per_art in found]
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
    note = f"{path}: not UTF-8, read as {source.encoding}" if source.encoding != "utf-8" else None
    digest = hashlib.sha1(source.text.encode("utf-8")).hexdigest()
    articles = [replace(a, sentences=[]) for a in page_articles]
    return PageFacts(source.name, path, digest, articles, linker.entities, relations, observations,
                     {CHINA: implied} if implied else {}, note,
                     {"ingest": t1 - t0, "segment": t2 - t1, "extract": t3 - t2, "link": link_time,
                      "relate": (t4 - t3) - link_time})


def analyse_to_cache(path: str, year, user_dicts, cache: str, options: dict) -> PageFacts | InputError:
    """Step 1 as a task: analyse a file, keep its facts in the cache, return the page without
    its relations and observations (or the InputError that stopped it)."""
    try:
        page = analyse(path, year, user_dicts)
    except InputError as err:
        return err
    save_page(Path(cache) / page_file_name(page.name), options, page)
    return replace(page, relations=[], observations=[])


def analyse_task(args):
    return analyse_to_cache(*args)


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


def finalise_shard(path: str, names: list[str], cache: str, ctx: Context) -> ShardResult:
    """The pages' facts under the merged IRIs, written as one sorted N-Triples shard."""
    t0 = time.perf_counter()
    lines: list[str] = []
    parts = NetworkParts()
    n_rel = n_obs = 0
    for name in names:
        page = load_page(Path(cache) / page_file_name(name))
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
    n = triples.write_shard(lines, path)
    del lines
    files = parts.save(Path(cache) / NETWORK_DIR / Path(path).stem)
    return ShardResult(str(path), n, n_rel, n_obs, files, time.perf_counter() - t0)


def entity_shard(path: Path, merged: Merged, ctx: Context, network: Path) -> ShardResult:
    """The merged entities and the administrative table's partOf facts, as a shard: written
    entity by entity in IRI order, since all their mentionedIn lines would not fit in memory."""
    t0 = time.perf_counter()
    rels = dedupe_relations([r for r in merged.table_relations if r.confidence >= ctx.min_confidence])
    others = triples.source_lines()
    for r in rels:
        others += triples.relation_lines(r)
    per_entity = (line for iri in sorted(merged.entities)
                  for line in sorted(set(triples.entity_lines(merged.entities[iri]))))
    n = triples.write_sorted_shard(heapq.merge(per_entity, sorted(set(others), key=triples.line_key),
                                               key=triples.line_key), path)
    parts = NetworkParts()
    parts.add([], rels, [], ctx.labels)
    files = parts.save(network / Path(path).stem)
    return ShardResult(str(path), n, len(rels), 0, files, time.perf_counter() - t0)


SHARD_CTX: dict = {}


def finalise_task(args):
    path, names, folder = args
    if names is None:  # the entity shard, from the merge the forked workers inherited; folder: network parts
        return entity_shard(Path(path), SHARD_CTX["merged"], SHARD_CTX["ctx"], Path(folder))
    return finalise_shard(path, names, folder, SHARD_CTX["ctx"])


def shard_plan(ws: Workspace, names) -> list[tuple[str, list[str], str]]:
    """(shard path, page names, cache folder) per shard: pages in name order, SHARD_PAGES a
    shard, so the shards depend only on the set of pages, not on jobs or partitions."""
    names = sorted(names)
    return [(str(ws.shards / f"part-{i // SHARD_PAGES:05d}.nt"), names[i:i + SHARD_PAGES], str(ws.cache))
            for i in range(0, len(names), SHARD_PAGES)]
