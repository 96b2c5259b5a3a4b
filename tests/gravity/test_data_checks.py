"""Bad panels give DataError (never a crash in pyfixest's native code)."""

import numpy as np
import pandas as pd
import pytest

from tradesim.errors import DataError, ScenarioError
from tradesim.gravity import GravityData
from tradesim.gravity.estimate import estimate_ppml


def toy(n=4, seed=0, years=(2006,)):
    rng = np.random.default_rng(seed)
    c = [f"C{k}" for k in range(n)]
    rows = []
    for y in years:
        for e in c:
            for i in c:
                d = 0.0 if e == i else float(rng.uniform(1, 3))
                rows.append(dict(exporter=e, importer=i, year=y, trade=float(np.exp(5 - d) * rng.uniform(0.5, 1.5)),
                                 lndist=d, Y=100.0, E=100.0, international=float(e != i)))
    return pd.DataFrame(rows)


def test_good_toy_estimates():
    est = estimate_ppml(GravityData(toy(6)), "trade ~ lndist", ("exporter", "importer"))
    assert np.isfinite(est.coef["lndist"]) and est.nobs == 36


def test_missing_pair():
    f = toy().iloc[1:]
    with pytest.raises(DataError, match="not square.*C0->C0"):
        estimate_ppml(GravityData(f), "trade ~ lndist")


def test_negative_flow():
    f = toy()
    f.loc[3, "trade"] = -1.0
    with pytest.raises(DataError, match="negative flow.*C0->C3"):
        estimate_ppml(GravityData(f), "trade ~ lndist")


def test_missing_value():
    f = toy()
    f.loc[2, "lndist"] = np.nan
    with pytest.raises(DataError, match="'lndist' has 1 missing"):
        estimate_ppml(GravityData(f), "trade ~ lndist")


def test_country_without_trade():
    f = toy()
    f.loc[(f.exporter == "C2") | (f.importer == "C2"), "trade"] = 0.0
    with pytest.raises(DataError, match="C2 has no trade at all"):
        estimate_ppml(GravityData(f), "trade ~ lndist")


def test_all_singleton_fixed_effects():
    # Pair fixed effects in a single cross-section: every group has one observation.
    with pytest.raises(DataError, match="pair.*one observation"):
        estimate_ppml(GravityData(toy()), "trade ~ lndist", ("exporter", "pair"))


def test_pair_fe_in_panel_is_fine_until_collinear():
    f = toy(5, years=(2000, 2005))
    f["lndist"] = f.groupby(["exporter", "importer"])["lndist"].transform("first")
    f["pta"] = ((f.year == 2005) & (f.exporter != f.importer) & (f.exporter < "C2")).astype(float)
    est = estimate_ppml(GravityData(f), "trade ~ pta", ("exporter-year", "importer-year", "pair"))
    assert np.isfinite(est.coef["pta"])
    with pytest.raises(DataError, match="collinear"):
        estimate_ppml(GravityData(f), "trade ~ lndist", ("exporter-year", "importer-year", "pair"))


def test_duplicate_rows_and_missing_column():
    f = pd.concat([toy(), toy().iloc[:1]])
    with pytest.raises(DataError, match="repeat"):
        estimate_ppml(GravityData(f), "trade ~ lndist")
    with pytest.raises(DataError, match="lacks column.*tariff"):
        estimate_ppml(GravityData(toy()), "trade ~ tariff")


def test_bad_options():
    with pytest.raises(ScenarioError, match="unknown fixed effect"):
        estimate_ppml(GravityData(toy()), "trade ~ lndist", ("country",))
    with pytest.raises(ScenarioError, match="column names"):
        estimate_ppml(GravityData(toy()), "trade ~ log(lndist)")


def test_ge_baseline_rejects_bad_panel():
    from tradesim.model.gravity.ge import build_baseline

    with pytest.raises(DataError, match="not square"):
        build_baseline(GravityData(toy().iloc[:-1]), {"lndist": -1.0}, reference="C0")
    with pytest.raises(ScenarioError, match="reference importer"):
        build_baseline(GravityData(toy()), {"lndist": -1.0}, reference="DEU")
