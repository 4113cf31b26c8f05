"""Where a build keeps its page facts (the cache `--update` reuses) and its shards."""


import hashlib
import os
import pickle
import tempfile
from dataclasses import replace
from pathlib import Path

from kg import __version__
from kg.assets import shipped
from kg.model import PageFacts
from kg.write.formats import NAMES as FORMATS  # noqa: F401  (the format table's names, for old imports)

CACHE_DIR = ".kg-cache"
SHARD_DIR = "shards"
NETWORK_DIR = "network"  # under the cache: the shards' parts of the networkx graph, and their merge
SHARD_PAGES = 64       # input files per shard: the unit of work of step 3
ENTITY_SHARD = "entities.nt"


# --- where a build keeps its page facts and shards ------------------------------------------

class Workspace:
    """An output folder's `.kg-cache/` (page facts) and `shards/` (N-Triples), or a temporary
    folder holding the same when the caller gives no output folder."""

    def __init__(self, root: str | os.PathLike | None = None):
        self._tmp = None
        if root is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="kg-build-")
            root = self._tmp.name
        self.root = Path(root)
        self.cache = self.root / CACHE_DIR
        self.shards = self.root / SHARD_DIR
        self.network = self.cache / NETWORK_DIR

    def make(self) -> "Workspace":
        self.cache.mkdir(parents=True, exist_ok=True)
        self.shards.mkdir(parents=True, exist_ok=True)
        self.network.mkdir(parents=True, exist_ok=True)
        return self

    def page_file(self, name: str) -> Path:
        return self.cache / page_file_name(name)

    def shard_files(self) -> list[Path]:
        return sorted(self.shards.glob("*.nt"))

    def prune(self, names) -> None:
        """Drop cached pages that are not part of this build (deleted or failed files)."""
        keep = {page_file_name(n) for n in names}
        for old in self.cache.glob("*.pkl"):
            if old.name not in keep:
                old.unlink()


def page_file_name(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:16] + ".pkl"


def save_page(path: Path, options: dict, page: PageFacts) -> None:
    """Options, then the page without its relations and observations, then those: a reader
    that needs only the entities stops after the second object."""
    head = replace(page, relations=[], observations=[])
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(options, fh, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(head, fh, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump((page.relations, page.observations), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


class CacheError(ValueError):
    """An --update folder whose cache is missing or was made by another version or options."""


def load_page(path: Path, options: dict | None = None, head_only: bool = False) -> PageFacts:
    try:
        with open(path, "rb") as fh:
            opts = pickle.load(fh)
            if options is not None and opts != options:
                raise CacheError(f"{path.parent.parent}: made by another kg version, data or options ({opts}); "
                                 "run a full build")
            page = pickle.load(fh)
            if not head_only:
                page.relations, page.observations = pickle.load(fh)
    except CacheError:
        raise
    except Exception as err:  # a truncated or foreign file
        raise CacheError(f"{path}: unreadable cache entry ({type(err).__name__}); run a full build") from None
    return page


def load_heads(ws: Workspace, options: dict) -> dict[str, PageFacts]:
    """The cached pages of an earlier build (articles and entities only), for --update."""
    if not ws.cache.is_dir():
        raise CacheError(f"{ws.root}: no earlier build here to update (no {CACHE_DIR} folder); run a full build")
    heads = {}
    for path in sorted(ws.cache.glob("*.pkl")):
        page = load_page(path, options, head_only=True)
        heads[page.name] = page
    return heads


def data_files(folder, prefix: str = "") -> list[tuple[str, bytes]]:
    """(path under the folder, bytes) of every shipped data file, word lists included, by path."""
    found = []
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.is_dir():
            found += data_files(item, f"{prefix}{item.name}/")
        else:
            found.append((prefix + item.name, item.read_bytes()))
    return found


def build_options(year, user_dicts) -> dict:
    """What page facts depend on besides their file (kg's version, the year, every shipped
    data file and the user's dictionaries): a cache made otherwise is not reused."""
    digest = hashlib.sha1()
    for name, data in data_files(shipped("data")):
        digest.update(f"{name}\x1f".encode("utf-8") + data + b"\x1e")
    for path in user_dicts:
        digest.update(f"{Path(path).read_text(encoding='utf-8')}\x1e".encode("utf-8"))
    return {"version": __version__, "year": year, "format": 2, "data": digest.hexdigest()}
