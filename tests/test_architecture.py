"""Who may import whom (style.md S1, S2, S9): checked on the source, not by discipline."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "custody"


def modules(package: str) -> Iterator[Path]:
    yield from sorted((SRC / package).rglob("*.py"))


def imports(path: Path) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno


@pytest.mark.parametrize("path", list(modules("domain")), ids=lambda p: p.name)
def test_domain_imports_only_stdlib_domain_and_errors(path: Path) -> None:
    for name, line in imports(path):
        top = name.split(".")[0]
        allowed = (top in sys.stdlib_module_names or name.startswith("custody.domain")
                   or name == "custody.errors")
        assert allowed, f"{path.name}:{line} imports {name}"


FRONT_DOORS = ("cli",)
FORBIDDEN_FOR_FRONT_DOORS = ("custody.storage", "custody.crypto", "custody.importers",
                             "custody.discovery", "custody.reports", "custody.notify")


@pytest.mark.parametrize("path", [p for d in FRONT_DOORS for p in modules(d)],
                         ids=lambda p: p.name)
def test_front_doors_reach_adapters_only_through_bootstrap(path: Path) -> None:
    for name, line in imports(path):
        assert not name.startswith(FORBIDDEN_FOR_FRONT_DOORS), f"{path.name}:{line} imports {name}"


def test_plaintext_leaves_plain_only_in_the_reveal_gate() -> None:
    callers = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "reveal"):
                callers.append(str(path.relative_to(SRC)))
    assert set(callers) == {"services/reveal.py"}


def test_no_traceback_shows_locals() -> None:
    for path in SRC.rglob("*.py"):
        assert "show_locals=True" not in path.read_text(encoding="utf-8"), path
