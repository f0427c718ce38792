"""SECURITY.md promises only what a test holds: every test it names exists, under that name, in that file."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)(?:::(test_\w+))?`")


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_security_md_names_only_tests_that_exist():
    references = REFERENCE.findall((ROOT / "SECURITY.md").read_text(encoding="utf-8"))
    missing = [
        f"{file}::{name}" if name else file
        for file, name in references
        if not (ROOT / file).is_file() or (name and name not in defined_tests(ROOT / file))
    ]

    assert missing == []
    assert len(references) > 60


def test_readme_links_security_md():
    assert "[SECURITY.md](SECURITY.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
