"""The shape of the code, checked where it can be: imports run one way, and the CLI reaches the page through one
public function of `ui`."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.unit


def _module_imports(package: str) -> dict[str, set[str]]:
    """module -> modules of the package it imports, at the top or inside a function alike."""
    root = ROOT / package
    modules = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        pkg = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = pkg.split(".")[:len(pkg.split(".")) - node.level + 1] if node.level else []
                target = ".".join(base + [node.module] if node.module else base)
                deps |= {t for t in [target] + [f"{target}.{a.name}" for a in node.names] if t in modules and t != name}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name in modules}
        graph[name] = deps
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        m = todo.pop()
        if m == goal:
            return True
        if m not in seen:
            seen.add(m)
            todo.extend(graph.get(m, ()))
    return False


@pytest.mark.parametrize("module", ["assistant.parsing", "assistant.listings", "assistant.blocks"])
def test_the_parser_modules_are_in_no_import_circle(module):
    graph = _module_imports("assistant")
    circle = sorted(m for m in graph[module] if _reaches(graph, m, module))
    assert not circle, f"{module} imports {circle}, which import it back"


def test_the_test_fakes_live_with_the_tests():
    import assistant.embeddings

    assert not hasattr(assistant.embeddings, "HashEmbedder")


def test_the_cli_reaches_the_page_through_one_function_of_ui():
    imported = {(node.module, alias.name)
                for node in ast.walk(ast.parse((ROOT / "assistant" / "cli.py").read_text(encoding="utf-8")))
                if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "ui"
                for alias in node.names}
    assert imported == {("ui", "serve")}
