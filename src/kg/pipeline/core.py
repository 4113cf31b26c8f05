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

import contextlib
import os
import shutil
import time

from kg.extract.read import InputError, find_inputs
from kg.model import Entity, PageFacts
from kg.pipeline.merge import Merged, reduce_entities, union_entities, union_implied
from kg.pipeline.result import BuildResult
from kg.pipeline.runners import LocalRunner, Runner
from kg.pipeline.tasks import STAGES, AnalyseTask, EntityShardTask, Extractors, ShardResult, shard_plan
from kg.pipeline.workspace import ENTITY_SHARD, Workspace, build_options, load_heads, locked, page_file_name
from kg.write.network import NetworkIndex

MAX_JOBS_PER_CORE = 4  # more processes than this a core, or than files, only add forks (--jobs 1000)


def build(paths, *, year: int | None = None, min_confidence: float = 0.0, user_dicts=(),
          progress=None, jobs: int = 1, update: str | os.PathLike | None = None,
          out: str | os.PathLike | None = None, runner: Runner | None = None) -> BuildResult:
    """Build the graph from files, folders (recursively *.txt) and '-' (stdin).

    jobs: processes for steps 1 and 3. update: an output folder of an earlier build whose
    cached pages are reused, so only the new files are read. out: the output folder, where
    the page cache and shards are kept as they are made (else a temporary folder, copied by
    write()). runner: how steps 1 and 3 run (kg.pipeline.cluster.DaskRunner for a Dask cluster).
    """
    started = time.perf_counter()
    files, errors = find_inputs(paths)
    user_dicts = tuple(str(d) for d in user_dicts)
    options = build_options(year, user_dicts)
    root = update or out
    with locked(root) if root else contextlib.nullcontext():
        ws = Workspace(root).begin()
        try:
            heads: dict[str, PageFacts] = load_heads(ws, options) if update else {}
            runner = runner or LocalRunner(max(1, min(jobs, len(files), MAX_JOBS_PER_CORE * (os.cpu_count() or 1))))
            result = run_build(ws, files, errors, heads, options, year, min_confidence, user_dicts, runner, progress)
        except BaseException:
            ws.abandon()
            raise
        if result.articles:
            ws.commit()
        else:  # nothing built: the last build stays as it was
            ws.abandon()
    result.seconds = time.perf_counter() - started
    return result


def run_build(ws: Workspace, files, errors, heads: dict[str, PageFacts], options: dict, year, min_confidence,
              user_dicts, runner: Runner, progress) -> BuildResult:
    """Steps 1 to 3 into the workspace; `heads`: the pages an --update reuses."""
    tools = Extractors.load(user_dicts)
    results, fresh_entities = runner.analyse(
        [AnalyseTask(f.path, year, user_dicts, str(ws.cache), options, f.name) for f in files], tools, progress)
    fresh = set()
    for result in results:
        if isinstance(result, InputError):
            errors.append(result)
        else:
            heads[result.name] = result
            fresh.add(result.name)
    for name in heads.keys() - fresh:  # pages reused from the last build's cache
        link_or_copy(ws.kept_cache() / page_file_name(name), ws.page_file(name))
    timings = {k: sum(h.timings.get(k, 0.0) for h in heads.values() if h.name in fresh) for k in STAGES}

    m0 = time.perf_counter()
    names = sorted(heads)
    merged = merge_pages(heads, names, fresh, fresh_entities, tools.gaz)
    ctx = merged.context(min_confidence)
    m1 = time.perf_counter()
    shard_results = runner.finalise(shard_plan(ws, names), ctx, merged,
                                    EntityShardTask(str(ws.shards / ENTITY_SHARD), str(ws.network)), progress)
    m2 = time.perf_counter()
    network = NetworkIndex.merge([sr.network for sr in shard_results], merged.entities.values(), ws.network)
    timings.update(merge=m1 - m0, triples=m2 - m1, network=time.perf_counter() - m2)

    articles = sorted((a for n in names for a in heads[n].articles), key=lambda a: (a.source, a.index))
    return BuildResult(
        articles, list(merged.entities.values()), errors,
        [heads[n].note for n in names if heads[n].note and n in fresh], len(heads),
        0.0, timings, shard_counts(shard_results), options, network, ws, ctx, names,
        merged.table_relations, runner.jobs)


def link_or_copy(src, dst) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def merge_pages(heads: dict[str, PageFacts], names: list[str], fresh: set[str],
                fresh_entities: dict[str, Entity], gaz) -> Merged:
    """Step 2: the entities of the pages reused from the cache joined to the fresh pages'
    (which the runner merged as they came), then merged build-wide. The pages let go of
    their entities: from here on only the merge holds them."""
    entities = union_entities((heads[n].entities for n in names if n not in fresh), into=fresh_entities)
    for n in names:
        heads[n].entities = {}
    return reduce_entities(entities, union_implied(heads[n].implied for n in names), gaz)


def shard_counts(shard_results: list[ShardResult]) -> dict[str, int]:
    return {"relations": sum(sr.relations for sr in shard_results),
            "observations": sum(sr.observations for sr in shard_results),
            "triples": sum(sr.triples for sr in shard_results), "shards": len(shard_results)}
