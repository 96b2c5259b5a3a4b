"""Ossa's (2014) model (tradesim.model.ossa) against external references: the author's stored
deficit-purged flows (DATA.mat ``TRADE``), the factual fixed point, the shared Newton's loop
(the same iterates as the original code's), the family protocol; bad inputs raise typed errors."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from tradesim.errors import DataError, NonConvergenceError, ScenarioError
from tradesim.model.ossa import OssaModel, load_ossa2014


@pytest.fixture(scope="module")
def data():
    return load_ossa2014()


@pytest.fixture(scope="module")
def ossa(data):
    return OssaModel.from_dataset(data).purged()


def test_purge_reproduces_author_flows(data, ossa):
    """Our deficit purge (factual tariffs, D' = 0) equals the author's DATA.mat TRADE."""
    ref = data["ref_trade_purged"].transpose("importer", "exporter", "sector").values
    np.testing.assert_allclose(np.asarray(ossa.trade), ref, rtol=1e-8, atol=1e-8)
    assert np.abs(np.asarray(ossa.deficit())).max() < 1e-6


def test_factual_is_fixed_point(ossa):
    sol = ossa.solve(ossa.tariff)
    np.testing.assert_allclose(np.asarray(sol.wage_hat), 1, atol=1e-12)
    np.testing.assert_allclose(np.asarray(sol.gov_hat), 1, atol=1e-12)
    assert sol.residual < 1e-12


def test_bad_inputs():
    with pytest.raises(DataError, match="sigma"):
        OssaModel.from_arrays(np.ones((2, 2, 1)), np.zeros((2, 2, 1)), [0.5])
    with pytest.raises(DataError, match="tariff shape"):
        OssaModel.from_arrays(np.ones((2, 2, 1)), np.zeros((2, 2, 2)), [3.0])


def _original_newton(fun, w0, maxiter=60):
    """The loop of strategy/ossa.py before the move (commit 0f5f656), verbatim: the reference the
    shared Newton must reproduce step for step."""
    def step(state):
        w, k, err = state
        f = fun(w)
        jac = jax.jacfwd(fun)(w)
        dw = jnp.linalg.solve(jac, -f)
        scale = jnp.minimum(1.0, 0.5 / jnp.maximum(jnp.max(jnp.abs(dw / w)), 1e-300))
        return w + scale * dw, k + 1, jnp.max(jnp.abs(f))

    def cond(state):
        _, k, err = state
        return (k < maxiter) & (err > 1e-13)

    return jax.lax.while_loop(cond, step, (w0, 0, jnp.inf))


def test_shared_newton_is_the_original_loop(ossa):
    """The shared Newton with Ossa's settings (capped steps, the polish step) gives the original
    loop's wages bit for bit, and as many steps, on a 20% tariff rise from the purged world."""
    from tradesim.model.newton import newton_loop
    from tradesim.model.ossa.equations import labour_market_residual
    from tradesim.model.ossa.solve import NEWTON

    t = 1.2 * ossa.tariff + 0.05

    def f(w):
        return labour_market_residual(ossa, w, t, ossa.deficit())

    w_old, k_old, _ = jax.jit(lambda w0: _original_newton(f, w0))(jnp.ones(ossa.n))
    o = NEWTON
    w_new, _, k_new = jax.jit(lambda w0: newton_loop(lambda w, _: f(w), w0, None, o.tol, o.max_iter, o.max_halvings,
                                                     o.max_step, o.polish))(jnp.ones(ossa.n))
    assert int(k_new) == int(k_old) > 1
    assert np.asarray(w_new).tobytes() == np.asarray(w_old).tobytes()


def test_family_protocol(ossa):
    """The ``ossa2014`` family: a 10% tariff rise solves to the same welfare as the model's own
    solve; the residual is zero at the solution; tables by name; a wrong shape is a ScenarioError."""
    from tradesim.model.family import FamilyResult, ModelFamily, get_family

    fam = get_family("ossa2014")
    assert isinstance(fam, ModelFamily) and fam.baselines == ("ossa2014",)
    t = 1.1 * np.asarray(ossa.tariff)
    res = fam.solve(ossa, t)
    assert isinstance(res, FamilyResult)
    direct = ossa.solve(t)
    np.testing.assert_array_equal(fam.welfare(ossa, res).to_numpy(), 100 * (np.asarray(direct.welfare_hat) - 1))
    assert np.abs(fam.residual(ossa, res.solution.wage_hat, t)).max() < 1e-12
    tables = fam.tables(ossa, res)
    assert set(tables) == {"countries", "industries"} and len(tables["countries"]) == ossa.n
    assert tables["industries"].shape[0] == ossa.n * ossa.s
    assert res.summary()["countries"]["USA"]["welfare_pct"] == pytest.approx(float(res.welfare_pct()["USA"]))
    with pytest.raises(ScenarioError, match="tariff"):
        fam.solve(ossa, np.zeros((2, 2, 1)))
    with pytest.raises(ScenarioError, match="baseline"):
        fam.inputs("cp2015")


def test_nonconvergence_is_raised(ossa):
    from tradesim.model.ossa.solve import Solution, check

    sol = ossa.solve(ossa.tariff)
    bad = Solution(*[getattr(sol, k) for k in ("wage_hat", "price_hat", "expenditure", "trade", "profit", "revenue",
                                                "welfare_hat", "gov_hat")], residual=1e-3)
    with pytest.raises(NonConvergenceError, match=r"Ossa equilibrium .*residual 1.00e-03 > 1e-09"):
        check(bad)
