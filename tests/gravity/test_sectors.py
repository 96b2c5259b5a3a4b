"""Per-sector gravity and coefficient draws on Dask, against the one-sector model itself."""

import numpy as np
import pandas as pd
import pytest

from tests.gravity import GEGRAVITY_COEFS, can_jpn, gegravity_baseline, sample_data

pytestmark = [pytest.mark.shared]


def two_sector_panel(scale_b=0.5):
    """The sample data twice: sector 'a' as is, sector 'b' with every value halved
    (flows, output, expenditure: the same shares, so the same equilibrium in percent)."""
    from tradesim.gravity import GravityData

    d = sample_data()
    a = d.frame.assign(sector="a")
    b = d.frame.assign(sector="b")
    for col in (d.trade, d.output, d.expenditure):
        b[col] = b[col] * scale_b
    return GravityData(pd.concat([a, b], ignore_index=True), d.exporter, d.importer, d.year, d.trade,
                       d.output, d.expenditure)


@pytest.fixture(scope="module")
def bases():
    from tradesim.gravity.sectors import build_sector_baselines, split_sectors

    return build_sector_baselines(split_sectors(two_sector_panel()), GEGRAVITY_COEFS, sigma=5, reference="DEU")


def test_each_sector_is_the_one_sector_model(bases):
    """Scale-invariant one-sector model: both sectors give the one-sector answer in percent."""
    from tradesim.model.gravity.ge import simulate
    from tradesim.gravity.sectors import simulate_sectors

    one = simulate(gegravity_baseline(), can_jpn()).table()
    res = simulate_sectors(bases, can_jpn())
    table = res.table()
    for s in ("a", "b"):
        pd.testing.assert_frame_equal(table.loc[s], one, rtol=1e-9, atol=1e-11)
    # totals of flows of two same-shaped sectors move as each does
    np.testing.assert_allclose(res.totals()["exports_pct"], one["exports_pct"], rtol=1e-9, atol=1e-11)


def test_sector_left_out_does_not_move(bases):
    from tradesim.gravity.sectors import simulate_sectors

    res = simulate_sectors(bases, {"a": can_jpn()})
    t = res.table()
    assert np.abs(t.loc["b"].to_numpy()).max() < 1e-9      # zero shock = zero change
    assert t.loc[("a", "CAN"), "gdp_pct"] > 0.3
    # the total moves by sector a's change in flows weighted by its share of the flows (2/3)
    ex = res.results["a"].values
    off = ~np.eye(len(ex["trade0"]), dtype=bool)
    a0, a1 = (ex["trade0"] * off).sum(0), (ex["trade1"] * off).sum(0)
    np.testing.assert_allclose(res.totals()["exports_pct"], 100 * (a1 - a0) / (1.5 * a0), rtol=1e-9, atol=1e-12)


def test_sector_errors(bases):
    from tradesim.errors import DataError, ScenarioError
    from tradesim.gravity.sectors import build_sector_baselines, simulate_sectors, split_sectors

    with pytest.raises(ScenarioError, match="unknown sector"):
        simulate_sectors(bases, {"c": can_jpn()})
    with pytest.raises(DataError, match="sector column"):
        split_sectors(sample_data())
    with pytest.raises(ScenarioError, match="sigma missing for sector"):
        build_sector_baselines(split_sectors(two_sector_panel()), GEGRAVITY_COEFS, sigma={"a": 5})


@pytest.mark.slow
def test_draws_on_dask_equal_single_process():
    """Coefficient draws on a 2-worker LocalCluster give exactly the in-process table."""
    from tradesim.gravity.estimate import estimate_ppml
    from tests.gravity import FORMULA
    from tradesim.gravity.uncertainty import simulate_draws

    est = estimate_ppml(sample_data(), FORMULA, ("exporter", "importer"))
    base = gegravity_baseline()
    one = simulate_draws(base, est, can_jpn(), draws=6, seed=1, chunk_size=2)
    two = simulate_draws(base, est, can_jpn(), draws=6, seed=1, chunk_size=2, workers=2)
    pd.testing.assert_frame_equal(one, two, rtol=0, atol=0)
    assert one["converged"].all() and one["draw"].nunique() == 6
