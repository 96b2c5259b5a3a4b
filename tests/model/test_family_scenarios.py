"""Scenario files of the gravity and Ossa (2014) families (issue 15, item 1: "a scenario names its
family, and the CLI, API, dashboard, sweeps and Monte Carlo run any family the same way"): the
family's run of a scenario file is the model's own solve on the same experiment, bit for bit; the
resolved scenario pins everything (the gravity coefficients, the baseline version), so the results
store rebuilds the run bit for bit; a zero change gives zero welfare change."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tradesim.model.family import ScenarioFamily, get_family, scenario_family
from tradesim.results.store import RunStore

ROOT = Path(__file__).resolve().parents[2]
GRAVITY = ROOT / "scenarios" / "gravity_can_jpn.toml"
GOLDEN = np.load(ROOT / "tests" / "golden" / "golden.npz")
SAMPLE = ROOT.parent / "shared" / "data" / "gegravity" / "sample_data_set.dlm"


def golden_coefficients() -> dict[str, float]:
    """The PPML estimate of the golden gravity case (tests/golden/golden.npz, scripts/make_golden.py)."""
    names = GOLDEN["gravity_can_jpn|coefficients|variable"]
    return dict(zip(map(str, names), map(float, GOLDEN["gravity_can_jpn|coefficients|coef"])))


def gravity_pinned(compat: str = "consistent") -> str:
    """The library scenario with the golden coefficients fixed (no PPML in the test)."""
    text = GRAVITY.read_text().replace('compat = "consistent"', f'compat = "{compat}"')
    table = "\n".join(f"{k} = {v!r}" for k, v in golden_coefficients().items())
    return text.replace("[[change]]", f"[coefficients]\n{table}\n\n[[change]]", 1)


@pytest.mark.parametrize("compat", ["consistent", "gegravity"])
def test_gravity_scenario_is_the_golden_case(compat):
    """``tradesim.run`` of the library scenario (golden coefficients) gives the golden gravity
    tables of ``tradesim gravity simulate`` on gegravity's sample, to 1e-12 (both modes)."""
    import tradesim

    run = tradesim.run(gravity_pinned(compat), store=False)
    assert isinstance(get_family("gravity"), ScenarioFamily) and run.scenario.spec.compat == compat
    assert list(run.table.columns[:1]) == ["welfare_pct"]
    for col in run.table.columns:
        key = f"gravity_can_jpn|{compat}_countries|{col}"
        np.testing.assert_allclose(run.table[col].to_numpy(), GOLDEN[key], rtol=1e-12, atol=1e-12, err_msg=key)
    assert (run.table.index.to_numpy() == GOLDEN[f"gravity_can_jpn|{compat}_countries|country"]).all()
    # the headline is the exact E/P change: CAN +0.43% in the consistent model (golden table)
    assert run.welfare_pct().loc["CAN"] == run.solution.table().loc["CAN", "welfare_pct"]


def test_gravity_scenario_is_simulate_on_the_same_experiment():
    """The family's run equals :func:`tradesim.model.gravity.ge.simulate` on gegravity's own file
    (../shared/data/gegravity/sample_data_set.dlm) with the same coefficients: identical numbers,
    so the shipped copy of the panel is the source's."""
    if not SAMPLE.exists():
        pytest.skip(f"needs {SAMPLE}")
    from tradesim.gravity.data import GravityData
    from tradesim.gravity.experiment import load_experiment
    from tradesim.model.gravity.ge import build_baseline, simulate

    spec = load_experiment(GRAVITY)  # the file stays readable by `tradesim gravity simulate`
    base = build_baseline(GravityData.read(SAMPLE), golden_coefficients(), sigma=spec.sigma,
                          reference=spec.reference_importer, year=spec.year)
    direct = simulate(base, spec.experiment).table()
    run = scenario_family("gravity").run(gravity_pinned())
    pd.testing.assert_frame_equal(run.table[direct.columns], direct, check_exact=True)
    np.testing.assert_array_equal(run.solution.values["trade1"], simulate(base, spec.experiment).values["trade1"])


def test_gravity_run_is_stored_and_rebuilt_bit_for_bit(tmp_path):
    """The library file (a PPML formula, no coefficients): the run pins the estimate in its
    resolved scenario; the store keeps welfare_pct first and rebuilds the run bit for bit from it."""
    import tradesim

    store = RunStore(tmp_path / "runs.duckdb")
    run = tradesim.run(GRAVITY, store=store)
    assert run.estimated
    rid = store.runs().iloc[0]["run_id"]
    rec = store.run(rid)
    assert rec["model"] == "gravity" and rec["closure"] == "compat=consistent" and rec["baseline"] == "gegravity2006"
    assert "[coefficients]" in rec["scenario_text"] and "sigma = 5.0" in rec["scenario_text"]
    assert 'baseline_version = "gegravity2006-' in rec["scenario_text"]
    w = store.welfare(rid)
    assert list(w.columns[:2]) == ["country", "welfare_pct"]
    assert (w.set_index("country")["welfare_pct"] == run.table["welfare_pct"]).all()  # stored exactly
    rebuilt = store.result(rid)  # solved again from the resolved text, checked against p_hat etc.
    assert not rebuilt.estimated
    np.testing.assert_array_equal(rebuilt.table.to_numpy(), run.table.to_numpy())
    assert store.table_names(rid)[:1] == ("welfare",) and "bilateral" in store.table_names(rid)
    tradesim.run(rec["scenario_text"], store=store)  # the resolved text: the same key, stored once
    assert len(store.runs()) == 1


# ---- Ossa (2014) --------------------------------------------------------------------------

OSSA = ROOT / "scenarios" / "ossa2014"


def ossa_text(measures: str, deficit: str = "purged") -> str:
    return (f'name = "test"\nmodel = "ossa2014"\n\n[options]\ndeficit = "{deficit}"\n\n' + measures)


def test_ossa_scenario_is_solve_on_the_same_tariffs():
    """``tradesim.run`` of the +20-point US tariff on China equals :func:`tradesim.model.ossa.solve`
    on the purged model with the same tariffs, bit for bit (wages, prices, welfare)."""
    import tradesim
    from tradesim.model.ossa import OssaModel, load_ossa2014, solve

    run = tradesim.run(OSSA / "us_china_20pp.toml", store=False)
    m = OssaModel.from_dataset(load_ossa2014()).purged()
    usa, chn = m.regions.index("USA"), m.regions.index("CHN")
    t = np.array(m.tariff)
    t[usa, chn, :] += 0.20
    direct = solve(m, t)
    assert np.asarray(run.solution.tariff).tobytes() == t.tobytes()
    for k in ("wage_hat", "price_hat", "welfare_hat", "gov_hat"):
        assert np.asarray(getattr(run.solution.solution, k)).tobytes() == np.asarray(getattr(direct, k)).tobytes(), k
    np.testing.assert_array_equal(run.welfare_pct().to_numpy(), 100 * (np.asarray(direct.welfare_hat) - 1))
    assert list(run.table.columns[:1]) == ["welfare_pct"] and run.max_residual < 1e-9
    assert run.welfare_pct().loc["CHN"] < 0 < run.welfare_pct().loc["USA"]  # a terms-of-trade gain for the US


@pytest.mark.parametrize("deficit", ["purged", "factual"])
def test_ossa_zero_change_gives_zero_welfare_change(deficit):
    """Property of exact hat algebra: the factual tariffs (a zero-point change) reproduce the
    baseline, with either deficit treatment."""
    fam = scenario_family("ossa2014")
    zero = 'importer = "all"\nadd_pp = 0\n'
    for text in (ossa_text("", deficit), ossa_text(f'[[measures]]\nkind = "tariff"\n{zero}', deficit)):
        run = fam.run(text)
        moved = run.table[["welfare_pct", "gov_welfare_pct", "wage_pct", "price_index_pct"]].to_numpy()
        assert np.abs(moved).max() < 1e-10
        np.testing.assert_array_equal(run.table["mean_tariff_after_pct"], run.table["mean_tariff_before_pct"])


def test_ossa_author_optimal_tariffs_give_the_golden_optimum():
    """The US applying the author's optimal MFN tariffs (DATA.mat MFNOPTIMALTARIFFPOL) gains as
    much in its objective G as at our own best response (tests/golden/golden.npz, ossa2014
    usa_optimal gov_hat, +2.4678%): G is flat at the optimum, so the two agree to second order."""
    run = scenario_family("ossa2014").run(OSSA / "us_optimal_tariffs.toml")
    golden = 100 * (float(GOLDEN["ossa2014|usa_optimal|gov_hat"][0]) - 1)
    assert abs(run.table.loc["USA", "gov_welfare_pct"] - golden) < 1e-5
    assert (run.welfare_pct().drop("USA") < 0).all()  # every other region loses


def test_ossa_run_is_stored_and_rebuilt_bit_for_bit(tmp_path):
    import tradesim

    store = RunStore(tmp_path / "runs.duckdb")
    run = tradesim.run(OSSA / "us_china_20pp.toml", store=store)
    rid = store.runs().iloc[0]["run_id"]
    rec = store.run(rid)
    assert rec["model"] == "ossa2014" and rec["closure"] == "deficit=purged"
    assert 'baseline_version = "ossa2014-1"' in rec["scenario_text"] and "sigma_scale = 1.0" in rec["scenario_text"]
    w = store.welfare(rid)
    assert list(w.columns[:2]) == ["country", "welfare_pct"]
    assert (w.set_index("country")["welfare_pct"] == run.table["welfare_pct"]).all()
    rebuilt = store.result(rid)
    np.testing.assert_array_equal(rebuilt.table.to_numpy(), run.table.to_numpy())
    assert "industries" in store.table_names(rid)
    tradesim.run(rec["scenario_text"], store=store)
    assert len(store.runs()) == 1


def test_ossa_bad_scenarios_name_the_field():
    from tradesim.errors import ScenarioError

    fam = scenario_family("ossa2014")
    bad = {'[[measures]]\nkind = "tariff"\nimporter = "USX"\nadd_pp = 1\n': "unknown importer 'USX'",
           '[[measures]]\nkind = "tariff"\nindustry = "cars"\nadd_pp = 1\n': "unknown industry 'cars'",
           '[[measures]]\nkind = "tariff"\nset_pct = -5\n': "below zero",
           '[[measures]]\nkind = "tariff"\nadd_pp = 1\nset_pct = 2\n': "exactly one of",
           '[[measures]]\nkind = "quota"\n': "kind"}
    for measures, message in bad.items():
        with pytest.raises(ScenarioError, match=message):
            fam.run(ossa_text(measures))
    with pytest.raises(ScenarioError, match="deficit must be one of purged, factual"):
        fam.run(ossa_text("", "none"))
    with pytest.raises(ScenarioError, match="no option"):
        fam.run(OSSA / "us_china_20pp.toml", epsilon=4)


# ---- sweeps, Monte Carlo, a family that runs no scenario files ------------------------------


def test_sweep_and_montecarlo_of_the_families(tmp_path):
    """``tradesim sweep`` / ``montecarlo`` take gravity (its sigma) and Ossa's model (its
    sigma_scale) as they take the Liberation Day model: each point is the family's own run."""
    from tradesim.experiments.montecarlo import run_montecarlo
    from tradesim.experiments.sweep import parse_sweep, run_sweep

    spec = parse_sweep(f'name = "s"\nmodel = "gravity"\nscenario = "{GRAVITY.as_posix()}"\n\n'
                       "[grid]\nsigma = [4.0, 5.0]\n")
    table = run_sweep(spec)
    fam = scenario_family("gravity")
    at5 = table[(table["sigma"] == 5.0) & (table["country"] == "CAN")]["welfare_pct"].iloc[0]
    sc, _ = fam.resolve(GRAVITY)
    assert at5 == fam.run(sc).table.loc["CAN", "welfare_pct"]  # the same coefficients, the same bits
    assert table["converged"].all() and table[table["sigma"] == 4.0]["welfare_pct"].ne(
        table[table["sigma"] == 5.0]["welfare_pct"].to_numpy()).any()
    samples, summary = run_montecarlo(OSSA / "us_china_20pp.toml", draws=3, cv=0.1, seed=1)
    assert samples["converged"].all() and samples["sigma_scale"].nunique() == 3
    first = samples[samples["draw"] == 0].set_index("country")
    scale = float(first["sigma_scale"].iloc[0])
    again = scenario_family("ossa2014").run(OSSA / "us_china_20pp.toml", sigma_scale=scale)
    assert (again.table["welfare_pct"] == first.loc[again.table.index, "welfare_pct"]).all()
    assert {"welfare_pct_mean", "welfare_pct_sd", "welfare_pct_p5", "welfare_pct_p95"} <= set(summary.columns)


def test_a_family_without_scenario_files_is_named_not_a_traceback(tmp_path):
    from typer.testing import CliRunner

    from tradesim.cli.main import app

    war = tmp_path / "war.toml"
    war.write_text('name = "war"\nmodel = "tariffwar"\n')
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(f'name = "s"\nmodel = "tariffwar"\nscenario = "{war.as_posix()}"\n\n[grid]\nsigma = [3.0]\n')
    for args in (["run", str(war), "--no-save"], ["montecarlo", str(war), "-n", "2", "--out", str(tmp_path / "mc")],
                 ["sweep", str(sweep), "--out", str(tmp_path / "sw")]):
        res = CliRunner().invoke(app, args, env={"TRADESIM_STORE": "off"})
        assert res.exit_code == 2, (args, res.output)
        assert "the 'tariffwar' family cannot run scenario files" in res.output and "Traceback" not in res.output


def test_the_family_baselines_are_listed_not_loaded_as_engine_baselines():
    from typer.testing import CliRunner

    from tradesim.cli.main import app
    from tradesim.data.registry import FAMILY_DATASETS, available_baselines

    assert "gegravity2006" not in available_baselines() and FAMILY_DATASETS["gegravity2006"] == "gravity"
    res = CliRunner().invoke(app, ["baselines"], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "gegravity2006 (gravity)" in res.output and "ossa2014 (ossa2014)" in res.output
