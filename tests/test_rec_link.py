"""Linking: full and short names of one thing become one entity."""

from kg.extract.gazetteer import load
from kg.extract.link import merge_aliases
from kg.model import Entity


def test_zone_named_in_full_and_by_its_short_form_is_one_zone():
    entities = {iri: Entity(iri=iri, cls="Platform", label=label)
                for iri, label in (("p1", "延吉经济技术开发区"), ("p2", "延吉经开区"), ("p3", "延吉综合保税区"))}
    renamed = merge_aliases(entities, load())
    assert renamed == {"p2": "p1"}
    assert entities["p1"].aliases == {"延吉经开区"}
    assert "p3" in entities  # a bonded zone of the same city is another platform


def test_holding_group_and_its_short_group_name_are_one_company():
    entities = {"a": Entity(iri="a", cls="Enterprise", label="长岭控股集团有限公司"),
                "b": Entity(iri="b", cls="Enterprise", label="长岭集团")}
    assert merge_aliases(entities, load()) == {"b": "a"}


def test_short_place_names_depend_on_their_own_page():
    from kg.extract.link import page_context, resolve_regions
    from kg.extract.recognise import Recogniser
    from kg.model import Sentence

    gaz = load()
    rec = Recogniser(gaz)

    def cities(text):
        page = rec(text, Sentence(text, 0, len(text)))
        return {m.text for m in resolve_regions(page, gaz, page_context(page)) if m.cls == "City"}

    assert cities("长沙的企业加快出海。") == set()          # 长沙 alone, no 湖南 on the page
    assert "长沙" in cities("湖南省长沙的企业加快出海。")    # the same name with its province
    assert cities("长沙的企业加快出海。") == set()          # and a later page does not inherit it


def test_a_zone_with_and_without_its_city_is_one_but_two_cities_zones_are_two():
    labels = {"a": "四平红嘴经开区", "b": "红嘴经开区", "c": "珲春互市贸易区", "d": "图们互市贸易区"}
    entities = {iri: Entity(iri=iri, cls="Platform", label=label) for iri, label in labels.items()}
    assert merge_aliases(entities, load()) == {"b": "a"}
    assert {"c", "d"} <= set(entities)


def test_a_short_name_with_and_without_its_trade_is_one_company():
    entities = {"a": Entity(iri="a", cls="Enterprise", label="敖东药业"),
                "b": Entity(iri="b", cls="Enterprise", label="敖东")}
    assert merge_aliases(entities, load()) == {"b": "a"}


def test_two_cities_parks_of_one_trade_stay_two_and_a_cluster_joins_its_placed_form():
    labels = {"a": "延吉人力资源服务产业园", "b": "珲春人力资源服务产业园"}
    parks = {iri: Entity(iri=iri, cls="Platform", label=label) for iri, label in labels.items()}
    assert merge_aliases(parks, load()) == {}
    clusters = {"c": Entity(iri="c", cls="IndustryCluster", label="通化医药健康产业集群"),
                "d": Entity(iri="d", cls="IndustryCluster", label="医药健康产业集群")}
    assert merge_aliases(clusters, load()) == {"d": "c"}
