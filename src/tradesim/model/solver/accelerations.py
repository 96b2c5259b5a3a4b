"""The accelerations of the inner solves: Anderson mixing for fixed points, BiCGSTAB for
the linear goods-market system, and the inexact-Newton forcing rule that says how tightly
either is solved during the outer iteration.

None of them changes the answer, only the work to reach it: ``tests/model/test_solve.py``
checks that the plain fixed-point iteration with exact inner solves gives the same
equilibrium to 1e-11.

Example
-------
>>> import jax.numpy as jnp
>>> x = anderson_fixed_point(lambda x: 0.5 * x + 1.0, jnp.zeros(3), 1e-14, 1000, 5)
>>> [round(float(v), 12) for v in x]
[2.0, 2.0, 2.0]
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.scipy.sparse.linalg import bicgstab


def anderson_fixed_point(step_fn, x0, tol, max_iter, memory):
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


def krylov_linear_solve(matvec, rhs, tol, max_iter, start=None):
    """Solve ``matvec(y) = rhs`` by BiCGSTAB inside ``jax.lax.custom_linear_solve``.

    The derivative of the answer is another solve of the same system (no matrix is
    formed); ``tol`` is relative to ``|rhs|``. From a ``start`` ``y0`` (a previous answer;
    the caller stops its gradient) only the correction ``A^-1 (rhs - A y0)`` is solved for.
    BiCGSTAB suits the goods-market system (the identity minus a contraction, well
    conditioned): a few matrix-vector products where the plain fixed-point iteration needs
    dozens. It reports no failure itself: callers check the residual of what it returns.
    """
    floor = tol * jax.lax.stop_gradient(jnp.sqrt(jnp.sum(rhs * rhs)))

    def krylov(matvec, b):
        y, _ = bicgstab(matvec, b, x0=jnp.zeros_like(b), tol=tol, atol=floor, maxiter=max_iter)
        return y

    if start is None:
        return jax.lax.custom_linear_solve(matvec, rhs, krylov)
    return start + jax.lax.custom_linear_solve(matvec, rhs - matvec(start), krylov)


def forcing_tolerance(norm, opts):
    """Inexact Newton's inner tolerance at residual ``norm``: ``forcing * norm``, never
    looser than ``loosest_inner`` nor tighter than ``inner_tol`` (``opts``: SolverOptions)."""
    return jnp.clip(opts.forcing * norm, opts.inner_tol, opts.loosest_inner)
