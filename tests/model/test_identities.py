"""Identities of exact hat algebra that can fail: zero shock, Walras' law,
numeraire invariance, prohibitive tariffs, exact derivatives."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from tradesim.errors import NonConvergenceError
from tradesim.model import solve as S
from tradesim.model.counterfactual import counterfactual
from tradesim.model.inputs import inputs_from_dataset
from tradesim.results.result import Result
from tradesim.scenario.apply import policy_from_scenario
from tradesim.scenario.spec import parse_scenario


def _shock(inputs, tariff=None, deficit=None, numeraire="world"):
    t = inputs.tariff if tariff is None else jnp.asarray(tariff)
    return S.Shock(t, jnp.ones_like(inputs.tariff), inputs.deficit if deficit is None else deficit, numeraire)


@pytest.mark.parametrize("name", ["toy", "cp2015"])
def test_zero_shock_returns_the_baseline(name, request):
    baseline = request.getfixturevalue(name)
    inputs = inputs_from_dataset(baseline.ds)
    eq = S.solve_equilibrium(inputs, S.no_shock(inputs))
    np.testing.assert_allclose(eq["wage_hat"], 1.0, atol=1e-12)
    np.testing.assert_allclose(eq["cost_hat"], 1.0, atol=1e-12)
    np.testing.assert_allclose(eq["price_hat"], 1.0, atol=1e-12)
    np.testing.assert_allclose(eq["trade_share"], inputs.trade_share, atol=1e-12)
    np.testing.assert_allclose(eq["expenditure"], inputs.expenditure, rtol=1e-10)
    assert eq.iterations == 1  # already solved: Newton stops at once


def test_zero_shock_scenario_has_zero_welfare_change(cp2015):
    scn = parse_scenario('name = "nothing"\nclosure = "fixed_deficit"\n')
    res = Result(scn, cp2015, counterfactual(cp2015, policy_from_scenario(scn, cp2015)))
    w = res.welfare()
    assert (w["income_usd"] > 0).all()  # a level, not a change
    assert np.abs(w.drop(columns="income_usd").to_numpy()).max() < 1e-9


@pytest.mark.parametrize("closure", ["fixed_deficit", "zero_deficit"])
def test_walras_law_and_world_trade_balance(nafta, nafta_fixed, closure):
    result = nafta if closure == "zero_deficit" else nafta_fixed
    r = result.diagnostics()["residuals"]
    # the labour-market condition of the last country is never imposed: Walras' law makes it hold
    assert r["labour_market"] < 1e-10
    assert r["world_trade_balance"] < 1e-10
    assert r["trade_balance"] < 1e-10
    assert r["goods_market"] < 1e-10
    v = result.solution.equilibrium.values
    flows = v["trade_share"] * v["expenditure"][:, None, :] / (1 + v["tariff"])
    imports, exports = flows.sum(axis=(1, 2)), flows.sum(axis=(0, 2))
    np.testing.assert_allclose(imports - exports, v["deficit"], atol=1e-10 * flows.sum())
    assert abs(v["deficit"].sum()) < 1e-10 * flows.sum()


def test_numeraire_invariance(toy):
    inputs = inputs_from_dataset(toy.ds)
    tariff = np.asarray(inputs.tariff) + 0.1 * (1 - np.eye(4))[:, :, None]
    world = S.solve_equilibrium(inputs, _shock(inputs, tariff))
    own = S.solve_equilibrium(inputs, _shock(inputs, tariff, numeraire=2))
    assert abs(own["wage_hat"][2] - 1) < 1e-13 and abs(world["wage_hat"][2] - 1) > 1e-4
    scale = own["wage_hat"][0] / world["wage_hat"][0]
    np.testing.assert_allclose(own["wage_hat"], world["wage_hat"] * scale, rtol=1e-10)
    np.testing.assert_allclose(own["trade_share"], world["trade_share"], atol=1e-12)
    real = lambda e: e["wage_hat"] / e["price_index_hat"]  # noqa: E731
    np.testing.assert_allclose(real(own), real(world), rtol=1e-10)
    np.testing.assert_allclose(own["income"] / own["price_index_hat"],
                               world["income"] / world["price_index_hat"], rtol=1e-10)


def test_prohibitive_tariff_drives_the_flow_to_zero(toy):
    inputs = inputs_from_dataset(toy.ds)
    tariff = np.asarray(inputs.tariff).copy()
    tariff[0, 1, :] = 1e6
    eq = S.solve_equilibrium(inputs, _shock(inputs, tariff))
    flows = eq["trade_share"] * eq["expenditure"][:, None, :] / (1 + eq["tariff"])
    before = np.asarray(inputs.trade_share) * np.asarray(inputs.expenditure)[:, None, :] / (1 + inputs.tariff)
    assert (flows[0, 1] / before[0, 1]).max() < 1e-12
    assert flows[1, 0].min() > 0  # the other direction still trades


def test_jax_jacobian_matches_finite_differences(toy):
    inputs = inputs_from_dataset(toy.ds)
    shock = _shock(inputs, np.asarray(inputs.tariff) * 1.5)
    opts = S.SolverOptions()
    f = lambda z: S.equilibrium_residual(z, inputs, shock, opts)[0]  # noqa: E731
    z = jnp.array([0.01, -0.02, 0.03, 0.0])
    jac = np.asarray(jax.jacfwd(f)(z))
    h = 1e-6
    fd = np.stack([(np.asarray(f(z.at[k].add(h))) - np.asarray(f(z.at[k].add(-h)))) / (2 * h) for k in range(4)], 1)
    np.testing.assert_allclose(jac, fd, rtol=1e-6, atol=1e-8)


def test_non_convergence_is_an_error(toy):
    inputs = inputs_from_dataset(toy.ds)
    shock = _shock(inputs, np.asarray(inputs.tariff) + 2.0)
    with pytest.raises(NonConvergenceError, match=r"did not converge after 1 Newton iterations: largest residual"):
        S.solve_equilibrium(inputs, shock, S.SolverOptions(max_newton=1))
    record = S.solve_equilibrium(inputs, shock, S.SolverOptions(max_newton=1), throw=False)
    assert not record.converged and record.max_residual > 1e-8


def test_one_country_one_sector_analytic():
    """Autarky with one sector: w_hat = 1 and nothing moves whatever the shock."""
    from tests.conftest import random_dataset
    from tradesim.model.inputs import reconcile

    ds, _ = reconcile(random_dataset(n=1, j=1, seed=3))
    inputs = inputs_from_dataset(ds)
    eq = S.solve_equilibrium(inputs, S.Shock(inputs.tariff, jnp.ones_like(inputs.tariff), inputs.deficit))
    np.testing.assert_allclose(eq["price_hat"], 1.0, atol=1e-14)


def test_iceberg_fall_in_two_symmetric_countries_gives_textbook_gains():
    """Two identical countries, one sector, no inputs, no tariffs: the ACR formula
    W_hat = (pi_nn' / pi_nn)^(-1/theta) must hold exactly."""
    import xarray as xr

    from tradesim.data.baseline import Baseline

    theta = 5.0
    trade = np.array([[[8.0], [2.0]], [[2.0], [8.0]]])
    bil = ("importer", "exporter", "sector")
    ds = xr.Dataset(
        {"trade": (bil, trade), "tariff": (bil, np.zeros_like(trade)),
         "value_added_share": (("country", "sector"), np.ones((2, 1))),
         "io_share": (("country", "input_sector", "sector"), np.zeros((2, 1, 1))),
         "final_demand_share": (("country", "sector"), np.ones((2, 1))),
         "trade_elasticity": (("sector",), [theta]), "deficit": (("country",), [0.0, 0.0])},
        coords={"importer": ["A", "B"], "exporter": ["A", "B"], "country": ["A", "B"],
                "sector": ["G"], "input_sector": ["G"]})
    inputs = inputs_from_dataset(Baseline(ds).ds)
    d_hat = np.ones((2, 2, 1))
    d_hat[0, 1] = d_hat[1, 0] = 0.8
    eq = S.solve_equilibrium(inputs, S.Shock(inputs.tariff, jnp.asarray(d_hat), inputs.deficit))
    own_share = eq["trade_share"][0, 0, 0]
    acr = (own_share / 0.8) ** (-1 / theta)
    real_wage = eq["wage_hat"][0] / eq["price_index_hat"][0]
    assert abs(real_wage - acr) < 1e-12
    # analytic: pi' = 0.8 / (0.8 + 0.2 * 0.8^-theta), symmetric wages
    assert abs(own_share - 0.8 / (0.8 + 0.2 * 0.8 ** -theta)) < 1e-12
