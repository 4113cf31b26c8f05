"""Plain records that flow between the pipeline stages (no RDF here)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Sentence:
    """A sentence of an article: its text and its span in the page's normalised text."""

    text: str
    start: int
    end: int


@dataclass
class Article:
    """One article of a page. Offsets: start/end in normalised text, char_start/char_end in the file."""

    source: str            # the input file's name
    index: int             # position on the page, from 1
    title: str | None
    date: str | None       # ISO date, 2023-11-15
    year: int | None
    start: int
    end: int
    char_start: int
    char_end: int
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Stable identifier: file stem and position, e.g. 000_ab0ef6abe0b58fe4-1; a file in a
        subfolder of the input keeps its folders (2023/05/page-1), so same-named pages differ."""
        folder, _, name = self.source.rpartition("/")
        stem = name.rsplit(".", 1)[0]
        return f"{folder}/{stem}-{self.index}" if folder else f"{stem}-{self.index}"


@dataclass
class Mention:
    """A name found in a sentence: surface text, class, span (normalised page offsets)."""

    text: str
    cls: str               # ENTITY_CLASSES name
    start: int
    end: int
    key: str               # reference key: adcode, ISO code, bloc slug, or the canonical name
    source: str            # 'gazetteer', 'pattern', 'user'
    canonical: str = ""    # canonical label when known from reference data


@dataclass
class Entity:
    """A linked entity: one IRI, its class, canonical label, aliases and the articles naming it."""

    iri: str
    cls: str
    label: str
    aliases: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    adcode: str | None = None
    iso_code: str | None = None
    lat: float | None = None
    long: float | None = None
    parent: str | None = None  # IRI of the parent region (regions only)


@dataclass
class Relation:
    """A relation with its provenance: the article (or reference table) and the sentence."""

    subject: str
    predicate: str
    object: str
    source: str            # article key, or "gb2260" for the administrative table
    evidence: str | None
    confidence: float


@dataclass
class Observation:
    """One statistic of an entity: value in base units, growth, period, partner, product.
    A growth stated without a figure (对韩国进出口增长2.3%) has no value and no unit ("")."""

    entity: str
    indicator: str
    value: float | None
    unit: str
    article: str
    evidence: str
    growth: float | None = None
    period_label: str | None = None
    period_start: str | None = None  # YYYY-MM
    period_end: str | None = None
    partner: str | None = None
    product: str | None = None
    qualifier: str | None = None
    confidence: float = 0.8


@dataclass
class PageFacts:
    """What one input file yields on its own, in any process: its articles (without their
    sentences), the entities it names (by IRI, with this page's surfaces and articles), and
    its relations and observations, not yet rewritten to the build's merged IRIs.

    `implied` holds entities a page uses without naming (我国 → China) with the articles
    using them; `note` says how the file was read when it was not UTF-8."""

    name: str
    path: str
    digest: str
    articles: list[Article]
    entities: dict[str, Entity]
    relations: list[Relation]
    observations: list[Observation]
    implied: dict[str, set[str]] = field(default_factory=dict)
    note: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
