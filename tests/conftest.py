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
