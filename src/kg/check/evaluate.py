"""Scoring a graph against gold annotations, exactly as shared/spec/GOLD.md describes.

Scores are taken per gold file and summed (micro-averaged): for each gold file only the
graph's entities, relations and observations that come from that file's articles are
compared with it, matched one-to-one. Entities match on type and any normalised label;
relations on subject, predicate (tradesWith/exportsTo/importsFrom as one) and object;
monetary observations on entity and a value within 0.5 %.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.sparql.graphfile import read_graph
from kg.vocab import ENTITY_CLASSES, KG, KG_NS, PROV, RDF, RDFS, RELATIONS, SKOS

# predicate -> the key it is matched under (the three trade predicates count as one)
MATCH_KEY = {p: p for p in RELATIONS} | {"exportsTo": "tradesWith", "importsFrom": "tradesWith"}
# match key -> the family it is reported under
FAMILY = {"partOf": "partOf", "locatedIn": "locatedIn", "tradesWith": "trade",
          "exports": "product-trade", "imports": "product-trade", "participatesIn": "participatesIn"}
FAMILIES = ("partOf", "locatedIn", "trade", "product-trade", "participatesIn")
ATTRIBUTES = ("growth", "partner", "period", "product")
MONETARY_UNITS = frozenset({"CNY", "USD"})
VALUE_TOLERANCE = 0.005   # relative, GOLD.md: "within 0.5 % of the gold value"
GROWTH_TOLERANCE = 0.05   # percentage points
_IGNORED = re.compile(r"[\s“”‘’\"'「」『』]")
_PERIOD = re.compile(r"\d{4}(-\d{2}(/\d{4}-\d{2})?)?")


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the file, on one line."""

    def __init__(self, path, reason):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


def normalise_name(text: str) -> str:
    """NFKC without whitespace and quote marks, so 「新三样」 and “新三样” compare equal."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", str(text)))


# ---------------------------------------------------------------- scores


@dataclass
class Score:
    """Counts for one class or family; P, R and F1 are derived so sums stay exact."""

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    @property
    def p(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.n_pred += other.n_pred
        self.n_gold += other.n_gold

    def to_dict(self) -> dict:
        return {"tp": self.tp, "n_pred": self.n_pred, "n_gold": self.n_gold,
                "p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4)}


@dataclass
class ObservationScore(Score):
    """Observation counts plus, among the matched (tp), how many have each attribute right."""

    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ATTRIBUTES, 0))

    def accuracy(self, attribute: str) -> float:
        return self.correct[attribute] / self.tp if self.tp else 0.0

    def to_dict(self) -> dict:
        out = super().to_dict()
        for a in ATTRIBUTES:
            out[a] = {"correct": self.correct[a], "matched": self.tp, "accuracy": round(self.accuracy(a), 4)}
        return out


def _empty_errors() -> dict:
    return {
        "entities": {c: {"fp": [], "fn": []} for c in ENTITY_CLASSES},
        "relations": {f: {"fp": [], "fn": []} for f in FAMILIES},
        "observations": {"fp": [], "fn": [], **{a: [] for a in ATTRIBUTES}},
    }


@dataclass
class Report:
    """The scores of one evaluation, and the misses behind them for debugging."""

    entities: dict[str, Score] = field(default_factory=lambda: {c: Score() for c in ENTITY_CLASSES})
    relations: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FAMILIES})
    observations: ObservationScore = field(default_factory=ObservationScore)
    errors: dict = field(default_factory=_empty_errors)

    def accuracy(self, attribute: str) -> float:
        """Share of matched observations with this attribute (growth, partner, period, product) right."""
        return self.observations.accuracy(attribute)

    def to_dict(self) -> dict:
        return {
            "entities": {k: v.to_dict() for k, v in self.entities.items()},
            "relations": {k: v.to_dict() for k, v in self.relations.items()},
            "observations": self.observations.to_dict(),
            "errors": self.errors,
        }

    def format_table(self) -> str:
        head = f"{'':<18}{'P':>7}{'R':>7}{'F1':>7}{'tp':>7}{'pred':>7}{'gold':>7}"

        def row(name: str, s: Score) -> str:
            return f"{name:<18}{s.p:>7.3f}{s.r:>7.3f}{s.f1:>7.3f}{s.tp:>7}{s.n_pred:>7}{s.n_gold:>7}"

        lines = ["Entities", head, *(row(k, v) for k, v in self.entities.items())]
        lines += ["", "Relations", head, *(row(k, v) for k, v in self.relations.items())]
        lines += ["", "Monetary observations", head, row("observations", self.observations)]
        for a in ATTRIBUTES:
            lines.append(f"  {a:<16}{self.accuracy(a):>7.3f}  ({self.observations.correct[a]}/"
                         f"{self.observations.tp} matched correct)")
        return "\n".join(lines)


# ---------------------------------------------------------------- gold


def load_gold(directory) -> list[dict]:
    """Every *.json gold file of a folder, sorted by name, checked so scoring cannot trip later."""
    folder = Path(directory)
    files = sorted(folder.glob("*.json"))
    if not files:
        raise GoldError(folder, "no gold *.json files in this folder")
    out = []
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as err:
            raise GoldError(path, f"cannot be read ({err.__class__.__name__})") from None
        except json.JSONDecodeError as err:
            raise GoldError(path, f"not valid JSON ({err.msg} at line {err.lineno})") from None
        problem = _gold_problem(data)
        if problem:
            raise GoldError(path, problem)
        out.append(data)
    return out


def _gold_problem(data) -> str | None:
    """What is wrong with one parsed gold file, or None."""
    if not isinstance(data, dict):
        return "top level is not a JSON object"
    for key, kind in (("file", str), ("entities", list), ("relations", list), ("observations", list)):
        if key not in data:
            return f"missing key '{key}'"
        if not isinstance(data[key], kind):
            return f"'{key}' is not a {kind.__name__}"
    ids: set = set()
    return (_entities_problem(data["entities"], ids) or _relations_problem(data["relations"], ids)
            or _observations_problem(data["observations"], ids))


def _entities_problem(entities: list, ids: set) -> str | None:
    """The first bad entity's problem, or None; IDS gets the ids of the good ones."""
    for n, e in enumerate(entities):
        missing = _missing(e, ("id", "type", "name"))
        if missing:
            return f"entity {n}: missing key '{missing}'"
        if e["type"] not in ENTITY_CLASSES:
            return f"entity {e['id']}: unknown type '{e['type']}'"
        if not isinstance(e.get("aliases", []), list):
            return f"entity {e['id']}: 'aliases' is not a list"
        ids.add(e["id"])
    return None


def _relations_problem(relations: list, ids: set) -> str | None:
    for n, r in enumerate(relations):
        missing = _missing(r, ("s", "p", "o"))
        if missing:
            return f"relation {n}: missing key '{missing}'"
        if r["p"] not in MATCH_KEY:
            return f"relation {n}: unknown predicate '{r['p']}'"
        if r["s"] not in ids or r["o"] not in ids:
            return f"relation {n}: names an entity id that is not in 'entities'"
    return None


def _observations_problem(observations: list, ids: set) -> str | None:
    for n, o in enumerate(observations):
        problem = _observation_problem(o, ids)
        if problem:
            return f"observation {n}: {problem}"
    return None


def _observation_problem(o, ids: set) -> str | None:
    missing = _missing(o, ("entity", "value"))
    if missing:
        return f"missing key '{missing}'"
    if o["entity"] not in ids or any(o.get(k) is not None and o[k] not in ids for k in ("partner", "product")):
        return "names an entity id that is not in 'entities'"
    if not _is_number(o["value"]) or (o.get("growth") is not None and not _is_number(o["growth"])):
        return "value or growth is not a number"
    if o.get("period") is not None and not (isinstance(o["period"], str) and _PERIOD.fullmatch(o["period"])):
        return f"period '{o['period']}' is not YYYY, YYYY-MM or YYYY-MM/YYYY-MM"
    return None


def _missing(item, keys) -> str | None:
    if not isinstance(item, dict):
        return keys[0]
    return next((k for k in keys if k not in item), None)


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _gold_period(period: str | None) -> tuple[str, str] | None:
    """GOLD.md periods as (start, end) months: YYYY is the whole year, YYYY-MM one month."""
    if not period:
        return None
    if "/" in period:
        start, end = period.split("/")
        return start, end
    if len(period) == 4:
        return f"{period}-01", f"{period}-12"
    return period, period


# ---------------------------------------------------------------- graph


def _local(iri) -> str | None:
    """The kg: local name of an IRI, or None for anything outside the ontology."""
    text = str(iri)
    return text[len(KG_NS):] if text.startswith(KG_NS) else None


def _number(node) -> float | None:
    try:
        return float(node) if node is not None else None
    except (TypeError, ValueError):
        return None


class _GraphIndex:
    """What scoring needs from the graph, read once instead of once per gold file."""

    def __init__(self, g: Graph):
        self.g = g
        self.types: dict = {}
        for cls in ENTITY_CLASSES:
            for node in g.subjects(RDF.type, KG[cls]):
                self.types.setdefault(node, set()).add(cls)
        self.labels = {node: {normalise_name(o) for p in (RDFS.label, SKOS.altLabel) for o in g.objects(node, p)}
                       for node in self.types}
        self.mentioned = {node: set(g.objects(node, KG.mentionedIn)) for node in self.types}
        self.source_file = {a: str(f) for a, f in g.subject_objects(KG.sourceFile)}
        self.statements = []   # (subject, match key, object, sources)
        for st in sorted(set(g.subjects(RDF.type, RDF.Statement)), key=str):
            name = _local(g.value(st, RDF.predicate))
            if name in MATCH_KEY:
                self.statements.append((g.value(st, RDF.subject), MATCH_KEY[name], g.value(st, RDF.object),
                                        set(g.objects(st, PROV.wasDerivedFrom))))
        # gold observations are figures: a growth stated alone (no kg:value) is neither
        self.observations = [ob for ob in sorted(set(g.subjects(RDF.type, KG.Observation)), key=str)
                             if str(g.value(ob, KG.unit)) in MONETARY_UNITS and (ob, KG.value, None) in g]

    def name(self, node) -> str:
        label = self.g.value(node, RDFS.label)
        return str(label) if label is not None else str(node)

    def matches(self, node, gold_entity: dict) -> bool:
        """GOLD.md's entity rule: same type and a label equal to the gold name or an alias."""
        if node is None or gold_entity["type"] not in self.types.get(node, ()):
            return False
        names = {normalise_name(gold_entity["name"])} | {normalise_name(a) for a in gold_entity.get("aliases", [])}
        return not self.labels[node].isdisjoint(names)


def _match(edges: list[tuple[int, int]]) -> dict[int, int]:
    """One-to-one matching of left to right indices, as large as possible.

    Edges are taken greedily in the order given (best first), then augmenting paths
    make the matching maximum, so a greedy choice never costs a true positive.
    """
    adj: dict[int, list[int]] = {}
    pairs: dict[int, int] = {}   # left -> right
    owner: dict[int, int] = {}   # right -> left
    for i, j in edges:
        adj.setdefault(i, []).append(j)
        if i not in pairs and j not in owner:
            pairs[i], owner[j] = j, i

    def augment(i: int, seen: set) -> bool:
        for j in adj[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    pairs[i], owner[j] = j, i
                    return True
        return False

    for i in sorted(adj):
        if i not in pairs:
            augment(i, set())
    return pairs


# ---------------------------------------------------------------- scoring


def evaluate(graph: Graph, gold_files: list[dict]) -> Report:
    """Score an rdflib Graph against loaded gold files, per file, summed."""
    index = _GraphIndex(graph)
    report = Report()
    for gold in gold_files:
        articles = {a for a, f in index.source_file.items() if f == gold["file"]}
        entities = sorted((n for n, arts in index.mentioned.items() if arts & articles), key=str)
        _score_entities(index, gold, entities, report)
        _score_relations(index, gold, articles, set(entities), report)
        _score_observations(index, gold, articles, report)
    for part in (report.entities, report.relations):
        total = Score()
        for score in part.values():
            total.add(score)
        part["ALL"] = total
    return report


def _tally(score: Score, errors: dict, pairs: dict, ours: list, theirs: list, false_positive, false_negative) -> None:
    """Count one matching into SCORE, and list what stayed unmatched on either side in ERRORS."""
    score.add(Score(len(pairs), len(ours), len(theirs)))
    errors["fp"] += [false_positive(x) for i, x in enumerate(ours) if i not in pairs]
    matched = set(pairs.values())
    errors["fn"] += [false_negative(x) for j, x in enumerate(theirs) if j not in matched]


def _score_entities(index: _GraphIndex, gold: dict, entities: list, report: Report) -> None:
    file = gold["file"]
    for cls in ENTITY_CLASSES:
        pred = [n for n in entities if cls in index.types[n]]
        golds = [e for e in gold["entities"] if e["type"] == cls]
        pairs = _match([(i, j) for i, n in enumerate(pred) for j, e in enumerate(golds) if index.matches(n, e)])
        _tally(report.entities[cls], report.errors["entities"][cls], pairs, pred, golds,
               lambda n: {"file": file, "name": index.name(n), "iri": str(n)},
               lambda e: {"file": file, "id": e["id"], "name": e["name"]})


def _score_relations(index: _GraphIndex, gold: dict, articles: set, entities: set, report: Report) -> None:
    """Relations from the file's articles, and partOf links (a table fact) between its entities."""
    pred = {(s, key, o) for s, key, o, sources in index.statements
            if sources & articles or (key == "partOf" and s in entities and o in entities)}
    by_id = {e["id"]: e for e in gold["entities"]}
    golds = {(r["s"], MATCH_KEY[r["p"]], r["o"]) for r in gold["relations"]}
    file = gold["file"]
    for family in FAMILIES:
        ours = sorted((t for t in pred if FAMILY[t[1]] == family), key=lambda t: tuple(map(str, t)))
        theirs = sorted(t for t in golds if FAMILY[t[1]] == family)
        pairs = _match([(i, j) for i, (s, key, o) in enumerate(ours) for j, (gs, gkey, go) in enumerate(theirs)
                        if gkey == key and index.matches(s, by_id[gs]) and index.matches(o, by_id[go])])
        _tally(report.relations[family], report.errors["relations"][family], pairs, ours, theirs,
               lambda t: {"file": file, "s": index.name(t[0]), "p": t[1], "o": index.name(t[2])},
               lambda t: {"file": file, "s": by_id[t[0]]["name"], "p": t[1], "o": by_id[t[2]]["name"]})


def _score_observations(index: _GraphIndex, gold: dict, articles: set, report: Report) -> None:
    g = index.g
    pred = [ob for ob in index.observations if articles & set(g.objects(ob, PROV.wasDerivedFrom))]
    golds = gold["observations"]
    by_id = {e["id"]: e for e in gold["entities"]}
    values = [_number(g.value(ob, KG.value)) for ob in pred]

    # candidate pairs, best first: fewest attributes wrong, then closest value
    edges = []
    for i, ob in enumerate(pred):
        entity = g.value(ob, KG.observedEntity)
        for j, go in enumerate(golds):
            if (values[i] is not None and abs(values[i] - go["value"]) <= VALUE_TOLERANCE * abs(go["value"])
                    and index.matches(entity, by_id[go["entity"]])):
                wrong = sum(not ok for ok, _ in _attributes(index, ob, go, by_id).values())
                edges.append((wrong, abs(values[i] - go["value"]), i, j))
    pairs = _match([(i, j) for *_, i, j in sorted(edges)])
    report.observations.add(Score(len(pairs), len(pred), len(golds)))
    errors = report.errors["observations"]
    for i, ob in enumerate(pred):
        entity = index.name(g.value(ob, KG.observedEntity))
        if i not in pairs:
            errors["fp"].append({"file": gold["file"], "entity": entity, "value": values[i],
                                 "evidence": _text(g.value(ob, KG.evidence))})
            continue
        go = golds[pairs[i]]
        for attribute, (ok, ours) in _attributes(index, ob, go, by_id).items():
            if ok:
                report.observations.correct[attribute] += 1
            else:
                errors[attribute].append({"file": gold["file"], "entity": entity, "value": values[i],
                                          "gold": go.get(attribute), "ours": ours})
    matched = set(pairs.values())
    errors["fn"] += [{"file": gold["file"], "entity": by_id[go["entity"]]["name"], "indicator": go.get("indicator"),
                      "value": go["value"], "evidence": go.get("evidence")}
                     for j, go in enumerate(golds) if j not in matched]


def _attributes(index: _GraphIndex, ob, go: dict, by_id: dict) -> dict[str, tuple[bool, object]]:
    """Each attribute of a matched observation: (right?, our value for the error list)."""
    g = index.g
    growth, want = _number(g.value(ob, KG.growthRate)), go.get("growth")
    growth_ok = (growth is None and want is None) or (
        growth is not None and want is not None and abs(growth - want) <= GROWTH_TOLERANCE + 1e-9)
    start, end = _text(g.value(ob, KG.periodStart)), _text(g.value(ob, KG.periodEnd))
    period = None if start is None and end is None else (start, end)
    shown = None if period is None else f"{start}/{end}"
    out = {"growth": (growth_ok, growth), "period": (period == _gold_period(go.get("period")), shown)}
    for attribute, prop in (("partner", KG.partner), ("product", KG.product)):
        node, want = g.value(ob, prop), go.get(attribute)
        ok = (node is None and want is None) or (
            node is not None and want is not None and index.matches(node, by_id[want]))
        out[attribute] = (ok, index.name(node) if node is not None else None)
    return {a: out[a] for a in ATTRIBUTES}


def _text(node) -> str | None:
    return str(node) if node is not None else None


# ---------------------------------------------------------------- files


def evaluate_path(graph_path, gold_dir) -> Report:
    """Parse a graph file (format from its extension, else Turtle) and score it against a gold folder.

    Raises GoldError or GraphError (kg.sparql.graphfile), each with a one-line message."""
    gold = load_gold(gold_dir)
    return evaluate(read_graph(graph_path), gold)
