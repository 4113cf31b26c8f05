"""The build, as map → merge → map → write, so that no step holds the whole graph.

1. analyse, per input file and in any process: read → normalise → split → recognise →
   link → relate. The page's facts go to the cache folder (one file per input file: what
   `kg build --update` reuses); only its articles and entities come back.
2. merge, once: entities by IRI, short and full names joined (kg.pipeline.merge).
3. finalise, per shard of pages and in any process: the facts under the merged IRIs →
   a sorted N-Triples shard plus its parts of the networkx graph (kg.write.triples, kg.write.network).
4. write: the shards merged into graph.ttl (and graph.nt); the network parts merged once,
   then streamed into GraphML, JSON and HTML (kg.write.network, kg.write.export).

Steps 1 and 3 run in a local process pool (`jobs`) or on a Dask cluster (kg.pipeline.cluster);
the files they produce are the same either way. A bad input file is reported and skipped.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import pickle
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.extract import gazetteer as gazetteer_mod
from kg.extract.link import Linker, resolve_regions
from kg.pipeline.merge import CHINA, Context, Merged, dedupe_relations, finalise, reduce_entities, union_entities, union_implied
from kg.model import Article, Entity, Observation, PageFacts, Relation
from kg.write.network import NetworkIndex, NetworkParts, PartFiles
from kg.extract.normalise import normalise
from kg.extract.read import InputError, expand_paths, read_source
from kg.extract.recognise import Recogniser
from kg.extract.relate import Linked, Relator
from kg.extract.split import split_articles
from kg.write import triples

FORMATS = ("ttl", "trig", "nt", "jsonld", "html", "graphml", "json")
CACHE_DIR = ".kg-cache"
SHARD_DIR = "shards"
NETWORK_DIR = "network"  # under the cache: the shards' parts of the networkx graph, and their merge
SHARD_PAGES = 64       # input files per shard: the unit of work of step 3
ENTITY_SHARD = "entities.nt"


# --- where a build keeps its page facts and shards ------------------------------------------

class Workspace:
    """An output folder's `.kg-cache/` (page facts) and `shards/` (N-Triples), or a temporary
    folder holding the same when the caller gives no output folder."""

    def __init__(self, root: str | os.PathLike | None = None):
        self._tmp = None
        if root is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="kg-build-")
            root = self._tmp.name
        self.root = Path(root)
        self.cache = self.root / CACHE_DIR
        self.shards = self.root / SHARD_DIR
        self.network = self.cache / NETWORK_DIR

    def make(self) -> "Workspace":
        self.cache.mkdir(parents=True, exist_ok=True)
        self.shards.mkdir(parents=True, exist_ok=True)
        self.network.mkdir(parents=True, exist_ok=True)
        return self

    def page_file(self, name: str) -> Path:
        return self.cache / page_file_name(name)

    def shard_files(self) -> list[Path]:
        return sorted(self.shards.glob("*.nt"))

    def prune(self, names) -> None:
        """Drop cached pages that are not part of this build (deleted or failed files)."""
        keep = {page_file_name(n) for n in names}
        for old in self.cache.glob("*.pkl"):
            if old.name not in keep:
                old.unlink()


def page_file_name(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:16] + ".pkl"


def save_page(path: Path, options: dict, page: PageFacts) -> None:
    """Options, then the page without its relations and observations, then those: a reader
    that needs only the entities stops after the second object."""
    head = replace(page, relations=[], observations=[])
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(options, fh, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(head, fh, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump((page.relations, page.observations), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


class CacheError(ValueError):
    """An --update folder whose cache is missing or was made by another version or options."""


def load_page(path: Path, options: dict | None = None, head_only: bool = False) -> PageFacts:
    try:
        with open(path, "rb") as fh:
            opts = pickle.load(fh)
            if options is not None and opts != options:
                raise CacheError(f"{path.parent.parent}: made by another kg version, data or options ({opts}); "
                                 "run a full build")
            page = pickle.load(fh)
            if not head_only:
                page.relations, page.observations = pickle.load(fh)
    except CacheError:
        raise
    except Exception as err:  # a truncated or foreign file
        raise CacheError(f"{path}: unreadable cache entry ({type(err).__name__}); run a full build") from None
    return page


def load_heads(ws: Workspace, options: dict) -> dict[str, PageFacts]:
    """The cached pages of an earlier build (articles and entities only), for --update."""
    if not ws.cache.is_dir():
        raise CacheError(f"{ws.root}: no earlier build here to update (no {CACHE_DIR} folder); run a full build")
    heads = {}
    for path in sorted(ws.cache.glob("*.pkl")):
        page = load_page(path, options, head_only=True)
        heads[page.name] = page
    return heads


def build_options(year, user_dicts) -> dict:
    """What page facts depend on besides their file: a cache made otherwise is not reused."""
    from kg import __version__

    data = "".join(sorted((gazetteer_mod.DATA / n).read_text(encoding="utf-8") for n in
                          ("regions.tsv", "countries.tsv", "blocs.tsv", "products.txt", "enterprises.tsv",
                           "patterns.tsv", "boundaries.txt", "generic_names.txt")))
    dicts = [Path(d).read_text(encoding="utf-8") for d in user_dicts]
    return {"version": __version__, "year": year, "format": 2,
            "data": hashlib.sha1((data + "\x1f".join(dicts)).encode("utf-8")).hexdigest()}


# --- step 1: one file -----------------------------------------------------------------------

_WORKER: dict = {}


def _setup(user_dicts=()) -> tuple:
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
    gaz, recognise = _setup(user_dicts)
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


def _analyse_task(args):
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


_SHARD_CTX: dict = {}


def _finalise_task(args):
    path, names, folder = args
    if names is None:  # the entity shard, from the merge the forked workers inherited; folder: network parts
        return entity_shard(Path(path), _SHARD_CTX["merged"], _SHARD_CTX["ctx"], Path(folder))
    return finalise_shard(path, names, folder, _SHARD_CTX["ctx"])


def shard_plan(ws: Workspace, names) -> list[tuple[str, list[str], str]]:
    """(shard path, page names, cache folder) per shard: pages in name order, SHARD_PAGES a
    shard, so the shards depend only on the set of pages, not on jobs or partitions."""
    names = sorted(names)
    return [(str(ws.shards / f"part-{i // SHARD_PAGES:05d}.nt"), names[i:i + SHARD_PAGES], str(ws.cache))
            for i in range(0, len(names), SHARD_PAGES)]


# --- running steps 1 and 3 in local processes -----------------------------------------------

def _pool_map(func, tasks, jobs: int, progress=None, label=None):
    """func over tasks in order, in `jobs` forked processes (or here when jobs is 1)."""
    if jobs <= 1 or len(tasks) < 2:
        results = map(func, tasks)
        pool = None
    else:
        import multiprocessing

        pool = multiprocessing.get_context("fork").Pool(jobs)
        results = pool.imap(func, tasks, chunksize=max(1, min(16, len(tasks) // (jobs * 8) or 1)))
    try:
        for n, result in enumerate(results, 1):
            if progress:
                progress(n, len(tasks), label(tasks[n - 1]) if label else "")
            yield result
    finally:
        if pool is not None:
            pool.close()
            pool.join()


class LocalRunner:
    """Steps 1 and 3 in a pool of forked processes on this machine."""

    def __init__(self, jobs: int = 1):
        self.jobs = jobs

    def analyse(self, tasks, progress=None):
        jobs = 1 if any(t[0] == "-" for t in tasks) else self.jobs  # stdin is read here
        results, entities = [], {}
        for r in _pool_map(_analyse_task, tasks, jobs, progress, lambda t: os.path.basename(t[0])):
            if isinstance(r, PageFacts):  # entities merged as they come, not kept per page
                union_entities([r.entities], into=entities)
                r.entities = {}
            results.append(r)
        return results, entities

    def finalise(self, plan, ctx: Context, progress=None, merged: Merged | None = None,
                 entity_files: tuple[Path, Path] | None = None) -> list[ShardResult]:
        """The page shards, then (given the merge, and entity_files: its shard path and
        network folder) the entity shard, which goes first into the pool: at 10⁵ articles
        it is the largest task."""
        _SHARD_CTX.update(ctx=ctx, merged=merged)  # inherited by the forked workers, not pickled per task
        tasks = list(plan)
        if merged is not None:
            tasks.insert(0, (str(entity_files[0]), None, str(entity_files[1])))
        try:
            results = list(_pool_map(_finalise_task, tasks, self.jobs, progress, lambda t: os.path.basename(t[0])))
        finally:
            _SHARD_CTX.clear()
        return results[1:] + results[:1] if merged is not None else results

    def close(self):
        pass


# --- the result -----------------------------------------------------------------------------

@dataclass
class BuildResult:
    """What a build made: articles and entities in memory, relations, observations and
    triples in sorted shards on disk, the errors met and how long each step took."""

    articles: list[Article]
    entities: list[Entity]
    errors: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # e.g. a file read as GB18030
    files: int = 0
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)     # seconds per stage
    counts: dict = field(default_factory=dict)      # relations, observations, triples
    options: dict = field(default_factory=dict, repr=False)
    network: NetworkIndex | None = field(default=None, repr=False)
    workspace: Workspace | None = field(default=None, repr=False)
    context: Context | None = field(default=None, repr=False)
    pages: list[str] = field(default_factory=list, repr=False)
    table_relations: list[Relation] = field(default_factory=list, repr=False)
    jobs: int = 1

    def _records(self):
        cached = self.__dict__.get("_records_cache")
        if cached is None:
            relations, observations = [], []
            for name in sorted(self.pages):
                rels, obs = finalise(load_page(self.workspace.page_file(name)), self.context)
                relations += rels
                observations += obs
            relations += [r for r in self.table_relations if r.confidence >= self.context.min_confidence]
            cached = self.__dict__["_records_cache"] = (dedupe_relations(relations), observations)
        return cached

    @property
    def relations(self) -> list[Relation]:
        """Every relation, read back from the page cache (for small builds and tests)."""
        return self._records()[0]

    @property
    def observations(self) -> list[Observation]:
        return self._records()[1]

    def lines(self):
        """The graph as sorted N-Triples lines, streamed from the shards."""
        return triples.merged(self.workspace.shard_files())

    @property
    def graph(self):
        """The whole graph as an rdflib Graph, made on first use (it holds every triple in memory)."""
        g = self.__dict__.get("_graph")
        if g is None:
            from kg.write.graph import new_graph

            g = new_graph()
            g.parse(data="".join(self.lines()), format="nt")
            self.__dict__["_graph"] = g
        return g

    def to_networkx(self, with_articles: bool = False):
        """The graph as a networkx MultiDiGraph (see kg.write.export.to_networkx)."""
        if with_articles:
            from kg.write.export import to_networkx

            return to_networkx(self.graph, with_articles=True)
        return self.network.to_networkx()

    def write(self, out_dir: str | os.PathLike = "output", formats=("ttl", "html", "graphml", "json"),
              html_max_nodes: int | None = None) -> list[Path]:
        """Write graph.<fmt> files into out_dir, each atomically (temporary file, then rename);
        the shards and page cache go there too when the build kept them elsewhere.

        The work is cut into tasks run by `jobs` forked processes: the Turtle/N-Triples
        stream in `jobs` ranges of subjects (joined in order afterwards) and each networkx
        file; TriG and JSON-LD (which need the rdflib Graph) are written here."""
        from kg.write.graph import RDF_WRITERS

        requested = list(formats)
        unknown = [f for f in formats if f not in FORMATS]
        if unknown:
            raise ValueError(f"unknown output format {unknown[0]!r}; known: {', '.join(FORMATS)}")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        target_ws = Workspace(out)
        if target_ws.root.resolve() != self.workspace.root.resolve():
            _copy_workspace(self.workspace, target_ws.make(), self.pages)
        streamed = tuple(f for f in ("ttl", "nt") if f in formats)
        tasks = []
        if streamed:
            shards = [str(p) for p in self.workspace.shard_files()]
            cuts = triples.split_points(shards, self.jobs) if self.jobs > 1 else []
            bounds = [None, *cuts, None]
            tasks += [("rdf", i, bounds[i], bounds[i + 1], streamed) for i in range(len(bounds) - 1)]
        tasks += [(fmt,) for fmt in ("html", "graphml", "json") if fmt in formats]
        written, temps = [], []
        try:
            rdf_parts, network = [], {}  # ({format: file}, triples) per range in order; format -> file
            _WRITE_CTX.update(result=self, out=out, max_nodes=html_max_nodes)
            try:
                for task, (files, n, seconds, error) in zip(tasks, _pool_map(_write_task, tasks, self.jobs)):
                    temps += files.values()
                    if error:
                        raise RuntimeError(f"writing {task[0]} failed: {error}")
                    self._add_time("html" if task[0] == "html" else "serialise", seconds)
                    if task[0] == "rdf":
                        rdf_parts.append((files, n))
                    else:
                        network[task[0]] = files[task[0]]
            finally:
                _WRITE_CTX.clear()
            if streamed:
                w0 = time.perf_counter()
                counts = [n for _, n in rdf_parts]
                self.counts["triples"] = sum(counts)
                for fmt in streamed:
                    _join_parts([files[fmt] for files, _ in rdf_parts], counts, separated=fmt == "ttl")
                    written.append(_commit(rdf_parts[0][0][fmt], out / f"graph.{fmt}"))
                self._add_time("serialise", time.perf_counter() - w0)
            written += [_commit(network[fmt], out / f"graph.{fmt}") for fmt in ("html", "graphml", "json") if fmt in network]
            for fmt in ("trig", "jsonld"):
                if fmt in formats:
                    w0 = time.perf_counter()
                    tmp = _temp_for(out, fmt)
                    temps.append(tmp)
                    Path(tmp).write_bytes(RDF_WRITERS[fmt](self.graph))
                    written.append(_commit(tmp, out / f"graph.{fmt}"))
                    self._add_time("serialise", time.perf_counter() - w0)
        finally:
            for tmp in temps:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        order = {f: i for i, f in enumerate(requested)}
        return sorted(written, key=lambda p: order.get(p.suffix[1:], 99))

    def _add_time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds

    def summary(self) -> str:
        """A few lines: articles, entities per class, relations, observations, seconds."""
        per_class = Counter(e.cls for e in self.entities)
        classes = ", ".join(f"{c} {n}" for c, n in sorted(per_class.items()))
        lines = [
            f"files: {self.files} read, {len(self.errors)} skipped",
            f"articles: {len(self.articles)}",
            f"entities: {len(self.entities)} ({classes})",
            f"relations: {self.counts.get('relations', 0)}",
            f"observations: {self.counts.get('observations', 0)}",
            f"triples: {self.counts.get('triples', 0)} in {self.counts.get('shards', 0)} shards",
            f"seconds: {self.seconds:.2f}",
        ]
        return "\n".join(lines)


_WRITE_CTX: dict = {}  # the result being written, inherited by the forked writers


def _write_task(task) -> tuple[dict, int, float, str | None]:
    """One part of BuildResult.write: a range of the RDF stream, or one networkx file, into
    temporary files. Returns ({format: temporary file}, triples written, seconds, error)."""
    result, out = _WRITE_CTX["result"], _WRITE_CTX["out"]
    t0 = time.perf_counter()
    files: dict = {}
    n = 0
    try:
        if task[0] == "rdf":
            _, part, start, stop, formats = task
            handles = {}
            try:
                for fmt in formats:
                    files[fmt] = _temp_for(out, fmt)
                    handles[fmt] = open(files[fmt], "w", encoding="utf-8", newline="\n")
                lines = triples.merged(result.workspace.shard_files(), start, stop)
                n = triples.write_streams(lines, ttl=handles.get("ttl"), nt=handles.get("nt"), part=part)
            finally:
                for fh in handles.values():
                    fh.close()
        else:
            from kg.write.export import render_html, write_graphml_records, write_json_records

            fmt, net = task[0], result.network
            files[fmt] = tmp = _temp_for(out, fmt)
            if fmt == "html":
                render_html(net.page_view(_WRITE_CTX["max_nodes"]), tmp, max_nodes=_WRITE_CTX["max_nodes"])
            elif fmt == "graphml":
                write_graphml_records(tmp, net.keys(), net.nodes(), net.edges(), net.graph_attrs())
            else:
                write_json_records(tmp, net.nodes(), net.edges(), net.graph_attrs())
        return files, n, time.perf_counter() - t0, None
    except Exception as err:  # reported by the caller, which removes the temporary files
        return files, n, time.perf_counter() - t0, f"{type(err).__name__}: {err}"


def _join_parts(paths: list[str], counts: list[int], separated: bool) -> None:
    """Append the later parts of a split stream to the first (paths[0]); counts: the triples
    in each. A non-empty later Turtle part opens with the blank line between blocks, which is
    dropped while nothing came before it."""
    with open(paths[0], "ab") as whole:
        before = counts[0]
        for path, n in zip(paths[1:], counts[1:]):
            with open(path, "rb") as part:
                if separated and n and not before:
                    part.read(1)
                shutil.copyfileobj(part, whole, 1 << 20)
            before += n
            os.unlink(path)


def _temp_for(out: Path, fmt: str) -> str:
    fd, tmp = tempfile.mkstemp(prefix=".graph.", suffix=f".{fmt}", dir=out)
    os.close(fd)
    return tmp


def _commit(tmp: str, target: Path) -> Path:
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
    return target


def _copy_workspace(src: Workspace, dst: Workspace, pages) -> None:
    """Shards and page cache into another output folder, so `kg load` and `--update` find them."""
    dst.prune(pages)
    for old in dst.shard_files():
        old.unlink()
    for name in pages:
        shutil.copyfile(src.page_file(name), dst.page_file(name))
    for shard in src.shard_files():
        shutil.copyfile(shard, dst.shards / shard.name)


# --- the build ------------------------------------------------------------------------------

def build(paths, *, year: int | None = None, min_confidence: float = 0.0, user_dicts=(),
          progress=None, jobs: int = 1, update: str | os.PathLike | None = None,
          out: str | os.PathLike | None = None, runner=None) -> BuildResult:
    """Build the graph from files, folders (recursively *.txt) and '-' (stdin).

    jobs: processes for steps 1 and 3. update: an output folder of an earlier build whose
    cached pages are reused, so only the new files are read. out: the output folder, where
    the page cache and shards are kept as they are made (else a temporary folder, copied by
    write()). runner: how steps 1 and 3 run (kg.pipeline.cluster.DaskRunner for a Dask cluster).
    """
    started = time.perf_counter()
    files, errors = expand_paths(paths)
    options = build_options(year, user_dicts)
    ws = Workspace(update or out)
    heads: dict[str, PageFacts] = load_heads(ws, options) if update else {}
    ws.make()
    runner = runner or LocalRunner(jobs)
    user_dicts = tuple(str(d) for d in user_dicts)
    tasks = [(f, year, user_dicts, str(ws.cache), options) for f in files]
    results, fresh_entities = runner.analyse(tasks, progress)
    fresh = set()
    for result in results:
        if isinstance(result, InputError):
            errors.append(result)
        else:
            heads[result.name] = result
            fresh.add(result.name)
    ws.prune(heads)
    timings = {k: sum(h.timings.get(k, 0.0) for h in heads.values() if h.name in fresh)
               for k in ("ingest", "segment", "extract", "link", "relate")}

    m0 = time.perf_counter()
    gaz, _ = _setup(user_dicts)
    names = sorted(heads)
    entities = union_entities((heads[n].entities for n in names if n not in fresh), into=fresh_entities)
    for n in names:
        heads[n].entities = {}
    merged = reduce_entities(entities, union_implied(heads[n].implied for n in names), gaz)
    ctx = merged.context(min_confidence)
    m1 = time.perf_counter()

    plan = shard_plan(ws, names)
    for stale in [*ws.shard_files(), *ws.network.iterdir()]:
        stale.unlink()
    shard_results = runner.finalise(plan, ctx, progress, merged, (ws.shards / ENTITY_SHARD, ws.network))
    m2 = time.perf_counter()
    network = NetworkIndex.merge([sr.network for sr in shard_results], merged.entities.values(), ws.network)
    m3 = time.perf_counter()
    timings.update(merge=m1 - m0, triples=m2 - m1, network=m3 - m2)

    articles = sorted((a for n in names for a in heads[n].articles), key=lambda a: (a.source, a.index))
    counts = {"relations": sum(sr.relations for sr in shard_results),
              "observations": sum(sr.observations for sr in shard_results),
              "triples": sum(sr.triples for sr in shard_results), "shards": len(shard_results)}
    return BuildResult(
        articles, list(merged.entities.values()), errors,
        [heads[n].note for n in names if heads[n].note and n in fresh], len(heads),
        time.perf_counter() - started, timings, counts, options, network, ws, ctx, names, merged.table_relations,
        getattr(runner, "jobs", 1))
