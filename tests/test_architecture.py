"""The shape of ``src/tradesim`` (issue 15): module size, private names, the layers, error classes.

Each rule reads the source with :mod:`ast` (nothing is imported) and collects its
violations. Today's violations are listed in :data:`KNOWN`, each with the part of
issue 15 that removes it; a rule fails on a violation that is not listed *and* on a
listed one that is gone, so the list can only shrink (empty it as the parts land).

Rules
-----
(a) No module over :data:`MAX_LINES` lines, except the literal tables of
    :data:`LITERAL_TABLES` (checked to be mostly literal data: a module of rules is
    not a table).
(b) No module imports a private name (``_x``, not a dunder) of another tradesim
    module: ``from tradesim.x import _y``, or ``import tradesim.x`` / ``from tradesim
    import x`` and then ``x._y`` (attribute chains on imported names; ``getattr``
    with a string is not seen).
(c) The layers: errors/literals/distributed (the base, importing no other layer)
    -> data -> scenario -> model -> results -> {strategy, experiments, news} ->
    {cli, web, api, the ``tradesim`` package itself}; a module never imports one of a
    higher layer. **Lazy imports count like top-level ones**: an ``import`` inside a
    function, under ``if TYPE_CHECKING:``, or ``importlib.import_module("tradesim.x")``
    with a literal name still makes the lower layer depend on the higher one (it
    only defers the loading). Names built at run time (f-strings, tables of
    module paths) are not seen.
(d) Error classes live in ``tradesim/errors.py``: no other module defines, at
    module or class level, a class deriving from an exception (a class local to a
    function, a control-flow signal that cannot escape by name, is allowed).
"""

from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "tradesim"
MAX_LINES = 450

#: Modules that are literal tables (word lists, names, concordances), exempt from the line limit.
LITERAL_TABLES = {
    "news/cues.py": "cue word lists of the news extractor",
    "news/lexicon.py": "the news extractor's lexicon of instruments and trade terms",
    "data/sources/icio/labels.py": "ICIO sector and economy names, the WIOD-to-ICIO concordance",
}
#: Share of a literal table's code lines (docstrings, comments and blank lines aside)
#: in top-level assignments of literal values.
LITERAL_SHARE = 0.6

#: Layer of each top-level module or package of tradesim ("" is the package itself).
LAYERS = {
    "errors": 0, "literals": 0, "distributed": 0, "diskcache": 0,
    "data": 1,
    "scenario": 2,
    "model": 3, "gravity": 3,  # the gravity GE is a model family (issue 15 part 1 moves it under model/)
    "results": 4,
    # the API is the one path from a scenario to a stored run; experiments and games run through it
    "api": 5,
    "strategy": 6, "experiments": 6, "news": 6,
    "cli": 7, "web": 7, "": 7,
}

#: Today's violations -> the part of issue 15 that removes it (the lead empties this after merging).
KNOWN: dict[tuple[str, ...], str] = {
}


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def _dotted(path: Path) -> str:
    parts = ["tradesim", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    """The module an ``from ... import`` reads from, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = _dotted(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _is_module(dotted: str) -> bool:
    rel = Path(*dotted.split(".")[1:])
    return (SRC / rel).with_suffix(".py").exists() or (SRC / rel / "__init__.py").exists()


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every tradesim module (or ``tradesim.<name>`` of the package) ``path`` imports,
    anywhere in the file (top level, functions, ``if`` blocks), with its line."""
    out = []
    for node in ast.walk(_tree(path)):  # every node: imports inside functions (lazy ones) count too
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            for a in node.names:  # `from tradesim.x import y` reads y's module if y is one
                sub = f"{module}.{a.name}"
                out.append((sub if _is_module(sub) else module, node.lineno))
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Name) and node.func.id == "import_module")
                   or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module"))):
            out.append((node.args[0].value, node.lineno))
    return [(m, line) for m, line in out if m == "tradesim" or m.startswith("tradesim.")]


def _top(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else ""


def lines_violations() -> set[tuple[str, ...]]:
    return {("lines", _rel(p)) for p in _modules()
            if len(p.read_text(encoding="utf-8").splitlines()) > MAX_LINES and _rel(p) not in LITERAL_TABLES}


def private_violations() -> set[tuple[str, ...]]:
    found = set()
    for path in _modules():
        me, names = _dotted(path), {}
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom):
                module = _absolute(path, node)
                if not module.startswith("tradesim"):
                    continue
                for a in node.names:
                    if _private(a.name):
                        found.add(("private", me, f"{module}.{a.name}"))
                    names[a.asname or a.name] = f"{module}.{a.name}"
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("tradesim"):
                        if a.asname:
                            names[a.asname] = a.name
                        else:
                            names["tradesim"] = "tradesim"
        for node in ast.walk(_tree(path)):
            if not isinstance(node, ast.Attribute):
                continue
            chain, cur = [], node
            while isinstance(cur, ast.Attribute):
                chain.append(cur.attr)
                cur = cur.value
            if isinstance(cur, ast.Name) and cur.id in names and _private(node.attr):
                found.add(("private", me, ".".join([names[cur.id], *reversed(chain)])))
    return found


def layer_violations() -> set[tuple[str, ...]]:
    found = set()
    for path in _modules():
        me = _dotted(path)
        mine = LAYERS[_top(me)]
        for target, _line in _imports(path):
            if LAYERS[_top(target)] > mine:
                found.add(("layer", me, target))
    return found


def _exception_base(base: ast.expr) -> bool:
    name = base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else ""
    return name.endswith(("Error", "Exception", "Warning")) or name in ("Exception", "BaseException")


def error_violations() -> set[tuple[str, ...]]:
    found = set()
    for path in _modules():
        if _rel(path) == "errors.py":
            continue
        scopes = [_tree(path)]
        while scopes:  # module and class bodies; function bodies are local
            for node in scopes.pop().body:
                if isinstance(node, ast.ClassDef):
                    if any(_exception_base(b) for b in node.bases):
                        found.add(("error", _rel(path), node.name))
                    scopes.append(node)
                elif isinstance(node, (ast.If, ast.Try)):
                    scopes.append(ast.Module(body=node.body + node.orelse, type_ignores=[]))
    return found


def _check(rule: str, found: set[tuple[str, ...]]) -> None:
    known = {k for k in KNOWN if k[0] == rule}
    new, gone = sorted(found - known), sorted(known - found)
    assert not new, f"{rule}: new violations (fix them, or list them in KNOWN with the part that removes them): {new}"
    assert not gone, f"{rule}: fixed, remove from KNOWN: {gone}"


def _code_lines(tree: ast.Module, text: str) -> set[int]:
    """Line numbers of code: not blank, not a comment, not the module docstring."""
    lines = {i for i, s in enumerate(text.splitlines(), 1) if s.strip() and not s.strip().startswith("#")}
    if tree.body and isinstance(tree.body[0], ast.Expr) and isinstance(tree.body[0].value, ast.Constant):
        lines -= set(range(tree.body[0].lineno, tree.body[0].end_lineno + 1))
    return lines


def _literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
        return True
    except ValueError:
        pass
    if isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
        children = [c for c in ast.iter_child_nodes(node) if not isinstance(c, ast.expr_context)]
        return all(c is None or _literal(c) for c in children)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("frozenset", "set",
                                                                                        "tuple", "dict"):
        return all(_literal(a) for a in node.args)
    return isinstance(node, (ast.Name, ast.Starred, ast.DictComp, ast.BinOp, ast.JoinedStr))


def test_no_module_over_the_line_limit():
    _check("lines", lines_violations())


@pytest.mark.parametrize("name", sorted(LITERAL_TABLES))
def test_literal_tables_are_tables(name):
    path = SRC / name
    assert path.exists(), f"LITERAL_TABLES names {name}, which is gone: update the list"
    text = path.read_text(encoding="utf-8")
    tree = _tree(path)
    code = _code_lines(tree, text)
    literal = set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None and _literal(node.value):
            literal |= set(range(node.lineno, node.end_lineno + 1))
    share = len(code & literal) / max(1, len(code))
    assert share >= LITERAL_SHARE, f"{name}: {share:.0%} of its code is literal data; a module of rules is no table"


def test_no_module_imports_a_private_name_of_another():
    _check("private", private_violations())


def test_lower_layers_never_import_higher_ones():
    tops = {p.relative_to(SRC).parts[0].removesuffix(".py") for p in _modules() if p.name != "__init__.py"
            or p.parent != SRC}
    assert tops <= set(LAYERS), f"give these a layer in LAYERS: {sorted(tops - set(LAYERS))}"
    base = {m for m, layer in LAYERS.items() if layer == 0}
    for path in _modules():  # the base imports nothing of tradesim but the base
        if _top(_dotted(path)) in base:
            assert {_top(t) for t, _ in _imports(path)} <= base, _rel(path)
    _check("layer", layer_violations())


def test_error_classes_live_in_errors_py():
    _check("error", error_violations())


def test_the_checks_can_fail(tmp_path, monkeypatch):
    """Each rule finds a planted violation (so an empty list means something)."""
    pkg = tmp_path / "tradesim"
    (pkg / "data").mkdir(parents=True)
    (pkg / "api.py").write_text("def run():\n    return 1\n")
    (pkg / "data" / "__init__.py").write_text("")
    (pkg / "data" / "low.py").write_text(
        "from tradesim.model.solve import _finish\nimport tradesim.results.store as st\n\n\n"
        "def f():\n    from tradesim.api import run\n    return st._open(), run()\n\n\n"
        "class BadInput(ValueError):\n    pass\n" + "\n" * MAX_LINES)
    monkeypatch.setattr(sys.modules[__name__], "SRC", pkg)
    assert [_rel(p) for p in _modules()] == ["api.py", "data/__init__.py", "data/low.py"]
    _tree.cache_clear()
    try:
        assert lines_violations() == {("lines", "data/low.py")}
        assert private_violations() == {("private", "tradesim.data.low", "tradesim.model.solve._finish"),
                                        ("private", "tradesim.data.low", "tradesim.results.store._open")}
        assert layer_violations() == {("layer", "tradesim.data.low", "tradesim.api"),
                                      ("layer", "tradesim.data.low", "tradesim.results.store"),
                                      ("layer", "tradesim.data.low", "tradesim.model.solve")}
        assert error_violations() == {("error", "data/low.py", "BadInput")}
    finally:
        _tree.cache_clear()
