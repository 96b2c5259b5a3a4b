r"""Newton's method for the small dense systems of tradesim's model families.

One method, shared by the structural-gravity GE (:mod:`tradesim.model.gravity`), Ossa's model
(:mod:`tradesim.model.ossa`) and the Liberation Day model (:mod:`tradesim.model.liberation_day`):
solve :math:`F(x) = 0` by the steps :math:`J(x_k)\,\Delta = -F(x_k)` with the exact Jacobian
(``jax.jacfwd``), in float64. The step is then

* halved until the largest residual falls (Armijo-style backtracking on the max-norm, at most
  ``max_halvings`` times: :math:`\|F(x + \lambda\Delta)\|_\infty \le (1 - 10^{-4}\lambda)\|F(x)\|_\infty`), or
* scaled down so that no unknown moves by more than ``max_step`` of itself (Ossa's loop, on
  wages in levels; no line search).

The loop stops once the largest residual is at most ``tol`` (or after ``max_iter`` steps, or at a
non-finite residual). Ossa's original loop tested the residual of the point its last step
*started from*, so it takes one more full step after reaching ``tol``: ``polish=True`` keeps
that rule, digit for digit.

Three ways to run it, the same arithmetic:

* :func:`newton` -- the whole loop compiled (``jax.lax.while_loop``); the problem is a residual
  function ``fn(x, args)`` (a module-level function, hashable, so compiled once per shape);
* :func:`newton_loop` -- the same loop, traceable, for use inside another transformation
  (e.g. the solve of :func:`implicit_root`);
* :func:`newton_host` -- the loop driven from Python with the linear solves in LAPACK (numpy):
  for systems of a few hundred unknowns, where XLA:CPU's LU costs more than the rest of a step.

A solve never returns a silent number: :func:`check` raises
:class:`~tradesim.errors.NonConvergenceError` naming what was solved, the steps taken and the
largest residual. :func:`implicit_root` differentiates through a solution by the implicit
function theorem, :math:`\partial x/\partial\theta = -(\partial F/\partial x)^{-1}\,\partial F/\partial\theta`.

Example
-------
>>> import jax.numpy as jnp
>>> def fn(x, a):
...     return x ** 2 - a
>>> res = newton(fn, jnp.array([1.0]), jnp.array([2.0]))
>>> round(float(res.x[0]), 12), res.converged
(1.414213562373, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from tradesim.errors import NonConvergenceError

jax.config.update("jax_enable_x64", True)


@dataclass(frozen=True)
class NewtonOptions:
    """Settings of the Newton solves.

    tol: stop when the largest residual is at most this.
    max_iter: Newton steps before giving up.
    max_halvings: step halvings tried in the line search (0: none).
    check_tol: largest residual of any equilibrium condition accepted after the solve
        (each family checks all of its conditions at the answer against it).
    max_step: largest relative change of any unknown in one step (``None``: no cap); with a
        cap there is no line search.
    polish: stop only after the step taken from a point whose residual was at most ``tol``
        (one more step; Ossa's loop).
    """

    tol: float = 1e-13
    max_iter: int = 60
    max_halvings: int = 30
    check_tol: float = 1e-10
    max_step: float | None = None
    polish: bool = False


@dataclass(frozen=True)
class NewtonResult:
    """The last point ``x``, the steps taken, the largest residual (at ``x``; with ``polish``,
    at the point the last step started from) and whether it is at most ``tol``."""

    x: np.ndarray
    iterations: int
    residual: float
    converged: bool


def newton_loop(fn, x0, args, tol, max_iter, max_halvings=30, max_step=None, polish=False):
    """The Newton loop of this module, traceable: ``(x, largest residual, steps)`` as JAX values.

    ``fn(x, args)`` is the residual; the other arguments are :class:`NewtonOptions`' fields
    (Python numbers: they shape the program)."""
    if polish and max_halvings:
        raise ValueError("newton: polish=True takes full (capped) steps; set max_halvings=0")

    def norm(x):
        return jnp.max(jnp.abs(fn(x, args)))

    def step(state):
        x, r, k = state
        f = fn(x, args)
        jac = jax.jacfwd(fn)(x, args)
        dx = jnp.linalg.solve(jac, -f)
        if max_step is not None:  # no unknown moves by more than max_step of itself
            dx = jnp.minimum(1.0, max_step / jnp.maximum(jnp.max(jnp.abs(dx / x)), 1e-300)) * dx
        if polish:
            return x + dx, jnp.max(jnp.abs(f)), k + 1
        if not max_halvings:
            return x + dx, norm(x + dx), k + 1

        def shrink(s):
            lam, _ = s
            return lam / 2.0, norm(x + lam / 2.0 * dx)

        def too_big(s):
            lam, rn = s
            return ((rn > (1.0 - 1e-4 * lam) * r) | ~jnp.isfinite(rn)) & (lam > 0.5 ** max_halvings)

        lam, rn = jax.lax.while_loop(too_big, shrink, (jnp.asarray(1.0, x.dtype), norm(x + dx)))
        return x + lam * dx, rn, k + 1

    def go_on(state):
        _, r, k = state
        if polish:
            return (k < max_iter) & (r > tol)
        return (r > tol) & (k < max_iter) & jnp.isfinite(r)

    r0 = jnp.inf if polish else norm(x0)
    return jax.lax.while_loop(go_on, step, (x0, r0, 0))


@partial(jax.jit, static_argnames=("fn", "tol", "max_iter", "max_halvings", "max_step", "polish"))
def _newton(fn, x0, args, tol, max_iter, max_halvings, max_step, polish):
    return newton_loop(fn, x0, args, tol, max_iter, max_halvings, max_step, polish)


def newton(fn, x0, args, options: NewtonOptions | None = None) -> NewtonResult:
    """Solve ``fn(x, args) = 0`` from ``x0`` (the loop compiled once per ``fn`` and shape)."""
    o = options or NewtonOptions()
    x, r, k = _newton(fn, jnp.asarray(x0, dtype=jnp.float64), args, o.tol, o.max_iter, o.max_halvings,
                      o.max_step, o.polish)
    r = float(r)
    return NewtonResult(np.asarray(x), int(k), r, bool(np.isfinite(r) and r <= o.tol))


def newton_host(value_and_jacobian: Callable, norm: Callable, x0, options: NewtonOptions | None = None
                ) -> NewtonResult:
    """:func:`newton` driven from Python, the ``n x n`` linear solves in LAPACK (numpy).

    ``value_and_jacobian(x)`` gives ``(F(x), J(x))`` and ``norm(x)`` the largest residual (both
    usually compiled). The full step's point is evaluated with its Jacobian at once (a full step
    is almost always accepted); a singular Jacobian ends the loop (the caller's check then
    reports the residual reached)."""
    o = options or NewtonOptions()
    z = np.asarray(x0, dtype=float)
    f, jac = (np.asarray(v) for v in value_and_jacobian(z))
    r, k = float(np.max(np.abs(f))), 0
    while r > o.tol and k < o.max_iter and np.isfinite(r):
        try:
            dx = np.linalg.solve(jac, -f)
        except np.linalg.LinAlgError:
            break
        f1, jac1 = (np.asarray(v) for v in value_and_jacobian(z + dx))
        lam, halvings, rn = 1.0, 0, float(np.max(np.abs(f1)))
        while (not np.isfinite(rn) or rn > (1.0 - 1e-4 * lam) * r) and halvings < o.max_halvings:
            lam, halvings = lam / 2.0, halvings + 1
            rn = float(norm(z + lam * dx))
        z, r, k = z + lam * dx, rn, k + 1
        if halvings == 0:
            f, jac = f1, jac1
        elif r > o.tol:
            f, jac = (np.asarray(v) for v in value_and_jacobian(z))
    return NewtonResult(z, k, r, bool(np.isfinite(r) and r <= o.tol))


def check(what: str, result: NewtonResult) -> NewtonResult:
    """``result`` if Newton converged; else a :class:`NonConvergenceError` naming ``what`` was
    solved, the steps taken and the largest residual reached."""
    if not result.converged:
        raise NonConvergenceError(f"{what}: Newton stopped after {result.iterations} iterations with largest "
                                  f"residual {result.residual:.2e}", residual=result.residual,
                                  iterations=result.iterations)
    return result


def check_residual(what: str, residual: float, tol: float, iterations: int | None = None) -> float:
    """``residual`` (the largest of the equilibrium conditions at an answer) if it is finite and at
    most ``tol``; else a :class:`NonConvergenceError` naming ``what`` and both numbers."""
    if not (np.isfinite(residual) and residual <= tol):
        after = "" if iterations is None else f" after {iterations} Newton steps"
        raise NonConvergenceError(f"{what}: largest equilibrium residual {residual:.2e} > {tol:.0e}{after}",
                                  residual=float(residual), iterations=iterations)
    return residual


def _dense_tangent_solve(g, y):
    """``J^-1 y`` for the linear map ``g`` (its Jacobian formed by ``jax.jacfwd``: small systems)."""
    return jnp.linalg.solve(jax.jacfwd(g)(y), y)


def implicit_root(f: Callable, x0, solve: Callable):
    r"""The root of ``f`` found by ``solve(f, x0)``, differentiable by the implicit function theorem.

    For :math:`F(x^*(\theta), \theta) = 0`, :math:`\partial x^*/\partial\theta =
    -(\partial F/\partial x)^{-1}\,\partial F/\partial\theta` at the root, whatever iterations
    ``solve`` took (``jax.lax.custom_root`` with a dense tangent solve: one extra linear solve per
    derivative). ``f`` closes over :math:`\theta`."""
    return jax.lax.custom_root(f, x0, solve, _dense_tangent_solve)
