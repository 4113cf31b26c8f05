"""A persistent, on-disk Oxigraph store of a build: `kg load OUT --store DIR`.

A graph of millions of triples should not be parsed again for every query. `kg load`
bulk-loads a build's shards (or graph.nt / graph.ttl) into an Oxigraph store on disk;
`kg query --store DIR` and `kg serve --store DIR` then answer from it in place. A load
always builds a fresh store beside the old one and swaps it in, so loading the same
output twice gives the same store, and a failed load leaves the old store intact.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

MARK = "kg-store.json"


class StoreError(ValueError):
    """A store folder that is missing or not ours, or an output folder with nothing to load."""


def graph_files(out_dir) -> list[Path]:
    """What to load from a build output: its shards, else graph.nt, else graph.ttl."""
    out = Path(out_dir)
    shards = sorted((out / "shards").glob("*.nt"))
    if shards:
        return shards
    for name in ("graph.nt", "graph.ttl"):
        if (out / name).is_file():
            return [out / name]
    raise StoreError(f"{out}: no shards/*.nt, graph.nt or graph.ttl to load")


def load_store(out_dir, store_dir, progress=None) -> dict:
    """Bulk-load a build output into a new store at store_dir (replacing ours if there)."""
    import pyoxigraph as ox

    store_dir = Path(store_dir)
    if store_dir.exists() and not (store_dir / MARK).is_file():
        raise StoreError(f"{store_dir}: exists and is not a kg store (no {MARK}); choose another folder")
    files = graph_files(out_dir)
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.", dir=store_dir.parent))
    t0 = time.perf_counter()
    try:
        store = ox.Store(str(fresh))
        for n, path in enumerate(files, 1):
            fmt = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.N_TRIPLES
            try:
                store.bulk_load(path=str(path), format=fmt)
            except (SyntaxError, ValueError, OSError) as err:
                raise StoreError(f"{path}: cannot be loaded: {' '.join(str(err).split())[:200]}") from None
            if progress:
                progress(n, len(files), path.name)
        store.flush()
        triples = len(store)
        del store
        info = {"source": str(Path(out_dir).resolve()), "files": [p.name for p in files], "triples": triples}
        (fresh / MARK).write_text(json.dumps(info, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                                  encoding="utf-8")
        old = None
        if store_dir.exists():
            old = store_dir.with_name(f".{store_dir.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(store_dir, old)
        os.replace(fresh, store_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh, ignore_errors=True)
    seconds = time.perf_counter() - t0
    return {**info, "seconds": seconds}


def open_store(store_dir):
    """The store at store_dir, read-only (queried in place, never copied into memory)."""
    import pyoxigraph as ox

    store_dir = Path(store_dir)
    if not (store_dir / MARK).is_file():
        raise StoreError(f"{store_dir}: not a kg store (make one with `kg load OUT --store {store_dir}`)")
    try:
        return ox.Store.read_only(str(store_dir))
    except OSError as err:
        raise StoreError(f"{store_dir}: cannot be opened: {' '.join(str(err).split())[:200]}") from None


def register(subparsers) -> None:
    """Add `kg load OUT_DIR --store DIR`."""
    p = subparsers.add_parser("load", help="bulk-load a build's graph into an on-disk Oxigraph store",
                              description="Load OUT_DIR's shards (or graph.nt, graph.ttl) into a persistent "
                                          "Oxigraph store for `kg query --store` and `kg serve --store`.")
    p.add_argument("out", metavar="OUT_DIR", help="a `kg build` output folder")
    p.add_argument("--store", required=True, metavar="DIR", help="store folder (made, or replaced if a kg store)")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        info = load_store(args.out, args.store)
    except (StoreError, OSError) as err:
        print(f"kg: error: {err}", file=sys.stderr)
        return 2
    if not args.quiet:
        rate = info["triples"] / info["seconds"] if info["seconds"] else 0
        print(f"kg: loaded {info['triples']:,} triples from {len(info['files'])} files into {args.store} "
              f"in {info['seconds']:.2f} s ({rate:,.0f} triples/s)")
    return 0
