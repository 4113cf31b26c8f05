"""Reading: encodings detected, bad inputs refused with a reason naming the file."""

import pytest

from kg.extract.read import InputError, decode, find_inputs, read_source

TEXT = "湖南日报11月15日讯 1至10月，衡阳市进出口总值397.6亿元，同比增长13.9%。"


def test_utf8_and_gb18030_read_the_same(tmp_path):
    (tmp_path / "a.txt").write_bytes(TEXT.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes((TEXT * 3).encode("gb18030"))
    a = read_source(str(tmp_path / "a.txt"))
    b = read_source(str(tmp_path / "b.txt"))
    assert a.text == TEXT and a.encoding == "utf-8"
    assert b.text == TEXT * 3 and b.encoding == "gb18030"
    assert a.name == "a.txt"


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
    (b"plain english text only\n", "no Chinese"),
])
def test_bad_inputs_are_refused_with_reason(data, reason):
    with pytest.raises(InputError) as err:
        decode(data, "x.txt")
    assert reason in str(err.value) and "x.txt" in str(err.value)


def test_utf8_cut_mid_character():
    data = TEXT.encode("utf-8")[:-2]
    with pytest.raises(InputError) as err:
        decode(data, "cut.txt")
    assert "cut" in str(err.value)


def test_find_inputs_folders_and_missing(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "p.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sub" / "ignored.md").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    files, errors = find_inputs([str(tmp_path / "sub"), str(tmp_path / "nope.txt"), str(tmp_path / "empty")])
    assert [f.name for f in files] == ["p.txt"]
    reasons = sorted(e.reason for e in errors)
    assert reasons == ["folder holds no .txt files", "no such file or folder"]
