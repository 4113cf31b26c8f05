"""The ontology contract as Python names, so a misspelt term fails at import time.

The terms mirror ontology/kg.ttl (and ../shared/spec/ONTOLOGY.md); never rename one.
"""

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace, RDF, RDFS, SKOS, XSD, OWL

# The one prefix table: every writer, query and check takes its prefixes from here.
KG_NS = "https://w3id.org/zhkg/ontology#"
KGR_NS = "https://w3id.org/zhkg/resource/"
PREFIXES = {
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "kg": KG_NS,
    "kgr": KGR_NS,
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# longest namespace first, so kgr: wins over a shorter prefix of it
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def compact(iri: str, local=None) -> str:
    """``prefix:local`` for an IRI under a known namespace, else the IRI unchanged. LOCAL, a
    compiled pattern, is what a local name may be (Turtle's writer allows only plain names)."""
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and (local is None or local.fullmatch(iri, len(ns))):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


PROV = Namespace(PREFIXES["prov"])
GEO = Namespace(PREFIXES["geo"])
KGR = Namespace(KGR_NS)


class KG(DefinedNamespace):
    """https://w3id.org/zhkg/ontology# — classes, relations and attributes of the contract."""

    _NS = Namespace(KG_NS)
    _fail = True

    # classes
    Article: object
    Region: object
    Province: object
    City: object
    County: object
    Enterprise: object
    Project: object
    IndustryCluster: object
    TradePartner: object
    Country: object
    Territory: object
    EconomicBloc: object
    Platform: object
    Product: object
    Observation: object
    # entity attributes
    mentionedIn: object
    adcode: object
    isoCode: object
    # relations
    partOf: object
    locatedIn: object
    tradesWith: object
    exportsTo: object
    importsFrom: object
    exports: object
    imports: object
    participatesIn: object
    # provenance
    evidence: object
    confidence: object
    # articles
    title: object
    date: object
    sourceFile: object
    charStart: object
    charEnd: object
    # observations
    observedEntity: object
    indicator: object
    partner: object
    product: object
    value: object
    unit: object
    growthRate: object
    periodLabel: object
    periodStart: object
    periodEnd: object
    qualifier: object  # added: 近/约/超/余… kept as written (extension, not in the contract's list)


ENTITY_CLASSES = (
    "Province", "City", "County", "Enterprise", "Project", "IndustryCluster",
    "Country", "Territory", "EconomicBloc", "Platform", "Product",
)
# groups of entity classes the stages reason about
REGION_CLASSES = frozenset({"Province", "City", "County"})
PARTNER_CLASSES = frozenset({"Country", "Territory", "EconomicBloc"})
ORG_CLASSES = frozenset({"Enterprise", "Project", "IndustryCluster", "Platform"})
GEO_CLASSES = REGION_CLASSES | PARTNER_CLASSES
RELATIONS = (
    "partOf", "locatedIn", "tradesWith", "exportsTo", "importsFrom",
    "exports", "imports", "participatesIn",
)

__all__ = ["KG", "KGR", "KG_NS", "KGR_NS", "PREFIXES", "compact", "PROV", "GEO", "RDF", "RDFS", "SKOS", "XSD", "OWL",
           "ENTITY_CLASSES", "RELATIONS", "REGION_CLASSES", "PARTNER_CLASSES", "ORG_CLASSES", "GEO_CLASSES"]
