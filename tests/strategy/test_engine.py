"""Best responses and a US-China tariff war in the engine's model, on the 2022
default aggregated to 5 regions x 4 sectors: IFT gradient vs finite differences,
optimality, and the Nash property."""

from __future__ import annotations

import numpy as np
import pytest

from tradesim.strategy.engine import (EngineGame, best_response, real_income_and_gradient, real_income_pct,
                                      small_world, tariff_war)


@pytest.fixture(scope="module")
def small():
    return EngineGame.from_baseline(small_world("icio2022"))


def test_gradient_matches_finite_differences(small):
    rng = np.random.default_rng(1)
    x = rng.uniform(0.0, 0.4, 3)
    v = rng.normal(size=3)
    t = small.inputs.tariff
    _, grad, _ = real_income_and_gradient(small, t, "USA", x, on="CHN")
    h = 1e-5
    fp = real_income_and_gradient(small, t, "USA", x + h * v, on="CHN")[0]
    fm = real_income_and_gradient(small, t, "USA", x - h * v, on="CHN")[0]
    assert grad @ v == pytest.approx((fp - fm) / (2 * h), rel=1e-6)


@pytest.mark.slow
def test_us_china_tariff_war_is_nash(small):
    war = tariff_war(small, ("USA", "CHN"), tol=1e-6)
    u, c = small.index("USA"), small.index("CHN")
    # each side's tariffs are a best response to the other's (to the war's tolerance)
    for p, o in (("USA", "CHN"), ("CHN", "USA")):
        br = best_response(small, war.tariff, p, on=o)
        np.testing.assert_allclose(br.tariff, war.tariff, atol=1e-5)
    assert (war.tariff[u, c, :3] > 0).all() and (war.tariff[c, u, :3] > 0).all()
    # a unilateral 5-point deviation by the US lowers its real income
    dev = war.tariff.copy()
    dev[u, c, :3] += 0.05
    assert real_income_pct(small, dev)["USA"] < war.real_income_pct["USA"]
