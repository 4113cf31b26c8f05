"""Benchmark the build: whole and per stage, against jieba's own segmentation speed.

    python benchmarks/run.py --articles 1000 [--jobs 2] [--work /tmp/kg-bench]

Prints characters/s, articles/s, seconds per stage (ingest, segment, extract, link,
relate, graph, serialise, html), peak memory, output sizes, and, over the same text,
the time of jieba.posseg.lcut and jieba.lcut with the build's ratio to each.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate  # noqa: E402

import kg  # noqa: E402
from kg.gazetteer import jieba_ready  # noqa: E402


def peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--work", default="/tmp/kg-bench")
    ap.add_argument("--no-jieba", action="store_true", help="skip the jieba comparison")
    ap.add_argument("--formats", default="ttl,html,graphml,json")
    a = ap.parse_args()

    work = Path(a.work) / f"corpus-{a.articles}"
    if not work.exists():
        generate(work, a.articles)
    files = sorted(work.glob("*.txt"))
    text = "".join(p.read_text(encoding="utf-8") for p in files)
    jieba_ready()  # loaded once per process, outside the timings, as in a build

    t0 = time.perf_counter()
    result = kg.build([str(work)], jobs=a.jobs)
    t1 = time.perf_counter()
    out = Path(a.work) / f"out-{a.articles}-j{a.jobs}"
    result.write(out, formats=tuple(a.formats.split(",")))
    t2 = time.perf_counter()
    total = t2 - t0
    print(f"corpus: {len(files)} files, {len(result.articles)} articles, {len(text):,} characters")
    print(f"graph: {len(result.entities)} entities, {len(result.relations)} relations, "
          f"{len(result.observations)} observations, {len(result.graph)} triples")
    print(f"build (jobs={a.jobs}): {t1 - t0:.2f} s; write: {t2 - t1:.2f} s; total {total:.2f} s")
    print(f"throughput: {len(text) / total:,.0f} chars/s, {len(result.articles) / total:,.1f} articles/s "
          f"(build only: {len(text) / (t1 - t0):,.0f} chars/s)")
    for stage in ("ingest", "segment", "extract", "link", "relate", "graph", "serialise", "html"):
        print(f"  {stage:<10}{result.timings.get(stage, 0.0):>9.2f} s")
    print(f"peak memory: {peak_mib():,.0f} MiB")
    for p in sorted(out.glob("graph.*")):
        print(f"  {p.name:<15}{p.stat().st_size / 1e6:>9.2f} MB")
    if not a.no_jieba:
        import jieba
        import jieba.posseg

        s0 = time.perf_counter()
        jieba.posseg.lcut(text)
        s1 = time.perf_counter()
        jieba.lcut(text)
        s2 = time.perf_counter()
        print(f"jieba.posseg.lcut: {s1 - s0:.2f} s; jieba.lcut: {s2 - s1:.2f} s")
        print(f"ratio build/posseg: {(t1 - t0) / (s1 - s0):.2f} (whole with writing: {total / (s1 - s0):.2f}); "
              f"build/lcut: {(t1 - t0) / (s2 - s1):.2f}")


if __name__ == "__main__":
    main()
