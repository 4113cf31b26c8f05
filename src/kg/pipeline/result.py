"""The result of a build: counts, timings, and the write step that turns shards into files."""


import functools
import multiprocessing
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
from kg.write import formats as fmts, triples
from kg.pipeline.workspace import Workspace, load_page

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

    @functools.cached_property
    def records(self) -> tuple[list[Relation], list[Observation]]:
        """Every relation (deduplicated) and observation, read back from the page cache once."""
        relations, observations = [], []
        for name in sorted(self.pages):
            rels, obs = finalise(load_page(self.workspace.page_file(name)), self.context)
            relations += rels
            observations += obs
        relations += [r for r in self.table_relations if r.confidence >= self.context.min_confidence]
        return dedupe_relations(relations), observations

    @property
    def relations(self) -> list[Relation]:
        """Every relation, read back from the page cache (for small builds and tests)."""
        return self.records[0]

    @property
    def observations(self) -> list[Observation]:
        return self.records[1]

    def lines(self):
        """The graph as sorted N-Triples lines, streamed from the shards."""
        return triples.merged(self.workspace.shard_files())

    @functools.cached_property
    def graph(self):
        """The whole graph as an rdflib Graph, made on first use (it holds every triple in memory)."""
        from kg.write.graph import new_graph

        g = new_graph()
        g.parse(data="".join(self.lines()), format="nt")
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
        the shards and page cache go there too when the build kept them elsewhere. Unknown
        formats (kg.write.formats) are refused before anything is written.

        The work is cut into tasks run by `jobs` forked processes: the Turtle/N-Triples
        stream in `jobs` ranges of subjects (joined in order afterwards) and each networkx
        file; TriG and JSON-LD (which need the rdflib Graph) are written here."""
        requested = fmts.check(formats)
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        target_ws = Workspace(out)
        if target_ws.root.resolve() != self.workspace.root.resolve():
            _copy_workspace(self.workspace, target_ws, self.pages)
        plan = WritePlan(out, tuple(str(p) for p in self.workspace.shard_files()), self.network, html_max_nodes)
        streamed = fmts.of_kind(requested, fmts.STREAM)
        tasks = plan.tasks(streamed, fmts.of_kind(requested, fmts.NETWORK), self.jobs)
        written, temps = [], []
        try:
            rdf_parts, network = [], {}  # ({format: file}, triples) per range in order; format -> file
            for task, (files, n, seconds, error) in zip(tasks, plan.map(tasks, self.jobs)):
                temps += files.values()
                if error:
                    raise RuntimeError(f"writing {task.kind} failed: {error}")
                self._add_time("html" if task.kind == "html" else "serialise", seconds)
                if task.kind == RDF_TASK:
                    rdf_parts.append((files, n))
                else:
                    network[task.kind] = files[task.kind]
            if streamed:
                written += self._join_streams(out, streamed, rdf_parts)
            written += [_commit(network[f], out / fmts.REGISTRY[f].file) for f in network]
            for fmt in fmts.of_kind(requested, fmts.RDFLIB):
                written.append(self._write_rdflib(out, fmt, temps))
        finally:
            for tmp in temps:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        order = {f: i for i, f in enumerate(requested)}
        return sorted(written, key=lambda p: order.get(p.suffix[1:], 99))

    def _join_streams(self, out: Path, streamed: tuple[str, ...], rdf_parts: list) -> list[Path]:
        """The ranges of the Turtle/N-Triples stream as whole files, in order."""
        w0 = time.perf_counter()
        counts = [n for _, n in rdf_parts]
        self.counts["triples"] = sum(counts)
        written = []
        for fmt in streamed:
            join_parts([files[fmt] for files, _ in rdf_parts], counts, separated=fmt == "ttl")
            written.append(_commit(rdf_parts[0][0][fmt], out / fmts.REGISTRY[fmt].file))
        self._add_time("serialise", time.perf_counter() - w0)
        return written

    def _write_rdflib(self, out: Path, fmt: str, temps: list) -> Path:
        """A format written from the rdflib Graph (TriG, JSON-LD)."""
        w0 = time.perf_counter()
        tmp = _temp_for(out, fmt)
        temps.append(tmp)
        Path(tmp).write_bytes(fmts.REGISTRY[fmt].writer(self.graph))
        target = _commit(tmp, out / fmts.REGISTRY[fmt].file)
        self._add_time("serialise", time.perf_counter() - w0)
        return target

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


RDF_TASK = "rdf"


@dataclass(frozen=True)
class WriteTask:
    """One part of BuildResult.write: a range of the RDF stream (kind RDF_TASK: subjects from
    start to stop, in the formats given), or one networkx file (kind: its format)."""

    kind: str
    part: int = 0
    start: str | None = None
    stop: str | None = None
    formats: tuple[str, ...] = ()


@dataclass(frozen=True)
class WritePlan:
    """What every write task reads: the output folder, the shards and the merged network.
    A forked writer inherits it once (a pool initializer), so it is never pickled per task."""

    out: Path
    shards: tuple[str, ...]
    network: NetworkIndex | None
    max_nodes: int | None

    def tasks(self, streamed: tuple[str, ...], networked: tuple[str, ...], jobs: int) -> list[WriteTask]:
        """The stream in `jobs` ranges of about equal size, then a task per networkx file."""
        tasks = []
        if streamed:
            cuts = triples.split_points(self.shards, jobs) if jobs > 1 else []
            bounds = [None, *cuts, None]
            tasks += [WriteTask(RDF_TASK, i, bounds[i], bounds[i + 1], streamed) for i in range(len(bounds) - 1)]
        return tasks + [WriteTask(fmt) for fmt in networked]

    def map(self, tasks: list[WriteTask], jobs: int):
        """run over tasks in order, in `jobs` forked processes (or here when jobs is 1)."""
        if jobs <= 1 or len(tasks) < 2:
            yield from map(self.run, tasks)
            return
        with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks)), _adopt_plan, (self,)) as pool:
            yield from pool.imap(_run_adopted, tasks)

    def run(self, task: WriteTask) -> tuple[dict, int, float, str | None]:
        """A task into temporary files. Returns ({format: temporary file}, triples written,
        seconds, error)."""
        t0 = time.perf_counter()
        files: dict = {}
        n = 0
        try:
            if task.kind == RDF_TASK:
                n = self._stream(task, files)
            else:
                files[task.kind] = tmp = _temp_for(self.out, task.kind)
                fmts.REGISTRY[task.kind].writer(self.network, tmp, self.max_nodes)
            return files, n, time.perf_counter() - t0, None
        except Exception as err:  # reported by the caller, which removes the temporary files
            return files, n, time.perf_counter() - t0, f"{type(err).__name__}: {err}"

    def _stream(self, task: WriteTask, files: dict) -> int:
        handles = {}
        try:
            for fmt in task.formats:
                files[fmt] = _temp_for(self.out, fmt)
                handles[fmt] = open(files[fmt], "w", encoding="utf-8", newline="\n")
            lines = triples.merged(self.shards, task.start, task.stop)
            # the stream formats share one writer, which writes them all in one pass
            return fmts.REGISTRY[task.formats[0]].writer(lines, part=task.part, **handles)
        finally:
            for fh in handles.values():
                fh.close()


_adopted: list[WritePlan] = []  # in a forked writer only: the plan its pool was made with


def _adopt_plan(plan: WritePlan) -> None:
    _adopted.append(plan)


def _run_adopted(task: WriteTask):
    return _adopted[0].run(task)


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
    """Shards and page cache into another output folder, so `kg load` and `--update` find them;
    that folder's last ones stay until the copy is whole."""
    dst.begin()
    try:
        for name in pages:
            shutil.copyfile(src.page_file(name), dst.page_file(name))
        for shard in src.shard_files():
            shutil.copyfile(shard, dst.shards / shard.name)
    except BaseException:
        dst.abandon()
        raise
    dst.commit()
