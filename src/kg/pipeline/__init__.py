"""The build: runs extraction over many files and merges what it found.

Owns the workspace and its cache, the tasks handed to workers, the runners (a local
process pool, Dask) that run them, the order-free merge of entities, the build
result that writes the output files through `kg.write`, and the `kg build` command.

It may import `kg.extract` and `kg.write`; never `kg.sparql`, `kg.check` or `kg.cli`.
"""
