"""Solving Ossa's (2014) model: the wage changes by Newton, differentiable in the tariffs.

The wage changes solve the labour-market conditions ``F(w_hat, t') = 0``
(:func:`~tradesim.model.ossa.equations.labour_market_residual`) by the shared Newton
(:func:`tradesim.model.newton.newton_loop` with the exact Jacobian, steps capped so that no wage
moves by more than half of itself, the loop of the original code: ``NEWTON``);
:func:`tradesim.model.newton.implicit_root` differentiates through the solution by the implicit
function theorem, ``dw/dt = -(dF/dw)^-1 dF/dt``, so gradients of the government objective with
respect to tariffs cost one extra linear solve. :func:`check` raises
:class:`~tradesim.errors.NonConvergenceError` unless the labour-market residual is below
:data:`RESIDUAL_TOL`.

Example
-------
>>> from tradesim.model.ossa import OssaModel, load_ossa2014
>>> m = OssaModel.from_dataset(load_ossa2014()).purged()   # doctest: +SKIP
>>> sol = m.solve(m.tariff)                                  # doctest: +SKIP
>>> float(abs(sol.wage_hat - 1).max()) < 1e-12               # doctest: +SKIP
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp

from tradesim.model.newton import NewtonOptions, check_residual, implicit_root, newton_loop
from tradesim.model.ossa import equations as eq
from tradesim.model.ossa.inputs import OssaModel

RESIDUAL_TOL = 1e-9  # relative labour-market residual a solution must reach
#: the Newton of the original code: full steps, capped so that no wage moves by more than a
#: factor of 2, stopped after the step from a point whose residual is at most 1e-13
NEWTON = NewtonOptions(tol=1e-13, max_iter=60, max_halvings=0, max_step=0.5, polish=True, check_tol=RESIDUAL_TOL)


@dataclass(frozen=True)
class Solution:
    """A solved counterfactual. Shapes as in :class:`OssaModel`."""

    wage_hat: Any        # (N,)
    price_hat: Any       # (N,) aggregate consumer price index change P_j_hat
    expenditure: Any     # (N,) E'_j
    trade: Any           # (N, N, S) V'_jis
    profit: Any          # (N, S) Pi'_js
    revenue: Any         # (N,) R'_j
    welfare_hat: Any     # (N,) E_j_hat / P_j_hat (real income)
    gov_hat: Any         # (N,) G_j_hat (political-economy objective)
    residual: float      # largest relative labour-market residual (after Newton, <= 60 steps)


def _newton_solve(fun, w0):
    o = NEWTON
    return newton_loop(lambda w, _: fun(w), w0, None, o.tol, o.max_iter, o.max_halvings, o.max_step, o.polish)[0]


def solve_wages(m: OssaModel, tariff_new, deficit):
    """Wage changes solving the labour-market conditions, differentiable by the
    implicit function theorem (:func:`tradesim.model.newton.implicit_root`)."""

    def f(w):
        return eq.labour_market_residual(m, w, tariff_new, deficit)

    return implicit_root(f, jnp.ones(m.n), _newton_solve)


def _outcomes(m: OssaModel, tariff_new, deficit):
    _, mu, wl, profit0, revenue0, e0 = eq.baseline_shares(m)
    w_hat = solve_wages(m, tariff_new, deficit)
    p1s, v_new, e_new = eq.equilibrium_given_wages(m, w_hat, tariff_new, deficit)
    p_hat = eq.aggregate_price_index_hat(p1s, mu, m.sigma)
    profit = v_new.sum(axis=0) / m.sigma
    revenue = (tariff_new * v_new).sum(axis=(1, 2))
    welfare = e_new / e0 / p_hat
    g0 = eq.industry_income(m.lam, profit0 * m.sigma, revenue0, m.sigma).sum(axis=1)
    g1 = eq.industry_income(m.lam, profit * m.sigma, revenue, m.sigma).sum(axis=1)
    gov = g1 / g0 / p_hat
    res = jnp.max(jnp.abs(eq.labour_market_residual(m, w_hat, tariff_new, deficit)))
    return w_hat, p_hat, e_new, v_new, profit, revenue, welfare, gov, res


@jax.jit
def _solve_jit(m, tariff_new, deficit):
    return _outcomes(m, tariff_new, deficit)


def solve(m: OssaModel, tariff_new, *, deficit=None) -> Solution:
    """Counterfactual equilibrium for new tariffs ``tariff_new`` (N, N, S). The
    deficits stay at the baseline's unless ``deficit`` (N,) is given."""
    d = m.deficit() if deficit is None else jnp.asarray(deficit, float)
    out = _solve_jit(m, jnp.asarray(tariff_new, float), d)
    w, p, e, v, pr, r, wel, gov, res = out
    return Solution(w, p, e, v, pr, r, wel, gov, float(res))


def check(sol: Solution) -> None:
    """Raise :class:`NonConvergenceError` unless the residual is below ``RESIDUAL_TOL``."""
    check_residual("Ossa equilibrium (labour market)", sol.residual, RESIDUAL_TOL)


def government_objective(m: OssaModel, tariff_new):
    """(G_j_hat (N,), largest residual): differentiable in ``tariff_new`` (N, N, S)."""
    out = _outcomes(m, tariff_new, m.deficit())
    return out[7], out[8]
