"""The tariff-war model (Lashkaripour 2021 as coded in ahmadlp/tariffwar) on ICIO 2022.

Reference figures: the issue's table (issue 17), from running the authors' code
(``tariffwar.pipeline.run('icio', 2022, SET)`` at ahmadlp/tariffwar @ 98636984) on ICIO 2022:
net Nash tariffs (the code prints 100 * mean(1 + t)), welfare against the balanced baseline,
simple means over the 81 economies.
"""

from __future__ import annotations

import os
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from tradesim.errors import NonConvergenceError, ScenarioError
from tradesim.model.family import get_family
from tradesim.model.tariffwar import ELASTICITY_SETS, ELASTICITY_SOURCES, nash_war
from tradesim.model.tariffwar import equations as eq
from tradesim.model.tariffwar.data import derived, load_world, with_domestic_floor
from tradesim.model.tariffwar.solve import WarOptions, balance, exact_jacobian, solve_war, war_residual
from tests.conftest import SHARED

# set: (mean Nash tariff %, US Nash tariff %, US welfare %, mean welfare %), issue 17's table
REFERENCE = {
    "IS": (24.81, 23.85, -0.344, -1.748),
    "U4": (25.80, 26.81, -0.249, -1.685),
    "LL": (29.72, 28.46, -0.481, -2.173),
}


def toy_world(n=4, k=3, seed=1):
    """A small random world: tariff-inclusive spending with home bias and deficits."""
    rng = np.random.default_rng(seed)
    spend = rng.uniform(1.0, 10.0, (n, n, k))
    spend[np.arange(n), np.arange(n)] *= 6
    tariff = rng.uniform(0.0, 0.2, (n, n, k))
    tariff[np.arange(n), np.arange(n)] = 0.0
    return derived(spend, tariff, rng.uniform(2.0, 8.0, k))


def test_chunked_jacobian_is_jacfwd():
    inputs, _ = balance(toy_world())
    x = jnp.concatenate([jnp.full(4, 0.01), jnp.full(4, 0.3)])
    np.testing.assert_allclose(exact_jacobian(war_residual, x, inputs, chunk=5),
                               jax.jacfwd(war_residual)(x, inputs), rtol=1e-12, atol=1e-14)


def test_toy_war_solves_its_own_conditions():
    raw = toy_world()
    inputs, record = balance(raw)
    # the purged world is balanced: each economy's spending equals its wage bill plus revenue
    revenue = (np.asarray(inputs.share) * (np.asarray(inputs.expenditure_share) * np.asarray(inputs.income)[:, None])[:, None]
               * np.asarray(inputs.tariff) / (1 + np.asarray(inputs.tariff))).sum(axis=(1, 2))
    np.testing.assert_allclose(np.asarray(inputs.wage_bill) + revenue, np.asarray(inputs.income), rtol=1e-11)
    # a balanced world needs no further purge: balancing it again changes nothing
    again, rec2 = balance(inputs)
    np.testing.assert_allclose(rec2.wage_hat, 1.0, atol=1e-11)
    war = solve_war(inputs)
    assert war.max_residual < 1e-10
    # eq. (14) at the solution, recomputed directly from the returned shares
    sales = war.share * (np.asarray(inputs.expenditure_share) * (war.income_hat * np.asarray(inputs.income))[:, None])[:, None] \
        / (1 + war.tariff_cube)
    np.testing.assert_allclose(war.tariff, eq.nash_tariff(jnp.asarray(sales), jnp.asarray(war.share),
                                                          inputs.elasticity), atol=1e-11)


def test_nonconvergence_is_raised():
    inputs, _ = balance(toy_world())
    with pytest.raises(NonConvergenceError, match="tariff war"):
        solve_war(inputs, WarOptions(max_iter=1))


def test_family_is_registered():
    fam = get_family("tariffwar")
    assert fam.name == "tariffwar" and fam.baselines == ("tariffwar_icio2022",)
    with pytest.raises(ScenarioError, match="shock"):
        fam.solve(toy_world(), shock=np.zeros((4, 4, 3)))


def test_shipped_dataset_provenance():
    ds = load_world()
    assert ds["flows"].shape == (81, 81, 28) and list(ds["elasticity_set"].values) == list(ELASTICITY_SETS)
    for key in ("source", "year", "license", "version", "build_script", "elasticity_sources"):
        assert ds.attrs[key]
    assert set(ELASTICITY_SOURCES) == set(ELASTICITY_SETS)
    from tradesim.data.registry import available_baselines
    assert "tariffwar_icio2022" not in available_baselines()   # another layout, not an engine baseline
    # the US food line as in the source file (the artefact the authors' code keeps)
    assert float(ds.tariff.sel(importer="USA", exporter="JPN", sector="C10T12")) == pytest.approx(0.913280483, abs=1e-9)


@pytest.mark.slow
@pytest.mark.reference
@pytest.mark.parametrize("name", ELASTICITY_SETS)
def test_war_all_sets(name):
    war = nash_war(name)
    # first-order conditions and market clearing (every economy, ROW's dropped equation too)
    assert war.solution.residuals["nash_first_order_condition"] < 1e-8
    assert war.solution.residuals["wage_clearing"] < 1e-8
    assert war.solution.residuals["income"] < 1e-8
    assert war.solution.residuals["trade_balance"] < 1e-8
    assert war.balance_record.max_residual < 1e-8
    assert np.all(war.solution.tariff > 0) and np.all(war.solution.tariff <= 1.0 + 1e-12)
    if name in REFERENCE:
        w = war.welfare()
        us = war.countries.index("USA")
        got = (100 * war.solution.tariff.mean(), 100 * war.solution.tariff[us], w[us], w.mean())
        np.testing.assert_allclose(got, REFERENCE[name], atol=0.005)


def _shared() -> Path:
    return Path(os.environ.get("TRADESIM_SHARED_DATA", SHARED))


@pytest.mark.shared
def test_rebuild_reproduces_shipped_file():
    if not (_shared() / "icio_tariffwar").exists():
        pytest.skip("../shared/data is not beside the repo (set TRADESIM_SHARED_DATA)")
    import scripts.build_tariffwar as build

    rebuilt = build.build(_shared(), 2022)
    shipped = load_world()
    np.testing.assert_array_equal(rebuilt["flows"].values, shipped["flows"].values)
    np.testing.assert_array_equal(rebuilt["tariff"].values, shipped["tariff"].values)
    np.testing.assert_array_equal(rebuilt["elasticity"].values, shipped["elasticity"].values)
    assert rebuilt.attrs == shipped.attrs
    # the authors' domestic floor is applied on load, never stored
    assert float(with_domestic_floor(shipped["flows"].values)[0, 0, 0] - shipped["flows"].values[0, 0, 0]) == 1.0
