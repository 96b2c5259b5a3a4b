"""Runs of another model family (the Liberation Day model) in the results store: recorded by
``tradesim.run`` with the resolved scenario, welfare table and unknowns; rebuilt bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import SCENARIOS
from tradesim.results.store import RunStore, StoreError

LD = SCENARIOS / "liberation_day"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    import tradesim

    store = RunStore(tmp_path_factory.mktemp("ld") / "runs.duckdb")
    run = tradesim.run(LD / "optimal_retaliation.toml", store=store)
    return store, run, store.runs().iloc[0]["run_id"]


def test_family_run_is_recorded_with_its_own_welfare(stored):
    store, run, rid = stored
    listed = store.runs().iloc[0]
    assert listed["model"] == "liberation_day" and listed["baseline"] == "baci2023"
    assert listed["scenario_key"] == "optimal_retaliation" and listed["closure"] == "deficits=world_income_share"
    w = store.welfare(rid).set_index("country")
    # headline = the model's exact welfare_pct; the paper's Table 2, panel (3): USA -0.75%
    # (../shared/reference/liberation_day/Table_2.tex)
    assert w.loc["USA", "welfare_pct"] == run.table.loc["USA", "welfare_pct"]  # stored exactly
    assert f"{w.loc['USA', 'welfare_pct']:.2f}" == "-0.75"
    assert len(w) == 194 and "ev_usd" not in w  # economies only; the paper gives no EV
    rec = store.run(rid)
    assert "baseline_version = \"baci2023-1\"" in rec["scenario_text"] and "epsilon = 4.0" in rec["scenario_text"]
    assert rec["max_residual"] < 1e-10


def test_stored_resolved_scenario_reproduces_the_numbers(stored):
    from tradesim.model.family import scenario_family

    store, run, rid = stored
    again = scenario_family("liberation_day").run(store.run(rid)["scenario_text"])  # a fresh solve of the text
    for k in ("w_hat", "e_hat", "l_hat"):
        assert np.asarray(again.solution.values[k]).tobytes() == np.asarray(run.solution.values[k]).tobytes()
    rebuilt = store.result(rid)  # checked bit for bit against the stored unknowns
    np.testing.assert_array_equal(rebuilt.table.to_numpy(), run.table.to_numpy())
    assert store.table_names(rid) == ("welfare", "countries", "aggregates")
    agg = store.table(rid, "aggregates").set_index("country")
    assert agg.loc["EU", "welfare_pct"] == run.table.loc["EU", "welfare_pct"]
    with pytest.raises(StoreError, match="table must be one of welfare, countries, aggregates"):
        store.table(rid, "output")


def test_same_family_scenario_is_stored_once_and_a_changed_option_is_another_run(stored, tmp_path):
    import tradesim

    store, _, rid = stored
    tradesim.run(LD / "optimal_retaliation.toml", store=store)
    assert (store.runs()["model"] == "liberation_day").sum() == 1
    text = (LD / "optimal_retaliation.toml").read_text().replace('revenue = "tax_relief"',
                                                                 'revenue = "tax_relief"\nkappa = 0.0')
    tradesim.run(text, store=store)
    assert len(store.runs()) == 2
    out = store.export(rid, tmp_path / "x", "csv")
    assert (out / "aggregates.csv").exists() and (out / "scenario.toml").read_text().startswith("name = ")


def test_a_tampered_run_is_refused(stored):
    store, _, rid = stored
    store.query("UPDATE runs SET scenario_text = replace(scenario_text, 'kappa = 0.5', 'kappa = 0.4') "
                "WHERE run_id = ?", [rid])
    store._rebuilt.clear()
    try:
        with pytest.raises(StoreError, match="differ from the stored run"):
            store.result(rid)
    finally:
        store.query("UPDATE runs SET scenario_text = replace(scenario_text, 'kappa = 0.4', 'kappa = 0.5') "
                    "WHERE run_id = ?", [rid])


def test_the_store_names_the_default_family_without_loading_the_model():
    import subprocess
    import sys

    from tradesim.model.family import DEFAULT_FAMILY
    from tradesim.results import family_runs

    assert family_runs.DEFAULT_FAMILY == DEFAULT_FAMILY
    code = "import sys, tradesim.results.store; print('jax' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_caliendo_parro_settings_on_a_family_scenario_are_errors():
    import tradesim
    from tradesim.errors import ScenarioError

    with pytest.raises(ScenarioError, match="closure: not a setting of the 'liberation_day' model"):
        tradesim.run(LD / "optimal_us.toml", closure="zero_deficit", store=False)
    with pytest.raises(ScenarioError, match="baseline: a 'liberation_day' scenario runs on"):
        tradesim.run(LD / "optimal_us.toml", "icio2022", store=False)
    assert tradesim.run(LD / "optimal_us.toml", "baci2023", store=False).scenario.baseline == "baci2023"
