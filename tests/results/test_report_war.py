"""The global tariff war in the HTML report (write_report(war=...)) and its figures
(tradesim.results.war_figures): the map, the chart and the summary carry the war's numbers."""

from __future__ import annotations

import json
import re

import pytest

from tradesim.results.units import fmt_usd


@pytest.fixture(scope="module")
def war():
    from tradesim.strategy.war import global_war

    return global_war("tariffwar", "U4")  # the set tests/strategy/test_war.py checks against issue 17's table


def test_war_figures_carry_the_wars_numbers(war):
    from tradesim.results.war_figures import war_chart, war_map, war_summary

    t = war.table.set_index("country")
    m = war_map(war).data[0]
    assert "ROW" not in m.locations and len(m.locations) == len(t) - 1
    assert list(m.z) == [t.loc[c, "welfare_pct"] for c in m.locations]
    j = list(m.locations).index("JPN")
    assert f"EV {fmt_usd(t.loc['JPN', 'ev_usd_million'] * 1e6)}" in m.text[j]  # USD million -> USD
    economies, star = war_chart(war).data
    assert star.name == "JPN" and (star.x[0], star.y[0]) == (t.loc["JPN", "nash_tariff_pct"], t.loc["JPN", "welfare_pct"])
    assert list(economies.x) == list(war.table["nash_tariff_pct"])
    text = war_summary(war)
    assert f"Mean Nash tariff {t['nash_tariff_pct'].mean():.2f}%" in text
    assert "Mean Nash tariff 25.80%" in text  # issue 17's table, U4 (the authors' code)
    assert f"JPN: Nash tariff {t.loc['JPN', 'nash_tariff_pct']:.2f}%" in text


def test_report_draws_the_war_section(nafta, war, tmp_path):
    from tradesim.results.report import write_report

    page = write_report([nafta], tmp_path / "report.html", focus=("MEX", "CAN", "USA"), country="MEX",
                        partners=("USA", "CAN"), war=war).read_text(encoding="utf-8")
    assert '<h2 id="war">The global tariff war (tariffwar, elasticity set U4)</h2>' in page
    section = page[page.index('<h2 id="war">'):]
    assert '"type":"choropleth"' in section and "Nash tariff and welfare" in section
    # the chart's star is Japan at its Nash tariff and welfare
    star = re.search(r'\{"marker":\{"color":"#e45756"[^}]*\},"mode":"markers","name":"JPN","x":(\[[^]]*\]),'
                     r'"y":(\[[^]]*\])', section)
    row = war.row("JPN")
    assert star and json.loads(star.group(1)) == [row["nash_tariff_pct"]] and json.loads(star.group(2)) == [row["welfare_pct"]]
    without = write_report([nafta], tmp_path / "plain.html", focus=("MEX", "CAN", "USA"), country="MEX",
                           partners=("USA", "CAN")).read_text(encoding="utf-8")
    assert 'id="war"' not in without
