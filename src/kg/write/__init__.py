"""Writers: records in, files out.

Owns the triples of the records (N-Triples and Turtle streaming, rdflib formats), the
networkx projection, GraphML, node-link JSON and the HTML page.

It may import only `kg.model`, `kg.vocab` and `kg.assets`: it never runs extraction, a
build or a query.
"""
