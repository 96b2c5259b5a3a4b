"""Optimal tariffs, Nash tariffs (trade war) and efficient trade talks in the Ossa model.

Optimal tariffs (Ossa 2014, Section IV.A): region j chooses its MFN import tariff in
each industry (one rate on all partners, as in the paper's headline numbers) to
maximise its government objective ``G_j`` given everybody else's tariffs. The
gradient of ``G_j`` comes from JAX through the solved equilibrium (implicit
function theorem, see :mod:`tradesim.strategy.ossa`); the optimiser is scipy's
L-BFGS-B with box bounds ``[0, upper]`` (default upper 10 = 1000%); the start is the
region's current tariffs. ``bilateral=True`` lets the tariff differ by partner.

Nash tariffs (Section IV.B): best responses are iterated (Gauss-Seidel over regions)
until the largest tariff change between two rounds is below ``tol`` (default 1e-3,
i.e. 0.1 percentage point).

Trade talks (Section IV.C): efficient tariffs that give every government the same
proportional gain, ``max g  s.t.  G_j_hat(t) >= 1 + g`` for all j, by SLSQP with the
constraint Jacobian from JAX; start = the starting tariffs (factual), bounds
``[lower, upper]`` with ``lower = -0.5`` by default (import subsidies allowed: the
efficient point subsidises some imports to offset monopoly markups; with
``lower = 0`` the attainable common gain is smaller, see docs/strategy.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np
from scipy.optimize import minimize

from tradesim.errors import NonConvergenceError, ScenarioError
from tradesim.strategy.ossa import RESIDUAL_TOL, OssaModel, government_objective


def _objective_all(m: OssaModel, tariff):
    return government_objective(m, tariff)


def _embed(tariff, x, region: int, bilateral: bool):
    """Put region's choice variables into the (N, N, S) tariff array (own row)."""
    n, _, s = tariff.shape
    if bilateral:
        idx = jnp.arange(n - 1)
        idx = idx + (idx >= region)  # partners, skipping the region itself (region may be traced)
        row = jnp.zeros((n, s), x.dtype).at[idx].set(x.reshape(n - 1, s))
    else:
        row = jnp.broadcast_to(x, (n, s))
    row = row.at[region].set(0.0)  # no tariff on domestic sales
    return tariff.at[region].set(row)


def _own_vars(tariff, region: int, bilateral: bool):
    t = np.asarray(tariff)
    if bilateral:
        return np.delete(t[region], region, axis=0).ravel()
    w = np.delete(t[region], region, axis=0)  # MFN start: simple mean over partners
    return w.mean(axis=0)


@dataclass(frozen=True)
class BestResponse:
    region: str
    tariff: np.ndarray        # (N, N, S): all tariffs with the region's best response in place
    own: np.ndarray           # the region's chosen variables (S,) or (N-1, S)
    gov_hat: float            # G_j_hat at the optimum, relative to the model's baseline
    iterations: int
    gradient_norm: float      # projected gradient (inf-norm) at the optimum


def gov_gradient(m: OssaModel, tariff, region: int, bilateral: bool = False, x=None):
    """(-log G_j_hat, its gradient, residual) in region j's own tariff variables ``x``
    (default: read from ``tariff``), others' tariffs from ``tariff``."""
    x = jnp.asarray(_own_vars(tariff, region, bilateral) if x is None else x, float)
    val, grad, res = _value_and_grad_at(m, jnp.asarray(tariff, float), x, region, bilateral)
    return float(val), np.asarray(grad), float(res)


@partial(jax.jit, static_argnums=(4,))
def _value_and_grad_at(m: OssaModel, base, x, region: int, bilateral: bool):
    def f(x):
        t = _embed(base, x, region, bilateral)
        g, res = _objective_all(m, t)
        return -jnp.log(g[region]), res

    (val, res), grad = jax.value_and_grad(f, has_aux=True)(x)
    return val, grad, res


def best_response(m: OssaModel, tariff, region: int | str, *, bilateral: bool = False,
                  upper: float = 10.0, x0=None, gtol: float = 1e-9) -> BestResponse:
    """Region's optimal tariffs given ``tariff`` (N, N, S) for everybody else."""
    j = _index(m, region)
    base = jnp.asarray(tariff, float)
    x_start = np.clip(_own_vars(tariff, j, bilateral) if x0 is None else np.asarray(x0, float), 0, upper)
    worst = [0.0]

    def fun(x):
        val, grad, res = _value_and_grad_at(m, base, jnp.asarray(x), j, bilateral)
        worst[0] = max(worst[0], float(res))
        if not np.isfinite(float(val)) or float(res) > RESIDUAL_TOL:
            raise NonConvergenceError(f"best response of {m.regions[j]}: equilibrium residual {float(res):.2e}",
                                      residual=float(res))
        return float(val), np.asarray(grad, float)

    r = minimize(fun, x_start, jac=True, method="L-BFGS-B", bounds=[(0.0, upper)] * x_start.size,
                 options={"maxiter": 500, "ftol": 1e-14, "gtol": gtol})
    x = r.x
    val, grad = fun(x)
    proj = np.where((x <= 1e-12) & (grad > 0) | (x >= upper - 1e-12) & (grad < 0), 0.0, grad)
    if np.max(np.abs(proj)) > 1e-5:
        raise NonConvergenceError(f"best response of {m.regions[j]}: projected gradient "
                                  f"{np.max(np.abs(proj)):.2e} after {r.nit} iterations ({r.message})")
    t = np.asarray(_embed(base, jnp.asarray(x), j, bilateral))
    return BestResponse(m.regions[j], t, x.reshape(-1, m.s) if bilateral else x, float(np.exp(-val)), int(r.nit),
                        float(np.max(np.abs(proj))))


def optimal_tariffs(m: OssaModel, *, bilateral: bool = False, upper: float = 10.0, progress=None):
    """Every region's optimal tariffs against the baseline tariffs. Returns a list of
    :class:`BestResponse`, one per region."""
    out = []
    for j in range(m.n):
        out.append(best_response(m, m.tariff, j, bilateral=bilateral, upper=upper))
        if progress:
            progress(j)
    return out


@dataclass(frozen=True)
class NashResult:
    tariff: np.ndarray   # (N, N, S)
    rounds: int
    max_change: float    # largest tariff change in the last round
    gov_hat: np.ndarray  # (N,) relative to the model's baseline
    welfare_hat: np.ndarray


def nash_tariffs(m: OssaModel, *, bilateral: bool = False, upper: float = 10.0, tol: float = 1e-3,
                 max_rounds: int = 50, start=None, progress: Callable | None = None,
                 checkpoint: str | None = None) -> NashResult:
    """Nash equilibrium of the tariff game by iterated (Gauss-Seidel) best responses.

    ``checkpoint``: a ``.npy`` path where the tariffs are saved after every region's
    best response; if it exists (and ``start`` is not given) the iteration resumes
    from it."""
    import os

    if start is None and checkpoint and os.path.exists(checkpoint):
        start = np.load(checkpoint)
        if start.shape != tuple(m.tariff.shape):
            raise ScenarioError(f"Nash checkpoint {checkpoint}: shape {start.shape} != {tuple(m.tariff.shape)}")
    t = np.asarray(m.tariff if start is None else start, float).copy()
    for k in range(1, max_rounds + 1):
        prev = t.copy()
        for j in range(m.n):
            t = best_response(m, t, j, bilateral=bilateral, upper=upper).tariff
            if checkpoint:
                np.save(checkpoint, t)
            if progress:
                progress(k, j)
        change = float(np.max(np.abs(t - prev)))
        if change < tol:
            sol = m.solve(t)
            return NashResult(t, k, change, np.asarray(sol.gov_hat), np.asarray(sol.welfare_hat))
    raise NonConvergenceError(f"Nash tariffs: largest change {change:.2e} > tol {tol:g} after {max_rounds} rounds")


@dataclass(frozen=True)
class TalksResult:
    tariff: np.ndarray
    common_gain: float     # g: every G_j_hat >= 1 + g relative to the starting point
    gov_hat: np.ndarray    # (N,) relative to the model's baseline
    welfare_hat: np.ndarray
    iterations: int


def trade_talks(m: OssaModel, *, start=None, upper: float = 10.0, lower: float = -0.5, maxiter: int = 3000,
                stall_tol: float = 1e-6, progress: Callable | None = None) -> TalksResult:
    """Efficient MFN tariffs with equal proportional government gains from ``start``
    (default the baseline): ``max g s.t. G_j(t)/G_j(start) >= 1 + g``, SLSQP.

    SLSQP creeps on this problem (the objective is flat along the efficient
    frontier); it stops at its own tolerance or, failing that, when the common gain
    rose by less than ``stall_tol`` over the last 200 iterations with every
    constraint met to 1e-9 -- otherwise :class:`NonConvergenceError`."""
    n, s = m.n, m.s
    t0 = np.asarray(m.tariff if start is None else start, float)
    g_start = np.asarray(m.solve(t0).gov_hat)
    x0 = np.concatenate([np.clip(np.stack([_own_vars(t0, j, False) for j in range(n)]).ravel(), lower, upper),
                         [0.0]])

    @jax.jit
    def gov_of(x):
        t = jnp.asarray(t0)
        for j in range(n):
            t = _embed(t, x[j * s:(j + 1) * s], j, False)
        g, res = _objective_all(m, t)
        return jnp.log(g) - jnp.log(jnp.asarray(g_start)), res

    jac = jax.jit(jax.jacrev(lambda x: gov_of(x)[0]))

    def cons(z):
        return np.asarray(gov_of(jnp.asarray(z[:-1]))[0]) - np.log1p(z[-1])

    def cons_jac(z):
        jg = np.asarray(jac(jnp.asarray(z[:-1])))
        return np.hstack([jg, -np.full((n, 1), 1 / (1 + z[-1]))])

    history = []

    class _Stalled(Exception):
        pass

    def callback(z):
        history.append(z.copy())
        if progress:
            progress(len(history), float(z[-1]))
        if len(history) > 200 and z[-1] - history[-201][-1] < stall_tol and cons(z).min() > -1e-9:
            raise _Stalled

    try:
        r = minimize(lambda z: (-z[-1], np.r_[np.zeros(n * s), -1.0]), x0, jac=True, method="SLSQP",
                     bounds=[(lower, upper)] * (n * s) + [(-0.5, 0.5)],
                     constraints=[{"type": "ineq", "fun": cons, "jac": cons_jac}],
                     options={"maxiter": maxiter, "ftol": 1e-12}, callback=callback)
        if not r.success:
            raise NonConvergenceError(f"trade talks: SLSQP did not converge ({r.message})")
        x = r.x
    except _Stalled:
        x = history[-1]
    t = np.asarray(t0)
    for j in range(n):
        t = np.asarray(_embed(jnp.asarray(t), jnp.asarray(x[j * s:(j + 1) * s]), j, False))
    sol = m.solve(t)
    gain = np.asarray(sol.gov_hat) / g_start - 1
    if gain.min() < x[-1] - 1e-8:
        raise NonConvergenceError(f"trade talks: a government gains {gain.min():.2e} < common gain {x[-1]:.2e}")
    return TalksResult(t, float(gain.min()), np.asarray(sol.gov_hat), np.asarray(sol.welfare_hat), len(history))


def _index(m: OssaModel, region) -> int:
    if isinstance(region, (int, np.integer)):
        if not 0 <= region < m.n:
            raise ScenarioError(f"region index {region} out of range 0..{m.n - 1}")
        return int(region)
    if region not in m.regions:
        raise ScenarioError(f"region '{region}' not in {list(m.regions)}")
    return m.regions.index(region)
