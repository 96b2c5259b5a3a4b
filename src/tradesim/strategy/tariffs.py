"""Optimal tariffs, Nash tariffs (trade war) and efficient trade talks in the Ossa model.

Optimal tariffs (Ossa 2014, Section IV.A): region j chooses its MFN import tariff in
each industry (one rate on all partners, as in the paper's headline numbers) to
maximise its government objective ``G_j`` given everybody else's tariffs. The
gradient of ``G_j`` comes from JAX through the solved equilibrium (implicit
function theorem, see :mod:`tradesim.model.ossa`); the optimiser is scipy's
L-BFGS-B with box bounds ``[0, upper]`` (default upper 10 = 1000%); the start is the
region's current tariffs. ``bilateral=True`` lets the tariff differ by partner.

Convergence: an optimum is accepted when L-BFGS-B stops on its own tolerance (not
on its iteration cap, ``maxiter``) with a projected gradient below 1e-5; otherwise
:class:`NonConvergenceError` names the region, the remaining projected-gradient
norm and the iterations. The partner-specific problem is
badly scaled as it stands: the objective's slope in a tariff is about proportional to
the imports it taxes, so it is nearly flat in the tariffs on small partners, and
L-BFGS-B crawls (the raw problem hits a 500-iteration cap for every region). The
optimiser therefore works in scaled variables ``y = D t`` (:func:`partner_scale`:
``D`` the square root of each partner's share of the region's imports of the sector,
floored at 1e-4, largest 1), which makes the curvature about even
(``H_y = D^-1 H_t D^-1``) and converges in a few hundred iterations. MFN tariffs keep
the raw variables (scaling them by sector import shares lets flat directions wander:
the US tariff on a sector it hardly imports went to 578% at an equal objective, against
the author's 43%), with a cap of 2000 iterations (China needs about 570). Tariffs on negligible flows remain
weakly determined (the objective hardly depends on them), which is why partner
spreads can be wide on sectors with tiny import flows.

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
from tradesim.model.ossa import RESIDUAL_TOL, OssaModel, government_objective


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
    converged: bool = True    # always True: an optimisation that did not converge raises


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


def partner_scale(m: OssaModel, region: int) -> np.ndarray:
    """Scale ``D`` (N-1, S) of the partner-specific variables (module docstring): the
    square root of each partner's share of the region's imports of a sector, in the
    model's baseline flows; floored at 1e-4 before the root, largest 1."""
    v = np.delete(np.asarray(m.trade, float)[region], region, axis=0)
    d = np.sqrt(np.maximum(v / np.maximum(v.sum(axis=0, keepdims=True), 1e-300), 1e-4))
    return d / d.max()


def best_response(m: OssaModel, tariff, region: int | str, *, bilateral: bool = False,
                  upper: float = 10.0, x0=None, gtol: float = 1e-9, maxiter: int = 2000) -> BestResponse:
    """Region's optimal tariffs given ``tariff`` (N, N, S) for everybody else; raises
    :class:`NonConvergenceError` (naming the region and the projected-gradient norm) when
    L-BFGS-B reaches ``maxiter`` without meeting its tolerance."""
    j = _index(m, region)
    base = jnp.asarray(tariff, float)
    x_start = np.clip(_own_vars(tariff, j, bilateral) if x0 is None else np.asarray(x0, float), 0, upper)
    scale = partner_scale(m, j).ravel() if bilateral else np.ones(x_start.size)
    worst = [0.0]

    def fun(x):
        val, grad, res = _value_and_grad_at(m, base, jnp.asarray(x), j, bilateral)
        worst[0] = max(worst[0], float(res))
        if not np.isfinite(float(val)) or float(res) > RESIDUAL_TOL:
            raise NonConvergenceError(f"best response of {m.regions[j]}: equilibrium residual {float(res):.2e}",
                                      residual=float(res))
        return float(val), np.asarray(grad, float)

    def scaled(y):
        val, grad = fun(y / scale)
        return val, grad / scale

    r = minimize(scaled, x_start * scale, jac=True, method="L-BFGS-B",
                 bounds=[(0.0, upper * d) for d in scale], options={"maxiter": maxiter, "ftol": 1e-14, "gtol": gtol})
    x = np.clip(r.x / scale, 0.0, upper)
    val, grad = fun(x)
    proj = np.where((x <= 1e-12) & (grad > 0) | (x >= upper - 1e-12) & (grad < 0), 0.0, grad)
    norm = float(np.max(np.abs(proj)))
    capped = r.status == 1 and norm > gtol  # stopped by the iteration cap, not by a tolerance
    if capped or norm > 1e-5:
        raise NonConvergenceError(f"best response of {m.regions[j]}{' (partner-specific)' if bilateral else ''}: "
                                  f"projected gradient norm {norm:.2e} after {r.nit} iterations"
                                  f"{' (the iteration cap)' if capped else ''}: {r.message}",
                                  residual=norm, iterations=int(r.nit))
    t = np.asarray(_embed(base, jnp.asarray(x), j, bilateral))
    return BestResponse(m.regions[j], t, x.reshape(-1, m.s) if bilateral else x, float(np.exp(-val)), int(r.nit),
                        norm)


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
    converged: bool = True  # always True: rounds that run out raise NonConvergenceError


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
    raise NonConvergenceError(f"Nash tariffs{' (partner-specific)' if bilateral else ''}: largest tariff change "
                              f"{change:.2e} > tol {tol:g} after {max_rounds} rounds (the round cap)",
                              residual=change, iterations=max_rounds)


@dataclass(frozen=True)
class TalksResult:
    tariff: np.ndarray
    common_gain: float     # g: every G_j_hat >= 1 + g relative to the starting point
    gov_hat: np.ndarray    # (N,) relative to the model's baseline
    welfare_hat: np.ndarray
    iterations: int
    converged: bool = True  # always True: SLSQP stopping short raises NonConvergenceError
    stopped_by: str = ""    # "tolerance" (SLSQP's own) or "stall" (the stall rule of the docstring)


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
            z = r.x
            slack = float(cons(z).min())
            raise NonConvergenceError(
                f"trade talks: SLSQP stopped after {r.nit} iterations without meeting its tolerance ({r.message}); "
                f"common gain {z[-1]:.3e}, worst constraint {slack:.2e}, worst-off government "
                f"{m.regions[int(np.argmin(cons(z)))]}", residual=abs(min(slack, 0.0)), iterations=int(r.nit))
        x, stopped_by = r.x, "tolerance"
    except _Stalled:
        x, stopped_by = history[-1], "stall"
    t = np.asarray(t0)
    for j in range(n):
        t = np.asarray(_embed(jnp.asarray(t), jnp.asarray(x[j * s:(j + 1) * s]), j, False))
    sol = m.solve(t)
    gain = np.asarray(sol.gov_hat) / g_start - 1
    if gain.min() < x[-1] - 1e-8:
        raise NonConvergenceError(f"trade talks: a government gains {gain.min():.2e} < common gain {x[-1]:.2e}")
    return TalksResult(t, float(gain.min()), np.asarray(sol.gov_hat), np.asarray(sol.welfare_hat), len(history),
                       True, stopped_by)


def _index(m: OssaModel, region) -> int:
    if isinstance(region, (int, np.integer)):
        if not 0 <= region < m.n:
            raise ScenarioError(f"region index {region} out of range 0..{m.n - 1}")
        return int(region)
    if region not in m.regions:
        raise ScenarioError(f"region '{region}' not in {list(m.regions)}")
    return m.regions.index(region)
