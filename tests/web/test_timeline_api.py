"""The dashboard's timeline route serves the batch of every tracker date (tradesim.web.timeline)."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from ..conftest import SCENARIOS


@pytest.mark.slow
def test_the_timeline_route_serves_the_regime_path(server):
    """23 dates for each country asked; the numbers are those of the regime solved on its own
    batch (two dates, tradesim.experiments.timeline.solve_timeline) to the solver's tolerance."""
    from tradesim.scenario.spec import load_scenario
    from tradesim.experiments.timeline import solve_timeline

    body = httpx.get(f"{server}/api/timeline", params={"countries": "JPN,USA"}, timeout=300).json()
    assert len(body["dates"]) == 23 and len(body["records"]) == 46
    assert {t["name"] for t in body["figure"]["data"]} == {"JPN", "USA"}
    got = {(r["date"], r["country"]): r for r in body["records"]}
    dates = ["2025-04-09", "2026-02-20"]
    table, _ = solve_timeline(dates, base=load_scenario(SCENARIOS / "status_quo_2018.toml"))
    for row in table[table["country"].isin(["JPN", "USA"])].itertuples():
        served = got[(row.date, row.country)]
        np.testing.assert_allclose([served["welfare_pct"], served["real_wage_pct"]],
                                   [row.welfare_pct, row.real_wage_pct], atol=1e-7)
        assert served["ev_usd"] == pytest.approx(row.ev_usd, rel=1e-6, abs=1e3)


def test_bad_timeline_countries_name_the_field(server):
    r = httpx.get(f"{server}/api/timeline", params={"countries": "jpn;drop"}, timeout=30)
    assert r.status_code == 422 and "countries" in r.json()["detail"]
