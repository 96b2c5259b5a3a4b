"""A run reproduces: every library scenario, exported from the store and run again,
gives the stored numbers exactly; the store's tables are the run's bit for bit."""

from __future__ import annotations

import json
import tomllib

import pandas as pd
import pytest

import tradesim
from tradesim.results.store import TABLE_OF, RunStore, result_key

from ..conftest import SCENARIOS

LIBRARY = tomllib.loads((SCENARIOS / "library.toml").read_text())["scenarios"]


@pytest.mark.slow
def test_every_library_scenario_exported_reruns_to_the_stored_numbers(tmp_path):
    store = RunStore(tmp_path / "runs.duckdb")
    for name in LIBRARY:
        result = tradesim.run(SCENARIOS / f"{name}.toml", store=store, reuse=False)
        run_id = store.find(result_key(result))
        folder = store.export(run_id, tmp_path / name)  # tables rebuilt from the store
        for table, make in TABLE_OF.items():  # bit for bit the tables computed at run time
            pd.testing.assert_frame_equal(pd.read_parquet(folder / f"{table}.parquet"), make(result),
                                          check_exact=True, obj=f"{name}: {table}")
        text = (folder / "scenario.toml").read_text()
        assert "include" not in tomllib.loads(text) and f'closure = "{result.solution.closure}"' in text
        again = tradesim.run(folder / "scenario.toml", store=False)  # solved afresh from the export alone
        for table, make in TABLE_OF.items():
            pd.testing.assert_frame_equal(make(again), make(result), check_exact=True, obj=f"{name} rerun: {table}")
        assert again.scenario.text == result.scenario.text  # resolving a resolved scenario changes nothing


def test_export_reruns_from_the_command_line(tmp_path, monkeypatch):
    """`tradesim runs export` then `tradesim run <export>/scenario.toml`: the same summary."""
    from typer.testing import CliRunner

    from tradesim.cli.main import app

    monkeypatch.setenv("TRADESIM_STORE", str(tmp_path / "runs.duckdb"))
    runner = CliRunner()
    first = runner.invoke(app, ["run", str(SCENARIOS / "cp2015_nafta.toml"), "--json", "-o", str(tmp_path / "r"),
                                "--closure", "fixed_deficit"])
    assert first.exit_code == 0, first.output
    run_id = RunStore(tmp_path / "runs.duckdb").runs()["run_id"][0]
    res = runner.invoke(app, ["runs", "export", run_id, "-o", str(tmp_path / "x")])
    assert res.exit_code == 0, res.output
    assert 'closure = "fixed_deficit"' in (tmp_path / "x" / "scenario.toml").read_text()
    again = runner.invoke(app, ["run", str(tmp_path / "x" / "scenario.toml"), "--json", "--no-save", "--fresh"])
    assert again.exit_code == 0, again.output
    a, b = json.loads(first.output), json.loads(again.output)
    assert a["countries"] == b["countries"] and a["closure"] == b["closure"] == "fixed_deficit"
