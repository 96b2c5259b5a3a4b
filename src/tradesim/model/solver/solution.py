"""What a solve reports at its final wages, and when it counts as solved.

:func:`solution_values` recomputes every value at the full inner precision and the residual
of every equilibrium condition of Caliendo and Parro (2015, section 3.3) from the equations'
direct forms (not the factored ones the blocks iterate on), including the trade balance that
Walras' law should make hold without being imposed. :func:`accepted` is the one acceptance
rule of single and batched solves; :func:`convergence_error` the error a failed solve raises.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tradesim.errors import NonConvergenceError
from tradesim.model import equations as eq
from tradesim.model.cache import persistent_jit
from tradesim.model.solver.blocks import scenario_weights, state_given_wages
from tradesim.model.solver.problem import SolverOptions


def solution_values(log_w, inputs, shock, opts: SolverOptions, guess=None, spend_guess=None):
    """Values at the solution and the residual of every equilibrium condition, all
    recomputed at the full inner precision (``inner_tol``) from the final wages.

    Returns ``(values, residuals)``: values as in
    :class:`~tradesim.model.solver.problem.Equilibrium`; residuals (scalars) ``unit_cost``,
    ``trade_shares_sum_to_one``, ``goods_market`` (relative to each country's spending),
    ``labour_market`` (relative to its value added), ``trade_balance`` and
    ``world_trade_balance`` (relative to world gross output).
    """
    log_kappa, weights = scenario_weights(inputs, shock)
    s = state_given_wages(log_w, inputs, shock, log_kappa, weights, opts, opts.inner_tol, guess, spend_guess)
    w, share, spend, deficit = s.wage_hat, s.trade_share, s.expenditure, s.deficit
    out = dict(
        wage_hat=w,
        cost_hat=jnp.exp(s.log_cost_hat),
        price_hat=jnp.exp(s.log_price_hat),
        trade_share=share,
        expenditure=spend,
        income=eq.income(w, inputs.value_added, share, spend, shock.tariff, deficit),
        gross_output=eq.gross_output(share, spend, shock.tariff),
        tariff_revenue=eq.tariff_revenue(share, spend, shock.tariff),
        deficit=deficit,
        price_index_hat=jnp.exp(eq.aggregate_price_index(s.log_price_hat, inputs.final_demand_share)),
        tariff=shock.tariff,
    )
    # Residuals from the equations' direct forms (not the factored ones the blocks iterate on).
    dense_share = eq.trade_share_new(s.log_cost_hat, log_kappa, s.log_price_hat, inputs.trade_share,
                                     inputs.trade_elasticity)
    cost_gap = s.log_cost_hat - eq.unit_cost(
        jnp.log(w), eq.price_index(s.log_cost_hat, log_kappa, inputs.trade_share, inputs.trade_elasticity),
        inputs.value_added_share, inputs.io_share)
    spend_total = jnp.maximum(spend.sum(axis=1, keepdims=True), 1e-300)
    goods = eq.expenditure_residual(spend, w, inputs.value_added, dense_share, shock.tariff, inputs.io_share,
                                    inputs.final_demand_share, deficit) / spend_total
    labour = eq.labour_market_residual(w, inputs.value_added, inputs.value_added_share, dense_share, spend,
                                       shock.tariff) / (w * inputs.value_added)
    balance = eq.trade_balance_residual(dense_share, spend, shock.tariff, deficit)
    world_output = out["gross_output"].sum()
    residuals = dict(
        unit_cost=jnp.max(jnp.abs(cost_gap)),
        trade_shares_sum_to_one=jnp.max(jnp.abs(dense_share.sum(axis=1) - 1.0)),
        goods_market=jnp.max(jnp.abs(goods)),
        labour_market=jnp.max(jnp.abs(labour)),
        trade_balance=jnp.max(jnp.abs(balance)) / world_output,
        world_trade_balance=jnp.abs(balance.sum()) / world_output,
    )
    return out, residuals


#: :func:`solution_values` compiled (``opts`` static), for the single solver.
solution_values_jit = persistent_jit(solution_values, static_argnames="opts")


def accepted(norm, evaluated_at, residuals, opts: SolverOptions):
    """The acceptance rule every solve (single or batched) applies: the Newton system
    solved to within ``max(1e3 tol, 1e-10)`` at an evaluation at least as tight as ``tol``,
    and every condition's residual at most ``check_tol``. Scalars or (S,) arrays."""
    ok = np.isfinite(norm) & (norm < max(opts.tol * 1e3, 1e-10)) & (evaluated_at <= max(opts.tol, opts.inner_tol))
    for v in residuals.values():
        ok = ok & (np.asarray(v) <= opts.check_tol)
    return ok


def convergence_error(residuals: dict[str, float], norm: float, steps: int,
                      opts: SolverOptions) -> NonConvergenceError:
    """The :class:`NonConvergenceError` of a failed solve, naming its worst condition."""
    bad = {k: v for k, v in residuals.items() if not (v <= opts.check_tol)}
    worst = max(bad, key=bad.get) if bad else "labour_market"
    return NonConvergenceError(
        f"equilibrium did not converge after {max(steps, 1)} Newton iterations: "
        f"largest residual {worst} = {residuals.get(worst, norm):.3g} (tolerance {opts.check_tol:g})",
        residual=residuals.get(worst, norm), iterations=steps)
