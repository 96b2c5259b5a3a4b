"""The store stays small, deletes what it is told, and survives writers killed mid-write."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

import tradesim
from tradesim.results.store import RunStore, StoreError, result_key

from ..conftest import ROOT

WRITER = r"""
import io, json, sys, uuid
from datetime import datetime, timezone
import numpy as np, pandas as pd
from tradesim.results.store import RunStore

store = RunStore(sys.argv[1])
countries = [f"C{k:02d}" for k in range(81)]
for i in range(10_000):
    run_id = uuid.uuid4().hex[:12]
    row = {"run_id": run_id, "run_key": run_id * 4, "created_at": datetime.now(timezone.utc), "origin": "test",
           "scenario_key": f"s{i}", "scenario_name": f"s{i}", "scenario_hash": run_id, "scenario_text": "x" * 4000,
           "baseline": "icio2022", "baseline_version": "v", "elasticity_set": None, "closure": "fixed_deficit",
           "converged": True, "iterations": 3, "max_residual": 1e-12, "solve_seconds": 0.03,
           "diagnostics": json.dumps({"seconds": 0.03}), "notes": "[]", "tradesim_version": "t",
           "n_countries": 81, "n_sectors": 28, "library": False, "options": None}
    buf = io.BytesIO()
    np.savez_compressed(buf, wage_hat=np.random.rand(81))
    welfare = pd.DataFrame({"country": countries, "welfare_pct": np.random.rand(81), "tot_pct": np.random.rand(81)})
    store.insert(row, buf.getvalue(), welfare)
    print(run_id, flush=True)
"""


def test_writers_killed_mid_write_leave_every_completed_run(tmp_path):
    """Five writers in a row, each killed (SIGKILL) while writing: the store opens, and
    every run a writer reported as committed is there, whole."""
    path = tmp_path / "runs.duckdb"
    done: list[str] = []
    for attempt in range(5):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        for _ in range(3 + attempt):  # let it commit a few runs, then kill it in the middle of the next
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            done.append(line.strip())
        time.sleep(0.002 * attempt)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        done += [line.strip() for line in proc.stdout.read().splitlines() if line.strip()]
        store = RunStore(path)
        runs = store.runs()
        assert set(done) <= set(runs["run_id"]), f"attempt {attempt + 1}: completed runs lost"
        counts = store.query("SELECT run_id, count(*) AS n FROM welfare GROUP BY run_id")
        assert (counts["n"] == 81).all() and set(counts["run_id"]) == set(runs["run_id"])  # no half-written run
        assert store.query("SELECT count(*) AS n FROM equilibria")["n"][0] == len(runs)
    assert len(done) >= 25


TOY = """name = "USA tariff on MEX {k}"
baseline = "cp2015"

[[measures]]
kind = "tariff"
importer = "USA"
exporter = "MEX"
add = 0.05
"""


def test_delete_gc_and_library_runs(tmp_path):
    store = RunStore(tmp_path / "runs.duckdb")
    (tmp_path / "library.toml").write_text('scenarios = ["shipped"]\n')  # a scenario library of one
    (tmp_path / "shipped.toml").write_text(TOY.format(k="(library)"))
    lib = tradesim.run(tmp_path / "shipped.toml", store=store)
    ids = [store.find(result_key(tradesim.run(TOY.format(k=k), store=store))) for k in range(4)]
    runs = store.runs()
    assert len(runs) == 5 and runs.set_index("run_id").loc[store.find(result_key(lib)), "library"]
    assert set(store.gc(keep=2, dry_run=True)) == set(ids[:2]) and len(store.runs()) == 5
    assert set(store.gc(keep=2)) == set(ids[:2])  # the two oldest toy runs go; the library run stays
    assert set(store.runs()["run_id"]) == {store.find(result_key(lib)), *ids[2:]}
    assert store.delete(ids[3][:8]) == [ids[3]]
    with pytest.raises(StoreError, match="no run"):
        store.run(ids[3])
    assert store.query("SELECT count(*) AS n FROM welfare WHERE run_id = ?", [ids[3]])["n"][0] == 0
    assert store.gc(keep=0) == [ids[2]] and len(store.runs()) == 1  # library runs are always kept


def test_no_save_records_nothing(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from tradesim.cli.main import app

    path = tmp_path / "runs.duckdb"
    monkeypatch.setenv("TRADESIM_STORE", str(path))
    scenario = tmp_path / "toy.toml"
    scenario.write_text(TOY.format(k=1))
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["run", str(scenario), "--no-save", "--json"])
    assert res.exit_code == 0, res.output
    assert not (tmp_path / "results").exists() and (not path.exists() or RunStore(path).runs().empty)
    # Saved runs go to one folder per run; a folder holding another run is not overwritten.
    res = CliRunner().invoke(app, ["run", str(scenario)])
    assert res.exit_code == 0, res.output
    first = next((tmp_path / "results" / "toy").iterdir())
    assert json.loads((first / "run.json").read_text())["closure"] == "fixed_deficit"
    res = CliRunner().invoke(app, ["run", str(scenario), "--closure", "zero_deficit"])
    assert res.exit_code == 0, res.output
    folders = sorted((tmp_path / "results" / "toy").iterdir())
    assert len(folders) == 2
    summaries = {json.loads((f / "summary.json").read_text())["closure"] for f in folders}
    toml = {f: (f / "scenario.toml").read_text() for f in folders}
    assert summaries == {"fixed_deficit", "zero_deficit"}
    for f in folders:  # the saved scenario says the closure summary.json says
        assert f'closure = "{json.loads((f / "summary.json").read_text())["closure"]}"' in toml[f]
    res = CliRunner().invoke(app, ["run", str(scenario), "--closure", "zero_deficit", "-o", str(first)])
    assert res.exit_code == 2 and "holds the results of another run" in res.output
    res = CliRunner().invoke(app, ["run", str(scenario), "-o", str(first)])  # the same run: fine
    assert res.exit_code == 0, res.output
    assert len(RunStore(path).runs()) == 2


def test_a_rebuild_that_differs_is_refused_and_versions_are_checked(tmp_path):
    """The stored wages check every rebuild; a resolved scenario names its baseline version."""
    import io

    from tradesim.errors import ScenarioError

    store = RunStore(tmp_path / "runs.duckdb")
    result = tradesim.run(TOY.format(k=9), store=store)
    run_id = store.find(result_key(result))
    pd.testing.assert_frame_equal(store.table(run_id, "output"), result.output(), check_exact=True)
    blob = store.query("SELECT arrays FROM equilibria WHERE run_id = ?", [run_id])["arrays"][0]
    with np.load(io.BytesIO(blob)) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["wage_hat"] = arrays["wage_hat"] * (1 + 1e-15)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    store.query("UPDATE equilibria SET arrays = ? WHERE run_id = ?", [buf.getvalue(), run_id])
    fresh = RunStore(store.path)  # no rebuilt result cached
    with pytest.raises(StoreError, match=r"solved again, wage_hat differ from the stored run"):
        fresh.result(run_id)
    assert len(fresh.welfare(run_id)) == len(result.countries)  # the recorded welfare table is intact
    text = result.scenario.text.replace(f'baseline_version = "{result.baseline.version}"', 'baseline_version = "old"')
    with pytest.raises(ScenarioError, match=r"baseline_version = 'old', but baseline 'cp2015' is version"):
        tradesim.run(text, store=False)
