"""The shipped division table: current names, short forms of autonomous and special divisions."""

from kg.extract.gazetteer import load


def _by_name(name):
    return [r for r in load().regions.values() if r.name == name]


def test_divisions_renamed_or_created_after_2016_are_known():
    assert [r.adcode for r in _by_name("宁乡市")] == ["430182"]      # 宁乡县 became a city in 2017
    assert [r.adcode for r in _by_name("襄都区")] == ["130502"]      # 邢台 桥东区, renamed 2020
    assert _by_name("宁乡县") == [] and _by_name("莱芜市") == []


def test_statistical_units_that_are_no_division_are_left_out():
    assert _by_name("两江新区") == [] and _by_name("苏州工业园区") == []


def test_short_forms_of_prefectures_and_forest_districts():
    g = load()
    assert [e.key for e in g.names["伊犁州"]] == ["654000"]
    assert [e.key for e in g.names["喀什"]] == ["653100"]
    assert [e.key for e in g.names["神农架"]] == ["429021"]
    assert g.regions["310115"].name == "浦东新区" and g.regions["310115"].level == "County"


def test_every_division_has_coordinates_and_a_parent():
    g = load()
    for r in g.regions.values():
        assert r.lat is not None and r.long is not None, r
        assert r.level == "Province" or r.parent in g.regions, r


def test_hong_kong_written_as_a_region_of_china_is_the_territory():
    g = load()
    assert [(e.cls, e.key) for e in g.names["香港地区"]] == [("Territory", "HK")]
    assert [(e.cls, e.key) for e in g.names["澳门地区"]] == [("Territory", "MO")]
