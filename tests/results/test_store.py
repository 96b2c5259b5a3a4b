"""The DuckDB results store: runs recorded once, given back exactly, safe under concurrent writers."""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import tradesim
import tradesim.api
from tradesim.data.baseline import Baseline
from tradesim.results import store as st
from tradesim.results.store import RunStore, StoreError

from ..conftest import ROOT, SCENARIOS

TOY_TARIFF = """name = "USA raises tariffs on MEX"
baseline = "cp2015"

[[measures]]
kind = "tariff"
importer = "USA"
exporter = "MEX"
add = {rate}
"""


@pytest.fixture(scope="module")
def tariff_result():
    return tradesim.run(TOY_TARIFF.format(rate=0.05), store=False)


def variant(result, i: int):
    """The same solution under another scenario name: another scenario hash, another run."""
    return replace(result, scenario=replace(result.scenario, name=f"variant {i}"))


def test_recorded_tables_equal_the_result(tmp_path, nafta):
    store = RunStore(tmp_path / "runs.duckdb")
    run_id = store.record(nafta)
    pd.testing.assert_frame_equal(store.table(run_id, "welfare"), nafta.welfare().reset_index(), check_dtype=False)
    pd.testing.assert_frame_equal(store.table(run_id, "output"), nafta.output(), check_dtype=False)
    pd.testing.assert_frame_equal(store.table(run_id, "trade"), nafta.trade(), check_dtype=False)
    pd.testing.assert_frame_equal(store.table(run_id, "bilateral_trade"), nafta.bilateral_trade(), check_dtype=False)
    rec = store.run(run_id[:6])  # a unique prefix is enough
    diag = nafta.diagnostics()
    assert rec["run_id"] == run_id
    assert rec["scenario_text"] == nafta.scenario.text  # the resolved scenario: closure and version explicit
    assert 'closure = "zero_deficit"' in rec["scenario_text"] and "baseline_version" in rec["scenario_text"]
    assert rec["scenario_hash"] == st.scenario_hash(nafta.scenario)
    assert (rec["baseline"], rec["baseline_version"]) == ("cp2015", nafta.baseline.version)
    assert rec["closure"] == nafta.solution.closure == "zero_deficit"
    assert rec["iterations"] == diag["iterations"] and rec["converged"]
    assert rec["max_residual"] == max(diag["residuals"].values()) < 1e-8
    assert rec["solve_seconds"] == diag["seconds"] > 0
    assert rec["tradesim_version"] and rec["n_countries"] == 31 and rec["n_sectors"] == 40
    assert rec["diagnostics"]["zero_deficit_step"] == diag["zero_deficit_step"]


def test_stored_run_rebuilds_the_same_result(tmp_path, nafta):
    store = RunStore(tmp_path / "runs.duckdb")
    again = store.result(store.record(nafta))
    assert again.scenario.key == "cp2015_nafta" and again.scenario.name == nafta.scenario.name
    # Exact float64 round trip: every table and the summary are identical.
    pd.testing.assert_frame_equal(again.welfare(), nafta.welfare(), check_exact=True)
    pd.testing.assert_frame_equal(again.trade(), nafta.trade(), check_exact=True)
    pd.testing.assert_frame_equal(again.welfare_by("sector"), nafta.welfare_by("sector"), check_exact=True)
    assert again.summary() == nafta.summary()
    # Published CP (2015) Table 2 still comes out of the store: Mexico +1.31%.
    assert again.welfare().loc["MEX", "welfare_first_order_pct"] == pytest.approx(1.31, abs=0.01)


def test_same_scenario_is_stored_once_unless_asked(tmp_path, tariff_result):
    store = RunStore(tmp_path / "runs.duckdb")
    first = store.record(tariff_result)
    assert store.record(tariff_result) == first
    assert len(store.runs()) == 1
    fresh = store.record(tariff_result, reuse=False)  # runs are immutable: a new one, the old one kept
    assert fresh != first and len(store.runs()) == 2
    assert store.record(variant(tariff_result, 1)) not in (first, fresh)


def test_api_run_records_and_reuses(tmp_path, monkeypatch):
    path = tmp_path / "runs.duckdb"
    text = TOY_TARIFF.format(rate=0.07)
    first = tradesim.run(text, store=path)
    store = st.open_store(path)
    assert len(store.runs()) == 1 and store.runs()["origin"][0] == "api"

    def no_solving(*args, **kwargs):
        raise AssertionError("a stored run was solved again")

    monkeypatch.setattr(tradesim.api, "counterfactual", no_solving)
    again = tradesim.run(text, store=path)  # given back from the store
    pd.testing.assert_frame_equal(again.welfare(), first.welfare(), check_exact=True)
    assert again.diagnostics() == first.diagnostics()
    monkeypatch.undo()

    tradesim.run(text, store=path, reuse=False)  # asked to solve again: a second run
    tradesim.run(text, store=path, closure="zero_deficit")  # another closure is another run
    tradesim.run(text, store=False)  # not recorded
    cp2015 = tradesim.load_baseline("cp2015")
    tradesim.run(text, cp2015, store=path, reuse=False)  # the shipped baseline object: recorded
    changed = Baseline(cp2015.ds.assign(trade_elasticity=cp2015.ds["trade_elasticity"] * 2), "cp2015")
    other = tradesim.run(text, changed, store=path)  # same name and version, other numbers: not reused, not recorded
    assert abs(other.welfare().loc["MEX", "welfare_pct"] - first.welfare().loc["MEX", "welfare_pct"]) > 1e-6
    runs = store.runs()
    assert len(runs) == 4 and set(runs["closure"]) == {"fixed_deficit", "zero_deficit"}


def test_default_store_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADESIM_STORE", str(tmp_path / "a.duckdb"))
    assert st.default_path() == tmp_path / "a.duckdb"
    monkeypatch.setenv("TRADESIM_STORE", "off")
    assert st.default_path() is None and st.open_store() is None
    monkeypatch.delenv("TRADESIM_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert st.default_path() == tmp_path / "xdg" / "tradesim" / "runs.duckdb"
    assert st.open_store(False) is None


def test_compare_export_sql_and_errors(tmp_path, tariff_result, nafta):
    store = RunStore(tmp_path / "runs.duckdb")
    a, b = store.record(tariff_result), store.record(nafta)
    cmp = store.compare(a, b)
    expected = nafta.welfare()["welfare_pct"] - tariff_result.welfare()["welfare_pct"]
    np.testing.assert_allclose(cmp["difference"], expected, rtol=0, atol=1e-15)
    with pytest.raises(StoreError, match="two different runs"):
        store.compare(a, a[:5])
    # The documented SQL (docs/dashboard.md): welfare of every stored NAFTA run.
    sql = store.query("SELECT w.country, w.welfare_pct FROM runs r JOIN welfare w USING (run_id) "
                      "WHERE r.scenario_key = ? ORDER BY w.country", ["cp2015_nafta"]).set_index("country")
    pd.testing.assert_series_equal(sql["welfare_pct"], nafta.welfare()["welfare_pct"].sort_index())
    for fmt in ("csv", "parquet"):
        folder = store.export(b, tmp_path / fmt, fmt)
        back = pd.read_csv(folder / "output.csv") if fmt == "csv" else pd.read_parquet(folder / "output.parquet")
        np.testing.assert_allclose(back["change_pct"], nafta.output()["change_pct"], rtol=1e-15)
        assert (folder / "scenario.toml").read_text() == nafta.scenario.text
    with pytest.raises(StoreError, match="no run 'abc'"):
        store.run("abc")
    with pytest.raises(StoreError, match="hexadecimal"):
        store.run("../etc")
    with pytest.raises(StoreError, match="table must be one of"):
        store.table(a, "runs; DROP TABLE runs")
    with pytest.raises(StoreError, match="format"):
        store.export(a, tmp_path / "x", "xlsx")


def test_twenty_concurrent_writers_store_each_run_once(tmp_path, tariff_result):
    """Threads: 20 distinct runs and 20 copies of one run, all at once."""
    store = RunStore(tmp_path / "runs.duckdb")
    ids: list[str] = []
    errors: list[Exception] = []

    def write(result):
        try:
            ids.append(RunStore(store.path).record(result))  # each thread its own handle, as separate clients
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=write, args=(variant(tariff_result, i),)) for i in range(20)]
    threads += [threading.Thread(target=write, args=(tariff_result,)) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    runs = store.runs()
    assert len(runs) == 21 and runs["run_id"].is_unique
    assert len(set(ids)) == 21  # the 20 copies all got the one stored id
    counts = store.query("SELECT run_id, count(*) AS n FROM welfare GROUP BY run_id")
    assert len(counts) == 21 and (counts["n"] == len(tariff_result.countries)).all()


WRITER = """
import sys
from dataclasses import replace
from tradesim.results.store import RunStore
source, target, start = RunStore(sys.argv[1]), RunStore(sys.argv[2]), int(sys.argv[3])
result = source.result(source.runs()["run_id"][0])
for i in range(start, start + 10):
    target.record(replace(result, scenario=replace(result.scenario, name=f"variant {i}")), origin="process")
target.record(result, origin="process")
"""


@pytest.mark.slow
def test_concurrent_processes_share_the_file(tmp_path, tariff_result):
    """Two processes write at once (DuckDB allows one writer process: the lock queues them)."""
    source = RunStore(tmp_path / "source.duckdb")
    source.record(tariff_result)
    target = tmp_path / "target.duckdb"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(source.path), str(target), str(10 * k)], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for k in range(2)]
    for p in procs:
        assert p.wait(timeout=120) == 0, p.stderr.read()
    runs = RunStore(target).runs()
    assert len(runs) == 21 and set(runs["origin"]) == {"process"}
    assert sorted(runs["scenario_name"]) == sorted([f"variant {i}" for i in range(20)] + [tariff_result.scenario.name])


def test_the_documented_sql_runs(tmp_path, nafta):
    """Every SQL statement in docs/dashboard.md runs on a store (docs that cannot rot)."""
    import re

    store = RunStore(tmp_path / "runs.duckdb")
    store.record(nafta)
    text = (ROOT / "docs" / "dashboard.md").read_text()
    statements = [s for block in re.findall(r"```sql\n(.*?)```", text, re.S) for s in block.split(";") if s.strip()]
    assert len(statements) >= 3
    for sql in statements:
        store.query(sql)
    worst = store.query(statements[1])
    np.testing.assert_allclose(worst["welfare_pct"], nafta.welfare()["welfare_pct"].nsmallest(10), rtol=1e-15)


def test_runs_command_line(tmp_path, nafta, tariff_result):
    from typer.testing import CliRunner

    from tradesim.cli.main import app

    store = RunStore(tmp_path / "runs.duckdb")
    a, b = store.record(tariff_result), store.record(nafta)
    runner = CliRunner()
    opts = ["--store", str(store.path)]
    res = runner.invoke(app, ["runs", "list", *opts], terminal_width=200)
    assert res.exit_code == 0 and a in res.output and b in res.output and "cp2015_nafta" in res.output
    res = runner.invoke(app, ["runs", "show", b[:6], *opts, "--scenario"], terminal_width=200)
    assert res.exit_code == 0 and "NAFTA tariff reductions" in res.output and "MEX" in res.output
    assert f"{nafta.welfare().loc['MEX', 'welfare_pct']:.4f}" in res.output and "[[measures]]" in res.output
    res = runner.invoke(app, ["runs", "compare", a, b, *opts], terminal_width=200)
    assert res.exit_code == 0 and "B - A" in res.output
    res = runner.invoke(app, ["runs", "export", b, "-o", str(tmp_path / "out"), "-f", "csv", *opts])
    assert res.exit_code == 0 and (tmp_path / "out" / "welfare.csv").exists()
    res = runner.invoke(app, ["runs", "show", "fedcba987", *opts])
    assert res.exit_code == 2 and "no run 'fedcba987'" in res.output and "Traceback" not in res.output


def test_latest_by_scenario_is_the_newest_run_of_each_scenario(tmp_path, tariff_result, nafta):
    """The dashboard's "welfare by scenario" query (RunStore.latest_by_scenario, no SQL in the web
    layer): per scenario on one baseline version and elasticity set, the welfare of its newest run,
    scenarios in the order they were first run; another baseline's runs are left out."""
    store = RunStore(tmp_path / "runs.duckdb")
    first = store.record(variant(tariff_result, 1))
    store.record(nafta)
    newer = store.record(variant(tariff_result, 1), reuse=False)  # same scenario again: the newest counts
    assert newer != first
    got = store.latest_by_scenario("cp2015", nafta.baseline.version)
    assert list(dict.fromkeys(got["scenario"])) == [variant(tariff_result, 1).scenario.key, "cp2015_nafta"]
    mine = got[got["scenario"] == "cp2015_nafta"].set_index("country")["welfare_pct"]
    pd.testing.assert_series_equal(mine, nafta.welfare()["welfare_pct"].sort_index(), check_names=False)
    assert len(got) == 2 * len(nafta.countries)  # one row per scenario and country, not per run
    assert store.latest_by_scenario("icio2022", nafta.baseline.version).empty
    assert store.latest_by_scenario("cp2015", nafta.baseline.version, "U4").empty


def test_store_error_lives_in_errors():
    """StoreError is tradesim.errors' (every error class in one module), re-exported by the store."""
    import tradesim.errors

    assert st.StoreError is StoreError is tradesim.errors.StoreError
    assert issubclass(StoreError, tradesim.errors.TradesimError)
