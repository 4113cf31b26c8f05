import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def seeds_build():
    """One build of the seed pages, shared by the tests that read it."""
    import kg

    return kg.build([str(ROOT / "seeds")])


@pytest.fixture(scope="session")
def make_corpus(tmp_path_factory):
    """A folder of articles from the benchmark's seeded generator: make_corpus(articles, seed)."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate

    made = {}

    def make(articles: int, seed: int):
        if (articles, seed) not in made:
            folder = tmp_path_factory.mktemp(f"corpus-{articles}-{seed}")
            generate(folder, articles, seed=seed)
            made[articles, seed] = folder
        return made[articles, seed]

    return make
