"""Where a build keeps its page facts (the cache `--update` reuses) and its shards."""


import contextlib
import fcntl
import functools
import hashlib
import json
import operator
import os
import shutil
import tempfile
from dataclasses import fields, is_dataclass, replace
from pathlib import Path

from kg import __version__
from kg.assets import shipped
from kg.model import Article, Entity, Observation, PageFacts, Relation, Sentence
from kg.write.formats import NAMES as FORMATS  # noqa: F401  (the format table's names, for old imports)

CACHE_DIR = ".kg-cache"
SHARD_DIR = "shards"
NETWORK_DIR = "network"  # under the cache: the shards' parts of the networkx graph, and their merge
SHARD_PAGES = 64       # input files per shard: the unit of work of step 3
ENTITY_SHARD = "entities.nt"


# --- where a build keeps its page facts and shards ------------------------------------------

class CacheError(ValueError):
    """An --update folder whose cache is missing or was made by another version or options."""


class BuildLocked(RuntimeError):
    """Another build is writing into the same output folder."""


LOCK_FILE = ".kg-lock"
KEPT = ".previous"     # suffix of the last build's cache and shards while a new build runs
DROPPED = ".dropped"   # ... and once the new build has succeeded, until they are deleted
_held: dict[str, int] = {}  # output folders this process holds the lock of -> the lock file


@contextlib.contextmanager
def locked(root: str | os.PathLike):
    """Hold the output folder's lock (flock on OUT/.kg-lock) for a build and its write; a second
    build into the same folder is refused at once (BuildLocked), not left to corrupt the first."""
    key = os.path.abspath(root)
    if key in _held:  # the command holds it and calls build()
        yield
        return
    Path(root).mkdir(parents=True, exist_ok=True)
    fd = os.open(os.path.join(root, LOCK_FILE), os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise BuildLocked(f"{root}: another kg build is writing into this folder; wait for it to finish") from None
    _held[key] = fd
    try:
        yield
    finally:
        del _held[key]
        os.close(fd)


class Workspace:
    """An output folder's `.kg-cache/` (page facts) and `shards/` (N-Triples), or a temporary
    folder holding the same when the caller gives no output folder.

    A build never wipes the last one before it succeeds: `begin` moves the last build's cache
    and shards aside (kept), the build makes new ones in their place, and `commit` drops the
    kept ones, or `abandon` puts them back. A build killed in between (kill -9, power cut)
    leaves them aside; the next `begin` puts them back first."""

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

    def _moved(self, folder: Path, suffix: str) -> Path:
        return folder.with_name(folder.name + suffix)

    def recover(self) -> None:
        """Undo what a build killed midway left: its half-made cache and shards give way to
        the kept ones, and files it was writing (.graph.*, .*.tmp) go."""
        for folder in (self.cache, self.shards):
            kept, dropped = self._moved(folder, KEPT), self._moved(folder, DROPPED)
            if kept.exists():
                shutil.rmtree(folder, ignore_errors=True)
                os.replace(kept, folder)
            shutil.rmtree(dropped, ignore_errors=True)
        for tmp in self.root.glob(".graph.*"):
            tmp.unlink()

    def begin(self) -> "Workspace":
        """Move the last build's cache and shards aside and make empty ones."""
        self.recover()
        for folder in (self.cache, self.shards):
            if folder.exists():
                os.replace(folder, self._moved(folder, KEPT))
        return self.make()

    def kept_cache(self) -> Path:
        """Where the last build's cache is while this one runs (for --update)."""
        kept = self._moved(self.cache, KEPT)
        return kept if kept.exists() else self.cache

    def commit(self) -> None:
        """The new build succeeded: drop the kept ones (renamed first, so that a kill midway
        cannot bring them back)."""
        for folder in (self.cache, self.shards):
            kept, dropped = self._moved(folder, KEPT), self._moved(folder, DROPPED)
            if kept.exists():
                os.replace(kept, dropped)
                shutil.rmtree(dropped, ignore_errors=True)

    def abandon(self) -> None:
        """The new build failed or found nothing: the last one's cache and shards come back."""
        self.recover()

    def page_file(self, name: str) -> Path:
        return self.cache / page_file_name(name)

    def shard_files(self) -> list[Path]:
        return sorted(self.shards.glob("*.nt"))


PAGE_SUFFIX = ".page.json"
CACHE_FORMAT = "kg-page-facts"
CACHE_VERSION = 4  # 4: relations and observations as rows of field values


def page_file_name(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:16] + PAGE_SUFFIX


# --- the page cache: JSON lines, data only (never pickle: a cache folder is no place for code) --

@functools.lru_cache(maxsize=None)
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _plain(obj):
    """What JSON cannot say on its own, as JSON data: a dataclass as an object (its fields in
    order), a set as a sorted list. json's C encoder calls this for those only, and walks the
    lists and dicts itself."""
    if is_dataclass(obj):
        return {name: getattr(obj, name) for name in _field_names(type(obj))}
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    raise TypeError(f"{type(obj).__name__} has no place in the page cache")


def _dumps(obj) -> str:
    # ASCII, with \\uXXXX escapes: a file name's undecodable bytes (lone surrogates in `path`) survive
    return json.dumps(obj, separators=(",", ":"), default=_plain)


# relations and observations, the bulk of a page, as rows of their fields in order: read
# in C (operator.attrgetter) and written without a call back per object
_RELATION_ROW = operator.attrgetter(*_field_names(Relation))
_OBSERVATION_ROW = operator.attrgetter(*_field_names(Observation))


def save_page(path: Path, options: dict, page: PageFacts) -> None:
    """Four JSON lines: the format and options, the page without its relations and
    observations, its relations, its observations (each a row of field values): a reader
    that needs only the entities stops after the second."""
    head = replace(page, relations=[], observations=[])
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="ascii", newline="\n") as fh:
        for obj in ({"format": CACHE_FORMAT, "version": CACHE_VERSION, "options": options}, head,
                    list(map(_RELATION_ROW, page.relations)), list(map(_OBSERVATION_ROW, page.observations))):
            fh.write(_dumps(obj) + "\n")
    os.replace(tmp, path)


def _article(d: dict) -> Article:
    return Article(**{**d, "sentences": [Sentence(**x) for x in d["sentences"]]})


def _entity(d: dict) -> Entity:
    return Entity(**{**d, "aliases": set(d["aliases"]), "articles": set(d["articles"])})


def _page(d: dict, entities: bool = True) -> PageFacts:
    return PageFacts(**{**d, "articles": [_article(a) for a in d["articles"]],
                        "entities": {k: _entity(e) for k, e in d["entities"].items()} if entities else {},
                        "relations": [], "observations": [],
                        "implied": {k: set(v) for k, v in d["implied"].items()}})


def load_page(path: Path, options: dict | None = None, head_only: bool = False, entities: bool = True) -> PageFacts:
    """A cached page; head_only: without its relations and observations; entities=False:
    without its entities (a shard writes the merged ones, not the page's)."""
    try:
        with open(path, encoding="ascii") as fh:
            header = json.loads(fh.readline())
            if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT or header.get("version") != CACHE_VERSION:
                raise ValueError("not a kg page cache entry of this version")
            if options is not None and header.get("options") != options:
                raise CacheError(f"{path.parent.parent}: made by another kg version, data or options "
                                 f"({header.get('options')}); run a full build")
            page = _page(json.loads(fh.readline()), entities)
            if not head_only:
                page.relations = [Relation(*row) for row in json.loads(fh.readline())]
                page.observations = [Observation(*row) for row in json.loads(fh.readline())]
    except CacheError:
        raise
    except Exception as err:  # a truncated, damaged or foreign file
        raise CacheError(f"{path}: unreadable cache entry ({type(err).__name__}: {str(err)[:80]}); run a full build") from None
    return page


def load_heads(ws: Workspace, options: dict) -> dict[str, PageFacts]:
    """The cached pages of an earlier build (articles and entities only), for --update."""
    cache = ws.kept_cache()
    if not cache.is_dir():
        raise CacheError(f"{ws.root}: no earlier build here to update (no {CACHE_DIR} folder); run a full build")
    if any(cache.glob("*.pkl")):
        raise CacheError(f"{ws.root}: the cache was made by an older kg (pickle files); run a full build")
    heads = {}
    for path in sorted(cache.glob("*" + PAGE_SUFFIX)):
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
        digest.update(Path(path).read_bytes() + b"\x1e")
    return {"version": __version__, "year": year, "format": CACHE_VERSION, "data": digest.hexdigest()}
