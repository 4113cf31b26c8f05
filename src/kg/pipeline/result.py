"""The result of a build: counts, timings, and the write step that turns shards into files."""


import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg.pipeline.merge import Context, dedupe_relations, finalise
from kg.model import Article, Entity, Observation, Relation
from kg.write.network import NetworkIndex
from kg.extract.read import InputError
from kg.write import triples
from kg.pipeline.runners import pool_map
from kg.pipeline.workspace import FORMATS, Workspace, load_page

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
        """The graph as a networkx MultiDiGraph (see kg.write.projection)."""
        if with_articles:
            from kg.write.projection import to_networkx

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
                for task, (files, n, seconds, error) in zip(tasks, pool_map(_write_task, tasks, self.jobs)):
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
                    join_parts([files[fmt] for files, _ in rdf_parts], counts, separated=fmt == "ttl")
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
            from kg.write.graphml import write_graphml_records
            from kg.write.html import render_html
            from kg.write.nodelink import write_json_records

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


def join_parts(paths: list[str], counts: list[int], separated: bool) -> None:
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
