"""Regression floor for extraction quality on the seed gold (a development set).

The floors sit just under what the build measured when they were set; a change that
drops any of them has made extraction worse and must say why.
"""

import pytest

from kg.check.evaluate import evaluate, load_gold

ENTITY_FLOOR = {
    "Province": 0.95, "City": 0.97, "County": 0.94, "Enterprise": 0.85, "Project": 0.85,
    "IndustryCluster": 0.92, "Country": 0.99, "Territory": 0.99, "EconomicBloc": 0.99,
    "Platform": 0.85, "Product": 0.92, "ALL": 0.92,
}
RELATION_FLOOR = {"partOf": 0.98, "locatedIn": 0.80, "trade": 0.86, "product-trade": 0.88,
                  "participatesIn": 0.85, "ALL": 0.87}


@pytest.fixture(scope="module")
def report(root, seeds_build):
    return evaluate(seeds_build.graph, load_gold(root / "tests" / "data" / "gold"))


@pytest.mark.parametrize("cls", sorted(ENTITY_FLOOR))
def test_entity_f1_floor(report, cls):
    assert report.entities[cls].f1 >= ENTITY_FLOOR[cls], report.format_table()


@pytest.mark.parametrize("family", sorted(RELATION_FLOOR))
def test_relation_f1_floor(report, family):
    assert report.relations[family].f1 >= RELATION_FLOOR[family], report.format_table()


def test_observation_floor(report):
    assert report.observations.f1 >= 0.95
    assert report.accuracy("growth") >= 0.95
    assert report.accuracy("partner") >= 0.95
    assert report.accuracy("period") >= 0.90
