"""SPARQL over a built graph: reading graph files, the query engines, result formats,
the read-only endpoint (`serve`) and the on-disk store.

    graphfile  reading .ttl/.nt/.trig/.nq/.jsonld files by suffix; GraphError
    results    Result and Term, the same for both engines; QueryError
    engines    Oxigraph and rdflib: load_graph, run_query
    formats    the text table and the SPARQL 1.1 results formats
    ready      the ready queries of queries/
    guard      refusing SERVICE, LOAD and FROM: no query makes kg open a connection
    worker     running a query in a child process: time limit, size cap, cancellation
    negotiate  which format answers an HTTP Accept header
    query      `kg query`      serve  `kg serve`      store  `kg load` and the on-disk store

It may import `kg.write` (to read what was written) but not `kg.pipeline`, `kg.extract`,
`kg.check` or `kg.cli`.
"""
