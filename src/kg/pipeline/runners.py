"""Running steps 1 and 3 in local processes (the Dask runner is in kg.pipeline.cluster)."""


import os
from pathlib import Path

from kg.pipeline.merge import Context, Merged, union_entities
from kg.model import PageFacts
from kg.pipeline.tasks import SHARD_CTX, ShardResult, analyse_task, finalise_task

# --- running steps 1 and 3 in local processes -----------------------------------------------

def pool_map(func, tasks, jobs: int, progress=None, label=None):
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
        for r in pool_map(analyse_task, tasks, jobs, progress, lambda t: os.path.basename(t[0])):
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
        SHARD_CTX.update(ctx=ctx, merged=merged)  # inherited by the forked workers, not pickled per task
        tasks = list(plan)
        if merged is not None:
            tasks.insert(0, (str(entity_files[0]), None, str(entity_files[1])))
        try:
            results = list(pool_map(finalise_task, tasks, self.jobs, progress, lambda t: os.path.basename(t[0])))
        finally:
            SHARD_CTX.clear()
        return results[1:] + results[:1] if merged is not None else results

    def close(self):
        pass
