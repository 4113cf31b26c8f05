"""The package keeps the shape README's "Architecture" describes: layers that import only
downwards (import-linter), no private helper used across modules, small modules and
functions, one home for the namespace IRIs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "kg"
MODULES = sorted(PKG.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_import_contract_is_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], capture_output=True, text=True, cwd=PKG.parents[1])
    assert done.returncode == 0, done.stdout[-3000:]


def _private_uses(path: Path) -> list[str]:
    """`from kg.x import _y`, or `module._y` on a kg module imported by name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kg"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"from {node.module} import {alias.name}")
                elif alias.name[:1].islower():
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("kg.") and alias.asname:
                    modules.add(alias.asname)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"{node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("path", MODULES, ids=_module_name)
def test_no_private_helper_crosses_modules(path):
    assert _private_uses(path) == []


@pytest.mark.parametrize("path", MODULES, ids=_module_name)
def test_modules_stay_under_500_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500


def test_no_function_is_more_complex_than_20():
    radon = Path(sys.executable).with_name("radon")
    done = subprocess.run([str(radon), "cc", "-n", "D", "-s", str(PKG)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout


def test_namespace_iris_are_written_in_one_module():
    homes = [_module_name(p) for p in MODULES if "w3id.org/zhkg" in p.read_text(encoding="utf-8")]
    assert homes == ["kg.vocab"]
