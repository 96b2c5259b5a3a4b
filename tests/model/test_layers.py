"""The model layer imports nothing above it (data -> scenario -> model -> results ->
strategy/experiments/news -> cli/web, docs/architecture.md), at module level or inside functions;
the gravity GE model imports from ``tradesim.gravity`` only the panel record, the experiment files
and their literals (never the estimation or the analyses built on the model); the model families'
modules import no private name of another module; Ossa's model has left ``strategy/``."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "tradesim"
ABOVE_MODEL = ("tradesim.results", "tradesim.strategy", "tradesim.cli", "tradesim.web", "tradesim.news",
               "tradesim.api", "tradesim.sweep", "tradesim.montecarlo", "tradesim.experiments",
               "tradesim.timeline", "tradesim.distributed")
GRAVITY_BELOW_MODEL = ("tradesim.gravity.data", "tradesim.gravity.experiment", "tradesim.gravity.literals")


def imports(path: Path):
    """``(module, names)`` of every import statement in ``path``, nested ones included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ()
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, tuple(a.name for a in node.names)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_model_layer_imports_nothing_above_it():
    bad = []
    for path in sorted((SRC / "model").rglob("*.py")):
        for mod, _ in imports(path):
            if mod.startswith(ABOVE_MODEL):
                bad.append(f"{path.relative_to(SRC)} imports {mod}")
            if mod.startswith("tradesim.gravity") and mod not in GRAVITY_BELOW_MODEL + ("tradesim.gravity",):
                bad.append(f"{path.relative_to(SRC)} imports {mod} (above the model)")
            if mod == "tradesim.gravity":
                bad.append(f"{path.relative_to(SRC)} imports the tradesim.gravity package (name a module below the model)")
    assert not bad, bad


def test_family_modules_import_no_private_names():
    paths = [SRC / "model" / "newton.py", SRC / "model" / "family.py", SRC / "results" / "cp2015.py",
             *sorted((SRC / "model" / "ossa").glob("*.py")), *sorted((SRC / "model" / "gravity").glob("*.py")),
             *sorted((SRC / "gravity").glob("*.py")), SRC / "strategy" / "tariffs.py", SRC / "strategy" / "report.py"]
    bad = [f"{p.relative_to(SRC)}: from {mod} import {n}" for p in paths for mod, names in imports(p)
           for n in names if n.startswith("_") and mod != module_name(p)]
    assert not bad, bad


def test_ossa_model_lives_in_the_model_package():
    assert not (SRC / "strategy" / "ossa.py").exists()
    users = [p for p in SRC.rglob("*.py") for mod, _ in imports(p) if mod == "tradesim.strategy.ossa"]
    assert not users, users
