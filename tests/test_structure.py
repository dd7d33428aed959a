"""The package's shape: no import cycle, the loader apart from the engine, small modules, no generated code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "questionnaire"
MAX_LINES = 350


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Return the package's modules this module imports, anywhere in it (functions too), at run time."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # "from pkg import mod" imports the module; "from mod import name" needs the module itself.
                target = f"{base}.{alias.name}"
                found.add(target if target in known else base)
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Return one cycle through each strongly connected group of modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in edges[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_the_checker_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_in_a_circle() -> None:
    edges = graph()
    assert "questionnaire.cli.common" in edges["questionnaire.authoring.commands"]  # the graph is really read
    assert cycles(edges) == []


def test_the_loader_does_not_reach_the_engine() -> None:
    edges = graph()
    assert "questionnaire.engine" not in reachable(edges, "questionnaire.loader")
    assert not any(m.startswith("questionnaire.web") for m in reachable(edges, "questionnaire.engine"))


def test_no_module_is_over_350_lines() -> None:
    long = {name: n for name, path in modules().items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_no_source_text_is_compiled_or_executed() -> None:
    calls = re.compile(r"\b(exec|eval|compile)\(")
    found = [
        f"{path}:{number}"
        for path in modules().values()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if (match := calls.search(line)) and not line[: match.start()].endswith("re.")
    ]
    assert found == []


def test_no_test_module_imports_another_test_module_or_a_conftest() -> None:
    """Shared test data lives in conftest fixtures and samples/; helpers (pagecheck, tour) may be imported."""
    tests = Path(__file__).resolve().parent
    borrowed = re.compile(r"^\s*(from|import)\s+tests(\.browser)?\.(test_\w+|conftest)\b", re.MULTILINE)
    found = [str(p.relative_to(tests)) for p in tests.rglob("*.py") if borrowed.search(p.read_text(encoding="utf-8"))]
    assert found == []
