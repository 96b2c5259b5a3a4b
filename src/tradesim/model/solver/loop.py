"""The outer iteration: Broyden's method on the labour-market system ``F(log w) = 0``, with a
backtracking line search and a refresh of the exact Jacobian when Broyden stalls, as one
compiled ``lax.while_loop`` that the single solver runs and the batches map over scenarios.

Its state travels as a :class:`BroydenState` record. A step solves with the current
Jacobian, backtracks on the max-norm (Armijo) and updates the Jacobian by Broyden's good
rank-one formula (:func:`~tradesim.model.solver.jacobians.broyden_update`). The inner blocks
are solved inexactly (:func:`~tradesim.model.solver.accelerations.forcing_tolerance`), which
is all a step needs far from the solution; a point counts as solved only when its residual
was evaluated at least as tightly as ``tol`` asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp

from tradesim.model.cache import persistent_jit
from tradesim.model.pytree import pytree_dataclass
from tradesim.model.solver.accelerations import forcing_tolerance
from tradesim.model.solver.blocks import labour_residual, scenario_weights, state_given_wages
from tradesim.model.solver.jacobians import broyden_update
from tradesim.model.solver.problem import ModelInputs, Shock, SolverOptions

# Slow Broyden steps in a row (each cutting the residual by less than 10%) before the exact
# Jacobian is taken again: one slow step is often followed by fast ones, and an exact
# Jacobian costs about a hundred residual evaluations on the 2022 world.
PATIENCE = 3


@pytree_dataclass
@dataclass(frozen=True)
class BroydenState:
    """The loop's state after ``steps`` steps: log wages ``log_w`` (N), the ``residual`` (N)
    there and its max-norm ``norm``, the inner tolerance it was ``evaluated_at``, the current
    ``jacobian`` (N, N), the ``log_cost_hat`` and ``expenditure`` (N, J) found at ``log_w``
    (the next evaluation's warm start), and ``slow_steps``, the slow steps in a row."""

    log_w: Any
    residual: Any
    jacobian: Any
    norm: Any
    evaluated_at: Any
    log_cost_hat: Any
    expenditure: Any
    steps: Any
    slow_steps: Any


def broyden_loop(inputs: ModelInputs, shock: Shock, log_w, jac, opts: SolverOptions, refresh: bool) -> BroydenState:
    """Broyden's method on the labour-market system, from ``log_w`` (N) and Jacobian ``jac``
    (N, N), as one ``lax.while_loop`` (so it compiles into one program and can be mapped over
    scenarios). The single solver and the batches both run this loop.

    The inner blocks are solved to ``forcing`` times the current residual (never looser than
    ``loosest_inner``, never tighter than ``inner_tol``). When ``PATIENCE`` steps in a row
    each cut the residual by less than 10% (Broyden's approximation has drifted),
    ``refresh`` takes the exact Jacobian (``jax.jacfwd``) at the new point; without it (where
    the loop is vmapped, and the branch would run on every step of every lane) Broyden
    updates go on. The loop stops when solved, after ``max_newton`` steps, or at a
    non-finite residual.

    Returns the final :class:`BroydenState`.
    """
    log_kappa, weights = scenario_weights(inputs, shock)

    def residual(lw, tol, costs, spend):
        s = state_given_wages(lw, inputs, shock, log_kappa, weights, opts, tol, costs, spend)
        return labour_residual(lw, s, inputs, shock, opts), s.log_cost_hat, s.expenditure

    tight = jnp.asarray(opts.inner_tol, dtype=jnp.float64)
    r, costs, spend = residual(log_w, tight, inputs.value_added_share * log_w[:, None], inputs.expenditure)

    def cond(st: BroydenState):
        unsolved = (st.norm >= opts.tol) | (st.evaluated_at > opts.tol)
        return (st.steps < opts.max_newton) & jnp.isfinite(st.norm) & unsolved

    def body(st: BroydenState):
        step = jnp.linalg.solve(st.jacobian, -st.residual)
        tol = forcing_tolerance(st.norm, opts)

        def try_step(t):
            trial = st.log_w + t * step
            r_trial, c_trial, x_trial = residual(trial, tol, st.log_cost_hat, st.expenditure)
            return trial, r_trial, c_trial, x_trial, jnp.max(jnp.abs(r_trial))

        def backtrack_cond(ls):  # Armijo on the max-norm
            t, norm_trial = ls[0], ls[-1]
            return ~((norm_trial < (1 - 1e-4 * t) * st.norm) | (t < 1e-6))

        def backtrack(ls):
            t = ls[0] * 0.5
            return (t, *try_step(t))

        t, trial, r_trial, c_trial, x_trial, norm_trial = jax.lax.while_loop(
            backtrack_cond, backtrack, (1.0, *try_step(1.0)))
        jac_new = broyden_update(st.jacobian, trial - st.log_w, r_trial - st.residual)
        slow_steps = jnp.where(norm_trial <= 0.9 * st.norm, 0, st.slow_steps + 1)
        if refresh:
            exact = lambda: jax.jacfwd(lambda z: residual(z, tight, c_trial, x_trial)[0])(trial)  # noqa: E731
            stalled = (slow_steps >= PATIENCE) & jnp.isfinite(norm_trial)
            jac_new = jax.lax.cond(stalled, exact, lambda: jac_new)
            slow_steps = jnp.where(stalled, 0, slow_steps)
        return BroydenState(trial, r_trial, jac_new, norm_trial, tol, c_trial, x_trial, st.steps + 1, slow_steps)

    start = BroydenState(log_w, r, jnp.asarray(jac, dtype=jnp.float64), jnp.max(jnp.abs(r)), tight, costs, spend,
                         0, 0)
    return jax.lax.while_loop(cond, body, start)


@persistent_jit(static_argnames="opts")  # traced once per machine, not per process (model/cache.py)
def solve_loop(log_w, jac, inputs, shock, opts) -> BroydenState:
    """:func:`broyden_loop` compiled, with exact-Jacobian refreshes: the single solver's loop."""
    return broyden_loop(inputs, shock, log_w, jac, opts, True)
