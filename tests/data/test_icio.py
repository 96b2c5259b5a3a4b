"""The shipped 2022 world: what it contains, how it was built, the tariff fixes."""

from __future__ import annotations

import time

import numpy as np
import pytest
import xarray as xr

import tradesim
from tradesim.data import registry
from tradesim.data.baseline import validate
from tradesim.data.sources import icio as src
from tradesim.data.sources.icio import US_FOOD_MFN, goods_trade_share, read_icio
from tradesim.errors import DataError
from tests.conftest import SHARED, needs_shared

MAT = SHARED / "icio_tariffwar"
WIOD = SHARED / "wiod2013"


@pytest.fixture(scope="module")
def icio():
    return tradesim.load_baseline("icio2022")


@pytest.fixture(scope="module")
def raw():
    if not SHARED.exists():
        pytest.skip("../shared/data is not beside the repo")
    return read_icio(MAT / "ICIO2022.mat", WIOD, 2022)


# --- what ships ----------------------------------------------------------------------------

def test_default_baseline_is_the_2022_world(icio):
    assert tradesim.data.DEFAULT_BASELINE == "icio2022"
    validate(icio.ds)
    for c in ("JPN", "CHN", "USA", "ROW"):
        assert c in icio.countries
    for s in ("A03", "C10T12", "C26", "C28", "C29"):
        assert s in icio.sectors
    assert len(icio.countries) == 81 and len(icio.sectors) == 28
    assert "CN1" not in icio.countries and "MX1" not in icio.countries   # merged by the compiler
    assert icio.ds.country_name.sel(country="JPN") == "Japan"
    assert icio.ds.sector_name.sel(sector="C10T12") == "Food, beverages and tobacco"
    assert icio.ds.attrs["version"] == "icio2022-1" and icio.ds.attrs["year"] == "2022"
    assert icio.ds.attrs["license"].startswith("OECD ICIO CC BY 4.0 (via ahmadlp/tariffwar)")
    for key in ("source", "build_script", "tariff_fix", "wiod_fallback", "reconciliation"):
        assert icio.ds.attrs[key], key


def test_loads_quickly():
    registry._load.cache_clear()
    start = time.perf_counter()
    tradesim.load_baseline("icio2022")
    assert time.perf_counter() - start < 2.0   # well under a second; loose for slow machines


def test_shares_and_final_demand(icio):
    ds = icio.ds
    cost = ds.value_added_share + ds.io_share.sum("input_sector")
    np.testing.assert_allclose(cost, 1.0, atol=1e-12)
    assert float(ds.value_added_share.min()) >= 0 and float(ds.io_share.min()) >= 0
    assert float(ds.final_demand_share.min()) >= 0            # no negative final demand
    np.testing.assert_allclose(ds.final_demand_share.sum("sector"), 1.0, atol=1e-12)


def test_flows_read_importer_by_exporter(icio):
    # h5py reads [sector, importer, exporter]: the US buys far more from China than it sells there
    t = icio.ds.trade.sum("sector")
    assert float(t.sel(importer="USA", exporter="CHN")) > 2 * float(t.sel(importer="CHN", exporter="USA"))


def test_deficits_are_the_data(icio):
    t = icio.ds.trade
    imports = t.sum(("exporter", "sector")).rename(importer="country")
    exports = t.sum(("importer", "sector")).rename(exporter="country")
    np.testing.assert_allclose(icio.ds.deficit, imports - exports, rtol=1e-9, atol=1e-6)  # USD 1
    assert float(icio.ds.deficit.sel(country="USA")) > 0 > float(icio.ds.deficit.sel(country="CHN"))


def test_elasticity_sets(icio):
    sets = [str(s) for s in icio.ds.elasticity_set.values]
    assert set(sets) == {"IS", "U4", "CP", "BSY", "GYY", "Shap", "FGO", "LL"}
    assert icio.ds.attrs["elasticity_set"] == "CP"
    np.testing.assert_array_equal(icio.ds.trade_elasticity, icio.ds.trade_elasticity_sets.sel(elasticity_set="CP"))
    assert float(icio.ds.trade_elasticity.sel(sector="A01")) == pytest.approx(9.11)   # CP's agriculture
    assert float(icio.ds.trade_elasticity_sets.min()) > 0
    assert float(icio.ds.trade_elasticity_sets.sel(sector="SERV").min()) > 0
    np.testing.assert_allclose(icio.with_elasticities("U4").ds.trade_elasticity, 4.0)
    for name in sets:
        assert f"{name}: " in icio.ds.attrs["elasticity_sources"]


# --- tariffs -------------------------------------------------------------------------------

def test_us_food_tariff_artefact_is_fixed(icio):
    t = icio.ds.tariff.sel(importer="USA", sector="C10T12")
    # the source reads 0.913 on MFN partners; US MFN food duties are a few percent
    for partner in ("JPN", "DEU", "CHN"):
        assert float(t.sel(exporter=partner)) == pytest.approx(US_FOOD_MFN)
        assert float(t.sel(exporter=partner)) < 0.2
    assert float(t.max()) <= US_FOOD_MFN
    assert float(t.sel(exporter="CAN")) == 0.0 and float(t.sel(exporter="MEX")) == 0.0   # USMCA untouched
    assert "0.913" in icio.ds.attrs["tariff_fix"]
    assert {"JPN", "DEU", "CHN", "BRA"} <= set(icio.ds.attrs["tariff_fix_partners"].split())


def test_other_tariffs_are_sane(icio):
    t = icio.ds.tariff
    n = len(icio.countries)
    assert float(abs(t.values[np.arange(n), np.arange(n), :]).max()) == 0.0     # nothing on domestic sales
    assert float(t.sel(sector="SERV").max()) == 0.0                             # services pay no duties
    assert float(t.max()) < 1.0
    # the high food rates that are kept are listed
    assert "SAU C10T12" in icio.ds.attrs["tariffs_above_50pct_kept"]


def test_cap_us_food_tariff_is_a_pure_rule():
    countries, sectors = ["JPN", "USA", "CAN"], ["A01", "C10T12"]
    tariff = np.zeros((3, 3, 2))
    tariff[1, :, 1] = [0.913, 0.0, 0.01]
    tariff[0, 1, 1] = 0.9                        # Japan's own rate is not the US's: untouched
    fixed, changed = src.cap_us_food_tariff(tariff, countries, sectors, cap=0.04)
    assert changed == ["JPN"]
    np.testing.assert_array_equal(fixed[1, :, 1], [0.04, 0.0, 0.01])
    assert fixed[0, 1, 1] == 0.9 and tariff[1, 0, 1] == 0.913        # input not modified


# --- coefficients --------------------------------------------------------------------------

def test_scale_inputs_to_absorption_keeps_final_demand_non_negative():
    io = np.array([[[0.3, 0.5], [0.2, 0.1]]])   # (country, input, sector)
    output = np.array([[10.0, 10.0]])
    absorption = np.array([[4.0, 5.0]])         # intermediate demand of input 0 is 8 > 4
    scaled, scale = src.scale_inputs_to_absorption(io, output, absorption)
    np.testing.assert_allclose(scale, [[0.5, 1.0]])
    np.testing.assert_allclose(np.einsum("nkj,nj->nk", scaled, output), [[4.0, 3.0]])
    np.testing.assert_allclose(scaled[0, 1], io[0, 1])


def test_split_to_sectors_by_absorption():
    # one economy; groups from the concordance: A01-A03 share c1's structure
    sectors = ["A01", "A02", "A03"]
    groups = src.icio_groups()
    g = groups.index(("A01", "A02", "A03"))
    shares = np.zeros((1, len(groups), len(groups)))
    shares[0, g, g] = 0.2
    io = src.split_to_sectors(shares, sectors, np.array([[6.0, 3.0, 1.0]]))
    np.testing.assert_allclose(io[0, :, 0], [0.12, 0.06, 0.02])          # split 60/30/10
    np.testing.assert_allclose(io[0].sum(axis=0), 0.2)                    # every user keeps c1's total


@needs_shared()
@pytest.mark.shared
def test_wiod_coefficients_and_fallback(raw):
    regions, shares, output = src.wiod_cost_shares(WIOD)
    assert "ROU" in regions and "ROM" not in regions                        # WIOD's code for Romania
    assert len(regions) == 41 and shares.shape == (41, 16, 16)   # c4 and c5 both map to C13T15
    assert 0.3 < float(shares[regions.index("JPN")].sum(axis=0).mean()) < 0.8
    fallback = raw.attrs["wiod_fallback"]
    assert fallback.startswith("40 economies use their own")
    assert "VNM" in fallback and "ROU" not in fallback.split("(")[1].split(")")[0].split()
    # an economy outside WIOD has the world structure before scaling; Romania its own
    world = src.world_cost_shares(shares, output)
    own, fb = src.economy_cost_shares(["VNM", "ROU"], regions, shares, output)
    np.testing.assert_allclose(own[0], world)
    assert not np.allclose(own[1], world) and fb == ["VNM"]


@needs_shared()
@pytest.mark.shared
def test_shipped_flows_are_the_data(raw, icio):
    # inputs are scaled to absorption instead of moving flows: reconciliation is a no-op
    np.testing.assert_allclose(icio.ds.trade, raw.trade, rtol=1e-9, atol=1e-9)
    assert "541 of 2268" in icio.ds.attrs["reconciliation"]


# --- numbers from the issue ----------------------------------------------------------------

def test_japan_china_food_and_fish_flows(icio):
    t = icio.ds.trade.sel(importer="CHN", exporter="JPN")
    # the issue: about USD 9 million in A03 and about USD 1.2 billion in C10T12 (2022, USD million);
    # the shipped flows are the file's
    assert float(t.sel(sector="A03")) == pytest.approx(9.2776, rel=1e-6)
    assert float(t.sel(sector="C10T12")) == pytest.approx(1186.2697, rel=1e-6)


def test_china_share_of_japan_goods_trade(icio):
    # customs statistics (Japan MOF) say about 20%; ICIO allocates Hong Kong re-exports to their
    # origin and destination and balances mirror flows, which puts China nearer 24%
    share = goods_trade_share(icio.ds, "JPN", "CHN")
    assert share == pytest.approx(0.2434, abs=5e-4)
    assert goods_trade_share(icio.ds, "JPN", "USA") < share
    assert goods_trade_share(icio.ds, "JPN", "HKG") < 0.005
    partners = [c for c in icio.countries if c != "JPN"]
    assert sum(goods_trade_share(icio.ds, "JPN", p) for p in partners) == pytest.approx(1.0)
    with pytest.raises(DataError, match="unknown country 'XXX'"):
        goods_trade_share(icio.ds, "JPN", "XXX")


# --- rebuilding ----------------------------------------------------------------------------

@needs_shared()
@pytest.mark.shared
def test_rebuild_reproduces_shipped_file(icio):
    import scripts.build_icio as build

    rebuilt = build.build(SHARED, 2022)
    xr.testing.assert_allclose(rebuilt.drop_attrs(), icio.ds.drop_attrs(), rtol=1e-9)
    assert rebuilt.attrs == icio.ds.attrs


@needs_shared()
@pytest.mark.shared
@pytest.mark.parametrize("year", [2011, 2015, 2018])
def test_earlier_years_read_the_same_way(year):
    raw = read_icio(MAT / f"ICIO{year}.mat", WIOD, year)
    assert raw.attrs["year"] == str(year) and raw.trade.shape == (81, 81, 28)
    assert float(raw.tariff.sel(importer="USA", exporter="JPN", sector="C10T12")) == pytest.approx(US_FOOD_MFN)
    assert float(raw.final_demand_share.min()) >= 0
    validate(raw, check_clearing=False)
    # an equilibrium up to round-off before reconciliation
    from tradesim.data.baseline import market_clearing_residual
    assert float(abs(market_clearing_residual(raw)).max()) < 1e-9


@needs_shared()
@pytest.mark.shared
def test_reader_errors():
    with pytest.raises(DataError, match="holds year 2022, expected 2015"):
        read_icio(MAT / "ICIO2022.mat", WIOD, 2015)
    with pytest.raises(DataError, match="unknown elasticity set 'XX'"):
        read_icio(MAT / "ICIO2022.mat", WIOD, elasticity_set="XX")
    with pytest.raises(DataError, match="ICIO file not found"):
        read_icio(MAT / "ICIO1999.mat", WIOD)
