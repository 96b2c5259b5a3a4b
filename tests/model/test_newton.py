"""The shared Newton (tradesim.model.newton) on systems with closed-form roots: x^2 = a (root
sqrt(a), derivative 1 / (2 sqrt(a)) by the implicit function theorem) and a 2 x 2 system; the
compiled and the host loop agree; failures raise NonConvergenceError naming what was solved."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from tradesim.errors import NonConvergenceError
from tradesim.model.newton import (NewtonOptions, check, check_residual, implicit_root, newton, newton_host,
                                   newton_loop)


def squares(x, a):
    return x ** 2 - a


def pair(x, a):
    """Roots (1, 2) when a = (5, 1): x0^2 + x1^2 = 5, x1 - x0 = 1 (closed form)."""
    return jnp.stack([x[0] ** 2 + x[1] ** 2 - a[0], x[1] - x[0] - a[1]])


def test_compiled_newton_finds_closed_form_roots():
    a = jnp.array([2.0, 9.0, 0.25])
    res = newton(squares, jnp.ones(3), a)
    assert res.converged and res.residual <= 1e-13
    np.testing.assert_allclose(res.x, np.sqrt([2.0, 9.0, 0.25]), rtol=1e-15)
    res = newton(pair, jnp.array([0.5, 3.0]), jnp.array([5.0, 1.0]))
    np.testing.assert_allclose(res.x, [1.0, 2.0], rtol=1e-14)


def test_host_loop_agrees_with_compiled_loop():
    a = jnp.array([5.0, 1.0])
    vj = jax.jit(lambda x: (pair(x, a), jax.jacfwd(pair)(x, a)))
    norm = jax.jit(lambda x: jnp.max(jnp.abs(pair(x, a))))
    host = newton_host(vj, norm, np.array([0.5, 3.0]))
    compiled = newton(pair, jnp.array([0.5, 3.0]), a)
    assert host.converged and host.iterations == compiled.iterations
    np.testing.assert_allclose(host.x, compiled.x, rtol=1e-15)


def test_capped_steps_and_polish():
    """A cap on the relative step slows the first steps; ``polish`` takes exactly one step more
    than the plain stopping rule (Ossa's loop) and lands on the same root."""
    a = jnp.array([100.0])
    plain = newton(squares, jnp.ones(1), a, NewtonOptions(max_halvings=0))
    capped = newton(squares, jnp.ones(1), a, NewtonOptions(max_halvings=0, max_step=0.5))
    polished = newton(squares, jnp.ones(1), a, NewtonOptions(max_halvings=0, max_step=0.5, polish=True))
    assert capped.iterations > plain.iterations
    assert polished.iterations == capped.iterations + 1
    np.testing.assert_allclose([plain.x[0], capped.x[0], polished.x[0]], 10.0, rtol=1e-15)
    with pytest.raises(ValueError, match="polish"):
        newton_loop(squares, jnp.ones(1), a, 1e-13, 60, 30, None, True)


def test_implicit_root_derivative_is_the_closed_form():
    """d sqrt(a) / da = 1 / (2 sqrt(a)), however many iterations the solve took."""

    def root(a):
        def solve(f, x0):
            return newton_loop(lambda x, _: f(x), x0, None, 1e-13, 60)[0]

        return implicit_root(lambda x: squares(x, a), jnp.ones_like(a), solve)

    a = jnp.array([2.0, 9.0])
    np.testing.assert_allclose(root(a), np.sqrt([2.0, 9.0]), rtol=1e-15)
    np.testing.assert_allclose(jnp.diag(jax.jacfwd(root)(a)), 0.5 / np.sqrt([2.0, 9.0]), rtol=1e-12)
    np.testing.assert_allclose(jax.grad(lambda a: root(a).sum())(a), 0.5 / np.sqrt([2.0, 9.0]), rtol=1e-12)


def test_failures_raise_nonconvergence():
    res = newton(squares, jnp.ones(1), jnp.array([100.0]), NewtonOptions(max_iter=1))
    assert not res.converged
    with pytest.raises(NonConvergenceError, match=r"toy system: Newton stopped after 1 iterations with largest"):
        check("toy system", res)
    with pytest.raises(NonConvergenceError, match=r"toy: largest equilibrium residual 1.00e-03 > 1e-10 after 4"):
        check_residual("toy", 1e-3, 1e-10, 4)
    with pytest.raises(NonConvergenceError, match="nan"):
        check_residual("toy", float("nan"), 1e-10)
    assert check_residual("toy", 1e-12, 1e-10) == 1e-12
