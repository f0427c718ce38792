"""The house plan of ARCHITECTURE.md holds: a room calls only into rooms below it, and no two files import each other.

Imports are read from the source (every `import`, also those inside functions: a lazy import is still a call
upward). File cycles count the imports run when a module loads (module level, TYPE_CHECKING blocks aside).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR).resolve()


def layers(text: str) -> list[list[str]]:
    """The rooms from the ```layers block of ARCHITECTURE.md, top floor first; one floor per line."""
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    assert block, "ARCHITECTURE.md has no ```layers block"
    return [line.split() for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]


def floor_of(floors: list[list[str]]) -> dict[str, int]:
    """Room → floor number, 0 at the bottom."""
    return {room: len(floors) - 1 - i for i, floor in enumerate(floors) for room in floor}


def app_packages() -> set[str]:
    found = set()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and ".venv" not in path.parts:
            found.add(config.name.split(".")[0])
    return found


def modules(rooms: set[str]) -> dict[str, Path]:
    """Dotted name → file, for every module of the rooms (migrations aside: Django writes them)."""
    found = {}
    for room in rooms:
        for path in (ROOT / room).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            name = ".".join(relative.with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def imported(tree: ast.Module, *, module_level: bool) -> set[str]:
    """The dotted names a module imports, and for `from a import b` also `a.b` (b may be a module)."""
    nodes: list[ast.AST] = list(tree.body) if module_level else list(ast.walk(tree))
    names = set()
    for node in nodes:
        if module_level and _is_type_checking(node):
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def upward_imports(files: dict[str, Path], floors: dict[str, int]) -> list[str]:
    wrong = []
    for name, path in sorted(files.items()):
        room = name.split(".")[0]
        others = {target.split(".")[0] for target in imported(ast.parse(path.read_text()), module_level=False)}
        for other in sorted(others):
            if other in floors and other != room and floors[other] >= floors[room]:
                wrong.append(f"{name} imports from {other}, which is not below {room}")
    return wrong


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            if group:
                found.append(sorted([node, *group]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def module_graph(files: dict[str, Path]) -> dict[str, set[str]]:
    graph = {}
    for name, path in files.items():
        targets = imported(ast.parse(path.read_text()), module_level=True)
        graph[name] = {target for target in targets if target in files and target != name}
    return graph


def test_architecture_layers_name_every_app_once():
    floors = layers((ROOT / "ARCHITECTURE.md").read_text())
    rooms = [room for floor in floors for room in floor]

    assert sorted(rooms) == sorted(app_packages())


def test_architecture_no_room_imports_from_a_room_above_or_beside_it():
    floors = floor_of(layers((ROOT / "ARCHITECTURE.md").read_text()))

    assert upward_imports(modules(set(floors)), floors) == []


def test_architecture_no_import_cycle_between_files():
    assert cycles(module_graph(modules(app_packages()))) == []


def test_upward_imports_finds_a_lazy_import_from_above_and_beside(tmp_path):
    (tmp_path / "low").mkdir()
    (tmp_path / "low" / "a.py").write_text("import side\n\n\ndef f():\n    from high.b import g\n")
    files = {"low.a": tmp_path / "low" / "a.py"}

    assert upward_imports(files, {"low": 0, "side": 0, "high": 1}) == [
        "low.a imports from high, which is not below low",
        "low.a imports from side, which is not below low",
    ]


def test_cycles_finds_two_files_importing_each_other_and_not_a_chain():
    graph = {"a": {"b"}, "b": {"a"}, "c": {"a"}}

    assert cycles(graph) == [["a", "b"]]


def test_imported_skips_type_checking_blocks_at_module_level():
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from x import y\nimport z\n")

    assert imported(tree, module_level=True) == {"typing", "typing.TYPE_CHECKING", "z"}
