"""Checks of a built graph: scoring against gold (`evaluate`), SHACL validation
(`validate`) and the ontology's documentation (`ontology_doc`).

It reads graphs through `kg.sparql`; it never builds one.
"""
