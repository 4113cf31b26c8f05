"""The scorer on hand-made graphs and gold files: the matching rules of GOLD.md."""

import json

import pytest
from rdflib import Graph, Literal

from kg.check.evaluate import GoldError, evaluate, evaluate_path, load_gold
from kg.sparql.graphfile import GraphError
from kg import vocab
from kg.vocab import KG, KGR, PROV, RDF, RDFS, SKOS

# not XSD itself at module level: pytest probes module names and XSD warns on unknown ones
DECIMAL, YEAR_MONTH = vocab.XSD.decimal, vocab.XSD.gYearMonth

FILE = "a.txt"
TABLE = KGR["source/gb2260"]


def gold(**changes):
    """One small gold file: 衡阳市 in 湖南省, trading with 俄罗斯, one monetary statistic."""
    g = {
        "file": FILE, "year": 2023,
        "entities": [
            {"id": "e1", "type": "City", "name": "衡阳市", "aliases": ["衡阳"]},
            {"id": "e2", "type": "Country", "name": "俄罗斯", "aliases": []},
            {"id": "e3", "type": "Province", "name": "湖南省", "aliases": ["湖南"]},
            {"id": "e4", "type": "Product", "name": "“新三样”", "aliases": []},
        ],
        "relations": [
            {"s": "e1", "p": "tradesWith", "o": "e2", "evidence": "衡阳与俄罗斯贸易"},
            {"s": "e1", "p": "partOf", "o": "e3", "evidence": None},
        ],
        "observations": [
            {"entity": "e1", "indicator": "进出口总值", "partner": None, "product": None,
             "value": 39760000000, "unit": "CNY", "growth": 13.9, "period": "2023-01/2023-10",
             "evidence": "1至10月，衡阳市进出口总值397.6亿元，增长13.9%"},
        ],
    }
    g.update(changes)
    return g


class Builder:
    """Writes entities, statements and observations in the shape of docs/graph-shape.md."""

    def __init__(self):
        self.g = Graph()
        self.n = 0

    def article(self, file=FILE, n=1):
        art = KGR[f"article/{file.split('.')[0]}-{n}"]
        self.g.add((art, RDF.type, KG.Article))
        self.g.add((art, KG.sourceFile, Literal(file)))
        return art

    def entity(self, iri, cls, label, art, *alt):
        node = KGR[iri]
        self.g.add((node, RDF.type, KG[cls]))
        self.g.add((node, RDFS.label, Literal(label, lang="zh")))
        for a in alt:
            self.g.add((node, SKOS.altLabel, Literal(a, lang="zh")))
        self.g.add((node, KG.mentionedIn, art))
        return node

    def statement(self, s, p, o, source):
        self.n += 1
        st = KGR[f"statement/{self.n}"]
        self.g.add((s, KG[p], o))
        for prop, value in ((RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, KG[p]),
                            (RDF.object, o), (PROV.wasDerivedFrom, source),
                            (KG.confidence, Literal("0.9", datatype=DECIMAL))):
            self.g.add((st, prop, value))

    def observation(self, entity, value, art, unit="CNY", growth=None, start=None, end=None,
                    partner=None, product=None):
        self.n += 1
        ob = KGR[f"observation/{self.n}"]
        self.g.add((ob, RDF.type, KG.Observation))
        self.g.add((ob, KG.observedEntity, entity))
        self.g.add((ob, KG.value, Literal(str(value), datatype=DECIMAL)))
        self.g.add((ob, KG.unit, Literal(unit)))
        self.g.add((ob, PROV.wasDerivedFrom, art))
        if growth is not None:
            self.g.add((ob, KG.growthRate, Literal(str(growth), datatype=DECIMAL)))
        for prop, month in ((KG.periodStart, start), (KG.periodEnd, end)):
            if month:
                self.g.add((ob, prop, Literal(month, datatype=YEAR_MONTH)))
        for prop, node in ((KG.partner, partner), (KG.product, product)):
            if node is not None:
                self.g.add((ob, prop, node))
        return ob


def perfect(value=39760000000, growth=13.9, start="2023-01", end="2023-10", city_class="City"):
    """A graph that says exactly what gold() says, 衡阳 labelled by its short form only."""
    b = Builder()
    art = b.article()
    city = b.entity("region/430400", city_class, "衡阳", art)
    ru = b.entity("country/RU", "Country", "俄罗斯", art)
    hn = b.entity("region/430000", "Province", "湖南省", art, "湖南")
    b.entity("product/%E6%96%B0%E4%B8%89%E6%A0%B7", "Product", "「新三样」", art)
    b.statement(city, "exportsTo", ru, art)
    b.statement(city, "partOf", hn, TABLE)
    b.observation(city, value, art, growth=growth, start=start, end=end)
    return b, art, city


# ---------------------------------------------------------------- entities


def test_perfect_graph_scores_one_everywhere():
    b, _, _ = perfect()
    r = evaluate(b.g, [gold()])
    assert r.entities["ALL"].to_dict() == {"tp": 4, "n_pred": 4, "n_gold": 4, "p": 1.0, "r": 1.0, "f1": 1.0}
    assert r.relations["ALL"].f1 == 1.0
    assert r.observations.f1 == 1.0
    assert all(r.accuracy(a) == 1.0 for a in ("growth", "partner", "period", "product"))


def test_alias_and_quote_marks_match():
    # 衡阳 is only the gold alias; 「新三样」 equals “新三样” once quote marks are removed
    b, _, _ = perfect()
    r = evaluate(b.g, [gold()])
    assert r.entities["City"].tp == 1 and r.entities["Product"].tp == 1


def test_wrong_type_does_not_match():
    b, _, _ = perfect(city_class="County")
    r = evaluate(b.g, [gold()])
    assert r.entities["City"].r == 0.0
    assert r.entities["County"].p == 0.0 and r.entities["County"].n_pred == 1
    assert r.errors["entities"]["City"]["fn"][0]["name"] == "衡阳市"


def test_extra_entity_lowers_precision_only():
    b, art, _ = perfect()
    b.entity("country/US", "Country", "美国", art)
    r = evaluate(b.g, [gold()])
    assert r.entities["Country"].p == 0.5 and r.entities["Country"].r == 1.0
    assert r.entities["ALL"].p == pytest.approx(4 / 5)
    assert [e["name"] for e in r.errors["entities"]["Country"]["fp"]] == ["美国"]


def test_one_to_one_two_nodes_for_one_gold_entity():
    b, art, _ = perfect()
    b.entity("city/%E8%A1%A1%E9%98%B3%E5%B8%82", "City", "衡阳市", art)   # a duplicate node
    r = evaluate(b.g, [gold()])
    assert r.entities["City"].tp == 1 and r.entities["City"].n_pred == 2


def test_matching_is_maximal_not_just_greedy():
    # node A could take 衡阳市 (by its altLabel) or 长沙市; node B only 衡阳市: both must match
    b = Builder()
    art = b.article()
    b.entity("city/a", "City", "长沙市", art, "衡阳")
    b.entity("region/430400", "City", "衡阳市", art)
    g = gold()
    g["entities"].append({"id": "e5", "type": "City", "name": "长沙市", "aliases": ["长沙"]})
    assert evaluate(b.g, [g]).entities["City"].tp == 2


def test_entities_of_another_files_article_do_not_count():
    b = Builder()
    other = b.article("b.txt")
    b.entity("region/430400", "City", "衡阳市", other)
    r = evaluate(b.g, [gold()])
    assert r.entities["ALL"].n_pred == 0 and r.entities["ALL"].tp == 0


# ---------------------------------------------------------------- relations


def test_exports_to_matches_gold_trades_with():
    b, _, _ = perfect()
    r = evaluate(b.g, [gold()])
    assert r.relations["trade"].to_dict()["f1"] == 1.0


def test_trade_predicates_deduplicate_to_one():
    b, art, city = perfect()
    b.statement(city, "tradesWith", KGR["country/RU"], art)
    b.statement(city, "importsFrom", KGR["country/RU"], art)
    r = evaluate(b.g, [gold()])
    assert r.relations["trade"].n_pred == 1 and r.relations["trade"].tp == 1


def test_exports_and_imports_of_products_stay_distinct():
    b, art, city = perfect()
    product = KGR["product/%E6%96%B0%E4%B8%89%E6%A0%B7"]
    b.statement(city, "imports", product, art)
    g = gold()
    g["relations"].append({"s": "e1", "p": "exports", "o": "e4", "evidence": "x"})
    r = evaluate(b.g, [g])
    assert r.relations["product-trade"].tp == 0
    assert r.relations["product-trade"].n_pred == 1 and r.relations["product-trade"].n_gold == 1


def test_relation_subject_must_match_by_type_too():
    b = Builder()
    art = b.article()
    county = b.entity("region/430421", "County", "衡阳", art)
    ru = b.entity("country/RU", "Country", "俄罗斯", art)
    b.statement(county, "tradesWith", ru, art)
    r = evaluate(b.g, [gold()])
    assert r.relations["trade"].tp == 0 and r.relations["trade"].n_pred == 1


def test_part_of_from_the_table_counts_only_between_the_files_entities():
    b, art, city = perfect()
    assert evaluate(b.g, [gold()]).relations["partOf"].tp == 1
    # the same table link, but the province is not mentioned in this file
    b = Builder()
    art, other = b.article(), b.article("b.txt")
    city = b.entity("region/430400", "City", "衡阳市", art)
    hn = b.entity("region/430000", "Province", "湖南省", other)
    b.statement(city, "partOf", hn, TABLE)
    r = evaluate(b.g, [gold()])
    assert r.relations["partOf"].n_pred == 0


def test_relations_of_another_files_article_do_not_count():
    b = Builder()
    art, other = b.article(), b.article("b.txt")
    city = b.entity("region/430400", "City", "衡阳市", art)
    ru = b.entity("country/RU", "Country", "俄罗斯", art)
    b.statement(city, "tradesWith", ru, other)
    assert evaluate(b.g, [gold()]).relations["trade"].n_pred == 0


# ---------------------------------------------------------------- observations


@pytest.mark.parametrize("factor, tp", [(1.0, 1), (1.004, 1), (0.996, 1), (1.01, 0), (0.99, 0)])
def test_observation_value_within_half_a_percent(factor, tp):
    b, _, _ = perfect(value=round(39760000000 * factor))
    r = evaluate(b.g, [gold()])
    assert r.observations.tp == tp and r.observations.n_pred == 1 and r.observations.n_gold == 1


def test_non_monetary_and_foreign_file_observations_are_ignored():
    b, art, city = perfect()
    b.observation(city, 12, art, unit="列")
    other = b.article("b.txt")
    b.observation(city, 5, other)
    assert evaluate(b.g, [gold()]).observations.n_pred == 1


def test_usd_observation_counts():
    b, art, city = perfect()
    b.observation(city, 100000000, art, unit="USD")
    r = evaluate(b.g, [gold()])
    assert r.observations.n_pred == 2 and r.observations.p == 0.5


@pytest.mark.parametrize("growth, ok", [(13.9, True), (13.94, True), (13.96, False), (None, False)])
def test_growth_attribute(growth, ok):
    b, _, _ = perfect(growth=growth)
    r = evaluate(b.g, [gold()])
    assert r.observations.tp == 1
    assert r.accuracy("growth") == (1.0 if ok else 0.0)


def test_growth_both_null_is_correct():
    b, _, _ = perfect(growth=None)
    g = gold()
    g["observations"][0]["growth"] = None
    assert evaluate(b.g, [g]).accuracy("growth") == 1.0


@pytest.mark.parametrize("gold_period, start, end, ok", [
    ("2023-01/2023-10", "2023-01", "2023-10", True),
    ("2023-01/2023-10", "2023-01", "2023-09", False),
    ("2023-10", "2023-10", "2023-10", True),
    ("2023-10", "2023-01", "2023-10", False),
    ("2023", "2023-01", "2023-12", True),
    ("2023", None, None, False),
    (None, None, None, True),
    (None, "2023-01", "2023-12", False),
])
def test_period_attribute(gold_period, start, end, ok):
    b, _, _ = perfect(start=start, end=end)
    g = gold()
    g["observations"][0]["period"] = gold_period
    r = evaluate(b.g, [g])
    assert r.observations.tp == 1
    assert r.accuracy("period") == (1.0 if ok else 0.0)
    assert json.loads(json.dumps(r.to_dict())) == r.to_dict()


def test_partner_and_product_attributes():
    b = Builder()
    art = b.article()
    city = b.entity("region/430400", "City", "衡阳市", art)
    ru = b.entity("country/RU", "Country", "俄罗斯", art)
    b.observation(city, 39760000000, art, growth=13.9, start="2023-01", end="2023-10", partner=ru)
    g = gold()
    g["observations"][0].update(partner="e2", product="e4")
    r = evaluate(b.g, [g])
    assert r.accuracy("partner") == 1.0 and r.accuracy("product") == 0.0
    assert r.errors["observations"]["product"][0]["gold"] == "e4"


def test_matching_prefers_the_gold_observation_that_agrees_on_attributes():
    # two gold statistics with the same value, different periods: each of ours takes its own
    b = Builder()
    art = b.article()
    city = b.entity("region/430400", "City", "衡阳市", art)
    b.observation(city, 10000000000, art, start="2023-01", end="2023-12")
    b.observation(city, 10000000000, art, start="2023-01", end="2023-10")
    obs = [{"entity": "e1", "value": 10000000000, "growth": None, "partner": None, "product": None,
            "period": p} for p in ("2023-01/2023-10", "2023")]
    r = evaluate(b.g, [gold(observations=obs)])
    assert r.observations.tp == 2 and r.accuracy("period") == 1.0


# ---------------------------------------------------------------- sums, output, files


def test_scores_are_summed_over_files():
    b, _, _ = perfect()
    g2 = gold(file="b.txt")
    r = evaluate(b.g, [gold(), g2])
    assert r.entities["ALL"].n_gold == 8 and r.entities["ALL"].tp == 4 and r.entities["ALL"].r == 0.5
    assert r.entities["ALL"].p == 1.0


def test_format_table_and_to_dict():
    b, _, _ = perfect()
    r = evaluate(b.g, [gold()])
    table = r.format_table()
    for name in ("Province", "City", "County", "Enterprise", "Product", "ALL",
                 "partOf", "trade", "product-trade", "participatesIn", "observations", "growth", "period"):
        assert name in table
    d = r.to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert list(d["entities"])[-1] == "ALL" and d["observations"]["period"]["accuracy"] == 1.0


def test_load_gold_reads_sorted_files(tmp_path):
    (tmp_path / "b.json").write_text(json.dumps(gold(file="b.txt"), ensure_ascii=False), encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps(gold(), ensure_ascii=False), encoding="utf-8")
    assert [g["file"] for g in load_gold(tmp_path)] == ["a.txt", "b.txt"]


@pytest.mark.parametrize("text, reason", [
    ("{not json", "not valid JSON"),
    (json.dumps({"file": "a.txt", "entities": []}), "missing key 'relations'"),
    (json.dumps(gold(entities=[{"id": "e1", "name": "衡阳市"}])), "missing key 'type'"),
    (json.dumps(gold(relations=[{"s": "e1", "p": "near", "o": "e2"}])), "unknown predicate"),
    (json.dumps(gold(relations=[{"s": "e1", "p": "partOf", "o": "e9"}])), "not in 'entities'"),
])
def test_malformed_gold_raises_gold_error(tmp_path, text, reason):
    (tmp_path / "x.json").write_text(text, encoding="utf-8")
    with pytest.raises(GoldError, match=reason) as err:
        load_gold(tmp_path)
    assert "x.json" in str(err.value) and "\n" not in str(err.value)


def test_evaluate_path_parses_by_extension_and_reports_bad_graphs(tmp_path):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "a.json").write_text(json.dumps(gold(), ensure_ascii=False), encoding="utf-8")
    b, _, _ = perfect()
    b.g.serialize(tmp_path / "g.nt", format="nt", encoding="utf-8")
    assert evaluate_path(tmp_path / "g.nt", gold_dir).entities["ALL"].f1 == 1.0
    (tmp_path / "bad.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b \"open\n", encoding="utf-8")
    with pytest.raises(GraphError, match="bad.ttl: cannot be parsed") as err:
        evaluate_path(tmp_path / "bad.ttl", gold_dir)
    assert "\n" not in str(err.value)


def test_query_evaluate_and_validate_report_an_unreadable_graph_alike(tmp_path, capsys):
    """The three commands read graph files the same way, so they fail on one with the same line."""
    from kg.cli import main

    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "a.json").write_text(json.dumps(gold(), ensure_ascii=False), encoding="utf-8")
    (tmp_path / "bad.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b \"open\n", encoding="utf-8")
    for name, engines in (("missing.ttl", ("oxigraph", "rdflib")), ("bad.ttl", ("rdflib",))):
        path = str(tmp_path / name)
        runs = [["evaluate", path, "--gold", str(gold_dir)], ["validate", path]]
        runs += [["query", path, "ASK { ?s ?p ?o }", "--engine", engine] for engine in engines]
        errors = []
        for argv in runs:
            assert main(argv) == 2, argv
            errors.append(capsys.readouterr().err)
        assert len(set(errors)) == 1, errors
        assert errors[0].startswith(f"kg: error: {path}: ") and errors[0].count("\n") == 1


def test_real_gold_against_an_empty_graph(root):
    folder = root / "tests" / "data" / "gold"
    raw = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    r = evaluate(Graph(), load_gold(folder))
    assert r.entities["ALL"].n_gold == sum(len(g["entities"]) for g in raw)
    for cls in ("City", "Enterprise", "Product"):
        assert r.entities[cls].n_gold == sum(e["type"] == cls for g in raw for e in g["entities"])
    assert r.observations.n_gold == sum(len(g["observations"]) for g in raw)
    trade = {"tradesWith", "exportsTo", "importsFrom"}
    distinct = sum(len({(x["s"], "trade" if x["p"] in trade else x["p"], x["o"]) for x in g["relations"]})
                   for g in raw)
    assert r.relations["ALL"].n_gold == distinct
    assert r.entities["ALL"].r == 0.0 and r.relations["ALL"].r == 0.0 and r.observations.r == 0.0
    assert r.entities["ALL"].n_pred == 0
