"""Measures the way the news says them, on small worlds where the answer is known."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import tradesim
from tradesim.data.baseline import Baseline
from tradesim.errors import ScenarioError
from tradesim.model.inputs import reconcile
from tradesim.scenario.apply import policy_from_scenario
from tradesim.scenario.measures import cut_cost_change, sector_cost_change
from tradesim.scenario.spec import load_scenario, parse_scenario
from tests.conftest import random_dataset


def scn(body: str) -> tradesim.Scenario:
    return parse_scenario('name = "t"\nclosure = "fixed_deficit"\n' + body)


def test_tariff_equivalent_limits():
    theta = 4.0
    assert sector_cost_change(0.0, 1.3, theta) == pytest.approx(1.0)           # no product, no change
    assert sector_cost_change(1.0, 1.3, theta) == pytest.approx(1.3)           # the whole sector
    mid = sector_cost_change(0.5, 1.3, theta)
    assert 1.0 < mid < 1.3
    # at unchanged prices the sector flow is (1-s) + s kappa_p^-theta of what it was
    assert mid ** -theta == pytest.approx(0.5 + 0.5 * 1.3 ** -theta)
    assert cut_cost_change(0.3, theta) ** -theta == pytest.approx(0.7)         # a 30% curb removes 30%
    assert cut_cost_change(1.0, theta) ** -theta == pytest.approx(1e-12)       # a ban keeps a 1e-12 sliver


def test_curb_removes_the_stated_share_at_unchanged_prices(toy):
    policy = policy_from_scenario(scn('[[measures]]\nkind = "curb"\nimporter = "C0"\nexporter = "C1"\n'
                                      'sector = "S1"\ncut = 0.25\n'), toy)
    theta = toy.ds.trade_elasticity.values[1]
    assert policy.iceberg_hat[0, 1, 1] ** -theta == pytest.approx(0.75)
    assert np.count_nonzero(policy.iceberg_hat != 1) == 1


def test_curb_in_general_equilibrium_cuts_the_flow(toy):
    res = tradesim.run(scn('[[measures]]\nkind = "curb"\nimporter = "C0"\nexporter = "C1"\nsector = "S1"\ncut = 0.25\n'),
                       toy)
    t = res.trade().set_index(["importer", "exporter", "sector"])
    # prices adjust a little, so the flow falls by about, not exactly, 25%
    assert -30 < t.loc[("C0", "C1", "S1"), "change_pct"] < -20
    assert t.loc[("C0", "C2", "S1"), "change_pct"] > 0          # diversion to other suppliers


def test_retaliation_mirrors_importer_and_exporter(toy):
    policy = policy_from_scenario(scn(
        '[[measures]]\nkind = "tariff"\nlabel = "US duties"\nimporter = "C0"\nexporter = "C1"\nsector = "S0"\nadd = 0.2\n'
        '[[measures]]\nkind = "retaliation"\nmirror = "US duties"\nadd = 0.1\n'), toy)
    t0 = toy.ds.tariff.values
    assert policy.tariff[0, 1, 0] == pytest.approx(t0[0, 1, 0] + 0.2)
    assert policy.tariff[1, 0, 0] == pytest.approx(t0[1, 0, 0] + 0.1)
    with pytest.raises(ScenarioError, match=r"'mirror' = 'nope' names no earlier measure label \(labels: US duties\)"):
        policy_from_scenario(scn('[[measures]]\nkind = "tariff"\nlabel = "US duties"\nimporter = "C0"\nadd = 0.2\n'
                                 '[[measures]]\nkind = "retaliation"\nmirror = "nope"\n'), toy)


def test_contradicting_measures_are_named(toy):
    with pytest.raises(ScenarioError, match=r"measure 2 'b' \(tariff\) contradicts measure 1 'a' \(tariff\)"):
        policy_from_scenario(scn(
            '[[measures]]\nkind = "tariff"\nlabel = "a"\nimporter = "C0"\nexporter = "C1"\nset = 0.1\n'
            '[[measures]]\nkind = "tariff"\nlabel = "b"\nimporter = "C0"\nexporter = "all"\nset = 0.3\n'), toy)


def test_share_and_cut_bounds(toy):
    with pytest.raises(ScenarioError, match=r"'cut' = 1.5 must be a share in \(0, 1\]"):
        policy_from_scenario(scn('[[measures]]\nkind = "curb"\nimporter = "C0"\ncut = 1.5\n'), toy)
    with pytest.raises(ScenarioError, match=r"name the exporter"):
        policy_from_scenario(scn('[[measures]]\nkind = "export_control"\nimporter = "C0"\n'), toy)


@pytest.fixture(scope="module")
def holey() -> Baseline:
    """A world where C0 buys nothing of sector S0 from C1 (a long-standing ban)."""
    ds = random_dataset(seed=5)
    ds["trade"][0, 1, 0] = 0.0
    ds["deficit"] = ds["trade"].sum(("exporter", "sector")).rename(importer="country") - \
        ds["trade"].sum(("importer", "sector")).rename(exporter="country")
    ds, _ = reconcile(ds)
    return Baseline(ds, "holey")


def test_zero_flow_cannot_be_opened(holey):
    with pytest.raises(ScenarioError, match=r"zero in the baseline; exact hat algebra scales flows and cannot open one"):
        policy_from_scenario(scn('[[measures]]\nkind = "tariff"\nimporter = "C0"\nexporter = "C1"\n'
                                 'sector = "S0"\nset = -0.5\nsubsidy = true\n'), holey)


def test_ban_on_a_zero_flow_says_it_has_no_effect(holey):
    res = tradesim.run(scn('[[measures]]\nkind = "import_ban"\nimporter = "C0"\nexporter = "C1"\nsector = "S0"\n'),
                       holey)
    assert any("has no effect" in n and "C0<-C1 S0" in n for n in res.notes)
    assert np.abs(res.welfare()["welfare_pct"]).max() < 1e-9


def test_lifting_a_ban_measured_against_the_ban_returns_to_the_baseline(toy, tmp_path):
    (tmp_path / "ban.toml").write_text('name = "ban"\n[[measures]]\nkind = "import_ban"\nimporter = "C0"\n'
                                       'exporter = "C1"\nsector = "S1"\n')
    (tmp_path / "lift.toml").write_text('name = "lift"\nreference = "ban"\n')
    lifted = tradesim.run(load_scenario(tmp_path / "lift.toml"), toy)
    np.testing.assert_allclose(lifted._arrays["flows1"], toy.ds.trade.values, rtol=1e-7)
    ban = tradesim.run(load_scenario(tmp_path / "ban.toml"), toy)
    assert ban.welfare().loc["C0", "welfare_pct"] < 0 < lifted.welfare().loc["C0", "welfare_pct"]


def test_include_and_cycles(tmp_path):
    (tmp_path / "a.toml").write_text('name = "a"\ninclude = ["b"]\n')
    (tmp_path / "b.toml").write_text('name = "b"\ninclude = ["a"]\n')
    with pytest.raises(ScenarioError, match="includes itself"):
        load_scenario(tmp_path / "a.toml")
    (tmp_path / "c.toml").write_text('name = "c"\n[[measures]]\nkind = "curb"\nlabel = "x"\ncut = 0.1\n')
    (tmp_path / "d.toml").write_text('name = "d"\ninclude = "c"\n[[measures]]\nkind = "curb"\nlabel = "y"\ncut = 0.1\n')
    d = load_scenario(tmp_path / "d.toml")
    assert [m.label for m in d.measures] == ["x", "y"] and [m.index for m in d.measures] == [0, 1]
