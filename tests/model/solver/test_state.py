"""The solver's state travels as named records (pytrees): the equilibrium for given wages
and the Broyden loop's state, the same numbers the public entry point reports."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tradesim.model.inputs import inputs_from_dataset
from tradesim.model.solve import Shock, SolverOptions, baseline_jacobian, equilibrium_given_wages, solve_equilibrium
from tradesim.model.solver import BroydenState, EquilibriumState, solve_loop


def test_state_records_are_pytrees_with_the_solutions_numbers(toy):
    inputs = inputs_from_dataset(toy.ds)
    n = inputs.shape[0]
    t = np.asarray(inputs.tariff) + 0.2 * (1 - np.eye(n))[:, :, None]
    shock = Shock(jnp.asarray(t), jnp.ones_like(inputs.tariff), inputs.deficit)
    opts = SolverOptions()
    jac = baseline_jacobian(inputs)
    end = solve_loop(jnp.zeros(n), jnp.asarray(jac), inputs, shock, opts)
    assert isinstance(end, BroydenState) and end.jacobian.shape == (n, n)
    assert float(end.norm) < opts.tol and float(end.evaluated_at) <= opts.tol and int(end.steps) > 1

    solved = solve_equilibrium(inputs, shock, jacobian=jac)      # the same loop from the same start
    assert int(end.steps) + 1 == solved.iterations
    np.testing.assert_allclose(np.exp(end.log_w), solved["wage_hat"], rtol=1e-15)
    state = jax.jit(lambda lw: equilibrium_given_wages(lw, inputs, shock, opts))(end.log_w)
    assert isinstance(state, EquilibriumState) and len(jax.tree_util.tree_leaves(state)) == 6
    assert state["trade_share"] is state.trade_share                     # read by name, as the engines do
    np.testing.assert_allclose(state.trade_share, solved["trade_share"], atol=1e-13)
    np.testing.assert_allclose(state.expenditure, solved["expenditure"], rtol=1e-12)
    np.testing.assert_allclose(np.exp(state.log_price_hat), solved["price_hat"], rtol=1e-12)
