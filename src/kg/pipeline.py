"""The build: read → normalise → split → recognise → link → relate → graph, one file at a time.

A bad file is reported and skipped; the others still build. `build` returns a
BuildResult holding the rdflib Graph, the plain records, per-file errors and timings.
"""

from __future__ import annotations

import hashlib
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
from kg.model import Article, Entity, Mention, Observation, Relation
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
    timings: dict = field(default_factory=dict)     # seconds per stage
    records: list = field(default_factory=list, repr=False)
    options: dict = field(default_factory=dict, repr=False)

    def to_networkx(self, **options):
        """The graph as a networkx MultiDiGraph (see kg.export.to_networkx)."""
        from kg.export import to_networkx

        return to_networkx(self.graph, **options)

    def write(self, out_dir: str | os.PathLike = "output", formats=("ttl", "html", "graphml", "json"),
              html_max_nodes: int | None = None) -> list[Path]:
        """Write graph.<fmt> files into out_dir, each atomically (temporary file, then rename)."""
        from kg.export import WRITERS

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        nxg = None
        for fmt in formats:
            w0 = time.perf_counter()
            target = out / f"graph.{fmt}"
            fd, tmp = tempfile.mkstemp(prefix=".graph.", suffix=f".{fmt}", dir=out)
            os.close(fd)
            try:
                if fmt in RDF_WRITERS:
                    Path(tmp).write_bytes(RDF_WRITERS[fmt](self.graph))
                elif fmt in WRITERS:
                    nxg = nxg if nxg is not None else self.to_networkx()
                    if fmt == "html":
                        WRITERS[fmt](nxg, tmp, max_nodes=html_max_nodes)
                    else:
                        WRITERS[fmt](nxg, tmp)
                else:
                    raise ValueError(f"unknown output format {fmt!r}; known: {', '.join(FORMATS)}")
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
            stage = "html" if fmt == "html" else "serialise"
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - w0
            written.append(target)
        if self.records and self.options:
            save_cache(out, self.records, self.options)  # what `kg build --update` reuses
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


@dataclass
class PageRecord:
    """Everything a build needs from one input file, made without any other file:
    its articles and, per article and sentence, the resolved mentions. Plain data, so
    worker processes can make it and the --update cache can keep it."""

    name: str
    path: str
    digest: str
    text: str                                   # normalised text (relations read it)
    articles: list[Article]
    mentions: list[list[list[Mention]]]         # per article, per sentence
    note: str | None = None
    timings: dict[str, float] = field(default_factory=dict)


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


def analyse(path: str, year: int | None = None, user_dicts=()) -> PageRecord:
    """read → normalise → split → recognise for one file; raises InputError for a bad one."""
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
    note = f"{path}: not UTF-8, read as {source.encoding}" if source.encoding != "utf-8" else None
    digest = hashlib.sha1(source.text.encode("utf-8")).hexdigest()
    return PageRecord(source.name, path, digest, norm.text, page_articles, resolved, note,
                      {"ingest": t1 - t0, "segment": t2 - t1, "extract": t3 - t2})


def _analyse_safe(args) -> PageRecord | InputError:
    path, year, user_dicts = args
    try:
        return analyse(path, year, user_dicts)
    except InputError as err:
        return err


def analyse_all(files, *, year=None, user_dicts=(), jobs: int = 1, progress=None):
    """Analyse files in input order, in `jobs` processes; yields a PageRecord or InputError each."""
    tasks = [(f, year, tuple(str(d) for d in user_dicts)) for f in files]
    if jobs <= 1 or len(tasks) < 2 or "-" in files:
        results = map(_analyse_safe, tasks)
        pool = None
    else:
        import multiprocessing

        pool = multiprocessing.get_context("fork").Pool(jobs)
        results = pool.imap(_analyse_safe, tasks, chunksize=max(1, min(64, len(tasks) // (jobs * 8) or 1)))
    try:
        for n, result in enumerate(results, 1):
            if progress:
                progress(n, len(tasks), os.path.basename(tasks[n - 1][0]))
            yield result
    finally:
        if pool is not None:
            pool.close()
            pool.join()


def assemble(records: list[PageRecord], *, min_confidence: float = 0.0, user_dicts=(),
             errors=(), started: float | None = None) -> BuildResult:
    """link → relate → merge → graph over every page record, in a fixed order."""
    started = time.perf_counter() if started is None else started
    gaz, _ = _setup(user_dicts)
    records = sorted(records, key=lambda r: (r.name, r.path))
    timings = {k: sum(r.timings.get(k, 0.0) for r in records) for k in ("ingest", "segment", "extract")}
    t0 = time.perf_counter()
    linker = Linker(gaz)
    china = entity_iri("Country", "CN")
    relator = Relator(china)
    articles: list[Article] = []
    relations: list[Relation] = []
    observations: list[Observation] = []
    link_time = 0.0
    for rec in records:
        for art, per_art in zip(rec.articles, rec.mentions):
            l0 = time.perf_counter()
            per_sentence = [[Linked(m, iri) for m, iri in linker.link(ms, art.key)] for ms in per_art]
            link_time += time.perf_counter() - l0
            rels, obs = relator.relate(rec.text, art, per_sentence)
            relations.extend(rels)
            observations.extend(obs)
        articles.extend(rec.articles)

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
    t1 = time.perf_counter()
    graph = build_graph(articles, entities, relations, observations)
    t2 = time.perf_counter()
    timings.update(link=link_time, relate=(t1 - t0) - link_time, graph=t2 - t1)
    result = BuildResult(graph, articles, entities, relations, observations, list(errors),
                         [r.note for r in records if r.note], len(records), time.perf_counter() - started)
    result.timings = timings
    result.records = records
    return result


def build(paths, *, year: int | None = None, min_confidence: float = 0.0, user_dicts=(),
          progress=None, jobs: int = 1, update: str | os.PathLike | None = None) -> BuildResult:
    """Build the graph from files, folders (recursively *.txt) and '-' (stdin).

    jobs: processes for the per-file stages. update: an output folder of an earlier build
    whose cached page records are reused, so only the new files are read.
    """
    started = time.perf_counter()
    files, errors = expand_paths(paths)
    options = build_options(year, user_dicts)
    cached: dict[str, PageRecord] = load_cache(update, options) if update else {}
    records = dict(cached)
    for result in analyse_all(files, year=year, user_dicts=user_dicts, jobs=jobs, progress=progress):
        if isinstance(result, InputError):
            errors.append(result)
        else:
            records[result.name] = result
    result = assemble(list(records.values()), min_confidence=min_confidence, user_dicts=user_dicts,
                      errors=errors, started=started)
    result.options = options
    return result


# --- the page-record cache behind `kg build --update` -------------------------------------

CACHE_DIR = ".kg-cache"


def build_options(year, user_dicts) -> dict:
    """What page records depend on besides their file: a cache made otherwise is not reused."""
    from kg import __version__

    data = "".join(sorted((gazetteer_mod.DATA / n).read_text(encoding="utf-8") for n in
                          ("regions.tsv", "countries.tsv", "blocs.tsv", "products.txt", "enterprises.tsv",
                           "patterns.tsv", "boundaries.txt", "generic_names.txt")))
    dicts = [Path(d).read_text(encoding="utf-8") for d in user_dicts]
    return {"version": __version__, "year": year,
            "data": hashlib.sha1((data + "\x1f".join(dicts)).encode("utf-8")).hexdigest()}


def save_cache(out_dir, records: list[PageRecord], options: dict) -> None:
    """Keep the page records beside the outputs (one pickle per input file, written atomically)."""
    import pickle

    cache = Path(out_dir) / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    keep = set()
    for rec in records:
        name = hashlib.sha1(rec.name.encode("utf-8")).hexdigest()[:16] + ".pkl"
        keep.add(name)
        target = cache / name
        tmp = target.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((options, rec), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    for old in cache.glob("*.pkl"):
        if old.name not in keep:
            old.unlink()


class CacheError(ValueError):
    """An --update folder whose cache is missing or was made by another version or options."""


def load_cache(out_dir, options: dict) -> dict[str, PageRecord]:
    import pickle

    cache = Path(out_dir) / CACHE_DIR
    if not cache.is_dir():
        raise CacheError(f"{out_dir}: no earlier build here to update (no {CACHE_DIR} folder); run a full build")
    records = {}
    for path in sorted(cache.glob("*.pkl")):
        try:
            with open(path, "rb") as fh:
                opts, rec = pickle.load(fh)
        except Exception as err:  # a truncated or foreign file
            raise CacheError(f"{path}: unreadable cache entry ({type(err).__name__}); run a full build") from None
        if opts != options:
            raise CacheError(f"{out_dir}: made by another kg version, data or options ({opts}); run a full build")
        records[rec.name] = rec
    return records


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
