"""Regression floors on the development set (../shared/dev: 30 reports from 16 provinces).

Like the seed floors (test_quality.py) they sit just under what the build measured when
they were set. The dev set sits beside the checkout (CI has it there); without it these
tests skip, saying why. It is a development set: never special-case its contents.
"""

import pytest

from kg.check.evaluate import evaluate, load_gold

ENTITY_FLOOR = {
    "Province": 0.95, "City": 0.95, "County": 0.95, "Enterprise": 0.90, "Project": 0.90,
    "Platform": 0.83, "Product": 0.90, "Country": 0.98, "EconomicBloc": 0.95, "ALL": 0.93,
}
RELATION_FLOOR = {"partOf": 0.95, "locatedIn": 0.80, "trade": 0.84, "product-trade": 0.72,
                  "participatesIn": 0.75, "ALL": 0.82}


@pytest.fixture(scope="module")
def report(root):
    dev = root.parent / "shared" / "dev"
    if not (dev / "articles").is_dir() or not (dev / "gold").is_dir():
        pytest.skip(f"the development set is not beside the checkout ({dev})")
    import kg

    return evaluate(kg.build([str(dev / "articles")]).graph, load_gold(dev / "gold"))


@pytest.mark.parametrize("cls", sorted(ENTITY_FLOOR))
def test_dev_entity_f1_floor(report, cls):
    assert report.entities[cls].f1 >= ENTITY_FLOOR[cls], report.format_table()


@pytest.mark.parametrize("family", sorted(RELATION_FLOOR))
def test_dev_relation_f1_floor(report, family):
    assert report.relations[family].f1 >= RELATION_FLOOR[family], report.format_table()


def test_dev_observation_floor(report):
    assert report.observations.f1 >= 0.94, report.format_table()
    assert report.accuracy("growth") >= 0.97
    assert report.accuracy("partner") >= 0.97
    assert report.accuracy("period") >= 0.91
