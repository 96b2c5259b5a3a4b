"""No silent optimiser limits: every optimisation reports convergence, and one that
reaches its iteration cap without its tolerance raises NonConvergenceError naming the
region and the remaining gradient norm. The partner-specific Ossa variant converges."""

from __future__ import annotations

import numpy as np
import pytest

from tradesim.errors import NonConvergenceError
from tradesim.model.ossa import OssaModel, load_ossa2014
from tradesim.strategy.tariffs import best_response, gov_gradient, nash_tariffs, trade_talks


@pytest.fixture(scope="module")
def ossa():
    return OssaModel.from_dataset(load_ossa2014()).purged()


@pytest.fixture(scope="module")
def small3():
    rng = np.random.default_rng(3)
    trade = rng.uniform(1, 5, (3, 3, 2)) + np.eye(3)[:, :, None] * 20
    return OssaModel.from_arrays(trade, rng.uniform(0, 0.1, (3, 3, 2)), [3.0, 6.0], regions=("A", "B", "C")).purged()


def test_capped_optimisations_raise(small3):
    with pytest.raises(NonConvergenceError, match=r"best response of B: projected gradient norm .* after 1 "
                                                  r"iterations \(the iteration cap\)") as err:
        best_response(small3, small3.tariff, "B", maxiter=1)
    assert err.value.residual > 1e-9 and err.value.iterations == 1
    with pytest.raises(NonConvergenceError, match=r"Nash tariffs: largest tariff change .* after 1 rounds"):
        nash_tariffs(small3, tol=1e-12, max_rounds=1)
    with pytest.raises(NonConvergenceError, match=r"trade talks: SLSQP stopped after \d+ iterations without meeting "
                                                  r"its tolerance .* worst-off government [ABC]"):
        trade_talks(small3, maxiter=2)
    ok = best_response(small3, small3.tariff, "B")
    assert ok.converged and ok.gradient_norm < 1e-5


@pytest.mark.slow
def test_engine_best_response_cap_raises():
    from tradesim.strategy.engine import EngineGame, best_response as engine_br, small_world

    game = EngineGame.from_baseline(small_world("icio2022"))
    with pytest.raises(NonConvergenceError, match=r"engine best response of USA: projected gradient norm .* after 1 "
                                                  r"iterations \(the iteration cap\)"):
        engine_br(game, game.inputs.tariff, "USA", on="CHN", maxiter=1)


@pytest.mark.slow
def test_partner_specific_optimal_tariffs_converge(ossa):
    """Brazil's partner-specific optimal tariffs: the scaled problem stops on L-BFGS-B's
    own tolerance, well inside the 500-iteration cap the raw problem hit, and is
    optimal: the projected gradient (in tariff units) is ~1e-9 and no MFN policy does better."""
    br = best_response(ossa, ossa.tariff, "BRA", bilateral=True)
    assert br.converged and br.iterations < 500 and br.gradient_norm < 1e-7
    mfn = best_response(ossa, ossa.tariff, "BRA")
    assert br.gov_hat >= mfn.gov_hat - 1e-12  # more instruments cannot do worse
    val, grad, _ = gov_gradient(ossa, br.tariff, 0, bilateral=True)
    assert np.isfinite(val) and np.isfinite(grad).all()
