"""Steps 1 and 3 of the build on a Dask cluster: `kg build --dask ADDRESS|local`.

The stages are the plain build's own functions, so the files are the same bytes:
- analysis is a dask.bag map over partitions of the input files; each worker keeps its
  pages' facts in the output folder's cache (a folder every worker must see: a shared
  file system on a real cluster) and hands back the articles;
- the entity merge is a foldby on the IRI, with kg.pipeline.merge.combine as the (order-blind)
  reduction, so only entities, never triples, cross the network;
- finalising is one future per shard of pages: each worker writes its sorted N-Triples
  shard to the output folder; the small merge context is scattered to every worker once.
The driver then merges the shards into graph.ttl as in a local build.
"""

from __future__ import annotations

import os
from dataclasses import replace

from kg.model import PageFacts
from kg.pipeline.merge import absorb, combine, own_copy
from kg.pipeline.tasks import AnalyseTask, Extractors, ShardTask

try:
    from distributed import WorkerPlugin, get_worker
except ImportError:  # DaskRunner says so when asked to start
    WorkerPlugin = object

EXTRACTORS = "kg-extractors"  # the name of the worker plugin that holds them


class ClusterError(RuntimeError):
    """No Dask installed, no scheduler at the address, or input the workers cannot read."""


class ExtractorsPlugin(WorkerPlugin):
    """Loads the Extractors once in each worker process (workers do not fork from here, so
    they cannot inherit ours); the analysis tasks find them on their worker."""

    def __init__(self, user_dicts: tuple[str, ...]):
        self.user_dicts = user_dicts
        self.tools = None

    def setup(self, worker) -> None:
        self.tools = Extractors.load(self.user_dicts)


def analyse_on_worker(task: AnalyseTask):
    return task.run(get_worker().plugins[EXTRACTORS].tools)


def finalise_on_worker(task: ShardTask, ctx):
    return task.run(ctx)


# the dask.bag pieces of step 1: pages without their entities, and the entities folded by IRI

def _is_page(x) -> bool:
    return isinstance(x, PageFacts)


def _without_entities(x):
    return replace(x, entities={}) if isinstance(x, PageFacts) else x


def _entity_items(page: PageFacts) -> list:
    return list(page.entities.items())


def _iri(item) -> str:
    return item[0]


def _fold(acc, item):
    return own_copy(item[1]) if acc is None else absorb(acc, item[1])


def _combine(a, b):
    if a is None:
        return b
    return a if b is None else combine(a, b)


class DaskRunner:
    """Runs the map steps on a Dask cluster: `local` starts a LocalCluster of `workers`
    processes (one thread each) here; anything else is a scheduler address."""

    def __init__(self, address: str = "local", partitions: int | None = None, workers: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ClusterError("kg build --dask needs Dask: pip install 'dask[distributed]'") from None
        self.cluster = None
        try:
            if address == "local":
                self.cluster = LocalCluster(n_workers=workers or os.cpu_count() or 2, threads_per_worker=1,
                                            processes=True, dashboard_address=None)
                self.client = Client(self.cluster)
            else:
                self.client = Client(address, timeout="20s")
        except OSError as err:
            self.close()
            raise ClusterError(f"no Dask scheduler at {address}: {err}") from None
        self.partitions = partitions
        self.jobs = max(1, len(self.client.scheduler_info().get("workers", {})))

    def analyse(self, tasks: list[AnalyseTask], tools: Extractors, progress=None):
        """Pages analysed on the workers, with Extractors of their own (`tools` stay here);
        returns (pages or InputErrors in input order, merged entities)."""
        import dask
        import dask.bag as db

        if any(t.path == "-" for t in tasks):
            raise ClusterError("standard input cannot be read on a cluster: give files or folders")
        if not tasks:
            return [], {}
        tasks = [t.absolute() for t in tasks]
        self.client.register_plugin(ExtractorsPlugin(tasks[0].user_dicts), name=EXTRACTORS)
        n = self.partitions or min(len(tasks), 4 * self.jobs)
        pages = db.from_sequence(tasks, npartitions=n).map(analyse_on_worker)
        heads = pages.map(_without_entities)
        entities = (pages.filter(_is_page).map(_entity_items).flatten()
                    .foldby(_iri, _fold, None, _combine, None))
        results, merged = dask.compute(heads, entities, scheduler=self.client)
        if progress:
            progress(len(tasks), len(tasks), "")
        return list(results), dict(merged)

    def finalise(self, plan, ctx, merged, entities, progress=None):
        """One task per shard; each worker writes its shard file. The entity shard is
        written here meanwhile: the merge stays on the driver."""
        results = []
        if plan:
            shared = self.client.scatter(ctx, broadcast=True)
            futures = self.client.map(finalise_on_worker, plan, ctx=shared, pure=False)
        entity_result = entities.run(ctx, merged)
        if plan:
            results = self.client.gather(futures)
        if progress:
            progress(len(plan), len(plan), "")
        return results + [entity_result]

    def worker_memory(self) -> dict:
        """Peak resident memory of each worker process, in MiB (for the benchmark)."""
        def peak():
            import resource

            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        return self.client.run(peak)

    def close(self):
        for thing in (getattr(self, "client", None), self.cluster):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # closing is best effort; the build is already written
                    pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
