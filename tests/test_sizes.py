"""Small files and small functions (STYLE.md): no app module over 400 lines, no function over 40.

The app code only (not tests, migrations or bench). Those over the limit when the check came in are listed in
OVER with their size at the time: the list may only shrink. A listed one that grows fails, and anything new over the
limit fails; one that fits now is taken off the list when next seen.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

from tests.test_architecture import app_packages

ROOT = Path(settings.BASE_DIR).resolve()
MODULE_LINES = 400
FUNCTION_LINES = 40

# Debt from issue 17, to be split along meaning; each figure is the size when the check came in.
OVER: dict[str, int] = {}


def sizes(path: Path, name: str) -> dict[str, int]:
    """`name` → lines of the module, `name:function` → lines of each function (its `def` to its last line)."""
    source = path.read_text()
    found = {name: len(source.splitlines())}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            key = f"{name}:{node.name}"
            found[key] = max(found.get(key, 0), node.end_lineno - node.lineno + 1)
    return found


def over_the_limit() -> dict[str, int]:
    found = {}
    for room in sorted(app_packages()):
        for path in sorted((ROOT / room).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if "/migrations/" in name:
                continue
            for key, lines in sizes(path, name).items():
                if lines > (FUNCTION_LINES if ":" in key else MODULE_LINES):
                    found[key] = lines
    return found


def test_sizes_nothing_new_is_over_the_limit():
    assert sorted(set(over_the_limit()) - set(OVER)) == []


def test_sizes_listed_debt_does_not_grow():
    found = over_the_limit()

    grown = {key: found[key] for key in OVER if key in found and found[key] > OVER[key]}

    assert grown == {}


def test_sizes_count_a_function_from_def_to_its_last_line(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("@decorated\ndef f():\n    a = 1\n    return a\n\n\nclass C:\n    def g(self):\n        pass\n")

    assert sizes(module, "m.py") == {"m.py": 9, "m.py:f": 3, "m.py:g": 2}
