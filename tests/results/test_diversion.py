"""Trade diversion: the sources of the importer's purchases add up (an identity), and
the chip-equipment example of issue 13 (China's C28 imports from Japan fall by about
USD 6 bn) comes out with the gap filled mostly by China's own production."""

from __future__ import annotations

import numpy as np
import pytest

import tradesim
from tests.conftest import SCENARIOS

SCENARIOS_WITH_MEASURES = ["japan_chip_equipment_controls", "china_seafood_ban", "us_reciprocal_2025_04",
                           "china_retaliates_2025_04"]


def purchases_after(result, importer: str, sectors: list[str]) -> float:
    """The importer's purchases at basic prices after the shock, straight from the equilibrium:
    sum over sources of pi'_{ni}^j X'_n^j / (1 + t'_{ni}^j) (CP 2015 eq. 8: expenditure split by trade shares)."""
    v = result.solution.equilibrium.values
    n = result.countries.index(importer)
    js = [result.sectors.index(s) for s in sectors]
    flows = v["trade_share"][n][:, js] * v["expenditure"][n][js][None, :] / (1 + v["tariff"][n][:, js])
    return float(flows.sum()) * result.usd_per_unit


@pytest.fixture(scope="module")
def solved():
    return {k: tradesim.run(SCENARIOS / f"{k}.toml") for k in SCENARIOS_WITH_MEASURES}


def test_sources_add_up_to_the_importers_change_in_purchases(solved, nafta):
    for name, result in [*solved.items(), ("cp2015_nafta", nafta)]:
        full = result.diversion(top=None)
        assert len(full), name
        f0 = result.flow_arrays["before"]
        short = result.diversion(top=3)
        for (measure, importer), g in full.groupby(["measure", "importer"]):
            sectors = g["sectors"].iloc[0].split(",")
            n, js = result.countries.index(importer), [result.sectors.index(s) for s in sectors]
            before = float(f0[n][:, js].sum()) * result.usd_per_unit
            after = purchases_after(result, importer, sectors)
            assert set(g["source"]) == set(result.countries)  # every source, once
            assert g["change_usd"].sum() == pytest.approx(after - before, rel=1e-9, abs=1e-9 * before)
            s = short[(short.measure == measure) & (short.importer == importer)]
            total = s[s.role == "total"]["change_usd"].iloc[0]
            assert s[s.role != "total"]["change_usd"].sum() == pytest.approx(total, rel=1e-9, abs=1e-9 * before)
            assert total == pytest.approx(after - before, rel=1e-9, abs=1e-9 * before)


def test_chip_controls_divert_chinas_machinery_purchases(solved):
    d = solved["japan_chip_equipment_controls"].diversion(top=5)
    assert set(d["sectors"]) == {"C28"} and set(d["importer"]) == {"CHN"}
    by = d.set_index("source")
    assert -7e9 < by.loc["JPN", "change_usd"] < -5e9     # issue 13: "about USD 6 bn"
    assert by.loc["JPN", "role"] == "targeted" and by.loc["CHN", "role"] == "own production"
    third = d[d.role == "third country"]
    # China's own production takes most of the gap; Germany is the largest foreign supplier to gain
    assert by.loc["CHN", "change_usd"] > third["change_usd"].sum() > 0
    named = third[~third["source"].str.contains("other")]
    assert named.sort_values("change_usd")["source"].iloc[-1] == "DEU"
