"""Time and memory of one line without sentence marks, at growing sizes (issue 17, item 5).

A line with no 。！？ used to be one sentence, and matching within it grew with the square
of its length (1 MB: 74 s). It is now cut at clause marks and then in bounded windows, so
the seconds per character stay flat. Prints chars/s and peak memory per size, beside a
normal page's chars/s, and the fitted exponent b of seconds ~ chars^b.

    python benchmarks/long_line.py [--sizes 250000 500000 1000000 2000000]
"""

from __future__ import annotations

import argparse
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLAUSE = "湖南省衡阳市进出口总值397.6亿元，同比增长13.9%，衡阳综保区增长迅速；湘蓝再生签约落户衡阳、"


def build_seconds(path: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak MiB of `kg build PATH` in a child process."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "build", str(path), "--out", str(out), "-q", "--year", "2024"],
                   check=True, capture_output=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return time.perf_counter() - t0, peak


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000, 2_000_000])
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seeds = sorted((ROOT / "seeds").glob("*.txt"))
        normal = sum(len(p.read_text(encoding="utf-8")) for p in seeds)
        secs, _ = build_seconds(ROOT / "seeds", tmp / "seeds")
        print(f"normal pages (seeds): {normal:,} chars in {secs:.1f} s = {normal / secs:,.0f} chars/s")
        points = []
        for n in a.sizes:
            f = tmp / f"line-{n}.txt"
            f.write_text("湖南日报11月15日讯 " + (CLAUSE * (n // len(CLAUSE) + 1))[:n] + "\n", encoding="utf-8")
            secs, peak = build_seconds(f, tmp / f"out-{n}")
            points.append((n, secs))
            print(f"one line of {n:,} chars: {secs:.1f} s = {n / secs:,.0f} chars/s (peak so far {peak:,.0f} MiB)")
        if len(points) > 1:
            (n0, s0), (n1, s1) = points[0], points[-1]
            print(f"b = {math.log(s1 / s0) / math.log(n1 / n0):.2f} (1 = linear)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
