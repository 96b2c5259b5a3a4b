"""Aggregation keeps an equilibrium an equilibrium."""

from __future__ import annotations

import numpy as np
import pytest

import tradesim
from tradesim.data import baseline as bl
from tradesim.data.aggregate import aggregate, read_mapping
from tradesim.data.baseline import Baseline, validate
from tradesim.data.registry import BUILTIN
from tradesim.errors import DataError
from tradesim.model.inputs import reconcile


@pytest.fixture(scope="module")
def icio():
    return tradesim.load_baseline("icio2022")


@pytest.fixture(scope="module")
def eu27():
    return read_mapping(BUILTIN / "eu27.csv")


@pytest.fixture(scope="module")
def merged(icio, eu27):
    return aggregate(icio.ds, eu27)


def test_eu27_mapping_file(icio, eu27):
    assert len(eu27) == 27 and set(eu27.values()) == {"EU27"}
    assert set(eu27) <= set(icio.countries)


def test_eu27_as_one_keeps_world_trade_and_is_an_equilibrium(icio, eu27, merged):
    Baseline(merged, "eu")  # validates: shares sum to one, markets clear, deficits add up
    assert len(merged.country) == 81 - 26 and "EU27" in merged.country and "DEU" not in merged.country
    assert float(merged.trade.sum()) == pytest.approx(float(icio.ds.trade.sum()), rel=1e-12)
    # the EU's deficit is its members' deficits summed (intra-EU trade cancels)
    members_deficit = float(icio.ds.deficit.sel(country=list(eu27)).sum())
    assert float(merged.deficit.sel(country="EU27")) == pytest.approx(members_deficit)
    assert float(merged.tariff.sel(importer="EU27", exporter="EU27").max()) == 0.0
    assert merged.country_name.sel(country="EU27") == "EU27" and merged.country_name.sel(country="JPN") == "Japan"


def test_eu27_flows_and_tariff_revenue_add_up(icio, eu27, merged):
    members = list(eu27)
    jpn_to_eu = icio.ds.trade.sel(importer=members, exporter="JPN").sum("importer")
    np.testing.assert_allclose(merged.trade.sel(importer="EU27", exporter="JPN"), jpn_to_eu, rtol=1e-12)
    # revenue the EU collects on Japanese goods is unchanged (flow-weighted tariffs)
    revenue = (icio.ds.tariff * icio.ds.trade).sel(importer=members, exporter="JPN").sum()
    merged_revenue = (merged.tariff * merged.trade).sel(importer="EU27", exporter="JPN").sum()
    assert float(merged_revenue) == pytest.approx(float(revenue), rel=1e-12)
    # untouched economies keep their data
    np.testing.assert_allclose(merged.tariff.sel(importer="USA", exporter="JPN"),
                               icio.ds.tariff.sel(importer="USA", exporter="JPN"), rtol=1e-12)
    np.testing.assert_allclose(merged.io_share.sel(country="JPN"), icio.ds.io_share.sel(country="JPN"), rtol=1e-12)


def test_aggregate_is_an_equilibrium_of_the_model(merged):
    # solving the model with no policy change leaves the aggregated flows where they are
    again, solution = reconcile(merged)
    assert solution.iterations <= 2
    np.testing.assert_allclose(again.trade, merged.trade, rtol=1e-8, atol=1e-8 * float(merged.trade.max()))


def test_empty_mapping_is_the_identity(icio):
    same = aggregate(icio.ds)
    for name in ("trade", "tariff", "value_added_share", "io_share", "final_demand_share",
                 "trade_elasticity", "trade_elasticity_sets", "deficit"):
        np.testing.assert_allclose(same[name], icio.ds[name], rtol=1e-9, atol=1e-12, err_msg=name)


def test_sector_aggregation_and_a_solve(icio):
    goods = {s: "GOODS" for s in icio.sectors if s != "SERV"}
    ds = aggregate(icio.ds, sectors=goods)
    small = Baseline(ds, "two-sector")
    assert small.sectors == ["GOODS", "SERV"]
    theta = icio.ds.trade_elasticity.sel(sector=list(goods))
    assert float(theta.min()) < float(ds.trade_elasticity.sel(sector="GOODS")) < float(theta.max())
    np.testing.assert_allclose(ds.trade_elasticity_sets.sel(elasticity_set="U4"), 4.0)
    assert list(ds.tradable.values) == [True, False]
    res = tradesim.run('name = "x"\n[[measures]]\nkind = "tariff"\nimporter = "USA"\nexporter = "CHN"\nadd = 0.2\n',
                       small)
    assert res.welfare().loc["CHN", "welfare_pct"] < 0


def test_countries_and_sectors_together(icio, eu27):
    mining = {s: "B" for s in ("B05", "B06", "B07", "B08", "B09")}
    ds = aggregate(icio.ds, eu27, mining)
    validate(ds)
    assert ds.sizes["sector"] == 24 and ds.sizes["country"] == 55
    assert "EU27 = AUT+BEL" in ds.attrs["aggregated"] and "B = B05+B06" in ds.attrs["aggregated"]


def test_merging_countries_that_tax_each_other(toy):
    # toy countries charge each other tariffs: merged, that trade becomes untaxed domestic sales
    ds = aggregate(toy.ds, {"C0": "G", "C1": "G"})
    validate(ds)
    assert float(ds.tariff.sel(importer="G", exporter="G").max()) == 0.0
    lost = float((toy.ds.tariff * toy.ds.trade).sel(importer=["C0", "C1"], exporter=["C0", "C1"]).sum())
    assert float(bl.tariff_revenue(ds).sel(country="G")) == pytest.approx(
        float(bl.tariff_revenue(toy.ds).sel(country=["C0", "C1"]).sum()) - lost)


def test_tariff_schedules_aggregate_too(toy):
    ds = toy.ds.assign(tariff_alt=toy.ds.tariff * 2)
    merged = aggregate(ds, {"C0": "G", "C1": "G"})
    np.testing.assert_allclose(merged.tariff_alt.sel(importer="C2"), 2 * merged.tariff.sel(importer="C2"))


def test_read_mapping(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("label,group\n# a comment\nDEU, EU\n\nFRA,EU\n")
    assert read_mapping(good) == {"DEU": "EU", "FRA": "EU"}


def test_bad_mappings(tmp_path, icio):
    bad = tmp_path / "bad.csv"
    bad.write_text("label,group\nDEU\n")
    with pytest.raises(DataError, match="line 2: expected 'label,group'"):
        read_mapping(bad)
    bad.write_text("DEU,EU\nDEU,EA\n")
    with pytest.raises(DataError, match="'DEU' is mapped to both 'EU' and 'EA'"):
        read_mapping(bad)
    with pytest.raises(DataError, match="country labels not in the baseline: XXX"):
        aggregate(icio.ds, {"XXX": "G"})
    with pytest.raises(DataError, match="sector labels not in the baseline: S9"):
        aggregate(icio.ds, sectors={"S9": "G"})
    with pytest.raises(DataError, match="mapping file not found"):
        read_mapping(tmp_path / "nope.csv")


def test_a_raw_world_with_negative_final_demand_is_refused(toy):
    ds = toy.ds.copy()
    ds["io_share"] = ds.io_share * 0 + 0.3            # intermediate demand far above absorption
    ds["value_added_share"] = 1 - ds.io_share.sum("input_sector")
    with pytest.raises(DataError, match="negative final demand"):
        aggregate(ds, {"C0": "G", "C1": "G"})
