"""How the build's cost grows: run.py at several corpus sizes, each in a fresh process.

    python benchmarks/scale.py --sizes 100,1000,10000,100000 [--jobs 1]

Prints, per size, wall-clock seconds, articles/s and peak memory, then the exponent b of
the least-squares fit seconds = a * articles^b over the sizes (b = 1 is linear).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def fit(xs, ys) -> float:
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--work", default="/tmp/kg-bench")
    a = ap.parse_args()
    rows = []
    print(f"{'articles':>9} {'seconds':>9} {'build':>8} {'write':>8} {'art/s':>8} {'peak MiB':>9} {'worker MiB':>10} {'triples':>11}")
    for n in [int(s) for s in a.sizes.split(",")]:
        cmd = [sys.executable, str(HERE / "run.py"), "--articles", str(n), "--jobs", str(a.jobs), "--work", a.work,
               "--no-jieba", "--json"]
        f = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        rows.append(f)
        print(f"{f['articles']:>9} {f['total_s']:>9.2f} {f['build_s']:>8.2f} {f['write_s']:>8.2f} "
              f"{f['articles'] / f['total_s']:>8.1f} {f['peak_mib']:>9.0f} {f['peak_worker_mib']:>10.0f} {f['triples']:>11,}",
              flush=True)
    if len(rows) >= 2:
        b = fit([r["articles"] for r in rows], [r["total_s"] for r in rows])
        print(f"fitted exponent (seconds ~ articles^b): b = {b:.3f}")


if __name__ == "__main__":
    main()
