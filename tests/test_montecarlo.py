"""Monte Carlo over trade elasticities."""

from __future__ import annotations

import numpy as np
import pytest

import tradesim
from tradesim.errors import DataError
from tradesim.montecarlo import draw_elasticities, run_montecarlo
from tests.conftest import SCENARIOS


def test_published_draws_come_from_the_published_sets():
    icio = tradesim.load_baseline("icio2022")
    draws = draw_elasticities(icio, 50, seed=1)
    sets = icio.ds.trade_elasticity_sets.values
    assert draws.shape == (50, 28)
    for j in range(28):
        assert set(np.round(draws[:, j], 9)) <= set(np.round(sets[:, j], 9))
    np.testing.assert_array_equal(draws, draw_elasticities(icio, 50, seed=1))   # seeded


def test_no_published_sets_is_a_clear_error(cp2015):
    with pytest.raises(DataError, match="ships no published elasticity sets; use source='lognormal'"):
        draw_elasticities(cp2015, 3)


def test_zero_spread_reproduces_the_single_run(toy):
    scn = tradesim.parse_scenario('name = "t"\n[[measures]]\nkind = "tariff"\nimporter = "C0"\nadd = 0.3\n')
    samples, summary = run_montecarlo(scn, toy, draws=3, source="lognormal", cv=0.0)
    single = tradesim.run(scn, toy).welfare()
    np.testing.assert_allclose(summary["welfare_pct_mean"], single.loc[summary.index, "welfare_pct"], atol=1e-10)
    assert np.abs(summary["welfare_pct_sd"]).max() < 1e-10


def test_bands_on_the_2022_world():
    samples, summary = run_montecarlo(SCENARIOS / "china_seafood_ban.toml", draws=4, seed=2)
    assert samples["converged"].all() and samples["draw"].nunique() == 4
    jpn = summary.loc["JPN"]
    assert jpn["welfare_pct_p5"] <= jpn["welfare_pct_mean"] <= jpn["welfare_pct_p95"]
    assert jpn["welfare_pct_sd"] > 0           # elasticities matter
    assert jpn["welfare_pct_p95"] < 0          # the ban hurts Japan under every draw


@pytest.mark.slow
def test_dask_draws_equal_single_process(toy):
    """Monte Carlo chunks on a 2-worker LocalCluster give exactly the in-process tables."""
    import pandas as pd

    scn = tradesim.parse_scenario('name = "t"\n[[measures]]\nkind = "tariff"\nimporter = "C0"\nadd = 0.3\n')
    one = run_montecarlo(scn, toy, draws=6, source="lognormal", cv=0.2, seed=4, chunk_size=2)
    two = run_montecarlo(scn, toy, draws=6, source="lognormal", cv=0.2, seed=4, chunk_size=2, workers=2)
    for a, b in zip(one, two):
        pd.testing.assert_frame_equal(a, b, rtol=0, atol=0)
    assert one[0]["converged"].all() and one[0]["draw"].nunique() == 6
