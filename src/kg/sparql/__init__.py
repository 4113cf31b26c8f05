"""SPARQL over a built graph: reading graph files, the query engines, result formats,
the read-only endpoint (`serve`) and the on-disk store.

It may import `kg.write` (to read what was written) but not `kg.pipeline`, `kg.extract`,
`kg.check` or `kg.cli`.
"""
