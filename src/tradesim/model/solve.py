"""Solve the Caliendo-Parro equilibrium in relative changes: the public entry point.

The problem (a baseline's :class:`ModelInputs` and a :class:`Shock`, which carries the
numeraire) is kept apart from the method (:class:`SolverOptions`). :func:`solve_equilibrium`
returns an :class:`Equilibrium` record with the solution, the iterations and the residual of
every equilibrium condition, and raises :class:`NonConvergenceError` when any residual
exceeds ``SolverOptions.check_tol``; :func:`rebase` makes a solution the next baseline.

Method (the parts live in :mod:`tradesim.model.solver`). The unknowns are log wage changes,
one per country. For given wages the price block (unit costs and price indices, a
contraction because value-added shares are positive) is iterated to a fixed point with
Anderson acceleration, trade shares follow in closed form, and sectoral expenditure solves a
linear system (goods-market clearing), matrix-free by BiCGSTAB inside
``jax.lax.custom_linear_solve`` so that its derivative is another linear solve; both blocks
are differentiated implicitly (``custom_root``), so derivatives are exact
(:mod:`~tradesim.model.solver.blocks`, :mod:`~tradesim.model.solver.accelerations`). Broyden
steps on the labour-market conditions start from an exact Jacobian (``jax.jacfwd``; for
counterfactuals, the baseline's: :mod:`~tradesim.model.solver.jacobians`) and the whole
iteration runs as one compiled ``lax.while_loop``
(:func:`~tradesim.model.solver.loop.broyden_loop`), which the batches
(:mod:`tradesim.model.batch`) map over scenarios. Far from the solution the inner blocks are
solved only as tightly as the step needs (inexact Newton); the point returned is evaluated at
full precision (:mod:`~tradesim.model.solver.solution`). One labour-market condition is
replaced by the numeraire, and Walras' law makes the dropped one hold at the solution
(checked, not assumed).

Example
-------
>>> import tradesim
>>> from tradesim.model.inputs import inputs_from_dataset
>>> inputs = inputs_from_dataset(tradesim.load_baseline("cp2015").ds)
>>> solve_equilibrium(inputs, no_shock(inputs)).iterations
1
"""

from __future__ import annotations

from dataclasses import replace

import jax.numpy as jnp
import numpy as np

from tradesim.literals import check_numeraire
from tradesim.model.solver import (PATIENCE, Equilibrium, EquilibriumState, ModelInputs, Shock, SolverOptions,
                                   accepted, baseline_jacobian, convergence_error,
                                   elasticity_jacobians, equilibrium_given_wages, equilibrium_residual,
                                   exact_jacobian, no_shock, numeraire_of, solution_values_jit, solve_loop)

__all__ = ["PATIENCE", "Equilibrium", "EquilibriumState", "ModelInputs", "Shock", "SolverOptions",
           "baseline_jacobian", "elasticity_jacobians", "equilibrium_given_wages", "equilibrium_residual",
           "no_shock", "rebase", "solve_equilibrium"]


def solve_equilibrium(inputs: ModelInputs, shock: Shock, options: SolverOptions | None = None,
                      *, throw: bool = True, start: np.ndarray | None = None,
                      jacobian: np.ndarray | None = None) -> Equilibrium:
    """Solve the counterfactual equilibrium of ``shock`` relative to ``inputs``.

    Parameters
    ----------
    inputs, shock : the baseline arrays and the policy change (with the numeraire,
        :attr:`Shock.numeraire`).
    options : solver settings; defaults as in :class:`SolverOptions`.
    throw : raise :class:`NonConvergenceError` if the solve fails (default);
        with ``False`` return the record with ``converged=False``.
    start : optional starting log wage changes (N,), e.g. a nearby solution.
    jacobian : optional exact Jacobian at a nearby point (e.g. the baseline's,
        from :func:`baseline_jacobian`) to start from instead of computing one.

    Returns
    -------
    Equilibrium with values, iterations (Newton steps, plus one for the evaluation
    that found the solution) and the residual of each condition.

    Notes
    -----
    Broyden steps from the given (or exact) Jacobian in one compiled loop
    (:func:`~tradesim.model.solver.loop.broyden_loop`); when three steps in a row each cut
    the residual by less than 10%, the exact Jacobian (``jax.jacfwd``) is taken at the new
    point inside the loop. Backtracking keeps steps safe far from the solution (large shocks).
    """
    opts = options or SolverOptions()
    n, _ = inputs.shape
    check_numeraire(numeraire_of(shock, opts), n)
    log_w = jnp.zeros(n) if start is None else jnp.asarray(start, dtype=jnp.float64)
    if jacobian is None:
        _, jac, _ = exact_jacobian(log_w, inputs, shock, opts, None)
    else:
        jac = jnp.asarray(jacobian, dtype=jnp.float64)
    end = solve_loop(log_w, jac, inputs, shock, opts)
    steps, norm, evaluated_at = int(end.steps), float(end.norm), float(end.evaluated_at)
    values, residuals = solution_values_jit(end.log_w, inputs, shock, opts, end.log_cost_hat, end.expenditure)
    values = {k: np.asarray(v) for k, v in values.items()}
    residuals = {k: float(v) for k, v in residuals.items()}
    converged = bool(accepted(norm, evaluated_at, residuals, opts))
    iterations = steps + (1 if converged else 0)
    result = Equilibrium(values, max(iterations, 1), residuals, converged, opts)
    if not converged and throw:
        raise convergence_error(residuals, norm, steps, opts)
    return result


def rebase(inputs: ModelInputs, solution: Equilibrium) -> ModelInputs:
    """The counterfactual world of ``solution`` as a new baseline: shares,
    tariffs, value added and deficits in levels (exact hat algebra composes)."""
    v = solution.values
    return replace(
        inputs,
        trade_share=jnp.asarray(v["trade_share"]),
        tariff=jnp.asarray(v["tariff"]),
        value_added=jnp.asarray(v["wage_hat"]) * inputs.value_added,
        deficit=jnp.asarray(v["deficit"]),
        expenditure=jnp.asarray(v["expenditure"]),
    )
