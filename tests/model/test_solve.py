"""The solver's accelerations change how fast it gets there, not where: Anderson
mixing in the price block and inexact inner solves far from the solution give the
answer of the plain, always-exact iteration."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest

import tradesim
from tradesim.model import solve as S
from tradesim.model.counterfactual import reference_world
from tradesim.model.inputs import inputs_from_dataset
from tradesim.model.solver.accelerations import anderson_fixed_point
from tradesim.scenario.apply import policy_from_scenario

SCENARIOS = __import__("pathlib").Path(__file__).resolve().parents[2] / "scenarios"


def _tariff_shock(inputs, rate):
    n = inputs.shape[0]
    t = np.asarray(inputs.tariff) + rate * (1 - np.eye(n))[:, :, None]
    return S.Shock(jnp.asarray(t), jnp.ones_like(inputs.tariff), inputs.deficit)


@pytest.mark.parametrize("options", [S.SolverOptions(anderson=0), S.SolverOptions(forcing=0.0),
                                     S.SolverOptions(anderson=0, forcing=0.0), S.SolverOptions(anderson=8)])
def test_accelerations_leave_the_solution_unchanged(toy, options):
    inputs = inputs_from_dataset(toy.ds)
    shock = _tariff_shock(inputs, 0.4)
    fast = S.solve_equilibrium(inputs, shock)
    plain = S.solve_equilibrium(inputs, shock, options)
    assert fast.converged and plain.converged
    for key in ("wage_hat", "price_hat", "cost_hat", "trade_share"):
        np.testing.assert_allclose(fast[key], plain[key], atol=1e-11, err_msg=key)
    np.testing.assert_allclose(fast["expenditure"], plain["expenditure"], rtol=1e-11)


@pytest.mark.slow
def test_accelerations_on_the_2022_world_and_small_economies_are_solved_as_tightly():
    base = tradesim.load_baseline("icio2022")
    before, _, jac = reference_world(base, "fixed_deficit")
    policy = policy_from_scenario(tradesim.load_scenario(SCENARIOS / "escalation_2025_04.toml"), base)
    shock = S.Shock(jnp.asarray(policy.tariff), jnp.asarray(policy.iceberg_hat), before.deficit)
    fast = S.solve_equilibrium(before, shock, jacobian=jac)
    exact = S.solve_equilibrium(before, shock, S.SolverOptions(anderson=0, forcing=0.0), jacobian=jac)
    np.testing.assert_allclose(fast["wage_hat"], exact["wage_hat"], atol=1e-11)
    np.testing.assert_allclose(fast["expenditure"], exact["expenditure"], rtol=1e-10)
    # residuals are relative to each economy's own size: the smallest are as tight as the largest
    assert fast.residuals["goods_market"] < 1e-12 and fast.residuals["labour_market"] < 1e-11


def test_inner_fixed_point_plain_and_anderson_agree_on_a_linear_contraction():
    rng = np.random.default_rng(0)
    a = rng.uniform(size=(30, 30))
    a *= 0.95 / np.abs(np.linalg.eigvals(a)).max()          # spectral radius 0.95: slow for the plain iteration
    b = rng.normal(size=30)
    exact = np.linalg.solve(np.eye(30) - a, b)
    step = lambda x: jnp.asarray(a) @ x + b  # noqa: E731
    plain = anderson_fixed_point(step, jnp.zeros(30), 1e-14, 100_000, 0)
    mixed = anderson_fixed_point(step, jnp.zeros(30), 1e-14, 100_000, 5)
    np.testing.assert_allclose(plain, exact, atol=1e-11)
    np.testing.assert_allclose(mixed, exact, atol=1e-11)


def test_baseline_jacobian_is_affine_in_the_elasticities(toy):
    """elasticity_jacobians builds every draw's Jacobian from one per sector: exact, because
    at the baseline the labour-market Jacobian is affine in theta (checked against direct ones)."""
    from dataclasses import replace

    inputs = inputs_from_dataset(toy.ds)
    rng = np.random.default_rng(3)
    thetas = np.asarray(inputs.trade_elasticity) * rng.uniform(0.3, 3.0, (4, inputs.shape[1]))
    built = S.elasticity_jacobians(inputs, thetas)
    for theta, jac in zip(thetas, built):
        direct = S.baseline_jacobian(replace(inputs, trade_elasticity=jnp.asarray(theta)))
        np.testing.assert_allclose(jac, direct, atol=1e-11)
    assert np.abs(built[0] - built[1]).max() > 1e-2      # the elasticities matter
