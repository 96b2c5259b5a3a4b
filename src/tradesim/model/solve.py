"""Solve the Caliendo-Parro equilibrium in relative changes.

The problem (a baseline's :class:`ModelInputs` and a :class:`Shock`) is kept apart
from the method (:class:`SolverOptions`). :func:`solve_equilibrium` returns an
:class:`Equilibrium` record with the solution, the iterations and the residual of
every equilibrium condition, and raises :class:`NonConvergenceError` when any
residual exceeds ``SolverOptions.check_tol``.

Method. The unknowns are log wage changes, one per country. For given wages the
price block (unit costs and price indices, a contraction because value-added
shares are positive) is iterated to machine precision, trade shares follow in
closed form, and sectoral expenditure solves a linear system (goods-market
clearing), matrix-free by BiCGSTAB inside
``jax.lax.custom_linear_solve`` so that its derivative is another linear solve.
Newton steps on the labour-market conditions use the exact Jacobian from
``jax.jacfwd``; one condition is replaced by the numeraire, and Walras' law
makes the dropped one hold at the solution (checked, not assumed).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.sparse.linalg import bicgstab

from tradesim.errors import NonConvergenceError
from tradesim.model import equations as eq


def _pytree(cls):
    """Register a frozen dataclass of arrays as a JAX pytree."""
    names = [f.name for f in fields(cls)]
    jax.tree_util.register_pytree_node(
        cls,
        lambda obj: ([getattr(obj, n) for n in names], None),
        lambda _, children: cls(*children),
    )
    return cls


@_pytree
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


@_pytree
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
    inner_tol / max_inner: stopping rule of the price and expenditure blocks.
    numeraire: ``"world"`` (world value added is fixed) or the index of the
        country whose wage is the numeraire.
    """

    tol: float = 1e-12
    check_tol: float = 1e-8
    max_newton: int = 60
    inner_tol: float = 1e-14
    max_inner: int = 20_000
    numeraire: str | int = "world"


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


def _contract(step_fn, x0, tol, max_iter):
    """Iterate ``x <- step_fn(x)`` from ``x0`` until the largest change is at
    most ``tol`` times the size of ``x0`` (absolute when ``x0`` is zero)."""
    scale = jnp.maximum(jnp.max(jnp.abs(x0)), 1.0)

    def body(state):
        x, _, k = state
        x_new = step_fn(x)
        return x_new, jnp.max(jnp.abs(x_new - x)), k + 1

    def cond(state):
        _, step, k = state
        return (step > tol * scale) & (k < max_iter)

    x, _, _ = jax.lax.while_loop(cond, body, (x0, jnp.asarray(jnp.inf, dtype=x0.dtype), 0))
    return x


def _price_block(log_w, log_kappa, inputs: ModelInputs, tol, max_iter, guess=None):
    """Unit costs and price indices for given wages.

    ``log c = unit_cost(w, price_index(log c))`` is a contraction (value-added
    shares are positive). ``custom_root`` differentiates the fixed point
    implicitly, so derivatives are exact however many iterations the primal took.
    """

    weights = eq.cost_weights(log_kappa, inputs.trade_share, inputs.trade_elasticity)

    def g(x):
        p = eq.price_index_weighted(x, weights, inputs.trade_elasticity)
        return eq.unit_cost(log_w, p, inputs.value_added_share, inputs.io_share)

    def solve(f, x0):  # root of f(x) = x - g(x)
        return _contract(lambda x: x - f(x), x0, tol, max_iter)

    def tangent_solve(f_lin, y):  # (I - dg) t = y, by the same contraction
        return _contract(lambda t: t - f_lin(t) + y, y, tol, max_iter)

    # A previous iterate's costs (warm start) save most of the contraction's steps.
    x0 = inputs.value_added_share * log_w[:, None] if guess is None else jax.lax.stop_gradient(guess)
    x = jax.lax.custom_root(lambda x: x - g(x), x0, solve, tangent_solve)
    return x, eq.price_index_weighted(x, weights, inputs.trade_elasticity)


def _expenditure_block(wage_hat, trade_share, tariff, deficit, inputs: ModelInputs, tol, max_iter):
    """Goods-market clearing ``X = A(X) + b`` solved matrix-free (BiCGSTAB).

    ``custom_linear_solve`` makes the derivative of ``X`` another solve of the same
    system, so Newton's exact Jacobian never forms the (NJ x NJ) matrix.
    """
    b = inputs.final_demand_share * (wage_hat * inputs.value_added + deficit)[:, None]

    def matvec(x):  # X minus the spending X induces; linear in X, no constant term
        return x - eq.induced_spending(x, trade_share, tariff, inputs.io_share, inputs.final_demand_share)

    def krylov(matvec, rhs):
        # BiCGSTAB: the system is well conditioned (I minus a contraction), so a
        # Krylov method needs a few matrix-vector products where the plain
        # fixed-point iteration needs dozens. Every solve's goods-market residual is
        # checked at the end, so a breakdown cannot pass unnoticed.
        x, _ = bicgstab(matvec, rhs, x0=rhs, tol=tol, atol=0.0, maxiter=max_iter)
        return x

    return jax.lax.custom_linear_solve(matvec, b, krylov)


def _deficit_in_numeraire(wage_hat, inputs: ModelInputs, shock: Shock):
    """Deficits are fixed as a share of world value added, so the choice of
    numeraire changes no real outcome."""
    world = jnp.sum(wage_hat * inputs.value_added) / jnp.sum(inputs.value_added)
    return shock.deficit * world


def _given_wages(log_w, inputs: ModelInputs, shock: Shock, opts: SolverOptions, guess=None):
    wage_hat = jnp.exp(log_w)
    log_kappa = eq.trade_cost_change(inputs.tariff, shock.tariff, shock.iceberg_hat)
    log_c, log_p = _price_block(log_w, log_kappa, inputs, opts.inner_tol, opts.max_inner, guess)
    share = eq.trade_share_new(log_c, log_kappa, log_p, inputs.trade_share, inputs.trade_elasticity)
    deficit = _deficit_in_numeraire(wage_hat, inputs, shock)
    spend = _expenditure_block(wage_hat, share, shock.tariff, deficit, inputs, opts.inner_tol, opts.max_inner)
    return dict(wage_hat=wage_hat, log_cost_hat=log_c, log_price_hat=log_p, trade_share=share,
                expenditure=spend, deficit=deficit)


def _newton_residual(log_w, inputs: ModelInputs, shock: Shock, opts: SolverOptions, guess=None):
    """Labour-market residuals relative to value added, the numeraire replacing
    the last country's condition; and the unit costs found on the way."""
    s = _given_wages(log_w, inputs, shock, opts, guess)
    r = eq.labour_market_residual(s["wage_hat"], inputs.value_added, inputs.value_added_share,
                                  s["trade_share"], s["expenditure"], shock.tariff) / inputs.value_added
    if opts.numeraire == "world":
        anchor = jnp.sum(s["wage_hat"] * inputs.value_added) / jnp.sum(inputs.value_added) - 1.0
    else:
        anchor = log_w[int(opts.numeraire)]
    return r.at[-1].set(anchor), s["log_cost_hat"]


# Public names for code that differentiates through the equilibrium (tradesim.strategy.engine):
# the state for given wages, and the residual whose root the solver finds.
equilibrium_given_wages = _given_wages
equilibrium_residual = _newton_residual


@partial(jax.jit, static_argnames="opts")
def _jacobian(log_w, inputs, shock, opts, guess):
    """Residual, its exact Jacobian (forward mode: one tangent per country) and costs."""
    def f(z):
        r, costs = _newton_residual(z, inputs, shock, opts, guess)
        return r, (r, costs)

    jac, (r, costs) = jax.jacfwd(f, has_aux=True)(log_w)
    return r, jac, costs


@partial(jax.jit, static_argnames="opts")
def _residual_only(log_w, inputs, shock, opts, guess):
    return _newton_residual(log_w, inputs, shock, opts, guess)


@partial(jax.jit, static_argnames="opts")
def _finish(log_w, inputs, shock, opts):
    s = _given_wages(log_w, inputs, shock, opts)
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
    log_kappa = eq.trade_cost_change(inputs.tariff, shock.tariff, shock.iceberg_hat)
    cost_gap = s["log_cost_hat"] - eq.unit_cost(
        jnp.log(w), eq.price_index(s["log_cost_hat"], log_kappa, inputs.trade_share, inputs.trade_elasticity),
        inputs.value_added_share, inputs.io_share)
    spend_total = jnp.maximum(spend.sum(axis=1, keepdims=True), 1e-300)
    goods = eq.expenditure_residual(spend, w, inputs.value_added, share, shock.tariff, inputs.io_share,
                                    inputs.final_demand_share, deficit) / spend_total
    labour = eq.labour_market_residual(w, inputs.value_added, inputs.value_added_share, share, spend,
                                       shock.tariff) / (w * inputs.value_added)
    balance = eq.trade_balance_residual(share, spend, shock.tariff, deficit)
    world_output = out["gross_output"].sum()
    residuals = dict(
        unit_cost=jnp.max(jnp.abs(cost_gap)),
        trade_shares_sum_to_one=jnp.max(jnp.abs(share.sum(axis=1) - 1.0)),
        goods_market=jnp.max(jnp.abs(goods)),
        labour_market=jnp.max(jnp.abs(labour)),
        trade_balance=jnp.max(jnp.abs(balance)) / world_output,
        world_trade_balance=jnp.abs(balance.sum()) / world_output,
    )
    return out, residuals


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
    Equilibrium with values, iterations and the residual of each condition.

    Notes
    -----
    Newton steps with the exact Jacobian (``jax.jacfwd``), kept up to date between
    exact evaluations by Broyden's rank-one update; the exact Jacobian is
    recomputed whenever an iteration cuts the residual by less than 10%. Backtracking
    keeps steps safe far from the solution (large shocks).
    """
    opts = options or SolverOptions()
    n, _ = inputs.shape
    log_w = jnp.zeros(n) if start is None else jnp.asarray(start, dtype=jnp.float64)
    jac = None if jacobian is None else np.asarray(jacobian, dtype=float)
    r = None
    costs = inputs.value_added_share * log_w[:, None]
    norm = np.inf
    iterations = 0
    for iterations in range(1, opts.max_newton + 1):
        if jac is None:
            r, jac, costs = _jacobian(log_w, inputs, shock, opts, costs)
            r, jac = np.asarray(r), np.asarray(jac)
        elif r is None:
            r, costs = _residual_only(log_w, inputs, shock, opts, costs)
            r = np.asarray(r)
        norm = float(np.max(np.abs(r)))
        if not np.isfinite(norm) or norm < opts.tol:
            break
        step = np.linalg.solve(jac, -r)
        t = 1.0
        for _ in range(30):
            trial = log_w + t * step
            r_trial, costs_trial = _residual_only(trial, inputs, shock, opts, costs)
            r_trial = np.asarray(r_trial)
            norm_trial = float(np.max(np.abs(r_trial)))
            if norm_trial < (1 - 1e-4 * t) * norm or t < 1e-6:
                break
            t *= 0.5
        s_vec = np.asarray(trial - log_w)
        if norm_trial > 0.9 * norm or not np.isfinite(norm_trial):
            jac, r = None, None  # slow progress: take a fresh exact Jacobian at the new point
        else:
            jac = jac + np.outer(r_trial - r - jac @ s_vec, s_vec) / (s_vec @ s_vec)
            r = r_trial
        costs = costs_trial
        log_w = trial
    values, residuals = _finish(log_w, inputs, shock, opts)
    values = {k: np.asarray(v) for k, v in values.items()}
    residuals = {k: float(v) for k, v in residuals.items()}
    bad = {k: v for k, v in residuals.items() if not (v <= opts.check_tol)}
    converged = not bad and np.isfinite(norm) and norm < max(opts.tol * 1e3, 1e-10)
    result = Equilibrium(values, iterations, residuals, converged, opts)
    if not converged and throw:
        worst = max(bad, key=bad.get) if bad else "labour_market"
        raise NonConvergenceError(
            f"equilibrium did not converge after {iterations} Newton iterations: "
            f"largest residual {worst} = {residuals.get(worst, norm):.3g} (tolerance {opts.check_tol:g})",
            residual=residuals.get(worst, norm), iterations=iterations)
    return result


def baseline_jacobian(inputs: ModelInputs, options: SolverOptions | None = None) -> np.ndarray:
    """Exact Jacobian of the labour-market system at the baseline (no shock),
    a good start for every counterfactual on the same baseline."""
    opts = options or SolverOptions()
    n, j = inputs.shape
    _, jac, _ = _jacobian(jnp.zeros(n), inputs, no_shock(inputs), opts, jnp.zeros((n, j)))
    return np.asarray(jac)


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
