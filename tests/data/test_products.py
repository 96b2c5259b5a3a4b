"""HS 2022 products -> ICIO sectors, public-record product shares, tariff equivalents."""

from __future__ import annotations

import numpy as np
import pytest

from tradesim.data import products
from tradesim.data.products import (ban_equivalent, hs_description, is_valid_hs, product_share, product_shares,
                                    sectors_for_hs, tariff_equivalent)
from tradesim.errors import ScenarioError

#: The 28 sectors of the icio2022 baseline (OECD ICIO 2023 edition, services aggregated).
ICIO_SECTORS = {"A01", "A02", "A03", "B05", "B06", "B07", "B08", "B09", "C10T12", "C13T15", "C16", "C17_18",
                "C19", "C20", "C21", "C22", "C23", "C24A", "C24B", "C25", "C26", "C27", "C28", "C29", "C301",
                "C302T309", "C31T33", "SERV"}


def test_chip_making_equipment_is_machinery_entirely():
    # HS 8486 is special-purpose machinery (ISIC Rev.4 2829); the concordance's links to
    # hand tools, electrical equipment and repair are fragments of ISIC Rev.3 classes.
    assert sectors_for_hs(["8486"]) == {"C28": 1.0}
    for sub in ("848610", "848620", "848630", "848640", "848690"):
        assert sectors_for_hs([sub]) == {"C28": 1.0}


def test_beef_is_food():
    # fresh, chilled and frozen beef are products of slaughtering (ISIC 1010)
    assert sectors_for_hs(["0201", "0202"]) == {"C10T12": 1.0}


def test_seafood_splits_between_fishing_and_food():
    # ISIC Rev.4: live, fresh and chilled fish are fishing (03); frozen, dried, salted,
    # smoked fish, fillets and prepared fish are processing (1020).
    assert sectors_for_hs(["0301"]) == {"A03": 1.0}
    assert sectors_for_hs(["0302"]) == pytest.approx({"A03": 44 / 45, "C10T12": 1 / 45})  # 0302.91 roes: 1512
    assert sectors_for_hs(["0303", "0304", "0305", "1604", "1605"]) == {"C10T12": 1.0}
    # HS 03: 157 of 225 subheadings in C10T12, 67 in A03, land snails (0307.60) in A01
    split = sectors_for_hs(["03"])
    assert split == pytest.approx({"C10T12": 157 / 225, "A03": 67 / 225, "A01": 1 / 225})
    assert list(split) == ["C10T12", "A03", "A01"]
    both = sectors_for_hs(["03", "1604", "1605"])
    assert both == pytest.approx({"C10T12": 187 / 255, "A03": 67 / 255, "A01": 1 / 255})
    # a code and its own chapter count each subheading once
    assert sectors_for_hs(["03", "0303"]) == split


@pytest.mark.parametrize("code", ["9999", "0399", "77", "999999"])
def test_unknown_code_is_named(code):
    with pytest.raises(ScenarioError, match=f"HS code '{code}' does not exist in HS 2022"):
        sectors_for_hs(["03", code])
    assert not is_valid_hs(code)


@pytest.mark.parametrize("code", ["3", "03x", "03038", ""])
def test_malformed_code_is_named(code):
    with pytest.raises(ScenarioError, match=f"HS code '{code}' is not a 2-, 4- or 6-digit HS code"):
        sectors_for_hs([code])


def test_codes_at_every_level_with_or_without_dots():
    for code in ("03", "0303", "030389", "0303.89", "0303 89", "03.03"):
        assert is_valid_hs(code), code
    assert hs_description("0303.89") == hs_description("030389")
    assert hs_description("8486").startswith("Machines and apparatus of a kind used")
    assert len(hs_description("8486")) <= 60
    assert hs_description("03").startswith("Fish and crustaceans")
    with pytest.raises(ScenarioError, match="'0399'"):
        hs_description("0399")


def test_every_subheading_maps_to_model_sectors_with_weights_summing_to_one():
    table = products._concordance()
    subheadings = [c for c in products._nomenclature() if len(c) == 6]
    assert sorted(table) == sorted(subheadings) and len(subheadings) == 5612
    for code, split in table.items():
        assert set(split) <= ICIO_SECTORS, code
        assert sum(split.values()) == pytest.approx(1.0), code
    assert set(sectors_for_hs([f"{c:02d}" for c in range(1, 98) if c != 77])) <= ICIO_SECTORS


@pytest.mark.parametrize("codes, sector", [
    (["8703"], "C29"), (["8542"], "C26"), (["3004"], "C21"), (["2709"], "B06"), (["7208"], "C24A"),
    (["7403"], "C24B"), (["8901"], "C301"), (["8802"], "C302T309"), (["2716"], "SERV"), (["7204"], "C24A"),
    (["940120"], "C29"), (["9022"], "C26"), (["2207"], "C20"), (["2208"], "C10T12"),
])
def test_known_products_land_in_their_sector(codes, sector):
    assert sectors_for_hs(codes) == {sector: 1.0}


def test_product_share_by_name_or_codes():
    share, source = product_share(["03", "1604", "1605"], "JPN", "CHN", "C10T12")
    assert share == 0.34 and "MAFF" in source
    assert product_share(["1605", "1604", "03"], "JPN", "CHN", "C10T12") == (share, source)
    assert product_share("Seafood", "JPN", "CHN", "C10T12") == (share, source)
    assert product_share(["03", "1604", "1605"], "JPN", "CHN", "A03")[0] == 1.0
    # China has banned Japanese beef since 2001: the product's part of the flow is zero
    assert product_share(["0201", "0202"], "JPN", "CHN", "C10T12")[0] == 0.0
    share, source = product_share(["84.86"], "JPN", "CHN", "C28")
    assert share == 0.22 and "820" in source


def test_missing_share_asks_the_scenario_for_it():
    with pytest.raises(ScenarioError, match=r"no public-record share of HS 8486 in the JPN->USA C28 flow: "
                                            r"state it in the scenario"):
        product_share(["8486"], "JPN", "USA", "C28")
    with pytest.raises(ScenarioError, match=r"no public-record share of HS 03 in the JPN->CHN C10T12 flow"):
        product_share(["03"], "JPN", "CHN", "C10T12")   # seafood is 03 + 1604 + 1605, not 03 alone
    with pytest.raises(ScenarioError, match=r"'0399' does not exist"):
        product_share(["0399"], "JPN", "CHN", "A03")


def test_shipped_shares_are_consistent_with_the_concordance():
    for row in product_shares():
        assert 0.0 <= row.share <= 1.0 and row.source and row.year == 2022
        assert row.sector in sectors_for_hs(list(row.hs_codes)), row
    # every sector a shipped product touches has its share for that flow
    for row in product_shares():
        for sector in sectors_for_hs(list(row.hs_codes)):
            product_share(list(row.hs_codes), row.exporter, row.importer, sector)


def test_ban_equivalent_limits():
    theta = 4.0
    assert ban_equivalent(0.0, theta) == 1.0                       # no product, no change
    assert ban_equivalent(1.0, theta) == np.inf                    # the whole flow
    assert ban_equivalent(0.3, theta) ** -theta == pytest.approx(0.7)  # the flow falls by the share
    np.testing.assert_allclose(ban_equivalent(np.array([0.0, 0.5]), np.array([2.0, 8.0])), [1.0, 0.5 ** -0.125])
    with pytest.raises(ScenarioError, match="not between 0 and 1"):
        ban_equivalent(1.2, theta)


def test_tariff_equivalent_limits_and_flow_identity():
    theta = 5.0
    assert tariff_equivalent(0.0, 0.25, theta) == 1.0               # no product, no change
    assert tariff_equivalent(1.0, 0.25, theta) == pytest.approx(1.25)  # the whole sector pays the duty
    assert tariff_equivalent(1.0, 0.25, theta, product_tariff=0.25) == pytest.approx(1.2)  # 25% -> 50%
    assert tariff_equivalent(0.4, 0.0, theta) == 1.0                 # no duty, no change
    kappa = tariff_equivalent(0.4, 0.25, theta)
    assert 1.0 < kappa < 1.25
    # the sector flow moves as the product's part of it does, at unchanged prices
    assert kappa ** -theta == pytest.approx(0.6 + 0.4 * 1.25 ** -theta)
    # a prohibitive duty is a ban
    assert tariff_equivalent(0.4, 1e9, theta) == pytest.approx(ban_equivalent(0.4, theta))
    assert tariff_equivalent(0.4, -0.1, theta) < 1.0                 # a cut lowers the sector tariff
    with pytest.raises(ScenarioError, match="-100%"):
        tariff_equivalent(0.4, -1.5, theta)


def test_tariff_equivalent_agrees_with_the_scenario_layer():
    from tradesim.scenario.measures import sector_cost_change

    share, theta = np.array([0.1, 0.5, 0.9]), np.array([3.0, 5.0, 9.0])
    np.testing.assert_allclose(tariff_equivalent(share, 0.3, theta), sector_cost_change(share, 1.3, theta))
