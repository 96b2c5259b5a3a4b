"""The global tariff war: the API and CLI on the tariff-war model, and the war with
input-output links in the engine on the 2022 world aggregated to 5 regions x 4 sectors
(:func:`tradesim.strategy.engine.small_world`), with its certificate: every first-order
condition below tolerance, the IFT gradient against central finite differences, and a
one-dimensional search confirming the best response of each sampled economy."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from tradesim.cli.main import app
from tradesim.errors import ScenarioError
from tradesim.strategy import engine_war as ew
from tradesim.strategy.engine import small_world
from tradesim.strategy.war import all_sets, global_war

runner = CliRunner()


def test_bad_model_and_closure():
    with pytest.raises(ScenarioError, match="model"):
        global_war("ossa")
    with pytest.raises(ScenarioError, match="closure"):
        global_war("cp2015", closure="balanced")


@pytest.mark.slow
def test_cli_json_records_tariffwar(tmp_path):
    res = runner.invoke(app, ["war", "--model", "tariffwar", "--elasticity-set", "U4", "--json"])
    assert res.exit_code == 0, res.output
    recs = json.loads(res.output)
    assert len(recs) == 81 and set(recs[0]) == {"country", "nash_tariff_pct", "welfare_pct"}
    by = {r["country"]: r for r in recs}
    # issue 17's table, U4: US Nash tariff 26.81%, US welfare -0.249%
    assert by["USA"]["nash_tariff_pct"] == pytest.approx(26.81, abs=0.005)
    assert by["USA"]["welfare_pct"] == pytest.approx(-0.249, abs=0.0005)
    text = runner.invoke(app, ["war", "-e", "U4", "--html", str(tmp_path / "war.html")], terminal_width=200).output
    assert "Japan" in text and "world trade" in text
    page = (tmp_path / "war.html").read_text()
    assert "Choropleth" in page or "choropleth" in page
    assert "Nash tariff and welfare" in page
    wars, summary = all_sets("tariffwar", sets=("U4",))
    assert list(summary.index) == ["U4", "min", "max"]
    assert summary.loc["U4", "usa_nash_tariff_pct"] == pytest.approx(26.81, abs=0.005)
    assert summary.loc["max", "jpn_welfare_pct"] == pytest.approx(wars["U4"].row("JPN")["welfare_pct"])


@pytest.fixture(scope="module")
def small_war():
    b = small_world("icio2022")
    inputs = ew.war_inputs(b, "IS", "zero_deficit")
    countries = [str(c) for c in b.ds.country.values]
    return ew.solve_nash(inputs, countries, np.full(len(countries), 0.25), tol=1e-8)


@pytest.mark.slow
def test_engine_war_certificate(small_war):
    war = small_war
    assert np.max(np.abs(war.foc)) <= 1e-8
    assert war.equilibrium.max_residual <= 1e-8
    cert = ew.certify(war, ("USA", "CHN", "JPN"), tol=1e-8, search_tol=1e-4)
    assert cert.holds, cert


@pytest.mark.slow
def test_engine_gradient_matches_finite_differences(small_war):
    """G (implicit differentiation through the solved equilibrium) against central differences
    of the solved objective, away from the Nash point (where G = 0 would test little)."""
    war = small_war
    n, h = war.countries.index("USA"), 1e-5
    base = war.rate + 0.05

    def objective(r):
        return ew.log_real_income(war.inputs, r, np.log(ew.equilibrium_at(war.inputs, r)["wage_hat"]))[n]

    up, down = base.copy(), base.copy()
    up[n] += h
    down[n] -= h
    g = ew.first_order_conditions(war.inputs, base, np.log(ew.equilibrium_at(war.inputs, base)["wage_hat"]))[n]
    assert g == pytest.approx((objective(up) - objective(down)) / (2 * h), rel=1e-6)


@pytest.mark.slow
def test_coalition_war_certificate():
    """The US and Japan against China on the aggregated world, EU27 and ROW passive."""
    from tradesim.strategy.war import coalition_war

    war = coalition_war(("USA", "JPN"), "CHN", baseline=small_world("icio2022"))
    assert war.max_foc <= 1e-8 and war.certificate.holds, war.certificate
    assert list(war.players["player"]) == ["USA on CHN", "JPN on CHN", "CHN on coalition"]
    assert (war.players["nash_tariff_pct"] > 0).all()
    with pytest.raises(ScenarioError, match="coalition"):
        coalition_war(("USA", "XXX"), "CHN", baseline=small_world("icio2022"))
