"""Monte Carlo over trade elasticities."""

from __future__ import annotations

import numpy as np
import pytest

import tradesim
from tradesim.errors import DataError
from tradesim.experiments.montecarlo import draw_elasticities, run_montecarlo
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


def test_a_users_distribution_table_is_drawn_from_and_checked(tmp_path):
    import pandas as pd

    icio = tradesim.load_baseline("icio2022")
    theta = icio.ds.trade_elasticity.values
    sectors = list(map(str, icio.ds.sector.values))
    table = pd.DataFrame({"sector": ["A01", "C26"], "mean": [5.0, 8.0], "sd": [1.0, 2.0],
                          "distribution": ["normal", "lognormal"]})
    path = tmp_path / "theta.csv"
    table.to_csv(path, index=False)
    draws = draw_elasticities(icio, 20_000, source="table", distribution=path, seed=3)
    a, c = sectors.index("A01"), sectors.index("C26")
    # moments within a few standard errors of the requested ones (se of the mean ~ sd / sqrt(20000))
    assert abs(draws[:, a].mean() - 5.0) < 0.03 and abs(draws[:, a].std() - 1.0) < 0.03
    assert abs(draws[:, c].mean() - 8.0) < 0.06 and abs(draws[:, c].std() - 2.0) < 0.08
    assert (draws > 0).all()
    others = [j for j in range(len(sectors)) if j not in (a, c)]
    np.testing.assert_array_equal(draws[:, others], np.broadcast_to(theta[others], (20_000, len(others))))
    np.testing.assert_array_equal(draws, draw_elasticities(icio, 20_000, source="table", distribution=table, seed=3))
    # a normal with most mass below zero is truncated by redrawing, never clipped
    wide = draw_elasticities(icio, 500, source="table", seed=1,
                             distribution=pd.DataFrame({"sector": ["C26"], "mean": [1.0], "sd": [3.0]}))
    assert (wide[:, c] > 0).all() and len(set(wide[:, c])) == 500


@pytest.mark.parametrize("rows, message", [
    ({"sector": ["XX"], "mean": [5.0], "sd": [1.0]}, r"row 1 \(sector 'XX'\): unknown sector"),
    ({"sector": ["C26"], "mean": [5.0], "sd": [-1.0]}, "sd must be a non-negative number"),
    ({"sector": ["C26"], "mean": [0.0], "sd": [1.0]}, "mean must be a positive number"),
    ({"sector": ["C26"], "mean": [5.0], "sd": [1.0], "distribution": ["gamma"]}, "'gamma' is not one of normal"),
    ({"sector": ["C26"], "mean": [5.0]}, r"missing column\(s\) sd"),
    ({"sector": ["C26", "C26"], "mean": [5.0, 6.0], "sd": [1.0, 1.0]}, "listed twice: C26"),
])
def test_bad_distribution_tables_are_named(rows, message):
    import pandas as pd

    with pytest.raises(DataError, match=message):
        draw_elasticities(tradesim.load_baseline("icio2022"), 3, source="table", distribution=pd.DataFrame(rows))


def test_zero_spread_table_reproduces_the_single_run(toy):
    import pandas as pd

    scn = tradesim.parse_scenario('name = "t"\n[[measures]]\nkind = "tariff"\nimporter = "C0"\nadd = 0.3\n')
    theta = toy.ds.trade_elasticity.values
    table = pd.DataFrame({"sector": list(map(str, toy.ds.sector.values)), "mean": theta, "sd": 0.0})
    _, summary = run_montecarlo(scn, toy, draws=2, source="table", distribution=table)
    single = tradesim.run(scn, toy).welfare()
    np.testing.assert_allclose(summary["welfare_pct_mean"], single.loc[summary.index, "welfare_pct"], atol=1e-10)


def test_zero_spread_against_a_reference_reproduces_the_single_run(toy, tmp_path):
    """A scenario measured against a reference (``reference = "..."``): every draw's reference
    world is solved as a batch too, and with no spread the draws give the single run's numbers."""
    (tmp_path / "ban.toml").write_text('name = "ban"\nclosure = "zero_deficit"\n[[measures]]\nkind = "tariff"\n'
                                       'importer = "C0"\nadd = 0.3\n', encoding="utf-8")
    (tmp_path / "lifted.toml").write_text('name = "lifted"\nclosure = "zero_deficit"\nreference = "ban"\n',
                                          encoding="utf-8")
    scn = tradesim.load_scenario(tmp_path / "lifted.toml")
    samples, summary = run_montecarlo(scn, toy, draws=3, source="lognormal", cv=0.0)
    single = tradesim.run(scn, toy, store=False).welfare()
    assert samples["converged"].all()
    np.testing.assert_allclose(summary["welfare_pct_mean"], single.loc[summary.index, "welfare_pct"], atol=1e-10)
    assert np.abs(summary["welfare_pct_sd"]).max() < 1e-10
    assert single["welfare_pct"].abs().max() > 0.1    # lifting the tariff matters, so the check can fail
