"""Benchmark the two SPARQL engines of `kg query` on a large graph.

    PYTHONPATH=src python benchmarks/query_engines.py [--copies 100] [--repeat 3]
                                                     [--queries trade-partners,provenance,...]

The large graph is output/graph.ttl replicated COPIES times: every resource IRI
(kgr:…) of copy k is renamed under kgr:c<k>/…, ontology terms and literals are kept, so
the graph has COPIES × the triples with the same shape (COPIES disjoint seed graphs).
It is written once as N-Triples, loaded into pyoxigraph and into rdflib (load time is
reported), and each ready query is run REPEAT times on each engine (best time kept).
The rows of the two engines are compared, so the figures are for the same answers.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kg.sparql.query import load_graph, run_query  # noqa: E402

KGR = "<https://w3id.org/zhkg/resource/"
DEFAULT_QUERIES = ("trade-partners", "partners-by-growth", "enterprises-by-city", "product-trade",
                   "indicator-series", "provenance", "most-mentioned", "regions")


def replicate(source: Path, copies: int, target: Path) -> int:
    """Write COPIES renamed copies of SOURCE's triples to TARGET (N-Triples); the triple count."""
    from rdflib import Graph

    g = Graph()
    g.parse(source, format="turtle")
    lines = [ln for ln in g.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines() if ln.strip()]
    with target.open("w", encoding="utf-8") as out:
        for k in range(copies):
            renamed = KGR + f"c{k}/"
            out.write("\n".join(ln.replace(KGR, renamed) for ln in lines))
            out.write("\n")
    return len(lines) * copies


def timed(fn):
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", default=str(ROOT / "output" / "graph.ttl"), help="the graph to replicate")
    ap.add_argument("--copies", type=int, default=100, help="how many renamed copies (default 100)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per query and engine; the best is kept")
    ap.add_argument("--queries", default=",".join(DEFAULT_QUERIES), help="comma-separated ready-query names")
    ap.add_argument("--work", default="/tmp/kg-query-bench", help="folder for the large graph")
    a = ap.parse_args()

    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    big = work / f"graph-x{a.copies}.nt"
    t, n = timed(lambda: replicate(Path(a.graph), a.copies, big))
    print(f"graph: {Path(a.graph).name} × {a.copies} = {n:,} triples, {big.stat().st_size / 2**20:.1f} MiB "
          f"N-Triples ({t:.1f} s to write)")

    loaded = {}
    for engine in ("oxigraph", "rdflib"):
        gc.collect()
        t, loaded[engine] = timed(lambda: load_graph(big, engine, cache=False))
        print(f"load {engine:<8} {t:8.2f} s  ({len(loaded[engine]):,} triples)")

    print()
    print(f"{'query':<22}{'rows':>8}{'oxigraph s':>12}{'rdflib s':>12}{'rdflib/oxigraph':>17}  same rows")
    total = {"oxigraph": 0.0, "rdflib": 0.0}
    for name in [q.strip() for q in a.queries.split(",") if q.strip()]:
        best, rows = {}, {}
        for engine in ("oxigraph", "rdflib"):
            times = []
            for _ in range(max(1, a.repeat)):
                gc.collect()
                t, result = timed(lambda: run_query(loaded[engine], name))
                times.append(t)
            best[engine], rows[engine] = min(times), result.rows
            total[engine] += best[engine]
        # the copies share their labels, so rows that tie in ORDER BY may come in either order
        same = sorted(rows["oxigraph"], key=repr) == sorted(rows["rdflib"], key=repr)
        ratio = best["rdflib"] / best["oxigraph"] if best["oxigraph"] > 0 else float("inf")
        print(f"{name:<22}{len(rows['oxigraph']):>8,}{best['oxigraph']:>12.3f}{best['rdflib']:>12.3f}"
              f"{ratio:>16.1f}×  {'yes' if same else 'NO'}")
    ratio = total["rdflib"] / total["oxigraph"] if total["oxigraph"] else float("inf")
    print(f"{'all queries':<22}{'':>8}{total['oxigraph']:>12.3f}{total['rdflib']:>12.3f}{ratio:>16.1f}×")


if __name__ == "__main__":
    main()
