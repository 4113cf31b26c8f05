"""Writers: records in, files out.

Owns the table of output formats (formats), the triples of the records (triples:
N-Triples and Turtle streaming; graph: the rdflib formats), the one networkx projection
(projection; network: the same made at scale from a build's records), GraphML (graphml),
node-link JSON (nodelink) and the HTML page (page: what it shows; html: how, with the
template files in templates/).

It may import only `kg.model`, `kg.vocab` and `kg.assets`: it never runs extraction, a
build or a query.
"""
