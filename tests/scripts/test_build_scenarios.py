"""The generated US reciprocal-tariff scenario is what its script makes from Annex I."""

from __future__ import annotations

import pytest

from tests.conftest import SCENARIOS, SHARED, needs_shared

pytestmark = [needs_shared(), pytest.mark.shared]


def test_generated_scenario_is_up_to_date(tmp_path):
    import scripts.build_scenarios as build

    out = tmp_path / "us_reciprocal_2025_04.toml"
    build.main(["--shared", str(SHARED), "--out", str(out)])
    assert out.read_text() == (SCENARIOS / "us_reciprocal_2025_04.toml").read_text()


def test_annex_i_rates_reach_the_right_partners():
    import tradesim
    from tradesim.scenario.apply import policy_from_scenario

    icio = tradesim.load_baseline("icio2022")
    scn = tradesim.load_scenario(SCENARIOS / "us_reciprocal_2025_04.toml")
    policy = policy_from_scenario(scn, icio)
    base = policy_from_scenario(tradesim.load_scenario(SCENARIOS / "status_quo_2018.toml"), icio)
    c, s = icio.countries, icio.sectors
    added = policy.tariff - base.tariff
    usa, food, pharma = c.index("USA"), s.index("C10T12"), s.index("C21")
    assert added[usa, c.index("JPN"), food] == pytest.approx(0.24)       # Annex I: Japan 24%
    assert added[usa, c.index("DEU"), food] == pytest.approx(0.20)       # EU 20%
    assert added[usa, c.index("CHN"), food] == pytest.approx(0.54)       # 34% + 20% fentanyl
    assert added[usa, c.index("GBR"), food] == pytest.approx(0.10)       # baseline 10%
    assert added[usa, c.index("JPN"), pharma] == 0.0                     # Annex II sector
    assert added[usa, c.index("RUS"), food] == 0.0                       # excluded from the order
