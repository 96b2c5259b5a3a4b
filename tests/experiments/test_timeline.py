"""The timeline: every regime date solved in one batch against the 2024 base, checked
against the single-scenario path (the written regime file, ``reference = status_quo_2018``)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import ROOT
from tradesim.errors import ScenarioError

STATUS_QUO = ROOT / "scenarios" / "status_quo_2018.toml"
DATES = ["2025-04-09", "2025-11-14"]


@pytest.fixture(scope="module")
def solved():
    from tradesim.scenario.spec import load_scenario
    from tradesim.experiments.timeline import solve_timeline

    return solve_timeline(DATES, base=load_scenario(STATUS_QUO))


def test_real_income_identity():
    """``100 (I'/I / P_hat - 1)``: no change is zero; doubling income at unchanged prices is +100%."""
    from tradesim.experiments.timeline import real_income_pct

    assert real_income_pct(5.0, 5.0, 1.0) == 0.0
    assert real_income_pct(2.0, 1.0, 1.0) == pytest.approx(100.0)
    assert real_income_pct(1.0, 1.0, 1.25) == pytest.approx(-20.0)


@pytest.mark.slow
def test_batch_dates_equal_the_single_scenario_path(solved, tmp_path):
    """Each date of the batch (solved on the 2022 world beside the base, read as the ratio of
    the two solutions) gives the numbers of its written scenario file solved on its own by
    tradesim.api.run against the rebased base world (real income, real wage, trade)."""
    from tradesim.api import run
    from tradesim.scenario.regime import regime_toml

    table, batch = solved
    assert batch.converged.all() and list(batch.names) == ["base"] + DATES
    for date in DATES:
        path = tmp_path / f"{date}.toml"
        path.write_text(regime_toml(date, str(STATUS_QUO)), encoding="utf-8")
        single = run(path, store=False)
        w = single.welfare()
        rows = table[table["date"] == date].set_index("country")
        np.testing.assert_allclose(rows["welfare_pct"], w.loc[rows.index, "real_income_pct"], atol=1e-7)
        np.testing.assert_allclose(rows["real_wage_pct"], w.loc[rows.index, "real_wage_pct"], atol=1e-7)
        trade = single.bilateral_trade()
        with_us = trade[(trade["importer"] == "USA") | (trade["exporter"] == "USA")].copy()
        with_us["country"] = np.where(with_us["importer"] == "USA", with_us["exporter"], with_us["importer"])
        sums = with_us.groupby("country")[["before", "after"]].sum()
        np.testing.assert_allclose(rows.loc[sums.index, "trade_us_pct"], 100 * (sums["after"] / sums["before"] - 1),
                                   atol=1e-7)
    # the 9 April 2025 regime costs the US and China more than the November one
    wide = table.pivot(index="date", columns="country", values="welfare_pct")
    assert wide.loc["2025-04-09", "USA"] < wide.loc["2025-11-14", "USA"] < 0
    assert wide.loc["2025-04-09", "CHN"] < wide.loc["2025-11-14", "CHN"] < 0


@pytest.mark.slow
def test_records_chart_and_ev_units(solved, tmp_path):
    from tradesim.experiments.timeline import plot_timeline, records

    table, _ = solved
    recs = records(table, ["JPN", "USA"])
    assert len(recs) == 4 and set(recs[0]) == {"date", "country", "welfare_pct", "ev_usd", "real_wage_pct"}
    # EV is in USD: the US loses tens of billions of dollars, not millions (baseline units: USD million)
    us = [r for r in recs if r["country"] == "USA" and r["date"] == "2025-04-09"][0]
    assert -1e12 < us["ev_usd"] < -1e9
    fig = plot_timeline(table, ["JPN", "USA"], tmp_path / "chart.html")
    assert (tmp_path / "chart.html").stat().st_size > 1000 and len(fig.data) == 8


def test_dates_outside_the_tracker_are_an_error():
    from tradesim.experiments.timeline import tracker_dates

    assert len(tracker_dates()) == 23 and tracker_dates("2025-04-05", "2025-04-09") == [
        "2025-04-05", "2025-04-08", "2025-04-09"]
    with pytest.raises(ScenarioError, match="no tracker date"):
        tracker_dates("2027-01-01", "2027-12-31")


@pytest.mark.slow
def test_the_html_report_shows_the_timeline(solved, tmp_path):
    """write_report(..., timeline=fig) adds the chart, its traces carrying the batch's numbers."""
    import base64
    import json
    import re

    from tradesim.api import run
    from tradesim.results.report import write_report
    from tradesim.experiments.timeline import plot_timeline

    table, _ = solved
    result = run(ROOT / "scenarios" / "china_seafood_ban.toml", store=False)
    page = write_report([result], tmp_path / "report.html", timeline=plot_timeline(table, ["JPN"])).read_text()
    assert "The US tariff regime, date by date" in page
    jpn = table[table["country"] == "JPN"]["welfare_pct"].to_numpy()

    def values(y):  # Plotly writes arrays as base64 binary ({"dtype", "bdata"}) or as lists
        if isinstance(y, dict):
            return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"])
        return np.asarray(y, dtype=float)

    # the first trace of the timeline figure is Japan's welfare, serialised by Plotly.
    traces = [json.loads(m) for m in re.findall(r'Plotly.newPlot\(\s*"[^"]+",\s*(\[.*?\]),\s*\{', page, re.S)]
    assert any(t and t[0].get("name") == "JPN" and len(t) == 4 and np.allclose(values(t[0]["y"]), jpn, atol=1e-9)
               for t in traces)
