"""Damped Newton with the exact Jacobian (``jax.jacfwd``), float64, one compiled loop.

The problem is a residual function ``fn(x, args)`` (a module-level function, so
that it is hashable and compiled once per array shape); the method is
:class:`NewtonOptions`; :func:`newton` returns a :class:`NewtonResult` and the
callers raise :class:`~tradesim.errors.NonConvergenceError` when it failed.

Each step solves ``J dx = -F`` and halves the step until the largest residual
falls (Armijo-style backtracking, at most ``max_halvings`` times).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)


@dataclass(frozen=True)
class NewtonOptions:
    """Settings of :func:`newton`.

    tol: stop when the largest residual is at most this.
    max_iter: Newton steps before giving up.
    max_halvings: step halvings tried in the line search.
    check_tol: largest residual of any equilibrium condition accepted after the solve.
    """

    tol: float = 1e-13
    max_iter: int = 60
    max_halvings: int = 30
    check_tol: float = 1e-10


@dataclass(frozen=True)
class NewtonResult:
    x: np.ndarray
    iterations: int
    residual: float
    converged: bool


@partial(jax.jit, static_argnames=("fn", "tol", "max_iter", "max_halvings"))
def _newton(fn, x0, args, tol, max_iter, max_halvings):
    def norm(x):
        return jnp.max(jnp.abs(fn(x, args)))

    def step(state):
        x, r, k = state
        f = fn(x, args)
        jac = jax.jacfwd(fn)(x, args)
        dx = jnp.linalg.solve(jac, -f)

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
        return (r > tol) & (k < max_iter) & jnp.isfinite(r)

    x, r, k = jax.lax.while_loop(go_on, step, (x0, norm(x0), 0))
    return x, r, k


def newton(fn, x0, args, options: NewtonOptions | None = None) -> NewtonResult:
    """Solve ``fn(x, args) = 0`` from ``x0``."""
    o = options or NewtonOptions()
    x, r, k = _newton(fn, jnp.asarray(x0, dtype=jnp.float64), args, o.tol, o.max_iter, o.max_halvings)
    r = float(r)
    return NewtonResult(np.asarray(x), int(k), r, bool(np.isfinite(r) and r <= o.tol))
