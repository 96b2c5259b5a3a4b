"""The fast solver (batched and single) agrees with the numpy Caliendo-Parro
wage-adjustment algorithm on 20 random tariff scenarios on the 2022 world (81 x 28)."""

from __future__ import annotations

import time

import jax.numpy as jnp
import numpy as np
import pytest

import tradesim
from tradesim.model.batch import solve_batch
from tradesim.model.counterfactual import reference_world
from tradesim.model.reference import solve_reference, wage_sensitivity
from tradesim.model.solve import Shock, solve_equilibrium

pytestmark = [pytest.mark.reference, pytest.mark.slow]


def random_shocks(before, count: int, seed: int = 2022) -> list[Shock]:
    """Tariff rises of 0-40 points on a random tenth of the bilateral sector
    pairs, and on a few scenarios iceberg-cost changes of +-10% as well."""
    rng = np.random.default_rng(seed)
    t0 = np.asarray(before.tariff)
    n = t0.shape[0]
    shocks = []
    for k in range(count):
        add = rng.uniform(0.0, 0.4, t0.shape) * (rng.uniform(size=t0.shape) < 0.1)
        add[np.arange(n), np.arange(n)] = 0.0
        ice = np.ones_like(t0)
        if k % 4 == 3:
            ice = np.where(rng.uniform(size=t0.shape) < 0.05, rng.uniform(0.9, 1.1, t0.shape), 1.0)
            ice[np.arange(n), np.arange(n)] = 1.0
        shocks.append(Shock(jnp.asarray(t0 + add), jnp.asarray(ice), before.deficit))
    return shocks


def test_fast_solver_matches_cp_algorithm_on_20_random_2022_scenarios():
    if "icio2022" not in tradesim.available_baselines():
        pytest.skip("icio2022 baseline not built")
    before, _, jac = reference_world(tradesim.load_baseline("icio2022"), "fixed_deficit")
    assert before.shape == (81, 28)
    shocks = random_shocks(before, 20)
    args = [np.asarray(x) for x in (before.trade_share, before.tariff, before.trade_elasticity,
                                     before.value_added_share, before.io_share, before.final_demand_share,
                                     before.value_added, before.deficit)]
    # CP's damping, scaled per country by its own-wage sensitivity (see solve_reference).
    vfactor = 0.5 / np.abs(wage_sensitivity(*args))
    batch = solve_batch(before, shocks, jacobian=jac, names=[f"random-{k}" for k in range(20)])
    assert batch.converged.all() and not batch.fallback.any(), batch.failures()
    single = solve_equilibrium(before, shocks[0], jacobian=jac)
    np.testing.assert_allclose(batch.values["wage_hat"][0], single["wage_hat"], atol=1e-10)
    spent = 0.0
    moved = []
    for k, shock in enumerate(shocks):
        t = time.perf_counter()
        ref = solve_reference(args[0], args[1], np.asarray(shock.tariff), np.asarray(shock.iceberg_hat), *args[2:7],
                              np.asarray(shock.deficit), tol=1e-12, vfactor=vfactor)
        spent += time.perf_counter() - t
        ours = batch.equilibrium(f"random-{k}")
        assert ref.iterations > 10 and ref.wage_change < 1e-12  # the reference iterates, and converged
        for key in ("wage_hat", "price_hat", "cost_hat", "trade_share"):
            np.testing.assert_allclose(ours[key], getattr(ref, key), atol=1e-8, rtol=0, err_msg=f"{k}: {key}")
        np.testing.assert_allclose(ours["expenditure"], ref.expenditure, rtol=1e-8, err_msg=f"{k}: expenditure")
        moved.append(np.abs(ref.wage_hat - 1).max())
    assert min(moved) > 1e-3  # the scenarios are real shocks, not the baseline again
    print(f"reference: {spent:.1f} s for 20 scenarios")
