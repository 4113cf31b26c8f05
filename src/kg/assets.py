"""Where kg's shipped files are: the ontology, the ready queries and the word lists.

`ontology/` and `queries/` are kept once in git, at the repository root (the project
promises them there); a wheel carries them inside the package (pyproject maps them in as
``kg/ontology`` and ``kg/queries``). Running from a checkout, the root copies are read.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]


def shipped(folder: str) -> Traversable:
    """The folder ``ontology``, ``queries`` or ``data``: the checkout's, else the installed package's."""
    local = _ROOT / folder
    if folder != "data" and local.is_dir() and (_ROOT / "pyproject.toml").is_file():
        return local
    return resources.files("kg") / folder
