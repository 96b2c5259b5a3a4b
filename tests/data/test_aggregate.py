"""Aggregation keeps an equilibrium an equilibrium."""

from __future__ import annotations

import pytest

import tradesim
from tradesim.data.aggregate import aggregate, read_mapping
from tradesim.data.baseline import Baseline
from tradesim.data.registry import BUILTIN
from tradesim.errors import DataError


@pytest.fixture(scope="module")
def icio():
    return tradesim.load_baseline("icio2022")


def test_eu27_as_one(icio):
    mapping = read_mapping(BUILTIN / "eu27.csv")
    assert len(mapping) == 27 and set(mapping.values()) == {"EU27"}
    ds = aggregate(icio.ds, mapping)
    merged = Baseline(ds, "eu")  # validates: shares sum to one, markets clear, deficits add up
    assert len(merged.countries) == 81 - 26 and "EU27" in merged.countries and "DEU" not in merged.countries
    assert float(ds.trade.sum()) == pytest.approx(float(icio.ds.trade.sum()), rel=1e-12)
    # the EU's deficit is its members' deficits summed (intra-EU trade cancels)
    members = list(mapping)
    assert float(ds.deficit.sel(country="EU27")) == pytest.approx(float(icio.ds.deficit.sel(country=members).sum()))
    assert float(ds.tariff.sel(importer="EU27", exporter="EU27").max()) == 0.0


def test_sector_aggregation_and_a_solve(icio):
    goods = {s: "GOODS" for s in icio.sectors if s != "SERV"}
    ds = aggregate(icio.ds, sectors=goods)
    small = Baseline(ds, "two-sector")
    assert small.sectors == ["GOODS", "SERV"]
    res = tradesim.run('name = "x"\n[[measures]]\nkind = "tariff"\nimporter = "USA"\nexporter = "CHN"\nadd = 0.2\n',
                       small)
    assert res.welfare().loc["CHN", "real_income_pct"] < 0


def test_bad_mappings(tmp_path, icio):
    bad = tmp_path / "bad.csv"
    bad.write_text("label,group\nDEU\n")
    with pytest.raises(DataError, match="line 2: expected 'label,group'"):
        read_mapping(bad)
    with pytest.raises(DataError, match="labels not in the baseline: XXX"):
        aggregate(icio.ds, {"XXX": "G"})
    with pytest.raises(DataError, match="mapping file not found"):
        read_mapping(tmp_path / "nope.csv")
