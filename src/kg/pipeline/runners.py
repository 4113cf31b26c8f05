"""Who runs steps 1 and 3: the `Runner` protocol, and `LocalRunner`, a pool of forked
processes on this machine (the Dask runner is kg.pipeline.cluster.DaskRunner).

What the tasks of a step share (the Extractors of step 1, the merge of step 3) is handed
to the pool's processes once, as the initializer's arguments: with the fork start method
those are inherited, not pickled, and each process keeps them on its `WorkerState`."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Protocol

from kg.model import Entity, PageFacts
from kg.extract.read import InputError
from kg.pipeline.merge import Context, Merged, union_entities
from kg.pipeline.tasks import AnalyseTask, EntityShardTask, Extractors, ShardResult, ShardTask


class Runner(Protocol):
    """Runs the map steps of a build; the files they write are the same whoever runs them."""

    jobs: int

    def analyse(self, tasks: list[AnalyseTask], tools: Extractors,
                progress=None) -> tuple[list[PageFacts | InputError], dict[str, Entity]]:
        """Step 1: the pages (without entities) or InputErrors in task order, and the
        entities of all pages merged by IRI."""

    def finalise(self, plan: list[ShardTask], ctx: Context, merged: Merged, entities: EntityShardTask,
                 progress=None) -> list[ShardResult]:
        """Step 3: the results of the plan's shards in plan order, then the entity shard's."""

    def close(self) -> None:
        """Let go of processes or connections."""


class WorkerState:
    """What the tasks of one pool share, set in each pool process by its initializer."""

    shared: Any = None

    @classmethod
    def start(cls, shared) -> None:
        cls.shared = shared


def _call_with_shared(func, task):
    return func(task, WorkerState.shared)


def pool_map(func: Callable, tasks, jobs: int, progress=None, label=None, *, shared=None):
    """func over tasks in order, in `jobs` forked processes (or here when jobs is 1).
    With `shared`, each call is func(task, shared), and shared reaches every process once."""
    tasks = list(tasks)
    pool = None
    if jobs <= 1 or len(tasks) < 2:
        results = map(func, tasks) if shared is None else (func(task, shared) for task in tasks)
    else:
        import multiprocessing

        if shared is None:
            pool = multiprocessing.get_context("fork").Pool(jobs)
        else:
            pool = multiprocessing.get_context("fork").Pool(jobs, WorkerState.start, (shared,))
            func = partial(_call_with_shared, func)
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


def analyse_page(task: AnalyseTask, tools: Extractors) -> PageFacts | InputError:
    return task.run(tools)


def finalise_shard(task: ShardTask | EntityShardTask, merge: tuple[Context, Merged]) -> ShardResult:
    return task.run(*merge)


def task_label(task) -> str:
    return task.label


class LocalRunner:
    """Steps 1 and 3 in a pool of `jobs` forked processes on this machine (here when 1)."""

    def __init__(self, jobs: int = 1):
        self.jobs = jobs

    def analyse(self, tasks: list[AnalyseTask], tools: Extractors, progress=None):
        jobs = 1 if any(t.path == "-" for t in tasks) else self.jobs  # stdin is read here
        results, entities = [], {}
        for r in pool_map(analyse_page, tasks, jobs, progress, task_label, shared=tools):
            if isinstance(r, PageFacts):  # entities merged as they come, not kept per page
                union_entities([r.entities], into=entities)
                r.entities = {}
            results.append(r)
        return results, entities

    def finalise(self, plan: list[ShardTask], ctx: Context, merged: Merged, entities: EntityShardTask,
                 progress=None) -> list[ShardResult]:
        """The entity shard goes first into the pool (at 10⁵ articles it is the largest task)
        and its result last."""
        results = list(pool_map(finalise_shard, [entities, *plan], self.jobs, progress, task_label,
                                shared=(ctx, merged)))
        return results[1:] + results[:1]

    def close(self) -> None:
        """Nothing to let go of: each step's pool ends with the step."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
