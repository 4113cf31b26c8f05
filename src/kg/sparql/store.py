"""A persistent, on-disk Oxigraph store of a build: `kg load OUT_DIR --store DIR`.

A big graph should not be parsed again for every query. `kg load` bulk-loads a build's
graph.nt (else graph.ttl, else shards/*.nt) into an Oxigraph store on disk, and
`kg query --store DIR` / `kg serve --store DIR` then answer from it in place, read-only.
The ontology (ontology/kg.ttl) is loaded beside the data, as `kg query` does for a file.

Every load builds a fresh store in a sibling folder (DIR.tmp-XXXX) and swaps it in, so
loading the same output twice gives the same store, and a failed load leaves the old one
intact. Our stores carry a small `kg-store.json`; a folder without it is never replaced.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

from kg.sparql.graphfile import ontology_turtle

__all__ = ["MARK", "StoreError", "graph_files", "load_store", "open_store", "store_info", "register"]

MARK = "kg-store.json"


class StoreError(ValueError):
    """A store that cannot be made or opened, or an output folder with nothing to load; one-line message."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


def graph_files(out_dir) -> list[Path]:
    """The files to load from a build output: graph.nt, else graph.ttl, else shards/*.nt by name."""
    out = Path(out_dir)
    if not out.is_dir():
        raise StoreError(f"{out_dir}: no such folder")
    for name in ("graph.nt", "graph.ttl"):
        if (out / name).is_file():
            return [out / name]
    shards = sorted(p for p in (out / "shards").glob("*.nt") if p.is_file())
    if shards:
        return shards
    raise StoreError(f"{out_dir}: no graph.nt, graph.ttl or shards/*.nt to load")


def store_info(store_dir) -> dict | None:
    """The contents of a store's kg-store.json, or None when the folder is not one of our stores."""
    try:
        info = json.loads((Path(store_dir) / MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and isinstance(info.get("triples"), int) else None


def _check_replaceable(store: Path) -> None:
    """Only our own stores (or an empty folder) may be replaced: anything else may be someone's data."""
    if not store.exists() and not store.is_symlink():
        return
    if store.is_dir() and not store.is_symlink() and (store_info(store) is not None or not any(store.iterdir())):
        return
    raise StoreError(f"{store}: exists and is not a kg store (no valid {MARK}); refusing to replace it, "
                     f"choose another --store folder")


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None

    def show(n: int, total: int, name: str) -> None:
        """Overwrite one status line; n past total clears it for the summary."""
        line = "" if n > total else f"kg: loading {n}/{total} {name}"
        sys.stderr.write(f"\r{line[:70]:<72}\r")
        sys.stderr.flush()

    return show


def _bulk_load(target: Path, files: list[Path], show) -> int:
    """Bulk-load FILES into a new store at TARGET; the number of triples it then holds."""
    import pyoxigraph as ox

    store = ox.Store(str(target))
    failure = None
    try:
        for n, path in enumerate(files, 1):
            if show:
                show(n, len(files), path.name)
            fmt = ox.RdfFormat.TURTLE if path.suffix.lower() == ".ttl" else ox.RdfFormat.N_TRIPLES
            try:
                store.bulk_load(path=str(path), format=fmt)
            except (SyntaxError, ValueError, OSError) as err:
                failure = f"{path}: cannot be loaded: {str(err)[:300]}"
                break
        if failure is None:
            store.bulk_load(ontology_turtle(), format=ox.RdfFormat.TURTLE)
            store.flush()
            return len(store)
    finally:
        del store  # closes the database before the folder is renamed or removed
    raise StoreError(failure)


def _swap_in(fresh: Path, store: Path) -> None:
    """Put FRESH at STORE: the old store is renamed away first and only deleted once the new one is in."""
    if not store.exists():
        os.rename(fresh, store)
        return
    old = store.with_name(f"{store.name}.old-{secrets.token_hex(4)}")
    os.rename(store, old)
    try:
        os.rename(fresh, store)
    except OSError:
        os.rename(old, store)
        raise
    shutil.rmtree(old, ignore_errors=True)


def load_store(out_dir, store_dir, quiet: bool = True) -> dict:
    """Bulk-load a build output into a fresh store at STORE_DIR, replacing our previous store there.

    Returns {"triples", "seconds", "files"}. Raises StoreError (one line) when there is nothing
    to load, a file cannot be parsed, or STORE_DIR is something other than our store; the
    store already at STORE_DIR is then left as it was."""
    started = time.perf_counter()
    out = Path(out_dir)
    store = Path(store_dir)
    files = graph_files(out)
    _check_replaceable(store)
    store.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f"{store.name}.tmp-", dir=store.parent))
    try:
        show = _progress(quiet)
        triples = _bulk_load(fresh, files, show)
        if show:
            show(len(files) + 1, len(files), "")
        names = [p.relative_to(out).as_posix() for p in files]
        info = {"source": str(out.resolve()), "triples": triples, "loaded": names}
        (fresh / MARK).write_text(json.dumps(info, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                                  encoding="utf-8")
        _swap_in(fresh, store)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh, ignore_errors=True)
    return {"triples": triples, "seconds": time.perf_counter() - started, "files": names}


def open_store(store_dir, read_only: bool = True):
    """The pyoxigraph.Store at STORE_DIR, opened in place (read-only by default, never copied to memory).

    Raises StoreError (one line) when the folder is missing or is not a store made by `kg load`."""
    import pyoxigraph as ox

    store = Path(store_dir)
    hint = f"make one with `kg load OUT_DIR --store {store_dir}`"
    if not store.is_dir():
        raise StoreError(f"{store_dir}: no such store; {hint}")
    if store_info(store) is None:
        raise StoreError(f"{store_dir}: not a kg store (no valid {MARK}); {hint}")
    opener = getattr(ox.Store, "read_only", None) if read_only else None
    try:
        return opener(str(store)) if opener is not None else ox.Store(str(store))
    except OSError as err:
        raise StoreError(f"{store_dir}: cannot be opened: {str(err)[:300]}") from None


# ---------------------------------------------------------------- command line


def register(subparsers) -> None:
    """Add `kg load OUT_DIR --store DIR [-q]`."""
    p = subparsers.add_parser(
        "load", help="bulk-load a build's graph into an on-disk Oxigraph store (for query/serve --store)",
        description="Load OUT_DIR/graph.nt (else graph.ttl, else shards/*.nt) into a persistent Oxigraph "
                    "store at DIR, replacing the store made there by an earlier `kg load`. "
                    "`kg query --store DIR` and `kg serve --store DIR` then query it in place.")
    p.add_argument("out", metavar="OUT_DIR", help="a `kg build --format nt` (or ttl) output folder")
    p.add_argument("--store", required=True, metavar="DIR",
                   help="store folder: made, or replaced if it holds a store made by `kg load`")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary line")
    p.set_defaults(func=run)


def run(args) -> int:
    """0 on success; 2, with one line on stderr, when nothing could be loaded (the old store is kept)."""
    try:
        info = load_store(args.out, args.store, quiet=args.quiet)
    except (StoreError, OSError, ImportError) as err:
        print(f"kg: error: {' '.join(str(err).split())}", file=sys.stderr)
        return 2
    if not args.quiet:
        seconds = info["seconds"]
        rate = info["triples"] / seconds if seconds > 0 else 0.0
        source = info["files"][0] if len(info["files"]) == 1 else f"{len(info['files'])} shards"
        print(f"kg: loaded {info['triples']:,} triples from {source} and the ontology into {args.store} "
              f"in {seconds:.2f} s ({rate:,.0f} triples/s)")
    return 0
