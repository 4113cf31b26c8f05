"""Extraction: text in, page facts out.

Owns reading a file (`read`), normalising OCR'd text (`normalise`), cutting pages into
articles and sentences (`split`), numbers, amounts and periods (`numbers`), the
gazetteer and word lists (`gazetteer`, ``kg/data``), finding mentions (`recognise`),
linking them to entity IRIs (`link`) and the relation and observation rules (`relate`).

It knows nothing of RDF, of files written or of processes: it may import only
`kg.model`, `kg.vocab` and `kg.assets` beside itself (checked by import-linter).
"""
