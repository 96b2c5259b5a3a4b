"""Vectorised batches: the same answers as one-by-one solves, labelled by
scenario; a scenario that fails inside a batch is named and spoils nothing."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest

from tradesim.errors import NonConvergenceError, ScenarioError
from tradesim.model.batch import solve_batch, stack_inputs
from tradesim.model.inputs import inputs_from_dataset
from tradesim.model.solve import Shock, SolverOptions, baseline_jacobian, no_shock, solve_equilibrium


@pytest.fixture(scope="module")
def world(toy):
    inputs = inputs_from_dataset(toy.ds)
    return inputs, baseline_jacobian(inputs)


def _tariff_shock(inputs, rate):
    n = inputs.shape[0]
    t = np.asarray(inputs.tariff) + rate * (1 - np.eye(n))[:, :, None]
    return Shock(jnp.asarray(t), jnp.ones_like(inputs.tariff), inputs.deficit)


def test_batch_equals_single_solves_and_is_labelled(world, toy):
    inputs, jac = world
    shocks = [no_shock(inputs), _tariff_shock(inputs, 0.1), _tariff_shock(inputs, 0.5)]
    batch = solve_batch(inputs, shocks, jacobian=jac, names=["none", "ten", "fifty"], pad_to=8)
    assert batch.converged.all() and len(batch) == 3 and batch.values["wage_hat"].shape == (3, 4)
    np.testing.assert_allclose(batch.equilibrium("none")["wage_hat"], 1.0, atol=1e-13)
    for k, shock in enumerate(shocks):
        one = solve_equilibrium(inputs, shock, jacobian=jac)
        for key in ("wage_hat", "price_hat", "expenditure", "trade_share", "income"):
            np.testing.assert_allclose(batch.values[key][k], one[key], rtol=1e-10, atol=1e-12, err_msg=key)
    ds = batch.to_xarray(toy.countries, toy.sectors)
    assert list(ds.scenario.values) == ["none", "ten", "fifty"]
    assert float(ds["wage_hat"].sel(scenario="ten", country="C0")) == batch.values["wage_hat"][1, 0]


def test_batch_over_elasticities_matches_single_solves(world, toy):
    inputs, jac = world
    thetas = [np.asarray(inputs.trade_elasticity) * f for f in (0.5, 1.0, 2.0)]
    worlds = [inputs.__class__(**{**inputs.__dict__, "trade_elasticity": jnp.asarray(t)}) for t in thetas]
    shock = _tariff_shock(inputs, 0.2)
    batch = solve_batch(stack_inputs(worlds), [shock] * 3, jacobian=jac, batched_inputs=True)
    assert batch.converged.all()
    for k, w in enumerate(worlds):
        np.testing.assert_allclose(batch.values["wage_hat"][k], solve_equilibrium(w, shock)["wage_hat"], rtol=1e-10)
    # a higher elasticity means smaller price effects of the same tariff: the results differ
    assert np.abs(batch.values["wage_hat"][0] - batch.values["wage_hat"][2]).max() > 1e-4


def test_failed_scenario_is_named_with_residual_and_spoils_nothing(world):
    inputs, jac = world
    # A surplus of twice world value added leaves the country negative spending: no equilibrium.
    impossible = Shock(inputs.tariff, jnp.ones_like(inputs.tariff), inputs.deficit.at[0].set(-2.0 * inputs.value_added.sum()))
    shocks = [_tariff_shock(inputs, 0.1), impossible, _tariff_shock(inputs, 0.3)]
    batch = solve_batch(inputs, shocks, jacobian=jac, names=["ok-a", "impossible", "ok-b"])
    assert list(batch.converged) == [True, False, True] and batch.fallback[1]
    assert list(batch.failures()) == ["impossible"]
    for k in (0, 2):
        np.testing.assert_allclose(batch.values["wage_hat"][k], solve_equilibrium(inputs, shocks[k])["wage_hat"],
                                   rtol=1e-10)
    with pytest.raises(NonConvergenceError, match="1 of 3 scenarios did not converge.*'impossible'"):
        batch.check()
    # With too few iterations the large shock fails with a finite residual, the no-op converges.
    few = solve_batch(inputs, [no_shock(inputs), _tariff_shock(inputs, 2.0)], SolverOptions(max_newton=1),
                      jacobian=jac, names=["same", "big"])
    assert list(few.converged) == [True, False]
    assert 1e-8 < few.failures()["big"] < 1.0
    with pytest.raises(NonConvergenceError, match=r"'big': largest residual \d"):
        few.check()


def test_a_scenarios_numbers_do_not_depend_on_its_batch(world):
    """Chunking cannot change a sweep's table: a scenario gives bit-identical values in
    any batch of two or more, whatever its company or padding (which is why Dask equals
    one process). (A batch of exactly one compiles to another program: round-off apart.)"""
    inputs, jac = world
    shocks = [_tariff_shock(inputs, r) for r in (0.1, 0.3, 0.5)]
    three = solve_batch(inputs, shocks, jacobian=jac, pad_to=3)
    padded = solve_batch(inputs, shocks, jacobian=jac, pad_to=8)
    alone = solve_batch(inputs, shocks[1:2], jacobian=jac, pad_to=5)
    for key, value in three.values.items():
        assert np.array_equal(value, padded.values[key]) and np.array_equal(value[1], alone.values[key][0]), key


def test_bad_batch_input_is_a_named_scenario_error(world):
    inputs, jac = world
    shocks = [_tariff_shock(inputs, 0.1), _tariff_shock(inputs, 0.2)]
    with pytest.raises(ScenarioError, match=r"names: need 2 distinct scenario names, got 2 \(1 distinct\)"):
        solve_batch(inputs, shocks, jacobian=jac, names=["a", "a"])
    with pytest.raises(ScenarioError, match=r"width: need at least one"):
        solve_batch(inputs, shocks, jacobian=jac, width=0)
    mixed = [shocks[0], Shock(shocks[1].tariff, shocks[1].iceberg_hat, shocks[1].deficit, numeraire=1)]
    with pytest.raises(ScenarioError, match=r"numeraire: the shocks of one batch share a numeraire"):
        solve_batch(inputs, mixed, jacobian=jac)
    batch = solve_batch(inputs, shocks, jacobian=jac, names=["a", "b"])
    with pytest.raises(ScenarioError, match=r"no scenario named 'c'"):
        batch.equilibrium("c")


def test_batch_in_a_countrys_numeraire_matches_single_solves(world):
    inputs, jac = world
    shocks = [Shock(s.tariff, s.iceberg_hat, s.deficit, numeraire=1) for s in
              (_tariff_shock(inputs, 0.1), _tariff_shock(inputs, 0.4))]
    batch = solve_batch(inputs, shocks, jacobian=jac, pad_to=3)     # padding takes the batch's numeraire
    assert batch.converged.all()
    np.testing.assert_allclose(batch.values["wage_hat"][:, 1], 1.0, atol=1e-13)
    for k, shock in enumerate(shocks):
        one = solve_equilibrium(inputs, shock, jacobian=jac)
        np.testing.assert_allclose(batch.values["wage_hat"][k], one["wage_hat"], rtol=1e-10)
