"""``tradesim run`` imports what a run needs and nothing else (issue 15, item 5): not the
dashboard, the news reader, the games, the gravity estimator, plotly, dask or DuckDB
(with the results store off); ``--help`` still lists every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tradesim.cli.lazy import LAZY
from tradesim.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json, sys
sys.argv = ["tradesim", "run", "scenarios/cp2015_nafta.toml", "--no-save"]
from tradesim.cli.main import main
try:
    main()
except SystemExit as exit:
    assert not exit.code, exit.code
print(json.dumps(sorted(sys.modules)))
"""
NOT_IMPORTED = ["tradesim.web", "tradesim.news", "tradesim.strategy", "tradesim.gravity.estimate", "tradesim.sweep",
                "tradesim.montecarlo", "plotly", "dask", "duckdb", "fastapi", "pyfixest", "spacy",
                "tradesim.cli.news", "tradesim.cli.strategy", "tradesim.cli.war", "tradesim.cli.gravity"]


def test_run_imports_nothing_it_does_not_use(tmp_path):
    env = {**os.environ, "TRADESIM_STORE": "off", "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    modules = json.loads(out.stdout.strip().splitlines()[-1])
    loaded = [m for m in NOT_IMPORTED if any(x == m or x.startswith(m + ".") for x in modules)]
    assert loaded == []
    assert "tradesim.results.result" in modules  # the run did run


def test_help_lists_every_command():
    out = CliRunner().invoke(app, ["--help"], terminal_width=200)
    assert out.exit_code == 0
    for name in ["run", "baselines", "demo", "sweep", "montecarlo", *LAZY]:
        assert f" {name} " in out.output, name
    assert set(LAZY) >= {"gravity", "runs", "serve", "news", "strategy", "game", "regime", "timeline", "attribute",
                         "war", "cache"}
