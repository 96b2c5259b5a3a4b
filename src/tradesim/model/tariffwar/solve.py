"""Solving the tariff-war model: the balanced baseline and the Nash tariff war.

Both systems are solved by Newton's method with the exact Jacobian (``jax.jacfwd``) and a
backtracking line search on the max-norm, in one compiled ``lax.while_loop``. The authors
solve for wages, incomes (and tariffs) jointly; income enters eq. (7) linearly, so here it is
computed from wages in closed form (:func:`~equations.income_given_wages`) and the unknowns
are the N log wage changes (and, in the war, the N tariffs): the same solution from a system a
third smaller, wages positive without the authors' ``abs()``. Residuals are relative: wage
clearing over each economy's wage bill, the first-order condition in tariff units; the
income condition is checked at the end with the others.
The last wage equation is replaced by the numeraire ``sum_j R_j (w_hat_j - 1) = 0``; the
dropped one holds at the solution by Walras' law and is checked, with every other condition,
at the returned point: above ``check_tol`` the solve raises :class:`NonConvergenceError`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from tradesim.errors import NonConvergenceError
from tradesim.model.tariffwar import equations as eq
from tradesim.model.tariffwar.data import TariffWarInputs, derived


@dataclass(frozen=True)
class WarOptions:
    """Settings of the tariff-war solves: Newton stops when the largest relative residual is
    below ``tol``; the result is accepted when every condition (the dropped wage equation and
    trade balance included) is below ``check_tol``; ``start_tariff`` starts the war's tariffs."""

    tol: float = 1e-12
    check_tol: float = 1e-8
    max_iter: int = 60
    start_tariff: float = 0.25


@dataclass(frozen=True)
class WarEquilibrium:
    """A solved equilibrium: ``wage_hat``, ``income_hat`` and ``tariff`` (N, the uniform rate
    each economy sets; factual tariffs are not uniform, so ``None`` when they are held fixed),
    ``share`` (N, N, K) new trade shares, iterations and every condition's residual."""

    wage_hat: np.ndarray
    income_hat: np.ndarray
    tariff: np.ndarray | None
    tariff_cube: np.ndarray
    share: np.ndarray
    iterations: int
    residuals: dict[str, float]

    @property
    def max_residual(self) -> float:
        return max(self.residuals.values())


def _state(log_w, tariff_new, weights, inputs: TariffWarInputs):
    """New shares, incomes (eq. 7 solved) and the residuals of eqs. (6) and (7) for given
    log wage changes; ``weights`` is :func:`~equations.tariff_weights` of ``tariff_new``."""
    w = jnp.exp(log_w)
    terms = eq.wage_terms(weights, w, inputs.elasticity)
    share = eq.trade_shares(terms)
    income = eq.income_given_wages(share, inputs.expenditure_share, tariff_new, w, inputs.wage_bill)
    y_hat = income / inputs.income
    wage = eq.wage_residual(share, inputs.expenditure_share, income, tariff_new, w, inputs.wage_bill)
    inc = eq.income_residual(share, inputs.expenditure_share, income, tariff_new, w, inputs.wage_bill)
    return dict(w=w, y_hat=y_hat, income=income, terms=terms, share=share, wage=wage, income_gap=inc)


def _market_residual(s, inputs: TariffWarInputs):
    """Relative wage-clearing residuals with the numeraire in the last slot (N)."""
    wage = s["wage"] / inputs.wage_bill
    anchor = jnp.sum(inputs.wage_bill * (s["w"] - 1.0)) / jnp.sum(inputs.wage_bill)
    return wage.at[-1].set(anchor)


def balanced_residual(x, inputs: TariffWarInputs):
    """The balanced-trade system at factual tariffs (``+solver/balanced_trade_equations.m``,
    income solved out), x = log w_hat (N)."""
    s = _state(x, inputs.tariff, inputs.share, inputs)
    return _market_residual(s, inputs)


def _sales(s, tariff_new, inputs):
    return eq.spending(s["share"], inputs.expenditure_share, s["income"]) / (1 + tariff_new)


def _war_state(x, inputs: TariffWarInputs):
    n, k = inputs.shape
    rate = x[n:]
    tariff_new = eq.uniform_tariffs(rate, n, k)
    weights = eq.uniform_tariff_weights(inputs.share, inputs.tariff, rate, inputs.elasticity)
    s = _state(x[:n], tariff_new, weights, inputs)
    foc = rate - eq.nash_tariff(_sales(s, tariff_new, inputs), s["share"], inputs.elasticity)
    return s, rate, tariff_new, foc


def war_residual(x, inputs: TariffWarInputs):
    """The Nash system (``+solver/nash_equations.m``, income solved out), x = (log w_hat, t) (2N)."""
    s, _, _, foc = _war_state(x, inputs)
    return jnp.concatenate([_market_residual(s, inputs), foc])


# Tangents pushed through the cubes at a time: all at once (``jax.jacfwd``) keeps 2N copies
# of every (N, N, K) intermediate in memory, which on the 2022 world is ten times slower than
# a few at a time.
CHUNK = 9


def exact_jacobian(fun, x, inputs, chunk: int = CHUNK):
    """The exact Jacobian of ``fun(x, inputs)`` in ``x`` by forward mode, ``chunk`` tangents
    at a time (the same numbers as ``jax.jacfwd``; a test checks it)."""
    m = x.shape[0]
    pad = (-m) % chunk
    basis = jnp.eye(m + pad)[:, :m].reshape(-1, chunk, m)

    def columns(vs):
        return jax.vmap(lambda v: jax.jvp(lambda z: fun(z, inputs), (x,), (v,))[1])(vs)

    cols = jax.lax.map(columns, basis)                       # (chunks, chunk, outputs)
    return cols.reshape(-1, cols.shape[-1])[:m].T


@partial(jax.jit, static_argnames=("fun", "max_iter"))
def _newton(fun, x0, inputs, tol, max_iter):
    """Newton's method from ``x0`` with Armijo backtracking on the max-norm.

    The Jacobian is exact (:func:`exact_jacobian`) at the start and again after any step that
    cuts the residual by less than half; in between, Broyden's good rank-one update carries it
    (an exact Jacobian costs about a hundred residual evaluations on the 2022 world, and near
    the solution Broyden converges superlinearly). Returns the last point, its residual norm,
    the number of steps and the number of exact Jacobians taken.
    """
    def cond(state):
        _, _, _, nrm, k, _, _ = state
        return (nrm > tol) & (k < max_iter) & jnp.isfinite(nrm)

    def body(state):
        x, r, jac, nrm, k, refresh, exact = state
        jac = jax.lax.cond(refresh, lambda: exact_jacobian(fun, x, inputs), lambda: jac)
        step = jnp.linalg.solve(jac, -r)

        def trial(t):
            r_t = fun(x + t * step, inputs)
            return t, r_t, jnp.max(jnp.abs(r_t))

        def bt_cond(ls):
            t, _, n_t = ls
            return ~((n_t < (1 - 1e-4 * t) * nrm) | (t < 1e-8))

        t, r_new, n_new = jax.lax.while_loop(bt_cond, lambda ls: trial(ls[0] * 0.5), trial(1.0))
        dx = t * step
        jac_new = jac + jnp.outer(r_new - r - jac @ dx, dx) / jnp.maximum(dx @ dx, 1e-300)
        return (x + dx, r_new, jac_new, n_new, k + 1, n_new > 0.5 * nrm, exact + refresh.astype(int))

    r0 = fun(x0, inputs)
    m = x0.shape[0]
    state = (x0, r0, jnp.zeros((m, m)), jnp.max(jnp.abs(r0)), 0, True, 0)
    x, _, _, nrm, k, _, exact = jax.lax.while_loop(cond, body, state)
    return x, nrm, k, exact


def _check(name: str, x, norm, steps, residuals, opts: WarOptions):
    bad = {k: v for k, v in residuals.items() if not v <= opts.check_tol}
    if bad or not np.isfinite(norm):
        worst = max(bad, key=bad.get) if bad else "newton"
        raise NonConvergenceError(
            f"{name}: no equilibrium after {steps} Newton steps; largest residual {worst} = "
            f"{residuals.get(worst, norm):.3g} (tolerance {opts.check_tol:g})",
            residual=float(residuals.get(worst, norm)), iterations=int(steps))


def _conditions(s, tariff_new, inputs, foc=None):
    """Every equilibrium condition's largest relative residual at a state."""
    sales = _sales(s, tariff_new, inputs)
    imports = sales.sum(axis=(1, 2)) - jnp.diagonal(sales.sum(axis=2))
    exports = sales.sum(axis=(0, 2)) - jnp.diagonal(sales.sum(axis=2))
    out = dict(
        wage_clearing=jnp.max(jnp.abs(s["wage"] / (s["w"] * inputs.wage_bill))),   # all N, ROW's too
        income=jnp.max(jnp.abs(s["income_gap"] / s["income"])),
        shares_sum_to_one=jnp.max(jnp.abs(s["share"].sum(axis=1) - 1.0)),
        trade_balance=jnp.max(jnp.abs(imports - exports) / s["income"]),
    )
    if foc is not None:
        out["nash_first_order_condition"] = jnp.max(jnp.abs(foc))
    return {k: float(v) for k, v in out.items()}


def balance(inputs: TariffWarInputs, opts: WarOptions | None = None) -> tuple[TariffWarInputs, WarEquilibrium]:
    """The deficit purge: solve the model at factual tariffs with no deficits (from
    ``w_hat = Y_hat = 1``) and rebuild the inputs from its flows ``lambda' e Y_hat Y``
    (``+data/balance_trade.m``). Returns the balanced inputs and the solve's record."""
    opts = opts or WarOptions()
    n, _ = inputs.shape
    x, norm, steps, _ = _newton(balanced_residual, jnp.zeros(n), inputs, opts.tol, opts.max_iter)
    s = _state(x, inputs.tariff, inputs.share, inputs)
    residuals = _conditions(s, inputs.tariff, inputs)
    _check("balanced baseline", x, float(norm), int(steps), residuals, opts)
    spend = np.asarray(eq.spending(s["share"], inputs.expenditure_share, s["income"]))
    balanced = derived(spend, np.asarray(inputs.tariff), np.asarray(inputs.elasticity))
    record = WarEquilibrium(np.asarray(s["w"]), np.asarray(s["y_hat"]), None, np.asarray(inputs.tariff),
                            np.asarray(s["share"]), int(steps), residuals)
    return balanced, record


def solve_war(inputs: TariffWarInputs, opts: WarOptions | None = None, start=None) -> WarEquilibrium:
    """The Nash tariff war on balanced ``inputs``: wages, incomes and every economy's uniform
    Nash tariff (eq. 14) solved jointly; :class:`NonConvergenceError` if a condition fails."""
    opts = opts or WarOptions()
    n, k = inputs.shape
    x0 = (jnp.concatenate([jnp.zeros(n), jnp.full(n, opts.start_tariff)]) if start is None
          else jnp.asarray(start, float))
    x, norm, steps, _ = _newton(war_residual, x0, inputs, opts.tol, opts.max_iter)
    s, rate, tariff_new, foc = _war_state(x, inputs)
    residuals = _conditions(s, tariff_new, inputs, foc)
    _check("tariff war", x, float(norm), int(steps), residuals, opts)
    return WarEquilibrium(np.asarray(s["w"]), np.asarray(s["y_hat"]), np.asarray(rate), np.asarray(tariff_new),
                          np.asarray(s["share"]), int(steps), residuals)


def welfare_pct(inputs: TariffWarInputs, solution: WarEquilibrium) -> np.ndarray:
    """``100 (Y_hat / P_hat - 1)`` (N) against the (balanced) baseline of ``inputs``
    (``+welfare/welfare_gains.m``)."""
    terms = eq.cost_terms(inputs.share, (1 + solution.tariff_cube) / (1 + inputs.tariff),
                          jnp.asarray(solution.wage_hat), inputs.elasticity)
    log_p = eq.log_price_index(terms, inputs.expenditure_share, inputs.elasticity)
    return np.asarray(100 * (solution.income_hat * np.exp(-np.asarray(log_p)) - 1.0))


def with_elasticity(inputs: TariffWarInputs, elasticity) -> TariffWarInputs:
    """``inputs`` under another elasticity set (before balancing: the purge depends on it)."""
    return replace(inputs, elasticity=jnp.asarray(np.asarray(elasticity, float)))
