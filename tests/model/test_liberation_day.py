"""The Liberation Day family: calibration against the authors' numbers, identities, the
exact Jacobian, errors.

References: the calibrated nu, phi and tariff rates are the values the authors' code
prints (``main_baseline.m`` of the JIE replication package of Ignatenko, Lashkaripour,
Macedoni and Simonovska 2025, run and read in ../shared/reference/liberation_day/MODEL.md).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

from tradesim.data.baci2023 import load_baci2023
from tradesim.errors import NonConvergenceError, ScenarioError
from tradesim.model.newton import NewtonOptions
from tradesim.model.family import get_family
from tradesim.model.liberation_day import LDOptions, calibrate, solve, ustr_tariffs
from tradesim.model.liberation_day import equations as eq
from tradesim.model.liberation_day import tariffs as tf
from tradesim.model.liberation_day.inputs import from_flows
from tradesim.model.liberation_day.scenario import scenario_from_dict, tariff_matrix
from tradesim.model.liberation_day.solve import params


@pytest.fixture(scope="module")
def ds():
    return load_baci2023()


@pytest.fixture(scope="module")
def inputs(ds):
    return calibrate(ds)


@pytest.mark.reference
def test_calibration_matches_the_authors_code(inputs):
    # MODEL.md: nu_nonUS = 0.114335212816, nu_US = 0.270470982283; phi 1.1507 (non-US), 1.4328 (US)
    assert inputs.nu_calibrated == pytest.approx((0.114335212816, 0.270470982283), abs=1e-11)
    assert inputs.phi[inputs.us] == pytest.approx(1.4328, abs=5e-5)
    assert inputs.phi[inputs.index("CHN")] == pytest.approx(1.1507, abs=5e-5)
    # the baseline is a world: spending equals income, deficits sum to zero
    assert inputs.deficit.sum() == pytest.approx(0.0, abs=1e-9 * inputs.expenditure.sum())


@pytest.mark.reference
def test_tariff_formulas_match_the_authors_code(inputs, ds):
    # MODEL.md: optimal US 0.217988 (case 4), 0.185432 with Y_US as coded in case 7, retaliation 0.227422
    assert tf.optimal_us_rate(inputs) == pytest.approx(0.217988, abs=5e-7)
    assert tf.optimal_us_rate(inputs, "income") == pytest.approx(0.185432, abs=5e-7)
    assert tf.optimal_retaliation_rate(inputs) == pytest.approx(0.227422, abs=5e-7)
    t = ustr_tariffs(inputs, ds)
    assert t[inputs.us, inputs.index("RUS")] == 0.10  # the 10% floor lifts Russia's 0
    assert t[inputs.us, inputs.index("CHN")] == pytest.approx(0.54)
    assert np.count_nonzero(t) == inputs.n - 1  # only the US row, never its own diagonal


def test_zero_shock_returns_the_baseline(inputs):
    sol = solve(inputs, np.zeros((inputs.n, inputs.n)))
    for k in ("w_hat", "e_hat", "l_hat", "p_hat"):
        np.testing.assert_allclose(sol.values[k], 1.0, atol=1e-12)
    np.testing.assert_allclose(sol.values["flows"], inputs.flows, rtol=1e-11)
    np.testing.assert_allclose(sol.welfare_pct, 0.0, atol=1e-10)
    assert sol.max_residual < 1e-13


@pytest.fixture(scope="module")
def small(inputs, ds):
    """The 40 largest economies (calibrated flows, ν and φ as in the full world) under the USTR
    schedule with reciprocal retaliation: Jacobian checks at a tenth of the cost."""
    keep = sorted(np.argsort(-inputs.expenditure)[:40])
    sub = from_flows([inputs.countries[i] for i in keep], inputs.flows[np.ix_(keep, keep)], inputs.options,
                     inputs.nu_calibrated)
    t = tf.reciprocal(inputs, ustr_tariffs(inputs, ds))[np.ix_(keep, keep)]
    return sub, params(sub, t)


def test_the_differentiated_residual_is_the_coded_one_and_its_jacobian_exact(small):
    """residual (custom JVP through the market aggregates) = residual_reference term by term;
    its Jacobian equals jax.jacfwd of the reference at a point away from the baseline."""
    inputs, p = small
    z = jnp.asarray(np.random.default_rng(0).normal(0.0, 0.05, 3 * inputs.n))
    np.testing.assert_allclose(jax.jit(eq.residual)(z, p), jax.jit(eq.residual_reference)(z, p), atol=1e-13)
    jac, jac_ref = (jax.jit(jax.jacfwd(f))(z, p) for f in (eq.residual, eq.residual_reference))
    np.testing.assert_allclose(jac, jac_ref, atol=1e-12)


def test_the_reduced_system_is_the_full_one_with_expenditure_substituted(small):
    """residual_reduced(z2) = the income and labour blocks of the 3N residual at
    full_unknowns(z2), whose expenditure block is then zero; its Jacobian (custom JVP) equals
    jax.jacfwd of that composition written with the reference functions."""
    inputs, p = small
    n = inputs.n
    z2 = jnp.asarray(np.random.default_rng(1).normal(0.0, 0.05, 2 * n))

    def composed(z2):
        r = eq.residual_reference(eq.full_unknowns(z2, p), p)
        return jnp.concatenate([r[:n], r[2 * n:]])

    full = jax.jit(eq.residual_reference)(jax.jit(eq.full_unknowns)(z2, p), p)
    np.testing.assert_allclose(full[n:2 * n], 0.0, atol=1e-13)
    np.testing.assert_allclose(jax.jit(eq.residual_reduced)(z2, p), jax.jit(composed)(z2), atol=1e-13)
    np.testing.assert_allclose(jax.jit(jax.jacfwd(eq.residual_reduced))(z2, p), jax.jit(jax.jacfwd(composed))(z2),
                               atol=1e-11)


def test_walras_law_the_dropped_equation_holds(inputs, ds):
    """The numeraire replaces the last income equation; at the answer that equation holds too."""
    sol = solve(inputs, ustr_tariffs(inputs, ds))
    v, n = sol.values, inputs.n
    sales = eq.factor_income(v["flows"], inputs.nu)
    assert abs(sales[n - 1] - v["income"][n - 1]) < 1e-9 * inputs.expenditure[n - 1]
    assert abs((v["p_hat"] * inputs.expenditure).sum() / inputs.expenditure.sum() - 1) < 1e-13


@pytest.mark.parametrize("change", [{"deficits": "fixed"}, {"psi": 0.0}, {"kappa": 0.0, "revenue": "lump_sum"},
                                    {"nu": (0.2, 0.3), "passthrough": 0.5}])
def test_every_switch_solves_and_keeps_walras_law(ds, change):
    inputs = calibrate(ds, LDOptions(**change))
    sol = solve(inputs, ustr_tariffs(inputs, ds))
    v, n = sol.values, inputs.n
    assert sol.max_residual < 1e-12
    assert abs(eq.factor_income(v["flows"], inputs.nu)[n - 1] - v["income"][n - 1]) < 1e-9 * inputs.expenditure[n - 1]
    if change.get("kappa") == 0.0:
        np.testing.assert_allclose(v["l_hat"], 1.0, atol=1e-13)


def _balanced_world(ds, k: int = 30):
    """The k largest BACI economies by GDP with every bilateral flow positive, flows made
    symmetric (so trade is balanced) and domestic sales as the calibration builds them."""
    full = calibrate(ds, LDOptions(nu=0.0, phi=1.0))
    order = np.argsort(-full.gdp)
    keep = [i for i in order if full.flows[i, order[:k + 20]].min() > 0 and full.flows[order[:k + 20], i].min() > 0][:k]
    keep = sorted(keep)
    x = full.flows[np.ix_(keep, keep)]
    x = (x + x.T) / 2
    return [full.countries[i] for i in keep], x


def test_gravity_special_case_is_tradesim_model_gravity_ge(ds):
    """With nu = 0, phi = 1, kappa = 0 and psi = 0 the model is one-sector structural gravity:
    a 25% iceberg cost on US imports gives the welfare (E/P) changes and trade flows of
    tradesim.model.gravity.ge (consistent mode, sigma = eps + 1) on the same (balanced) BACI world."""
    from tradesim.gravity.data import GravityData
    from tradesim.gravity.experiment import Experiment, TariffChange
    from tradesim.model.gravity.ge import build_baseline, simulate

    countries, x = _balanced_world(ds)
    o = LDOptions(nu=0.0, phi=1.0, kappa=0.0, psi=0.0, revenue="lump_sum")
    ld = from_flows(countries, x, o)
    assert np.abs(ld.deficit).max() < 1e-6 * ld.expenditure.max()
    us = countries.index("USA")
    cost = np.ones_like(x)
    cost[us, :] = 1.25
    cost[us, us] = 1.0
    sol = solve(ld, np.zeros_like(x), trade_cost=cost)

    n = len(countries)
    ex, im = np.meshgrid(countries, countries)  # x[i, j]: importer i (rows), exporter j
    frame = pd.DataFrame({"exporter": ex.ravel(), "importer": im.ravel(), "trade": x.ravel(),
                          "lnx": np.log(x.ravel())})
    frame["Y"] = frame["exporter"].map(dict(zip(countries, x.sum(axis=0))))
    frame["E"] = frame["importer"].map(dict(zip(countries, x.sum(axis=1))))
    base = build_baseline(GravityData(frame, year=None), {"lnx": 1.0}, sigma=o.epsilon + 1, reference="DEU")
    others = tuple(c for c in countries if c != "USA")
    res = simulate(base, Experiment("US 25%", (TariffChange(0.25, others, ("USA",)),)))
    grav = res.table()
    np.testing.assert_allclose(sol.welfare_pct, grav.loc[list(countries), "welfare_pct"], atol=1e-8)
    # flows up to the numeraire: compare shares of world spending
    g1 = res.bilateral().pivot(index="importer", columns="exporter", values="experiment").loc[countries, countries]
    np.testing.assert_allclose(sol.values["flows"] / sol.values["flows"].sum(), g1.to_numpy() / g1.to_numpy().sum(),
                               rtol=1e-8, atol=1e-14)
    assert n == 30 and sol.welfare_pct[us] < -0.5  # a shock that matters


def test_options_are_checked_by_name():
    with pytest.raises(ScenarioError, match="options.revenue"):
        LDOptions(revenue="rebate")
    with pytest.raises(ScenarioError, match="options.nu"):
        LDOptions(nu=1.5)
    with pytest.raises(ScenarioError, match="unknown option.*sigma"):
        scenario_from_dict({"options": {"sigma": 5}})


def test_scenario_errors_name_the_measure(inputs, ds):
    with pytest.raises(ScenarioError, match="measure 1 .tariff.: give exactly one"):
        scenario_from_dict({"measures": [{"kind": "tariff", "importer": "USA"}]})
    sc = scenario_from_dict({"measures": [{"kind": "retaliation", "mirror": "nope"}]})
    with pytest.raises(ScenarioError, match="mirror 'nope'"):
        tariff_matrix(sc, inputs, ds)
    sc = scenario_from_dict({"measures": [{"kind": "tariff", "importer": "USA", "exporter": "ATLANTIS", "set": 0.1}]})
    with pytest.raises(ScenarioError, match="unknown country 'ATLANTIS'"):
        tariff_matrix(sc, inputs, ds)


def test_a_failed_solve_raises(inputs, ds):
    with pytest.raises(NonConvergenceError, match="residual"):
        solve(inputs, ustr_tariffs(inputs, ds), solver=NewtonOptions(max_iter=1))


def test_family_is_registered_and_follows_the_protocol(inputs, ds):
    from tradesim.model.family import ModelFamily, family_names

    fam = get_family("liberation_day")
    assert isinstance(fam, ModelFamily) and "liberation_day" in family_names()
    assert fam.baselines == ("baci2023",)
    z = np.zeros(3 * inputs.n)
    assert np.abs(fam.residual(inputs, z, np.zeros((inputs.n, inputs.n)))).max() < 1e-13
    with pytest.raises(ScenarioError, match="baci2023"):
        fam.inputs("icio2022")


def test_tradesim_run_dispatches_on_the_model_field(tmp_path):
    import tradesim
    from tests.conftest import SCENARIOS

    run = tradesim.run(SCENARIOS / "liberation_day" / "ustr_lump_sum.toml")
    assert round(run.table.loc["USA", "welfare_pct"], 2) == -0.01  # Table 1, case 2
    text = (SCENARIOS / "liberation_day" / "ustr_tax_relief.toml").read_text()
    assert round(tradesim.run(text).table.loc["USA", "welfare_pct"], 2) == 1.13
    folder = run.save(tmp_path / "r")
    back = pd.read_parquet(folder / "countries.parquet").set_index("country")
    assert back.loc["EU", "welfare_pct"] == pytest.approx(run.table.loc["EU", "welfare_pct"])


def test_cli_run_prints_the_liberation_day_rows(tmp_path):
    from typer.testing import CliRunner

    from tests.conftest import SCENARIOS
    from tradesim.cli.main import app

    res = CliRunner().invoke(app, ["run", str(SCENARIOS / "liberation_day" / "optimal_us.toml"), "-o",
                                   str(tmp_path / "r")], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "1.79%" in res.output and "residual" in res.output  # Table 1, case 3
    assert (tmp_path / "r" / "summary.json").exists()


def test_sweep_over_epsilon_and_kappa():
    from tests.conftest import SCENARIOS
    from tradesim.model.liberation_day.family import sweep

    out = sweep(SCENARIOS / "liberation_day" / "ustr_tax_relief.toml", epsilon=[4.0, 6.0], kappa=[0.0, 0.5])
    assert len(out) == 4 * (194 + 2)
    us = out[out.country == "USA"].set_index(["epsilon", "kappa"])
    assert round(us.loc[(4.0, 0.5), "welfare_pct"], 2) == 1.13
    assert np.abs(us.xs(0.0, level="kappa")["employment_change_pct"]).max() < 1e-12  # kappa = 0: no labour margin


def test_montecarlo_over_epsilon_and_kappa_is_seeded_and_reports_every_draw():
    from tests.conftest import SCENARIOS
    from tradesim.model.liberation_day.uncertainty import draw_parameters, montecarlo

    path = SCENARIOS / "liberation_day" / "ustr_tax_relief.toml"
    samples, summary = montecarlo(path, draws=3, seed=7)
    assert samples["converged"].all() and samples["draw"].nunique() == 3
    p = draw_parameters(3, 4.0, 0.25, 0.0, 1.0, 7)
    usa = samples[samples.country == "USA"].set_index("draw")
    np.testing.assert_allclose(usa["epsilon"], p["epsilon"])
    assert summary.loc["USA", ("p5", "welfare_pct")] <= summary.loc["USA", ("mean", "welfare_pct")] \
        <= summary.loc["USA", ("p95", "welfare_pct")]
    with pytest.raises(ScenarioError, match="montecarlo"):
        draw_parameters(0, 4.0, 0.25, 0.0, 1.0, 0)
