"""kg: a knowledge-graph builder for Chinese economic news.

    >>> import kg
    >>> result = kg.build(["seeds/"])          # doctest: +SKIP
    >>> result.graph                            # the rdflib Graph
    >>> result.to_networkx()                    # a networkx MultiDiGraph
    >>> result.write("output/")                 # graph.ttl, .html, .graphml, .json
"""

__version__ = "0.1.0"


def build(paths, **options):
    """Build the knowledge graph from files, folders or '-' (stdin); see kg.pipeline.core.build."""
    from kg.pipeline.core import build as _build

    return _build(paths, **options)


__all__ = ["build", "__version__"]
