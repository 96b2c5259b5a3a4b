"""Solve the Caliendo-Parro equilibrium in relative changes.

The problem (a baseline's :class:`ModelInputs` and a :class:`Shock`) is kept apart
from the method (:class:`SolverOptions`). :func:`solve_equilibrium` returns an
:class:`Equilibrium` record with the solution, the iterations and the residual of
every equilibrium condition, and raises :class:`NonConvergenceError` when any
residual exceeds ``SolverOptions.check_tol``.

Method. The unknowns are log wage changes, one per country. For given wages the
price block (unit costs and price indices, a contraction because value-added
shares are positive) is iterated to a fixed point with Anderson acceleration,
trade shares follow in closed form, and sectoral expenditure solves a linear
system (goods-market clearing), matrix-free by BiCGSTAB inside
``jax.lax.custom_linear_solve`` so that its derivative is another linear solve;
both blocks are differentiated implicitly (``custom_root``), so derivatives are
exact. Broyden steps on the labour-market conditions start from an exact
Jacobian (``jax.jacfwd``; for counterfactuals, the baseline's) and the whole
iteration runs as one compiled ``lax.while_loop`` (:func:`_newton_loop`), which
the batches (:mod:`tradesim.model.batch`) map over scenarios. Far from the
solution the inner blocks are solved only as tightly as the step needs (inexact
Newton); the point returned is evaluated at full precision. One labour-market
condition is replaced by the numeraire, and Walras' law makes the dropped one
hold at the solution (checked, not assumed).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.sparse.linalg import bicgstab

from tradesim.errors import NonConvergenceError
from tradesim.model import equations as eq
from tradesim.model.cache import persistent_jit
from tradesim.model.pytree import pytree_dataclass


@pytree_dataclass
@dataclass(frozen=True)
class ModelInputs:
    """Baseline arrays the equilibrium needs (shapes: N countries, J sectors).

    trade_share (N, N, J): expenditure shares ``pi_ni^j`` incl. tariffs, rows sum to 1.
    tariff (N, N, J): baseline ad valorem tariffs (fractions).
    value_added_share (N, J), io_share (N, J, J) as (country, input, sector),
    final_demand_share (N, J), trade_elasticity (J,).
    value_added (N): ``w_n L_n`` in the baseline's currency units.
    deficit (N): baseline trade deficit. expenditure (N, J): ``X_n^j``.
    """

    trade_share: Any
    tariff: Any
    value_added_share: Any
    io_share: Any
    final_demand_share: Any
    trade_elasticity: Any
    value_added: Any
    deficit: Any
    expenditure: Any

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.final_demand_share.shape)


@pytree_dataclass
@dataclass(frozen=True)
class Shock:
    """Counterfactual policy: new tariffs (N, N, J), iceberg-cost changes
    ``d_hat`` (N, N, J) and deficits (N) in units of world value added."""

    tariff: Any
    iceberg_hat: Any
    deficit: Any


def no_shock(inputs: ModelInputs) -> Shock:
    """The shock that changes nothing: returns the baseline itself."""
    return Shock(inputs.tariff, jnp.ones_like(inputs.tariff), inputs.deficit)


@dataclass(frozen=True)
class SolverOptions:
    """Settings of :func:`solve_equilibrium`.

    tol: Newton stops when every labour-market residual (relative to the
        country's value added) is below it.
    check_tol: largest residual of any equilibrium condition accepted at the
        end; above it the solve raises :class:`NonConvergenceError`.
    max_newton: Newton iterations before giving up.
    inner_tol / max_inner: stopping rule of the price and expenditure blocks at a
        solution (and for derivatives).
    forcing / loosest_inner: during the iteration the inner blocks are solved to
        ``forcing`` times the current residual, but never looser than
        ``loosest_inner`` (inexact Newton: far from the solution a step needs no
        machine precision).
    anderson: memory of the Anderson acceleration of the price block (0: the
        plain fixed-point iteration).
    numeraire: ``"world"`` (world value added is fixed) or the index of the
        country whose wage is the numeraire.
    """

    tol: float = 1e-12
    check_tol: float = 1e-8
    max_newton: int = 60
    inner_tol: float = 1e-14
    max_inner: int = 20_000
    numeraire: str | int = "world"
    forcing: float = 1e-4
    loosest_inner: float = 1e-6
    anderson: int = 5


@dataclass(frozen=True)
class Equilibrium:
    """A solved counterfactual: values, convergence record and residuals.

    Values (numpy, float64): ``wage_hat`` (N), ``cost_hat`` (N, J),
    ``price_hat`` (N, J), ``trade_share`` (N, N, J), ``expenditure`` (N, J),
    ``income`` (N), ``gross_output`` (N, J), ``tariff_revenue`` (N),
    ``deficit`` (N), ``price_index_hat`` (N), ``tariff`` (N, N, J).
    """

    values: dict[str, np.ndarray]
    iterations: int
    residuals: dict[str, float]
    converged: bool = True
    options: SolverOptions = field(default_factory=SolverOptions)

    def __getitem__(self, key: str) -> np.ndarray:
        return self.values[key]

    @property
    def max_residual(self) -> float:
        return max(self.residuals.values())


def _fixed_point(step_fn, x0, tol, max_iter, memory):
    """Iterate to the fixed point ``x = step_fn(x)`` from ``x0``, with Anderson acceleration.

    Stops when the largest change ``|step_fn(x) - x|`` is at most ``tol`` times the
    size of ``x0`` (absolute when ``x0`` is zero) and returns the last ``step_fn(x)``.
    With ``memory`` m > 0 each step mixes the last m iterates (type-II Anderson, Walker
    & Ni 2011), which on the price block needs about a third of the plain steps; a step
    that does not shrink the change restarts the history with a plain step, so the
    iteration is never worse than the contraction itself. ``memory = 0`` is the plain
    fixed-point iteration of Caliendo and Parro's algorithm.
    """
    scale = jnp.maximum(jnp.max(jnp.abs(x0)), 1.0)
    shape = x0.shape
    if memory == 0:
        def body(state):
            x, _, k = state
            x_new = step_fn(x)
            return x_new, jnp.max(jnp.abs(x_new - x)), k + 1

        x, _, _ = jax.lax.while_loop(lambda s: (s[1] > tol * scale) & (s[2] < max_iter), body,
                                     (x0, jnp.asarray(jnp.inf, dtype=x0.dtype), 0))
        return x

    m = memory
    size = x0.size

    def body(state):
        x, f_prev, g_prev, d_f, d_g, count, change_prev, k = state
        g = step_fn(x)
        f = (g - x).reshape(size)
        change = jnp.max(jnp.abs(f))
        progress = change < change_prev
        # newest differences go into a ring buffer; no progress -> forget the history
        slot = k % m
        has_prev = k > 0
        d_f = jnp.where(has_prev, d_f.at[slot].set(f - f_prev), d_f)
        d_g = jnp.where(has_prev, d_g.at[slot].set(g.reshape(size) - g_prev), d_g)
        count = jnp.where(has_prev & progress, jnp.minimum(count + 1, m), 0)
        valid = (slot - jnp.arange(m)) % m < count      # the `count` newest differences
        d_fv = jnp.where(valid[:, None], d_f, 0.0)
        gram = d_fv @ d_fv.T
        ridge = 1e-13 * jnp.trace(gram) + 1e-300
        gamma = jnp.linalg.solve(gram + jnp.diag(jnp.where(valid, ridge, 1.0)), d_fv @ f)
        mixed = g.reshape(size) - jnp.where(valid, gamma, 0.0) @ d_g
        return (mixed.reshape(shape), f, g.reshape(size), d_f, d_g, count, change, k + 1)

    def cond(state):
        change, k = state[6], state[7]
        return (change > tol * scale) & (k < max_iter)

    zeros = jnp.zeros((m, size), x0.dtype)
    # g_prev starts as x0, so that with no step at all the answer is x0 (f_prev is unused at k = 0)
    state = (x0, jnp.zeros(size, x0.dtype), x0.reshape(size), zeros, zeros, 0, jnp.asarray(jnp.inf, dtype=x0.dtype), 0)
    return jax.lax.while_loop(cond, body, state)[2].reshape(shape)


def _price_block(log_w, weights, inputs: ModelInputs, tol, max_iter, memory, guess=None):
    """Unit costs and price indices for given wages; ``weights`` is :func:`~equations.cost_weights`.

    ``log c = unit_cost(w, price_index(log c))`` is a contraction (value-added
    shares are positive). ``custom_root`` differentiates the fixed point
    implicitly, so derivatives are exact however many iterations the primal took.
    """

    def g(x):
        p = eq.price_index_weighted(x, weights, inputs.trade_elasticity)
        return eq.unit_cost(log_w, p, inputs.value_added_share, inputs.io_share)

    def solve(f, x0):  # root of f(x) = x - g(x)
        return _fixed_point(lambda x: x - f(x), x0, tol, max_iter, memory)

    def tangent_solve(f_lin, y):  # (I - dg) t = y, by the same iteration
        return _fixed_point(lambda t: t - f_lin(t) + y, y, tol, max_iter, memory)

    # A previous iterate's costs (warm start) save most of the iteration's steps.
    x0 = inputs.value_added_share * log_w[:, None] if guess is None else jax.lax.stop_gradient(guess)
    x = jax.lax.custom_root(lambda x: x - g(x), x0, solve, tangent_solve)
    return x, eq.price_index_weighted(x, weights, inputs.trade_elasticity)


def _expenditure_block(wage_hat, trade_share, tariff, deficit, inputs: ModelInputs, tol, max_iter, guess=None):
    """Goods-market clearing ``X = A(X) + b`` solved matrix-free (BiCGSTAB).

    ``custom_linear_solve`` makes the derivative of ``X`` another solve of the same
    system, so Newton's exact Jacobian never forms the (NJ x NJ) matrix. The system
    is solved for spending per unit of each country's value added, so ``tol`` is a
    relative accuracy for small economies as for large ones (the labour-market
    residuals Newton drives to zero are relative to each country's value added too).
    From a guess ``X0`` (a previous iterate's spending) only the correction
    ``A^-1 (b - A X0)`` is solved for.
    """
    scale = inputs.value_added[:, None]
    b = inputs.final_demand_share * (wage_hat * inputs.value_added + deficit)[:, None] / scale
    receipts = eq.receipt_share(trade_share, tariff)     # once per solve, not per matrix-vector product
    revenue = eq.revenue_share(trade_share, tariff)

    def matvec(y):  # X minus the spending X induces (linear, no constant term), in units of value added
        x = y * scale
        return (x - eq.induced_spending(x, receipts, revenue, inputs.io_share, inputs.final_demand_share)) / scale

    # BiCGSTAB: the system is well conditioned (I minus a contraction), so a Krylov
    # method needs a few matrix-vector products where the plain fixed-point iteration
    # needs dozens. Every solve's goods-market residual is checked at the end, so a
    # breakdown cannot pass unnoticed.
    floor = tol * jax.lax.stop_gradient(jnp.sqrt(jnp.sum(b * b)))

    def krylov(matvec, rhs):
        y, _ = bicgstab(matvec, rhs, x0=jnp.zeros_like(rhs), tol=tol, atol=floor, maxiter=max_iter)
        return y

    if guess is None:
        return jax.lax.custom_linear_solve(matvec, b, krylov) * scale
    y0 = jax.lax.stop_gradient(guess) / scale
    return (y0 + jax.lax.custom_linear_solve(matvec, b - matvec(y0), krylov)) * scale


def _deficit_in_numeraire(wage_hat, inputs: ModelInputs, shock: Shock):
    """Deficits are fixed as a share of world value added, so the choice of
    numeraire changes no real outcome."""
    world = jnp.sum(wage_hat * inputs.value_added) / jnp.sum(inputs.value_added)
    return shock.deficit * world


def _state(log_w, inputs: ModelInputs, shock: Shock, log_kappa, weights, opts: SolverOptions, tol,
           guess=None, spend_guess=None):
    """Everything the equilibrium conditions need for given log wages, with the
    inner blocks solved to ``tol``."""
    wage_hat = jnp.exp(log_w)
    log_c, log_p = _price_block(log_w, weights, inputs, tol, opts.max_inner, opts.anderson, guess)
    share = eq.trade_share_weighted(log_c, log_p, weights, inputs.trade_elasticity)
    deficit = _deficit_in_numeraire(wage_hat, inputs, shock)
    spend = _expenditure_block(wage_hat, share, shock.tariff, deficit, inputs, tol, opts.max_inner, spend_guess)
    return dict(wage_hat=wage_hat, log_cost_hat=log_c, log_price_hat=log_p, trade_share=share,
                expenditure=spend, deficit=deficit)


def _weights(inputs: ModelInputs, shock: Shock):
    """The shock's part of the price block, fixed for a scenario: ``log kappa_hat`` and
    the cost weights ``pi kappa_hat^-theta`` (importer, exporter, sector)."""
    log_kappa = eq.trade_cost_change(inputs.tariff, shock.tariff, shock.iceberg_hat)
    return log_kappa, eq.cost_weights(log_kappa, inputs.trade_share, inputs.trade_elasticity)


def _given_wages(log_w, inputs: ModelInputs, shock: Shock, opts: SolverOptions, guess=None):
    """The equilibrium for given log wages (N): wages, log costs and prices (N, J),
    trade shares (N, N, J), expenditure (N, J) and deficits (N), inner blocks solved to
    ``opts.inner_tol``; differentiable (exact derivatives by the implicit function theorem)."""
    log_kappa, weights = _weights(inputs, shock)
    return _state(log_w, inputs, shock, log_kappa, weights, opts, opts.inner_tol, guess)


def _labour_residual(log_w, s, inputs: ModelInputs, shock: Shock, opts: SolverOptions):
    """Labour-market residuals relative to value added, the numeraire replacing the
    last country's condition (Walras' law makes that one hold, checked at the end)."""
    r = eq.labour_market_residual(s["wage_hat"], inputs.value_added, inputs.value_added_share,
                                  s["trade_share"], s["expenditure"], shock.tariff) / inputs.value_added
    if opts.numeraire == "world":
        anchor = jnp.sum(s["wage_hat"] * inputs.value_added) / jnp.sum(inputs.value_added) - 1.0
    else:
        anchor = log_w[int(opts.numeraire)]
    return r.at[-1].set(anchor)


def _newton_residual(log_w, inputs: ModelInputs, shock: Shock, opts: SolverOptions, guess=None):
    """The system Newton solves: :func:`_labour_residual` at ``log_w``; and the unit costs
    found on the way."""
    s = _given_wages(log_w, inputs, shock, opts, guess)
    return _labour_residual(log_w, s, inputs, shock, opts), s["log_cost_hat"]


# Public names for code that differentiates through the equilibrium (tradesim.strategy.engine):
# the state for given wages, and the residual whose root the solver finds.
equilibrium_given_wages = _given_wages
equilibrium_residual = _newton_residual


# Slow Broyden steps in a row (each cutting the residual by less than 10%) before the exact
# Jacobian is taken again: one slow step is often followed by fast ones, and an exact
# Jacobian costs about a hundred residual evaluations on the 2022 world.
PATIENCE = 3


def _newton_loop(inputs: ModelInputs, shock: Shock, log_w, jac, opts: SolverOptions, refresh: bool):
    """Broyden's method on the labour-market system, from ``log_w`` and Jacobian ``jac``,
    as one ``lax.while_loop`` (so it compiles into one program and can be mapped over
    scenarios). The single solver and the batches both run this loop.

    Each step solves with the current Jacobian, backtracks on the max-norm (Armijo)
    and updates the Jacobian by Broyden's good rank-one formula. The inner blocks are
    solved inexactly, to ``forcing`` times the current residual (never looser than
    ``loosest_inner``, never tighter than ``inner_tol``), which is all a Newton step
    needs far from the solution; a point counts as solved only when its residual was
    evaluated at least as tightly as ``tol`` asks. When ``PATIENCE`` steps in a row each
    cut the residual by less than 10% (Broyden's approximation has drifted), ``refresh``
    takes the exact Jacobian (``jax.jacfwd``) at the new point; without it (where the
    loop is vmapped, and the branch would run on every step of every lane) Broyden
    updates go on.

    Returns the final log wages (N), residual norm, the inner tolerance it was
    evaluated at, the number of steps, and the costs (N, J) and spending (N, J) found
    at the final point.
    """
    log_kappa, weights = _weights(inputs, shock)

    def residual(lw, tol, costs, spend):
        s = _state(lw, inputs, shock, log_kappa, weights, opts, tol, costs, spend)
        r = _labour_residual(lw, s, inputs, shock, opts)
        return r, s["log_cost_hat"], s["expenditure"]

    tight = jnp.asarray(opts.inner_tol, dtype=jnp.float64)
    r, costs, spend = residual(log_w, tight, inputs.value_added_share * log_w[:, None], inputs.expenditure)
    norm = jnp.max(jnp.abs(r))

    def cond(state):
        _, _, _, norm, evaluated_at, _, _, k, slow_steps = state
        unsolved = (norm >= opts.tol) | (evaluated_at > opts.tol)
        return (k < opts.max_newton) & jnp.isfinite(norm) & unsolved

    def body(state):
        log_w, r, jac, norm, _, costs, spend, k, slow_steps = state
        step = jnp.linalg.solve(jac, -r)
        tol = jnp.clip(opts.forcing * norm, opts.inner_tol, opts.loosest_inner)

        def try_step(t):
            trial = log_w + t * step
            r_trial, c_trial, x_trial = residual(trial, tol, costs, spend)
            return trial, r_trial, c_trial, x_trial, jnp.max(jnp.abs(r_trial))

        def backtrack_cond(ls):  # Armijo on the max-norm
            t, norm_trial = ls[0], ls[-1]
            return ~((norm_trial < (1 - 1e-4 * t) * norm) | (t < 1e-6))

        def backtrack(ls):
            t = ls[0] * 0.5
            return (t, *try_step(t))

        t, trial, r_trial, c_trial, x_trial, norm_trial = jax.lax.while_loop(
            backtrack_cond, backtrack, (1.0, *try_step(1.0)))
        s = trial - log_w
        jac_new = jac + jnp.outer(r_trial - r - jac @ s, s) / jnp.maximum(s @ s, 1e-300)  # Broyden's good update
        slow_steps = jnp.where(norm_trial <= 0.9 * norm, 0, slow_steps + 1)
        if refresh:
            exact = lambda: jax.jacfwd(lambda z: residual(z, tight, c_trial, x_trial)[0])(trial)  # noqa: E731
            stalled = (slow_steps >= PATIENCE) & jnp.isfinite(norm_trial)
            jac_new = jax.lax.cond(stalled, exact, lambda: jac_new)
            slow_steps = jnp.where(stalled, 0, slow_steps)
        return trial, r_trial, jac_new, norm_trial, tol, c_trial, x_trial, k + 1, slow_steps

    state = (log_w, r, jnp.asarray(jac, dtype=jnp.float64), norm, tight, costs, spend, 0, 0)
    log_w, _, _, norm, evaluated_at, costs, spend, k, _ = jax.lax.while_loop(cond, body, state)
    return log_w, norm, evaluated_at, k, costs, spend


@persistent_jit(static_argnames="opts")  # traced once per machine, not per process
def _solve_loop(log_w, jac, inputs, shock, opts):
    return _newton_loop(inputs, shock, log_w, jac, opts, True)


@persistent_jit(static_argnames="opts")
def _jacobian(log_w, inputs, shock, opts, guess):
    """Residual, its exact Jacobian (forward mode: one tangent per country) and costs."""
    def f(z):
        r, costs = _newton_residual(z, inputs, shock, opts, guess)
        return r, (r, costs)

    jac, (r, costs) = jax.jacfwd(f, has_aux=True)(log_w)
    return r, jac, costs


def _finish(log_w, inputs, shock, opts, guess=None, spend_guess=None):
    """Values at the solution and the residual of every equilibrium condition, all
    recomputed at the full inner precision (``inner_tol``) from the final wages."""
    log_kappa, weights = _weights(inputs, shock)
    s = _state(log_w, inputs, shock, log_kappa, weights, opts, opts.inner_tol, guess, spend_guess)
    w, share, spend, deficit = s["wage_hat"], s["trade_share"], s["expenditure"], s["deficit"]
    out = dict(
        wage_hat=w,
        cost_hat=jnp.exp(s["log_cost_hat"]),
        price_hat=jnp.exp(s["log_price_hat"]),
        trade_share=share,
        expenditure=spend,
        income=eq.income(w, inputs.value_added, share, spend, shock.tariff, deficit),
        gross_output=eq.gross_output(share, spend, shock.tariff),
        tariff_revenue=eq.tariff_revenue(share, spend, shock.tariff),
        deficit=deficit,
        price_index_hat=jnp.exp(eq.aggregate_price_index(s["log_price_hat"], inputs.final_demand_share)),
        tariff=shock.tariff,
    )
    # Residuals from the equations' direct forms (not the factored ones the blocks iterate on).
    dense_share = eq.trade_share_new(s["log_cost_hat"], log_kappa, s["log_price_hat"], inputs.trade_share,
                                     inputs.trade_elasticity)
    cost_gap = s["log_cost_hat"] - eq.unit_cost(
        jnp.log(w), eq.price_index(s["log_cost_hat"], log_kappa, inputs.trade_share, inputs.trade_elasticity),
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


_finish_jit = persistent_jit(_finish, static_argnames="opts")


def _accepted(norm, evaluated_at, residuals, opts: SolverOptions):
    """The acceptance rule every solve (single or batched) applies: the Newton system
    solved to within ``max(1e3 tol, 1e-10)`` at an evaluation at least as tight as ``tol``,
    and every condition's residual at most ``check_tol``."""
    ok = np.isfinite(norm) & (norm < max(opts.tol * 1e3, 1e-10)) & (evaluated_at <= max(opts.tol, opts.inner_tol))
    for v in residuals.values():
        ok = ok & (np.asarray(v) <= opts.check_tol)
    return ok


def solve_equilibrium(inputs: ModelInputs, shock: Shock, options: SolverOptions | None = None,
                      *, throw: bool = True, start: np.ndarray | None = None,
                      jacobian: np.ndarray | None = None) -> Equilibrium:
    """Solve the counterfactual equilibrium of ``shock`` relative to ``inputs``.

    Parameters
    ----------
    inputs, shock : the baseline arrays and the policy change.
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
    (:func:`_newton_loop`); when three steps in a row each cut the residual by less
    than 10%, the exact Jacobian (``jax.jacfwd``) is taken at the new point inside the
    loop. Backtracking keeps steps safe far from the solution (large shocks).
    """
    opts = options or SolverOptions()
    n, _ = inputs.shape
    log_w = jnp.zeros(n) if start is None else jnp.asarray(start, dtype=jnp.float64)
    if jacobian is None:
        _, jac, _ = _jacobian(log_w, inputs, shock, opts, None)
    else:
        jac = jnp.asarray(jacobian, dtype=jnp.float64)
    log_w, norm, evaluated_at, steps, costs, spend = _solve_loop(log_w, jac, inputs, shock, opts)
    steps, norm, evaluated_at = int(steps), float(norm), float(evaluated_at)
    values, residuals = _finish_jit(log_w, inputs, shock, opts, costs, spend)
    values = {k: np.asarray(v) for k, v in values.items()}
    residuals = {k: float(v) for k, v in residuals.items()}
    converged = bool(_accepted(norm, evaluated_at, residuals, opts))
    iterations = steps + (1 if converged else 0)
    result = Equilibrium(values, max(iterations, 1), residuals, converged, opts)
    if not converged and throw:
        bad = {k: v for k, v in residuals.items() if not (v <= opts.check_tol)}
        worst = max(bad, key=bad.get) if bad else "labour_market"
        raise NonConvergenceError(
            f"equilibrium did not converge after {max(steps, 1)} Newton iterations: "
            f"largest residual {worst} = {residuals.get(worst, norm):.3g} (tolerance {opts.check_tol:g})",
            residual=residuals.get(worst, norm), iterations=steps)
    return result


def baseline_jacobian(inputs: ModelInputs, options: SolverOptions | None = None) -> np.ndarray:
    """Exact Jacobian of the labour-market system at the baseline (no shock),
    a good start for every counterfactual on the same baseline."""
    opts = options or SolverOptions()
    n, j = inputs.shape
    _, jac, _ = _jacobian(jnp.zeros(n), inputs, no_shock(inputs), opts, jnp.zeros((n, j)))
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
