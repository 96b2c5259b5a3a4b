"""The web layer and the store in parts (issue 15): no SQL outside the store, modules under ~450 lines."""

from __future__ import annotations

import re

from ..conftest import ROOT

SRC = ROOT / "src" / "tradesim"
SQL = re.compile(r"\.query\(|\.execute\(|\bSELECT\b|\bINSERT INTO\b|\bUPDATE\b \w+ SET|\bDELETE FROM\b")


def test_no_sql_in_the_web_layer_or_the_cli():
    """Every query the dashboard and `tradesim runs` make is a RunStore method (results/store.py,
    its SQL in results/store_queries.py)."""
    offenders = [f"{p.relative_to(SRC)}:{n}" for folder in ("web", "cli") for p in sorted((SRC / folder).rglob("*.py"))
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if SQL.search(line)]
    assert offenders == []


def test_the_store_and_the_web_layer_are_in_parts_under_450_lines():
    modules = sorted((SRC / "web").rglob("*.py")) + sorted((SRC / "results").glob("store*.py")) + [
        SRC / "results" / "family_runs.py", SRC / "scenario" / "library.py"]
    long = {str(p.relative_to(SRC)): n for p in modules if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450}
    assert long == {}
    assert len((SRC / "web" / "app.py").read_text(encoding="utf-8").splitlines()) < 150  # create_app mounts, no more
