"""kg: a knowledge-graph builder for Chinese economic news.

    >>> import kg
    >>> result = kg.build(["seeds/"])          # doctest: +SKIP
    >>> result.graph                            # the rdflib Graph
    >>> result.to_networkx()                    # a networkx MultiDiGraph
    >>> result.write("output/")                 # graph.ttl, .html, .graphml, .json
    >>> g = kg.load("output/")                  # a build reopened (kg.api)
    >>> g.query("partners-by-growth", place="长沙")   # rows as dicts
    >>> g.to_dataframe("SELECT ...")            # pandas (pip install 'kg[pandas]')
    >>> g.to_networkx()                         # graph.json as a networkx MultiDiGraph
"""

import importlib

__version__ = "0.1.0"


def build(paths, **options):
    """Build the knowledge graph from files, folders or '-' (stdin); see kg.pipeline.core.build."""
    from kg.pipeline.core import build as _build

    return _build(paths, **options)


def load(out="output", engine: str = "auto"):
    """Reopen a build's output folder (or graph file) to query it; see kg.api.load."""
    # imported by name when called: the low layers import this package (for __version__),
    # and must not reach kg.api, which sits on top of kg.sparql and kg.write
    return importlib.import_module("kg.api").load(out, engine)


__all__ = ["build", "load", "__version__"]
