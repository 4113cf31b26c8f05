"""Benchmark the build: whole and per stage, against jieba's own segmentation speed.

    python benchmarks/run.py --articles 1000 [--rounds 3] [--seed 7] [--jobs 2] [--speedup] [--dask] [--load] [--work /tmp/kg-bench]

The corpus is corpus.py's (pages made from real page text, no sentence repeated), kept
under --work and made again when the generator or its source pages change.
Prints characters/s, articles/s, seconds per stage (ingest, segment, extract, link,
relate, merge, triples, serialise, html), peak memory, output sizes, and, over the same
text, the time of jieba.posseg.lcut and jieba.lcut against the build in 1 process (total
and without writing), their ratios and each one's characters/s; --rounds N runs all of it
N times, each in a fresh process, and keeps each time's best (build, stages, jieba's).
--speedup builds it with 1 and with --jobs processes in turn (--repeat times) and prints
the speed-up of the best times. --dask builds the same corpus again on a LocalCluster of --jobs worker processes (speed-up,
peak memory per worker, volume of the entity merge); --load times the Oxigraph bulk load
of the shards. --json prints one JSON line of the figures instead (for scale.py).
Stage times are work done, summed over processes; the totals are wall-clock. kg's start-up
(imports, jieba's and rjieba's dictionaries) is timed on its own and kept out of the build's
time, as jieba's import and dictionary load are kept out of posseg's and lcut's.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import fingerprint, generate  # noqa: E402

import kg  # noqa: E402
from kg.extract.gazetteer import jieba_ready  # noqa: E402

STAGES = ("ingest", "segment", "extract", "link", "relate", "merge", "triples", "network", "serialise", "html")


def start_up() -> float:
    """kg's start-up, timed on its own and kept out of the build's timing, as jieba.posseg's
    import and dictionary load are kept out of its: the modules a build and its writers
    import, jieba's dictionary (its word frequencies) and rjieba's (its word ends)."""
    import importlib

    from kg.extract.wordcut import jieba_bounds

    t0 = time.perf_counter()
    for module in ("kg.pipeline.core", "kg.write.formats", "kg.write.html", "kg.write.graphml", "kg.write.nodelink"):
        importlib.import_module(module)
    jieba_ready()
    jieba_bounds("预热一下")
    return time.perf_counter() - t0


def peak_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child (a worker), MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def sizes(out: Path) -> dict[str, int]:
    found = {p.name: p.stat().st_size for p in sorted(out.glob("graph.*"))}
    found["shards/"] = sum(p.stat().st_size for p in (out / "shards").glob("*.nt"))
    return found


def timed_build(corpus: Path, out: Path, jobs: int, formats, runner=None):
    if out.exists():
        shutil.rmtree(out)
    t0 = time.perf_counter()
    result = kg.build([str(corpus)], jobs=jobs, out=out, runner=runner)
    t1 = time.perf_counter()
    result.write(out, formats=formats, html_max_nodes=2000)
    t2 = time.perf_counter()
    return result, t1 - t0, t2 - t1


def merge_volume(out: Path) -> tuple[int, int]:
    """Bytes of entity fragments the merge reads (the entity lines of the page cache) and their pages."""
    from kg.pipeline.workspace import PAGE_SUFFIX

    pages = sorted((out / ".kg-cache").glob("*" + PAGE_SUFFIX))
    volume = 0
    for p in pages:
        with open(p, encoding="ascii") as fh:
            fh.readline()  # the header
            volume += len(fh.readline())  # the page with its entities
    return volume, len(pages)


def against_jieba(files, corpus: Path, out: Path, jobs: int, figures: dict, formats) -> dict:
    """jieba.posseg.lcut and jieba.lcut over the text of the same files, and kg's build in 1 process."""
    import jieba
    import jieba.posseg

    if jobs == 1:
        kg_build, kg_total = figures["build_s"], figures["total_s"]
    else:  # jieba runs in one process: so does the build it is held against
        _, b, w = timed_build(corpus, out.with_name(out.name + "-j1"), 1, formats)
        kg_build, kg_total = b, b + w
    text = "".join(p.read_text(encoding="utf-8") for p in files)
    jieba.posseg.lcut("预热一下")  # first calls outside the timings, as kg's own start-up is
    jieba.lcut("预热一下")
    s0 = time.perf_counter()
    jieba.posseg.lcut(text)
    s1 = time.perf_counter()
    jieba.lcut(text)
    s2 = time.perf_counter()
    return {"kg_build_s": round(kg_build, 3), "kg_total_s": round(kg_total, 3),
            "posseg_s": round(s1 - s0, 3), "lcut_s": round(s2 - s1, 3)}


def _without(argv: list[str], valued: str, flag: str) -> list[str]:
    """argv less an option with a value (--rounds 3, --rounds=3) and a flag (--json)."""
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == valued:
            skip = True
        elif not arg.startswith(valued + "=") and arg != flag:
            out.append(arg)
    return out


def best_of_rounds(argv: list[str], rounds: int) -> dict:
    """The figures of `rounds` runs of this script, each a fresh process (so no cache of one
    round helps the next), with each time the best of the rounds: a shared machine's noise
    only ever adds time. Sizes and counts are the last round's (they never differ)."""
    import subprocess

    runs = []
    for _ in range(rounds):
        done = subprocess.run([sys.executable, __file__, *argv, "--rounds", "1", "--json"],
                              capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = dict(runs[-1], rounds=rounds)
    for key in ("startup_s", "build_s", "write_s", "total_s"):
        best[key] = min(r[key] for r in runs)
    best["stages"] = {k: min(r["stages"][k] for r in runs) for k in runs[-1]["stages"]}
    if "jieba" in best:
        best["jieba"] = {k: min(r["jieba"][k] for r in runs) for k in runs[-1]["jieba"]}
        # each round's own kg/posseg ratio: the two ran minutes apart at most, on the same machine state
        best["jieba"]["round_ratios"] = [round(r["jieba"]["kg_total_s"] / r["jieba"]["posseg_s"], 3) for r in runs]
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7, help="the corpus generator's seed")
    ap.add_argument("--corpus", help="a folder of pages to use instead of the generated corpus")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--work", default="/tmp/kg-bench")
    ap.add_argument("--no-jieba", action="store_true", help="skip the jieba comparison")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run the whole benchmark this many times, each in a fresh process, and keep each time's best")
    ap.add_argument("--dask", action="store_true", help="also build on a LocalCluster of --jobs workers")
    ap.add_argument("--load", action="store_true", help="also time the Oxigraph bulk load of the shards")
    ap.add_argument("--speedup", action="store_true",
                    help="also build with 1 and with --jobs processes in turn, --repeat times, and print the speed-up (best of each)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--formats", default="ttl,html,graphml,json")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    a = ap.parse_args()
    if a.corpus and not Path(a.corpus).is_dir():
        ap.error(f"--corpus {a.corpus}: no such folder")

    work = Path(a.corpus) if a.corpus else Path(a.work) / f"corpus-{a.articles}-s{a.seed}-{fingerprint()}"
    if not work.exists():
        generate(work.with_suffix(".part"), a.articles, a.seed)
        work.with_suffix(".part").rename(work)
    if a.rounds > 1:
        figures = best_of_rounds(_without(sys.argv[1:], "--rounds", "--json"), a.rounds)
        if a.json:
            print(json.dumps(figures, ensure_ascii=False, sort_keys=True))
        else:
            report(figures)
        return
    files = sorted(work.rglob("*.txt"))  # what the build reads
    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    startup = start_up()  # outside the timings, as jieba's own start-up is outside posseg's
    formats = tuple(a.formats.split(","))
    out = Path(a.work) / (f"out-{work.name}-j{a.jobs}" if a.corpus else f"out-{a.articles}-j{a.jobs}")
    result, build_s, write_s = timed_build(work, out, a.jobs, formats)
    total = build_s + write_s
    own, kids = peak_mib()
    figures = {"articles": len(result.articles), "files": len(files), "chars": chars, "jobs": a.jobs,
               "entities": len(result.entities), **{k: result.counts.get(k, 0) for k in ("relations", "observations", "triples", "shards")},
               "startup_s": round(startup, 3), "build_s": round(build_s, 3), "write_s": round(write_s, 3), "total_s": round(total, 3),
               "stages": {s: round(result.timings.get(s, 0.0), 3) for s in STAGES},
               "peak_mib": round(own, 1), "peak_worker_mib": round(kids, 1), "sizes": sizes(out)}
    if not a.no_jieba:
        figures["jieba"] = against_jieba(files, work, out, a.jobs, figures, formats)
    if a.dask:
        from kg.pipeline.cluster import DaskRunner

        with DaskRunner("local", workers=max(a.jobs, 2)) as runner:
            d_out = Path(a.work) / f"out-{a.articles}-dask"
            d_result, d_build, d_write = timed_build(work, d_out, a.jobs, formats, runner)
            memory = runner.worker_memory()
        same = all((out / n).read_bytes() == (d_out / n).read_bytes() for n in ("graph.ttl", "graph.json"))
        volume, pages = merge_volume(d_out)
        figures["dask"] = {"workers": len(memory), "build_s": round(d_build, 3), "write_s": round(d_write, 3),
                           "total_s": round(d_build + d_write, 3), "worker_peak_mib": sorted(round(m, 1) for m in memory.values()),
                           "merge_input_bytes": volume, "merge_output_entities": len(d_result.entities),
                           "same_bytes_as_plain": same}
    if a.speedup:
        best = {1: math.inf, a.jobs: math.inf}
        for _ in range(a.repeat):
            for jobs in best:
                _, b, w = timed_build(work, Path(a.work) / f"out-{a.articles}-speedup", jobs, formats)
                best[jobs] = min(best[jobs], b + w)
        figures["speedup"] = {"jobs": a.jobs, "repeat": a.repeat, "serial_s": round(best[1], 3),
                              "parallel_s": round(best[a.jobs], 3), "ratio": round(best[1] / best[a.jobs], 3)}
    if a.load:
        import pyoxigraph as ox

        store_dir = Path(a.work) / f"store-{a.articles}"
        if store_dir.exists():
            shutil.rmtree(store_dir)
        store = ox.Store(str(store_dir))
        l0 = time.perf_counter()
        for shard in sorted((out / "shards").glob("*.nt")):
            store.bulk_load(path=str(shard), format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        l1 = time.perf_counter()
        n = len(store)
        figures["load"] = {"triples": n, "seconds": round(l1 - l0, 3), "triples_per_s": round(n / (l1 - l0)),
                           "store_bytes": sum(p.stat().st_size for p in store_dir.rglob("*") if p.is_file())}
    if a.json:
        print(json.dumps(figures, ensure_ascii=False, sort_keys=True))
        return
    report(figures)


def report_jieba(j: dict, chars: int) -> None:
    print(f"against jieba over the same {chars:,} characters, 1 process each:")
    rows = [("kg build, total (with writing)", j["kg_total_s"]), ("kg build, without writing", j["kg_build_s"]),
            ("jieba.posseg.lcut", j["posseg_s"]), ("jieba.lcut", j["lcut_s"])]
    for name, seconds in rows:
        print(f"  {name:<31}{seconds:>9.2f} s {chars / seconds:>12,.0f} chars/s")
    if "round_ratios" in j:
        median = statistics.median(j["round_ratios"])
        print(f"  kg/posseg in each round: {', '.join(f'{r:.2f}' for r in j['round_ratios'])} (median {median:.2f})")
    print(f"  kg/posseg: {j['kg_total_s'] / j['posseg_s']:.2f} (without writing {j['kg_build_s'] / j['posseg_s']:.2f}); "
          f"kg/lcut: {j['kg_total_s'] / j['lcut_s']:.2f} (without writing {j['kg_build_s'] / j['lcut_s']:.2f})")


def report(f: dict) -> None:
    total = f["total_s"]
    if f.get("rounds", 1) > 1:
        print(f"times: the best of {f['rounds']} rounds, each a fresh process")
    print(f"corpus: {f['files']} files, {f['articles']} articles, {f['chars']:,} characters")
    print(f"graph: {f['entities']} entities, {f['relations']} relations, {f['observations']} observations, "
          f"{f['triples']} triples in {f['shards']} shards")
    print(f"start-up (imports, jieba's and rjieba's dictionaries; outside the timings): {f['startup_s']:.2f} s")
    print(f"build (jobs={f['jobs']}): {f['build_s']:.2f} s; write: {f['write_s']:.2f} s; total {total:.2f} s")
    print(f"throughput: {f['chars'] / total:,.0f} chars/s, {f['articles'] / total:,.1f} articles/s")
    for stage, seconds in f["stages"].items():
        print(f"  {stage:<10}{seconds:>9.2f} s")
    print(f"peak memory: {f['peak_mib']:,.0f} MiB (largest worker {f['peak_worker_mib']:,.0f} MiB)")
    for name, size in f["sizes"].items():
        print(f"  {name:<15}{size / 1e6:>9.2f} MB")
    if "jieba" in f:
        report_jieba(f["jieba"], f["chars"])
    if "dask" in f:
        d = f["dask"]
        print(f"dask LocalCluster, {d['workers']} worker processes: build {d['build_s']:.2f} s, write {d['write_s']:.2f} s, "
              f"total {d['total_s']:.2f} s; same bytes as plain: {d['same_bytes_as_plain']}")
        print(f"  worker peak memory: {', '.join(f'{m:,.0f}' for m in d['worker_peak_mib'])} MiB; entity merge reads "
              f"{d['merge_input_bytes'] / 1e6:.1f} MB of fragments into {d['merge_output_entities']} entities")
    if "speedup" in f:
        sp = f["speedup"]
        print(f"speed-up, best of {sp['repeat']}: 1 process {sp['serial_s']:.2f} s, {sp['jobs']} processes "
              f"{sp['parallel_s']:.2f} s: {sp['ratio']:.2f}x")
    if "load" in f:
        ld = f["load"]
        print(f"oxigraph bulk load: {ld['triples']:,} triples in {ld['seconds']:.2f} s ({ld['triples_per_s']:,} triples/s), "
              f"store {ld['store_bytes'] / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
