"""Sorted N-Triples shards read in ranges of subjects: the ranges joined are the whole stream,
so several processes can write parts of graph.ttl and graph.nt."""

import random

import pytest

from kg.write import triples


def _shards(rng, folder, name):
    subjects = sorted({f"http://x/{rng.randint(0, 60):03d}{'é' if rng.random() < .2 else ''}"
                       for _ in range(rng.randint(0, 40))})
    lines = sorted({f'<{s}> <http://p/{rng.randint(0, 3)}> "{rng.random():.3f}" .\n'
                    for s in subjects for _ in range(rng.randint(1, 4))}, key=triples.line_key)
    paths = []
    for k in range(rng.randint(1, 4)):
        path = folder / f"{name}-{k}.nt"
        path.write_text("".join(line for line in lines if rng.random() < 0.6), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.parametrize("seed", range(40))
def test_ranges_joined_are_the_whole_stream(seed, tmp_path):
    rng = random.Random(seed)
    shards = _shards(rng, tmp_path, "s")
    whole = list(triples.merged(shards))
    for parts in (1, 2, 3, 5):
        cuts = triples.split_points(shards, parts, samples=8)
        assert cuts == sorted(set(cuts)) and len(cuts) <= parts - 1
        bounds = [None, *cuts, None]
        joined = [line for i in range(len(bounds) - 1) for line in triples.merged(shards, bounds[i], bounds[i + 1])]
        assert joined == whole


@pytest.mark.parametrize("seed", range(20))
def test_line_offset_finds_the_first_line_of_a_subject(seed, tmp_path):
    rng = random.Random(seed)
    for path in _shards(rng, tmp_path, "o"):
        data = path.read_bytes()
        for target in [f"http://x/{rng.randint(0, 62):03d}" for _ in range(5)]:
            want, pos = len(data), 0
            for line in data.splitlines(keepends=True):
                if line[1:line.index(b">")] >= target.encode():
                    want = pos
                    break
                pos += len(line)
            with open(path, "rb") as fh:
                assert triples.line_offset(fh, len(data), target) == want


def test_split_turtle_parts_join_to_the_serial_file(tmp_path):
    """A later part opens with the blank line between blocks; an empty first part is allowed."""
    from kg.pipeline.result import join_parts

    rng = random.Random(3)
    shards = _shards(rng, tmp_path, "t")
    whole = tmp_path / "whole.ttl"
    with open(whole, "w", encoding="utf-8", newline="\n") as fh:
        triples.write_streams(triples.merged(shards), ttl=fh)
    for cuts in (["http://x/030"], ["http://"], ["http://x/030", "http://x/045"]):
        bounds = [None, *cuts, None]
        paths, counts = [], []
        for i in range(len(bounds) - 1):
            paths.append(str(tmp_path / f"part{i}.ttl"))
            with open(paths[-1], "w", encoding="utf-8", newline="\n") as fh:
                counts.append(triples.write_streams(triples.merged(shards, bounds[i], bounds[i + 1]), ttl=fh, part=i))
        if cuts == ["http://"]:
            assert counts[0] == 0 and counts[1] > 0  # an empty first part
        join_parts(paths, counts, separated=True)
        assert open(paths[0], encoding="utf-8").read() == whole.read_text(encoding="utf-8")
