"""The code map holds: packages depend one way, no module imports itself back through a cycle,
and only the UI helpers and the ASGI layer import Streamlit (README, "Code map")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
LIB = PROJECT / "lib"

# Which packages each package may import (besides itself). The front ends sit on top.
ALLOWED = {
    "core": set(),
    "charts": {"core"},
    "storage": {"core"},
    "geo": {"core", "storage", "charts"},
    "ingest": {"core", "storage", "geo"},
    "views": {"core", "storage", "ingest", "geo"},
    "briefing": {"core", "storage", "ingest", "charts", "views"},
    "ui": {"core", "storage", "ingest", "geo", "charts", "views", "briefing"},
    "web": {"core", "storage"},
    "cli": {"core", "storage", "ingest", "geo", "charts", "views", "briefing"},
}
STREAMLIT_PACKAGES = {"ui", "web"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(LIB.rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function: a lazy import is still an
    arrow between modules."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from lib.storage import store` imports the module lib.storage.store
            found.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if f"{node.module}.{alias.name}" in MODULES
            )
    return found


def lib_edges() -> dict[str, set[str]]:
    edges = {}
    for name, path in MODULES.items():
        # A package's __init__ holds only its docstring: an arrow to it says nothing.
        edges[name] = {m for m in imports(path) if m in MODULES and m != name and m.count(".") > 1}
    return edges


def package_of(module: str) -> str:
    return module.split(".")[1]


def test_every_module_is_in_a_package():
    packages = {f"lib.{package}" for package in ALLOWED}
    loose = [name for name in MODULES if name.count(".") == 1 and name not in packages]
    assert loose == [], "a module outside the packages of the code map"
    assert {name.split(".")[1] for name in MODULES if name != "lib"} == set(ALLOWED)


def test_packages_depend_one_way():
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in lib_edges().items()
        for target in targets
        if package_of(target) != package_of(module)
        and package_of(target) not in ALLOWED[package_of(module)]
    )
    assert wrong == []


def test_the_package_rules_themselves_have_no_cycle():
    seen, done = set(), set()

    def visit(package, trail):
        assert package not in seen - done, f"cycle: {trail}"
        if package in done:
            return
        seen.add(package)
        for target in ALLOWED[package]:
            visit(target, [*trail, target])
        done.add(package)

    for package in ALLOWED:
        visit(package, [package])


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: each group of modules that import one another, directly or not."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return groups


def test_no_import_cycle():
    cycles = [group for group in strongly_connected(lib_edges()) if len(group) > 1]
    assert cycles == []


def test_the_cycle_finder_finds_one():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c"],
        ["d"],
    ]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_ui_and_web_import_streamlit(name):
    uses = {
        m for m in imports(MODULES[name]) if m.split(".")[0] in ("streamlit", "streamlit_folium")
    }
    if name.count(".") >= 1 and name.split(".")[1] in STREAMLIT_PACKAGES:
        return
    assert uses == set(), f"{name} imports {sorted(uses)}"


def test_the_streamlit_rule_sees_the_ui():
    assert any(
        "streamlit" in imports(path) for name, path in MODULES.items() if name.startswith("lib.ui.")
    )


def test_alert_icons_are_material_symbols_not_emoji():
    # Emoji drew as empty boxes without an emoji font (issue 29 item 12); lib/ui/icons names
    # the Material Symbols, whose font Streamlit serves itself.
    sources = [
        *sorted((PROJECT / "lib" / "ui").glob("*.py")),
        *sorted((PROJECT / "pages").glob("*.py")),
    ]
    emoji = re.compile(r'icon="[^"]*[^\x00-\x7f][^"]*"')
    found = [f"{p.name}: {m}" for p in sources for m in emoji.findall(p.read_text())]
    assert found == []
