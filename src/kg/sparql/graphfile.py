"""Reading a graph file, the one way every command does: the format from the file's suffix
(Turtle when it says nothing), and one `GraphError` with a one-line message when the file is
missing or cannot be parsed.

    read_graph(Path("output/graph.trig"))   # an rdflib Graph, named graphs merged (checks)
    read_rdflib(path) / read_oxigraph(path)  # what the two query engines run on

The engines' copies also hold the ontology (ontology/kg.ttl) beside the data, as GraphDB
users expect: `?c rdfs:subClassOf kg:Region`, the labels and comments of every class and
property answer from `kg query` and `kg serve`. The checks (read_graph) see the data alone.
"""

from __future__ import annotations

from pathlib import Path

from kg.assets import shipped

__all__ = ["GraphError", "FORMATS", "rdf_format", "is_graph_file", "read_graph", "read_rdflib", "read_oxigraph",
           "one_line", "ontology_turtle"]

# file suffix → (oxigraph RdfFormat attribute, rdflib parser name)
FORMATS = {
    ".ttl": ("TURTLE", "turtle"), ".turtle": ("TURTLE", "turtle"),
    ".nt": ("N_TRIPLES", "nt"), ".ntriples": ("N_TRIPLES", "nt"),
    ".trig": ("TRIG", "trig"), ".nq": ("N_QUADS", "nquads"), ".nquads": ("N_QUADS", "nquads"),
    ".jsonld": ("JSON_LD", "json-ld"), ".json-ld": ("JSON_LD", "json-ld"),
    ".rdf": ("RDF_XML", "xml"), ".owl": ("RDF_XML", "xml"), ".xml": ("RDF_XML", "xml"),
    ".n3": ("N3", "n3"),
}
_TURTLE = ("TURTLE", "turtle")
# rdflib parsers whose files may hold named graphs: read into a Dataset, not a Graph
_WITH_NAMED_GRAPHS = frozenset({"trig", "nquads", "json-ld"})


class GraphError(ValueError):
    """A graph file that is missing or cannot be parsed; the message names the file, on one line."""

    def __init__(self, path, reason):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


def one_line(text, limit: int = 240) -> str:
    """TEXT with its whitespace runs made single spaces, cut with … past LIMIT characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rdf_format(path: Path) -> tuple[str, str]:
    """(oxigraph RdfFormat attribute, rdflib parser name) of a file, by its suffix; Turtle by default."""
    return FORMATS.get(path.suffix.lower(), _TURTLE)


def is_graph_file(text: str | None) -> bool:
    """Whether TEXT names an existing file with an RDF suffix (graph.ttl, data.nq, …)."""
    if not text or "\n" in text or Path(text).suffix.lower() not in FORMATS:
        return False
    try:
        return Path(text).is_file()
    except OSError:  # a name too long to be a file
        return False


def _existing(path) -> Path:
    p = Path(path)
    if not p.is_file():
        raise GraphError(p, "no such graph file")
    return p


def _cannot_parse(p: Path, err: Exception) -> GraphError:
    return GraphError(p, "cannot be parsed: " + one_line(str(err) or err.__class__.__name__, 200))


def _parse(target, p: Path, parser: str):
    try:
        target.parse(str(p), format=parser)
    except Exception as err:  # rdflib's parsers raise many unrelated exception types
        raise _cannot_parse(p, err) from None
    return target


def read_graph(path):
    """All triples of the file in one rdflib Graph: named graphs (TriG, N-Quads, JSON-LD) are
    merged, as scoring and validation look at the whole graph."""
    from rdflib import Dataset, Graph

    p = _existing(path)
    parser = rdf_format(p)[1]
    if parser not in _WITH_NAMED_GRAPHS:
        return _parse(Graph(), p, parser)
    merged = Graph()
    for s, pred, o, _ in _parse(Dataset(), p, parser).quads((None, None, None, None)):
        merged.add((s, pred, o))
    return merged


def ontology_turtle() -> bytes:
    """The ontology kg writes its graphs in (ontology/kg.ttl), as Turtle."""
    return (shipped("ontology") / "kg.ttl").read_bytes()


def read_rdflib(path, with_ontology: bool = True):
    """The file for rdflib's query engine: a Graph, or a Dataset whose default graph is the
    union of its named graphs, so a query sees every triple as SPARQL over a build does;
    with the ontology's triples added unless with_ontology=False."""
    from rdflib import Dataset, Graph

    p = _existing(path)
    parser = rdf_format(p)[1]
    if parser in _WITH_NAMED_GRAPHS:
        graph = _parse(Dataset(default_union=True), p, parser)
    else:
        graph = _parse(Graph(bind_namespaces="none"), p, parser)
    if with_ontology:
        graph.parse(data=ontology_turtle(), format="turtle")
    return graph


def read_oxigraph(path, with_ontology: bool = True):
    """The file loaded into an in-memory pyoxigraph.Store, with the ontology's triples unless
    with_ontology=False."""
    import pyoxigraph as ox

    store = _read_oxigraph(_existing(path))
    if with_ontology:
        store.load(ontology_turtle(), format=ox.RdfFormat.TURTLE)
    return store


def _read_oxigraph(p: Path):
    import pyoxigraph as ox

    ox_name, _ = rdf_format(p)
    store = ox.Store()
    fmt = getattr(getattr(ox, "RdfFormat", None), ox_name, None)
    if fmt is None:  # a format this pyoxigraph cannot read (JSON-LD before 0.5): rdflib parses it
        g = read_rdflib(p, with_ontology=False)
        data = g.serialize(format="nquads" if hasattr(g, "quads") else "nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_QUADS)
        return store
    try:
        store.load(path=str(p), format=fmt)
    except Exception as err:  # SyntaxError for bad data, OSError/ValueError for the rest
        raise _cannot_parse(p, err) from None
    return store
