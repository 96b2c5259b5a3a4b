"""The scenario library of the Japan story, solved on the shipped 2022 world.

Each assertion carries the reason it must hold.
"""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

import tradesim
from tradesim.errors import ScenarioError
from tests.conftest import SCENARIOS

LIBRARY = tomllib.loads((SCENARIOS / "library.toml").read_text())["scenarios"]


@pytest.fixture(scope="module")
def icio():
    return tradesim.load_baseline("icio2022")


@pytest.fixture(scope="module")
def solved(icio):
    return {name: tradesim.run(SCENARIOS / f"{name}.toml") for name in LIBRARY}


def flow(result, importer, exporter, sector=None):
    """Flow before/after; ``sector=None`` means all goods (services are not tariffed)."""
    t = result.trade()
    t = t[(t.importer == importer) & (t.exporter == exporter)]
    t = t[t.sector != "SERV"] if sector is None else t[t.sector == sector]
    return t["before"].sum(), t["after"].sum()


def test_every_library_scenario_solves_and_cites_its_source(solved):
    for name, result in solved.items():
        assert result.solution.equilibrium.converged, name
        assert result.solution.equilibrium.max_residual < 1e-8, name
        assert result.scenario.source, f"{name} cites no public-record source"
        for m in result.scenario.measures:
            assert m.source, f"{name}: {m.where} has no source"


def test_status_quo_cuts_us_china_trade(solved):
    r = solved["status_quo_2018"]
    before, after = flow(r, "USA", "CHN")
    # a ~19% duty with trade elasticities of 4-10 removes a large part of US imports from China
    assert after < 0.8 * before
    before, after = flow(r, "CHN", "USA")
    assert after < 0.8 * before


def test_escalation_collapses_us_china_trade_and_hurts_both(solved):
    r = solved["escalation_2025_04"]
    before, after = flow(r, "USA", "CHN")
    # 145% on top of 19% is close to prohibitive; only the exempt sectors (energy, ores,
    # pharmaceuticals) keep trading
    assert after < 0.2 * before
    w = r.welfare()
    assert w.loc["CHN", "welfare_pct"] < 0
    assert w.loc["CHN", "welfare_first_order_pct"] < w.loc["JPN", "welfare_first_order_pct"]  # the target loses more than a bystander


def test_truce_is_milder_than_escalation_for_china(solved):
    assert solved["geneva_truce_2025_05"].welfare().loc["CHN", "welfare_first_order_pct"] > \
        solved["escalation_2025_04"].welfare().loc["CHN", "welfare_first_order_pct"]


def test_us_japan_deal_beats_reciprocal_tariffs_for_japan_exports(solved):
    _, after_deal = flow(solved["us_japan_deal_2025_07"], "USA", "JPN")
    _, after_recip = flow(solved["us_reciprocal_2025_04"], "USA", "JPN")
    assert after_deal < after_recip * 1.5  # both are below the status quo; the deal is 15% all-in vs 24% on top


def test_seafood_ban_hits_fishing_and_food(solved, icio):
    r = solved["china_seafood_ban"]
    # A03: all of Japan's fishing exports to China are aquatic products -> essentially zero
    before, after = flow(r, "CHN", "JPN", "A03")
    assert before > 0 and after < 1e-6 * before
    # C10T12: only the seafood share of food is banned; general-equilibrium price changes are small
    before, after = flow(r, "CHN", "JPN", "C10T12")
    share = 1 - after / before
    assert 0.02 < share < 0.9
    out = r.output().set_index(["country", "sector"])
    # Japan loses an export market for fish and food: its output there falls, slightly
    assert out.loc[("JPN", "A03"), "change_pct"] < 0
    assert out.loc[("JPN", "C10T12"), "change_pct"] < 0
    assert abs(out.loc[("JPN", "C10T12"), "change_pct"]) < 2
    # a small flow: Japan's welfare moves by hundredths of a percent at most
    assert -0.05 < r.welfare().loc["JPN", "welfare_first_order_pct"] < 0
    # China buys less from Japan in total
    before, after = flow(r, "CHN", "JPN")
    assert after < before


def test_lifting_the_seafood_ban_restores_the_flows(solved, icio):
    lifted = solved["china_seafood_ban_lifted"]
    np.testing.assert_allclose(lifted._arrays["flows1"], icio.ds.trade.values, rtol=1e-6,
                               atol=1e-9 * icio.ds.trade.values.max())
    assert lifted.welfare().loc["JPN", "welfare_pct"] > 0


def test_beef_ban_says_the_flow_is_already_zero(solved):
    r = solved["china_beef_ban"]
    assert any("no effect" in n for n in r.notes)
    assert np.abs(r.welfare()["welfare_first_order_pct"]).max() < 1e-9


def test_chip_equipment_controls_cut_japanese_machinery_exports_to_china(solved):
    r = solved["japan_chip_equipment_controls"]
    before, after = flow(r, "CHN", "JPN", "C28")
    assert after < before


def test_china_response_makes_alignment_costlier_for_japan(solved):
    aligned = solved["japan_aligns_with_us"].welfare().loc["JPN", "welfare_first_order_pct"]
    answered = solved["japan_aligns_china_responds"].welfare().loc["JPN", "welfare_first_order_pct"]
    assert answered < aligned


@pytest.mark.parametrize("body, message", [
    ('[[measures]]\nkind = "import_ban"\nimporter = "CHN"\nexporter = "JPN"\nhs = ["0399"]\n', r"measure 1 .*0399"),
    ('[[measures]]\nkind = "import_ban"\nimporter = "CHN"\nexporter = "JPN"\nhs = ["8486"]\nshare = 1.5\n',
     r"measure 1 \(import_ban\): 'share' = 1.5 is not a share between 0 and 1"),
    ('[[measures]]\nkind = "tariff"\nimporter = "USA"\nexporter = "ATLANTIS"\nadd = 0.1\n',
     r"measure 1 \(tariff\): unknown country 'ATLANTIS'"),
    ('[[measures]]\nkind = "tariff"\nlabel = "a"\nimporter = "USA"\nexporter = "JPN"\nset = 0.15\n'
     '[[measures]]\nkind = "tariff"\nlabel = "b"\nimporter = "USA"\nexporter = "JPN"\nset = 0.24\n',
     r"measure 2 'b' \(tariff\) contradicts measure 1 'a' \(tariff\)"),
])
def test_bad_scenarios_name_the_measure(icio, body, message):
    from tradesim.scenario.apply import policy_from_scenario

    with pytest.raises(ScenarioError, match=message):
        policy_from_scenario(tradesim.parse_scenario('name = "bad"\n' + body), icio)
