r"""The equilibrium's blocks for given wages, and the labour-market residual whose root the
solver finds.

Caliendo and Parro (2015), section 3.3 ("equilibrium in relative changes"); the conditions
themselves are the pure functions of :mod:`tradesim.model.equations`, assembled here into
the blocks the solver iterates on:

1. :func:`price_block`: the cost of the input bundle and the sectoral price indices, a joint
   fixed point (:math:`\hat c = \hat w^{\gamma}\hat P^{\gamma^{k,j}}`,
   :math:`\hat P = [\sum_i \pi (\hat\kappa\hat c)^{-\theta}]^{-1/\theta}`);
2. trade shares in closed form (:math:`\pi' = \pi(\hat c\hat\kappa/\hat P)^{-\theta}`);
3. :func:`expenditure_block`: sectoral expenditure with income
   (:math:`X' = \sum_k\gamma\sum_i\pi' X'/(1+\tau') + \alpha I'`), one linear system;
4. :func:`labour_residual`: the labour-market conditions
   (:math:`\hat w wL = \sum_j\gamma\sum_i \pi' X'/(1+\tau')`), one replaced by the numeraire.

:func:`equilibrium_given_wages` runs 1-3 and returns an :class:`EquilibriumState`;
:func:`equilibrium_residual` is 4 at its result. Both are differentiable with exact
derivatives (implicit function theorem: ``custom_root`` and ``custom_linear_solve``), which
is what the strategy engines and the path integrals differentiate.

Example
-------
>>> import jax.numpy as jnp
>>> from tradesim.model.solver.problem import ModelInputs, SolverOptions, no_shock
>>> one = jnp.ones((1, 1, 1))
>>> inputs = ModelInputs(one, 0 * one, jnp.ones((1, 1)), jnp.zeros((1, 1, 1)), jnp.ones((1, 1)),
...                      jnp.array([4.0]), jnp.array([1.0]), jnp.zeros(1), jnp.ones((1, 1)))
>>> float(equilibrium_residual(jnp.zeros(1), inputs, no_shock(inputs), SolverOptions())[0][0])
0.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp

from tradesim.literals import check_numeraire
from tradesim.model import equations as eq
from tradesim.model.pytree import pytree_dataclass
from tradesim.model.solver.accelerations import anderson_fixed_point, krylov_linear_solve
from tradesim.model.solver.problem import ModelInputs, Shock, SolverOptions, numeraire_of


@pytree_dataclass
@dataclass(frozen=True)
class EquilibriumState:
    """The equilibrium for given wages: ``wage_hat`` (N), ``log_cost_hat`` and
    ``log_price_hat`` (N, J), ``trade_share`` (N, N, J), ``expenditure`` (N, J) and
    ``deficit`` (N) in the numeraire. ``state["trade_share"]`` reads a field by name."""

    wage_hat: Any
    log_cost_hat: Any
    log_price_hat: Any
    trade_share: Any
    expenditure: Any
    deficit: Any

    def __getitem__(self, key: str):
        return getattr(self, key)


def scenario_weights(inputs: ModelInputs, shock: Shock):
    """The shock's part of the price block, fixed for a scenario: ``log kappa_hat`` (change in
    trade costs, CP2015 section 3.3) and the cost weights ``pi kappa_hat^-theta`` (importer,
    exporter, sector)."""
    log_kappa = eq.trade_cost_change(inputs.tariff, shock.tariff, shock.iceberg_hat)
    return log_kappa, eq.cost_weights(log_kappa, inputs.trade_share, inputs.trade_elasticity)


def price_block(log_w, weights, inputs: ModelInputs, tol, max_iter, memory, guess=None):
    """Unit costs and price indices (N, J) for given log wages; ``weights`` is
    :func:`~tradesim.model.equations.cost_weights`.

    CP2015's cost of the input bundle and sectoral price index in relative changes:
    ``log c = unit_cost(w, price_index(log c))`` is a contraction (value-added shares are
    positive), solved by :func:`anderson_fixed_point`. ``custom_root`` differentiates the
    fixed point implicitly, so derivatives are exact however many iterations the primal took.
    """

    def g(x):
        p = eq.price_index_weighted(x, weights, inputs.trade_elasticity)
        return eq.unit_cost(log_w, p, inputs.value_added_share, inputs.io_share)

    def solve(f, x0):  # root of f(x) = x - g(x)
        return anderson_fixed_point(lambda x: x - f(x), x0, tol, max_iter, memory)

    def tangent_solve(f_lin, y):  # (I - dg) t = y, by the same iteration
        return anderson_fixed_point(lambda t: t - f_lin(t) + y, y, tol, max_iter, memory)

    # A previous iterate's costs (warm start) save most of the iteration's steps.
    x0 = inputs.value_added_share * log_w[:, None] if guess is None else jax.lax.stop_gradient(guess)
    x = jax.lax.custom_root(lambda x: x - g(x), x0, solve, tangent_solve)
    return x, eq.price_index_weighted(x, weights, inputs.trade_elasticity)


def expenditure_block(wage_hat, trade_share, tariff, deficit, inputs: ModelInputs, tol, max_iter, guess=None):
    """Sectoral expenditure (N, J): CP2015's goods-market clearing ``X = A(X) + b`` (total
    expenditure with income ``I' = w_hat wL + tariff revenue + D'``), solved matrix-free.

    :func:`krylov_linear_solve` makes the derivative of ``X`` another solve of the same
    system, so Newton's exact Jacobian never forms the (NJ x NJ) matrix. The system is solved
    for spending per unit of each country's value added, so ``tol`` is a relative accuracy for
    small economies as for large ones (the labour-market residuals Newton drives to zero are
    relative to each country's value added too). From a guess ``X0`` (a previous iterate's
    spending) only the correction is solved for. Every solve's goods-market residual is
    checked at the end, so a Krylov breakdown cannot pass unnoticed.
    """
    scale = inputs.value_added[:, None]
    b = inputs.final_demand_share * (wage_hat * inputs.value_added + deficit)[:, None] / scale
    receipts = eq.receipt_share(trade_share, tariff)     # once per solve, not per matrix-vector product
    revenue = eq.revenue_share(trade_share, tariff)

    def matvec(y):  # X minus the spending X induces (linear, no constant term), in units of value added
        x = y * scale
        return (x - eq.induced_spending(x, receipts, revenue, inputs.io_share, inputs.final_demand_share)) / scale

    start = None if guess is None else jax.lax.stop_gradient(guess) / scale
    return krylov_linear_solve(matvec, b, tol, max_iter, start) * scale


def deficit_in_numeraire(wage_hat, inputs: ModelInputs, shock: Shock):
    """Counterfactual deficits ``D'`` (N): fixed as a share of world value added, so the
    choice of numeraire changes no real outcome."""
    world = jnp.sum(wage_hat * inputs.value_added) / jnp.sum(inputs.value_added)
    return shock.deficit * world


def state_given_wages(log_w, inputs: ModelInputs, shock: Shock, log_kappa, weights, opts: SolverOptions, tol,
                      guess=None, spend_guess=None) -> EquilibriumState:
    """Blocks 1-3 for given log wages with the shock's ``log_kappa, weights``
    (:func:`scenario_weights`), the inner blocks solved to ``tol``, warm-started from
    ``guess`` (log costs) and ``spend_guess`` (expenditure) where given."""
    wage_hat = jnp.exp(log_w)
    log_c, log_p = price_block(log_w, weights, inputs, tol, opts.max_inner, opts.anderson, guess)
    share = eq.trade_share_weighted(log_c, log_p, weights, inputs.trade_elasticity)
    deficit = deficit_in_numeraire(wage_hat, inputs, shock)
    spend = expenditure_block(wage_hat, share, shock.tariff, deficit, inputs, tol, opts.max_inner, spend_guess)
    return EquilibriumState(wage_hat=wage_hat, log_cost_hat=log_c, log_price_hat=log_p, trade_share=share,
                            expenditure=spend, deficit=deficit)


def equilibrium_given_wages(log_w, inputs: ModelInputs, shock: Shock, opts: SolverOptions,
                            guess=None) -> EquilibriumState:
    """The equilibrium for given log wages (N), inner blocks solved to ``opts.inner_tol``;
    differentiable (exact derivatives by the implicit function theorem)."""
    log_kappa, weights = scenario_weights(inputs, shock)
    return state_given_wages(log_w, inputs, shock, log_kappa, weights, opts, opts.inner_tol, guess)


def labour_residual(log_w, s: EquilibriumState, inputs: ModelInputs, shock: Shock, opts: SolverOptions):
    """CP2015's labour-market conditions ``w_hat wL = sum_j gamma sum_i pi' X'/(1 + tau')``
    (N), relative to value added, the numeraire (:func:`numeraire_of`) replacing the last
    country's condition (Walras' law makes that one hold, checked at the end)."""
    r = eq.labour_market_residual(s["wage_hat"], inputs.value_added, inputs.value_added_share,
                                  s["trade_share"], s["expenditure"], shock.tariff) / inputs.value_added
    numeraire = check_numeraire(numeraire_of(shock, opts), log_w.shape[0])
    if numeraire == "world":
        anchor = jnp.sum(s["wage_hat"] * inputs.value_added) / jnp.sum(inputs.value_added) - 1.0
    else:
        anchor = log_w[numeraire]
    return r.at[-1].set(anchor)


def equilibrium_residual(log_w, inputs: ModelInputs, shock: Shock, opts: SolverOptions, guess=None):
    """The system the solver solves, ``F(log w) = 0``: :func:`labour_residual` at ``log_w``
    (N); and the log unit costs (N, J) found on the way."""
    s = equilibrium_given_wages(log_w, inputs, shock, opts, guess)
    return labour_residual(log_w, s, inputs, shock, opts), s["log_cost_hat"]
