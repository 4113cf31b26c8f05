"""Scoring a graph against gold annotations, exactly as shared/spec/GOLD.md describes.

Per gold file: the graph's entities, relations and observations that come from the
articles of that file are matched one-to-one against the gold; counts are summed over
files (micro-averaged). Entities match on type and any normalised label; relations on
subject, predicate family and object; monetary observations on entity and value (0.5 %).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from kg.vocab import ENTITY_CLASSES, KG, PROV, RDF, RDFS, SKOS

FAMILY = {"partOf": "partOf", "locatedIn": "locatedIn", "tradesWith": "trade", "exportsTo": "trade",
          "importsFrom": "trade", "exports": "product-trade", "imports": "product-trade",
          "participatesIn": "participatesIn"}
FAMILIES = ("partOf", "locatedIn", "trade", "product-trade", "participatesIn")
# within the product-trade family exports and imports stay distinct; trade predicates become one
_MATCH_PREDICATE = {"tradesWith": "trade", "exportsTo": "trade", "importsFrom": "trade"}
_QUOTES = re.compile(r"[\s“”‘’\"'「」『』]")


class GoldError(ValueError):
    """A gold file that cannot be read: names the file and the reason."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")


class GraphError(ValueError):
    """A graph file that cannot be parsed: names the file and the reason."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")


def normalise_name(s: str) -> str:
    return _QUOTES.sub("", unicodedata.normalize("NFKC", s))


@dataclass
class Score:
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

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.n_pred += other.n_pred
        self.n_gold += other.n_gold

    def to_dict(self) -> dict:
        return {"tp": self.tp, "n_pred": self.n_pred, "n_gold": self.n_gold,
                "p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4)}


@dataclass
class Report:
    entities: dict[str, Score] = field(default_factory=dict)
    relations: dict[str, Score] = field(default_factory=dict)
    observations: Score = field(default_factory=Score)
    attributes: dict[str, list[int]] = field(default_factory=dict)   # name -> [correct, matched]
    errors: list[dict] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        correct, matched = self.attributes.get(name, [0, 0])
        return correct / matched if matched else 0.0

    def to_dict(self) -> dict:
        return {
            "entities": {k: v.to_dict() for k, v in self.entities.items()},
            "relations": {k: v.to_dict() for k, v in self.relations.items()},
            "observations": {**self.observations.to_dict(),
                             **{name: round(self.accuracy(name), 4) for name in ("growth", "partner", "period", "product")}},
            "errors": self.errors,
        }

    def format_table(self) -> str:
        def row(name, s: Score):
            return f"{name:<18}{s.p:>7.3f}{s.r:>7.3f}{s.f1:>7.3f}{s.tp:>7}{s.n_pred:>7}{s.n_gold:>7}"

        head = f"{'':<18}{'P':>7}{'R':>7}{'F1':>7}{'tp':>7}{'pred':>7}{'gold':>7}"
        lines = ["Entities", head] + [row(k, v) for k, v in self.entities.items()]
        lines += ["", "Relations", head] + [row(k, v) for k, v in self.relations.items()]
        lines += ["", "Monetary observations", head, row("observations", self.observations)]
        for name in ("growth", "partner", "period", "product"):
            correct, matched = self.attributes.get(name, [0, 0])
            lines.append(f"  {name:<16}{self.accuracy(name):>7.3f}  ({correct}/{matched} matched correct)")
        return "\n".join(lines)


def load_gold(directory) -> list[dict]:
    """Every *.json gold file of a folder, sorted by name; a malformed one raises GoldError."""
    files = sorted(Path(directory).glob("*.json"))
    if not files:
        raise GoldError(directory, "no gold *.json files in this folder")
    out = []
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            for key in ("file", "entities", "relations", "observations"):
                if key not in data:
                    raise KeyError(key)
            ids = {e["id"] for e in data["entities"]}
            for e in data["entities"]:
                e["type"], e["name"], e.setdefault("aliases", [])
            for r in data["relations"]:
                if r["s"] not in ids or r["o"] not in ids or r["p"] not in FAMILY:
                    raise ValueError(f"relation {r} names an unknown entity or predicate")
            for o in data["observations"]:
                o["entity"], o["value"]
        except json.JSONDecodeError as err:
            raise GoldError(path, f"not valid JSON ({err.msg} at line {err.lineno})") from None
        except KeyError as err:
            raise GoldError(path, f"missing key {err}") from None
        except (TypeError, ValueError) as err:
            raise GoldError(path, str(err)) from None
        out.append(data)
    return out


class _GraphView:
    """The parts of the graph the scorer needs, indexed once."""

    def __init__(self, g: Graph):
        self.g = g
        self.types = {}
        for cls in ENTITY_CLASSES:
            for s in g.subjects(RDF.type, KG[cls]):
                self.types[s] = cls
        self.labels = {s: {normalise_name(str(o)) for o in
                           list(g.objects(s, RDFS.label)) + list(g.objects(s, SKOS.altLabel))}
                       for s in self.types}
        self.article_file = {a: str(g.value(a, KG.sourceFile)) for a in g.subjects(RDF.type, KG.Article)}

    def articles_of(self, file: str) -> set:
        return {a for a, f in self.article_file.items() if f == file}


def _entity_matches(view: _GraphView, node, gold_entity: dict) -> bool:
    if view.types.get(node) != gold_entity["type"]:
        return False
    names = {normalise_name(gold_entity["name"])} | {normalise_name(a) for a in gold_entity.get("aliases", [])}
    return bool(view.labels.get(node, set()) & names)


def _period(gold: str | None) -> tuple | None:
    if not gold:
        return None
    if "/" in gold:
        a, b = gold.split("/")
        return a, b
    if len(gold) == 4:
        return f"{gold}-01", f"{gold}-12"
    return gold, gold


def _score_file(view: _GraphView, gold: dict, report: Report) -> None:
    g = view.g
    arts = view.articles_of(gold["file"])
    gid = {e["id"]: e for e in gold["entities"]}
    ents = sorted((s for s in view.types if arts & set(g.objects(s, KG.mentionedIn))), key=str)
    ent_set = set(ents)
    # entities, per class, one-to-one
    for cls in ENTITY_CLASSES:
        pred = [s for s in ents if view.types[s] == cls]
        golds = [e for e in gold["entities"] if e["type"] == cls]
        used = set()
        score = Score(n_pred=len(pred), n_gold=len(golds))
        for s in pred:
            hit = next((i for i, e in enumerate(golds) if i not in used and _entity_matches(view, s, e)), None)
            if hit is None:
                report.errors.append({"file": gold["file"], "kind": "entity FP", "class": cls, "name": str(g.value(s, RDFS.label))})
            else:
                used.add(hit)
                score.tp += 1
        for i, e in enumerate(golds):
            if i not in used:
                report.errors.append({"file": gold["file"], "kind": "entity FN", "class": cls, "name": e["name"]})
        report.entities.setdefault(cls, Score()).add(score)
    # relations, per family
    pred_rel = set()
    for st in g.subjects(RDF.type, RDF.Statement):
        p = g.value(st, RDF.predicate)
        name = str(p).rsplit("#", 1)[-1]
        if name not in FAMILY:
            continue
        s, o, src = g.value(st, RDF.subject), g.value(st, RDF.object), g.value(st, PROV.wasDerivedFrom)
        if src in arts or (name == "partOf" and src not in view.article_file and s in ent_set and o in ent_set):
            pred_rel.add((s, _MATCH_PREDICATE.get(name, name), o))
    gold_rel = {(r["s"], _MATCH_PREDICATE.get(r["p"], r["p"]), r["o"]) for r in gold["relations"]}
    family_of = {"trade": "trade", **{k: v for k, v in FAMILY.items()}}
    used = set()
    per_family = {f: Score() for f in FAMILIES}
    for s, p, o in sorted(pred_rel, key=lambda t: tuple(map(str, t))):
        fam = family_of[p]
        per_family[fam].n_pred += 1
        hit = next((r for r in sorted(gold_rel) if r not in used and r[1] == p
                    and _entity_matches(view, s, gid[r[0]]) and _entity_matches(view, o, gid[r[2]])), None)
        if hit:
            used.add(hit)
            per_family[fam].tp += 1
        else:
            report.errors.append({"file": gold["file"], "kind": "relation FP", "family": fam,
                                  "s": str(g.value(s, RDFS.label)), "p": p, "o": str(g.value(o, RDFS.label))})
    for r in sorted(gold_rel):
        per_family[family_of[r[1]]].n_gold += 1
        if r not in used:
            report.errors.append({"file": gold["file"], "kind": "relation FN", "family": family_of[r[1]],
                                  "s": gid[r[0]]["name"], "p": r[1], "o": gid[r[2]]["name"]})
    for fam, sc in per_family.items():
        report.relations.setdefault(fam, Score()).add(sc)
    # monetary observations
    obs = sorted((ob for ob in g.subjects(RDF.type, KG.Observation)
                  if g.value(ob, PROV.wasDerivedFrom) in arts and str(g.value(ob, KG.unit)) in ("CNY", "USD")), key=str)
    golds = gold["observations"]
    used = set()
    score = Score(n_pred=len(obs), n_gold=len(golds))
    for ob in obs:
        entity, value = g.value(ob, KG.observedEntity), float(g.value(ob, KG.value))
        hit = next((i for i, go in enumerate(golds) if i not in used and go["entity"] in gid
                    and _entity_matches(view, entity, gid[go["entity"]])
                    and abs(value - go["value"]) <= 0.005 * abs(go["value"])), None)
        if hit is None:
            report.errors.append({"file": gold["file"], "kind": "observation FP",
                                  "entity": str(g.value(entity, RDFS.label)), "value": value,
                                  "evidence": str(g.value(ob, KG.evidence))})
            continue
        used.add(hit)
        score.tp += 1
        go = golds[hit]
        growth = g.value(ob, KG.growthRate)
        checks = {
            "growth": (go.get("growth") is None and growth is None) or (
                go.get("growth") is not None and growth is not None and abs(float(growth) - go["growth"]) <= 0.05),
            "period": _period(go.get("period")) == (
                (str(g.value(ob, KG.periodStart)), str(g.value(ob, KG.periodEnd)))
                if g.value(ob, KG.periodStart) is not None else None),
        }
        for attr, prop in (("partner", KG.partner), ("product", KG.product)):
            node = g.value(ob, prop)
            want = go.get(attr)
            checks[attr] = (want is None and node is None) or (
                want is not None and node is not None and want in gid and _entity_matches(view, node, gid[want]))
        for attr, ok in checks.items():
            counts = report.attributes.setdefault(attr, [0, 0])
            counts[0] += int(ok)
            counts[1] += 1
            if not ok:
                report.errors.append({"file": gold["file"], "kind": f"observation {attr} wrong",
                                      "entity": str(g.value(entity, RDFS.label)), "value": value,
                                      "gold": go.get(attr), "evidence": str(g.value(ob, KG.evidence))})
    for i, go in enumerate(golds):
        if i not in used:
            report.errors.append({"file": gold["file"], "kind": "observation FN",
                                  "entity": gid.get(go["entity"], {}).get("name"), "value": go["value"],
                                  "evidence": go.get("evidence")})
    report.observations.add(score)


def evaluate(graph: Graph, gold_files: list[dict]) -> Report:
    """Score an rdflib Graph against loaded gold files."""
    view = _GraphView(graph)
    report = Report()
    for gold in gold_files:
        _score_file(view, gold, report)
    total = Score()
    for s in report.entities.values():
        total.add(s)
    report.entities["ALL"] = total
    total = Score()
    for s in report.relations.values():
        total.add(s)
    report.relations["ALL"] = total
    return report


_FORMATS = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".jsonld": "json-ld", ".nq": "nquads"}


def evaluate_path(graph_path, gold_dir) -> Report:
    """Parse a graph file and score it against a gold folder."""
    gold = load_gold(gold_dir)
    path = Path(graph_path)
    if not path.is_file():
        raise GraphError(path, "no such graph file")
    try:
        g = Graph().parse(str(path), format=_FORMATS.get(path.suffix.lower(), "turtle"))
    except Exception as err:  # rdflib raises many parser-specific types
        raise GraphError(path, f"cannot be parsed: {str(err).splitlines()[0][:200]}") from None
    return evaluate(g, gold)
