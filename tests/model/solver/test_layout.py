"""The solver reads in parts: each module small, none importing another's private names
(issue 15's rules, for the solver package, its entry point and the batches)."""

from __future__ import annotations

import ast
from pathlib import Path

MODEL = Path(__file__).resolve().parents[3] / "src" / "tradesim" / "model"
MODULES = [MODEL / "solve.py", MODEL / "batch.py", MODEL / "reference.py", *sorted((MODEL / "solver").glob("*.py"))]


def test_solver_modules_are_small_and_import_no_private_names():
    assert len(MODULES) >= 9
    for path in MODULES:
        text = path.read_text()
        assert len(text.splitlines()) <= 450, path.name
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tradesim"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"
        assert ast.get_docstring(ast.parse(text)), f"{path.name} has no module docstring"
