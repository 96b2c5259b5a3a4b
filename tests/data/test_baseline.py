"""Validation of baselines: every malformed field is named, with its labels."""

from __future__ import annotations

import numpy as np
import pytest

from tradesim.data.baseline import Baseline, validate
from tradesim.errors import DataError


def test_shipped_cp2015_is_consistent(cp2015):
    validate(cp2015.ds)
    assert cp2015.countries[:3] == ["ARG", "AUS", "AUT"] and len(cp2015.countries) == 31
    assert len(cp2015.sectors) == 40
    for key in ("source", "year", "license", "version"):
        assert cp2015.ds.attrs[key]


def test_negative_flow_is_named(toy):
    ds = toy.ds.copy(deep=True)
    ds["trade"][1, 2, 0] = -5.0
    with pytest.raises(DataError, match=r"'trade' has negative flows at \(importer=C1, exporter=C2, sector=S0\)"):
        Baseline(ds)


def test_missing_flow_is_named(toy):
    ds = toy.ds.copy(deep=True)
    ds["trade"][0, 3, 2] = np.nan
    with pytest.raises(DataError, match=r"'trade' has missing.*importer=C0, exporter=C3, sector=S2"):
        Baseline(ds)


def test_shares_must_sum_to_one(toy):
    ds = toy.ds.copy(deep=True)
    ds["value_added_share"][2, 1] += 0.05
    with pytest.raises(DataError, match=r"do not sum to one.*country=C2, sector=S1"):
        Baseline(ds)
    ds = toy.ds.copy(deep=True)
    ds["final_demand_share"][3, 0] += 0.1
    with pytest.raises(DataError, match=r"'final_demand_share' does not sum to one at \(country=C3\)"):
        Baseline(ds)


def test_mismatched_labels(toy):
    ds = toy.ds.assign_coords(exporter=["C0", "C1", "C2", "XX"])
    with pytest.raises(DataError, match=r"labels of 'exporter' do not match 'country': C3, XX"):
        Baseline(ds)


def test_inconsistent_market_clearing(toy):
    ds = toy.ds.copy(deep=True)
    ds["trade"][1, 1, 1] *= 1.5  # domestic sales up, nothing else moves: deficit and clearing break
    with pytest.raises(DataError, match=r"'deficit' is not imports minus exports|goods-market clearing"):
        Baseline(ds)
    ds = toy.ds.copy(deep=True)
    ds["final_demand_share"][0] = ds["final_demand_share"][0].values[::-1]
    with pytest.raises(DataError, match=r"goods-market clearing .* fails at \(country=C0"):
        Baseline(ds)


def test_missing_field(toy):
    with pytest.raises(DataError, match="'io_share' is missing"):
        Baseline(toy.ds.drop_vars("io_share"))


def test_elasticity_sets_unknown(cp2015):
    with pytest.raises(DataError, match="ships no alternative elasticity sets"):
        cp2015.with_elasticities("CP")
