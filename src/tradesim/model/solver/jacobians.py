"""Jacobians of the labour-market system ``F(log w) = 0``
(:func:`~tradesim.model.solver.blocks.equilibrium_residual`): exact ones by forward-mode
differentiation, the baseline's (a good start for every counterfactual on that baseline),
the affine family of baseline Jacobians over trade elasticities, and Broyden's rank-one
update that the loop applies between exact ones.

Example
-------
>>> import numpy as np
>>> np.asarray(broyden_update(np.eye(2), np.array([1.0, 0.0]), np.array([2.0, 0.0])))
array([[2., 0.],
       [0., 1.]])
"""

from __future__ import annotations

from dataclasses import replace

import jax
import jax.numpy as jnp
import numpy as np

from tradesim.model.cache import persistent_jit
from tradesim.model.solver.blocks import equilibrium_residual
from tradesim.model.solver.problem import ModelInputs, SolverOptions, no_shock


@persistent_jit(static_argnames="opts")  # traced once per machine, not per process (model/cache.py)
def exact_jacobian(log_w, inputs, shock, opts, guess):
    """Residual (N), its exact Jacobian (N, N; forward mode, one tangent per country) and the
    log unit costs (N, J) at ``log_w``, warm-started from the costs ``guess`` (or ``None``)."""
    def f(z):
        r, costs = equilibrium_residual(z, inputs, shock, opts, guess)
        return r, (r, costs)

    jac, (r, costs) = jax.jacfwd(f, has_aux=True)(log_w)
    return r, jac, costs


def broyden_update(jac, step, residual_change):
    """Broyden's good rank-one update: the ``jac`` (N, N) closest to ``jac`` (Frobenius) that
    maps ``step`` (N) to ``residual_change`` (N) (the secant condition)."""
    return jac + jnp.outer(residual_change - jac @ step, step) / jnp.maximum(step @ step, 1e-300)


def baseline_jacobian(inputs: ModelInputs, options: SolverOptions | None = None) -> np.ndarray:
    """Exact Jacobian of the labour-market system at the baseline (no shock),
    a good start for every counterfactual on the same baseline."""
    opts = options or SolverOptions()
    n, j = inputs.shape
    _, jac, _ = exact_jacobian(jnp.zeros(n), inputs, no_shock(inputs), opts, jnp.zeros((n, j)))
    return np.asarray(jac)


def elasticity_jacobians(inputs: ModelInputs, trade_elasticities, sectors=None,
                         options: SolverOptions | None = None) -> np.ndarray:
    """Exact baseline Jacobians (:func:`baseline_jacobian`) of ``inputs`` under each row of
    ``trade_elasticities`` (D, J): returns (D, N, N).

    At the baseline (no shock, ``w_hat = 1``) the Jacobian is affine in the elasticities:
    price indices move with the baseline shares whatever ``theta`` (``d ln P = sum_i pi_ni
    d ln c_i``), trade shares by ``-theta pi (d ln c - d ln P)``, and spending and output are
    linear in those. So ``J(theta) = J(theta_0) + sum_j (theta_j - theta_0j) D_j`` holds
    exactly, with ``D_j = J(theta_0 + e_j) - J(theta_0)``: one Jacobian per sector that
    varies (``sectors``: their indices, default those that differ in any row) serves any
    number of draws. A test checks the identity against direct Jacobians.
    """
    theta0 = np.asarray(inputs.trade_elasticity, float)
    draws = np.atleast_2d(np.asarray(trade_elasticities, float))
    varying = (np.flatnonzero((draws != theta0).any(axis=0)) if sectors is None
               else np.asarray(sectors, int))
    base = baseline_jacobian(inputs, options)
    out = np.repeat(base[None], len(draws), axis=0)
    for j in varying:
        step = theta0.copy()
        step[j] += 1.0
        d_j = baseline_jacobian(replace(inputs, trade_elasticity=jnp.asarray(step)), options) - base
        out += (draws[:, j] - theta0[j])[:, None, None] * d_j[None]
    return out
