"""Solve the Liberation Day model: Newton on the equilibrium conditions with the exact Jacobian.

The unknowns are ``log(w^, L^)`` (positive by construction, where the authors' code
takes ``abs``); expenditure is substituted out exactly
(:func:`~tradesim.model.liberation_day.equations.expenditure_closure`), which leaves 2N
conditions (income with the numeraire, labour supply) instead of the code's 3N.
:func:`newton_steps` (the shared damped Newton, :func:`tradesim.model.newton.newton_host`, ``jax.jacfwd``
through the written-out JVP of the market aggregates) solves from the baseline
``z = 0``. Every solve then evaluates all 3N conditions of the code, term by term
(:func:`~tradesim.model.liberation_day.equations.residual_reference`), at the answer and raises
:class:`~tradesim.errors.NonConvergenceError` when the largest is above
``check_tol``; the residual is reported on the solution.

>>> from tradesim.data.baci2023 import load_baci2023
>>> from tradesim.model.liberation_day import calibrate, solve, ustr_tariffs
>>> inputs = calibrate(load_baci2023())
>>> sol = solve(inputs, ustr_tariffs(inputs))
>>> round(float(sol.welfare_pct[inputs.us]), 2)
1.13
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from tradesim.errors import ScenarioError
from tradesim.model.liberation_day import equations as eq
from tradesim.model.liberation_day.inputs import LDInputs
from tradesim.model.newton import NewtonOptions, check_residual, newton_host

SOLVER = NewtonOptions(tol=1e-13, max_iter=60, max_halvings=30, check_tol=1e-10)
_BLAS: list = []  # the threadpool controller, made at the first solve (once the BLAS is loaded)


def one_blas_thread():
    """A context in which BLAS/LAPACK run on one thread: the 2N x 2N solve takes about 1 ms on
    one thread, while threads that wait for a core of a busy machine made it up to 100 ms."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # an environment installed before the dependency: same answers, BLAS threads as set
        from contextlib import nullcontext

        return nullcontext()
    if not _BLAS:
        _BLAS.append(ThreadpoolController())
    return _BLAS[0].limit(limits=1, user_api="blas")


@jax.jit
def _value_and_jacobian(z, p: eq.Params):
    return eq.residual_reduced(z, p), jax.jacfwd(eq.residual_reduced)(z, p)


@jax.jit
def _norm(z, p: eq.Params):
    return jnp.max(jnp.abs(eq.residual_reduced(z, p)))


def newton_steps(z0: np.ndarray, p: eq.Params, o: NewtonOptions) -> tuple[np.ndarray, float, int]:
    """Damped Newton on :func:`~tradesim.model.liberation_day.equations.residual_reduced`:
    :func:`tradesim.model.newton.newton_host` (exact Jacobian, step halved until the largest
    residual falls), with the residual and its Jacobian compiled and the 2N x 2N linear solve in
    LAPACK (numpy): at this size XLA:CPU's LU is several times slower than the rest of a step.
    Returns ``(z, largest residual, steps)``."""
    res = newton_host(lambda z: _value_and_jacobian(z, p), lambda z: _norm(z, p), z0, o)
    return res.x, res.residual, res.iterations


@jax.jit
def _evaluate(z2, p: eq.Params):
    """The 3N residual (written term by term, not the one differentiated) and every quantity
    at the reduced unknowns ``z2``."""
    z = eq.full_unknowns(z2, p)
    return jnp.max(jnp.abs(eq.residual_reference(z, p))), eq.counterfactual(z, p)


@dataclass(frozen=True)
class LDSolution:
    """A solved counterfactual. (N,) arrays per country, (N, N) (importer, exporter).

    tariff: the shock. values: every counterfactual quantity of
    :func:`~tradesim.model.liberation_day.equations.counterfactual` (numpy).
    welfare_pct: 100 (W^ - 1). max_residual: largest of the 3N conditions at the answer.
    """

    tariff: np.ndarray
    values: dict
    welfare_pct: np.ndarray
    iterations: int
    max_residual: float
    converged: bool


def _matrix(value, n: int, name: str, default: float) -> np.ndarray:
    m = np.full((n, n), default) if value is None else np.asarray(value, dtype=float)
    if m.shape != (n, n):
        raise ScenarioError(f"{name}: expected a ({n}, {n}) (importer, exporter) matrix, got {m.shape}")
    return m


def params(inputs: LDInputs, tariff: np.ndarray, trade_cost: np.ndarray | None = None) -> eq.Params:
    """The residual's parameters for ``inputs`` under the tariff matrix ``tariff`` (importer, exporter)
    and an optional iceberg trade-cost change ``trade_cost`` (d^, 1 = unchanged)."""
    o = inputs.options
    t = _matrix(tariff, inputs.n, "tariff", 0.0)
    d = _matrix(trade_cost, inputs.n, "trade_cost", 1.0)
    if not np.isfinite(t).all() or (t <= -1).any():
        raise ScenarioError("tariff: every rate must be finite and above -100%")
    if not np.isfinite(d).all() or (d <= 0).any():
        raise ScenarioError("trade_cost: every change d^ must be finite and positive")
    f = jnp.asarray
    return eq.Params(shares=f(inputs.shares), tariff=f(t), cost_hat=f(d), expenditure=f(inputs.expenditure),
                     income=f(inputs.income), deficit=f(inputs.deficit), nu=f(inputs.nu), phi=f(inputs.phi),
                     epsilon=f(float(o.epsilon)), kappa=f(float(o.kappa)), psi=f(o.scale_elasticity),
                     tax_relief=f(1.0 if o.revenue == "tax_relief" else 0.0),
                     scaled_deficits=f(1.0 if o.deficits == "world_income_share" else 0.0))


def solve(inputs: LDInputs, tariff: np.ndarray, *, trade_cost: np.ndarray | None = None,
          solver: NewtonOptions = SOLVER, throw: bool = True) -> LDSolution:
    """The equilibrium under ``tariff`` (and ``trade_cost``); :class:`NonConvergenceError` if a
    condition stays above tolerance (``throw=False`` returns the solution with ``converged`` False)."""
    p = params(inputs, tariff, trade_cost)
    with one_blas_thread():
        z, _, iterations = newton_steps(np.zeros(2 * inputs.n), p, solver)
    worst, values = _evaluate(jnp.asarray(z), p)
    worst = float(worst)
    converged = bool(np.isfinite(worst) and worst <= solver.check_tol)
    if throw and not converged:
        check_residual("liberation_day", worst, solver.check_tol, iterations)
    values = {k: np.asarray(v) for k, v in values.items()}
    w = eq.welfare_change(values["e_hat"], values["w_hat"], values["l_hat"], values["p_hat"],
                          inputs.expenditure, inputs.income, values["tau"], float(inputs.options.kappa))
    return LDSolution(tariff=np.asarray(tariff, dtype=float), values=values, welfare_pct=100 * (np.asarray(w) - 1),
                      iterations=iterations, max_residual=worst, converged=converged)
