"""Runs of another model family (the Liberation Day model) in the dashboard's API: its baseline
in the picker, its library scenarios, a run solved, stored and shown (briefing, map, tables)."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from tradesim.model.family import scenario_family

from ..conftest import SCENARIOS


def post(url, **data):
    return httpx.post(f"{url}/api/runs", data=data, timeout=120)


@pytest.fixture(scope="module")
def ld_run(server):
    r = post(server, baseline="baci2023", library="liberation_day/ustr_tax_relief", wait="true")
    assert r.status_code == 200, r.text
    return r.json()["run_id"]


def test_baseline_and_library_list_the_family(server):
    b = httpx.get(f"{server}/api/baselines").json()
    assert "baci2023" in b["baselines"] and b["families"]["baci2023"] == "liberation_day"
    keys = {s["key"]: s for s in httpx.get(f"{server}/api/library").json()["scenarios"]}
    assert keys["liberation_day/ustr_tax_relief"]["model"] == "liberation_day"
    assert {f"liberation_day/{k}" for k in ("optimal_us", "eaton_kortum")} <= set(keys)


def test_family_run_is_stored_and_shown_with_its_own_welfare(server, ld_run, web_store):
    expected = scenario_family("liberation_day").run(SCENARIOS / "liberation_day" / "ustr_tax_relief.toml")
    body = httpx.get(f"{server}/api/runs/{ld_run}").json()
    assert body["run"]["model"] == "liberation_day" and body["run"]["scenario_key"] == "ustr_tax_relief"
    w = {r["country"]: r for r in body["welfare"]}
    assert len(w) == 194 and "ev_usd" not in w["USA"]
    assert w["USA"]["welfare_pct"] == expected.table.loc["USA", "welfare_pct"]  # exact (repr round trip)
    assert f"{w['USA']['welfare_pct']:.2f}" == "1.13"  # Table 1, case 1 (Table_1.tex)
    assert body["tables"] == ["welfare", "countries", "aggregates"]
    listed = httpx.get(f"{server}/api/runs").json()["runs"]
    assert any(r["run_id"] == ld_run and r["model"] == "liberation_day" for r in listed)
    brief = httpx.get(f"{server}/api/runs/{ld_run}/briefing?country=USA").json()
    top = expected.table.loc[list(expected.inputs.countries), "welfare_pct"].sort_values()
    assert brief["title"] == expected.scenario.name and "Liberation Day" in brief["note"]
    assert [p["country"] for p in brief["gainers"]] == list(top.index[::-1][:5])
    assert brief["losers"][0]["country"] == top.index[0] and brief["losers"][0]["country_name"] != top.index[0]
    figs = httpx.get(f"{server}/api/runs/{ld_run}/figures?country=USA&focus=USA,CHN").json()
    (m,) = figs["map"]["data"]
    np.testing.assert_array_equal(m["z"], expected.table.loc[m["locations"], "welfare_pct"].to_numpy())
    agg = httpx.get(f"{server}/api/runs/{ld_run}/tables/aggregates.csv")
    assert agg.status_code == 200 and "non-US" in agg.text
    assert httpx.get(f"{server}/api/runs/{ld_run}/report").status_code == 422
    again = post(server, library="liberation_day/ustr_tax_relief", wait="true").json()
    assert again["reused"] and again["run_id"] == ld_run


def test_family_scenario_on_the_wrong_baseline_is_refused(server):
    r = post(server, baseline="icio2022", library="liberation_day/ustr_tax_relief", wait="true")
    assert r.status_code == 422 and "runs on baci2023" in r.json()["detail"]
    text = (SCENARIOS / "liberation_day" / "optimal_us.toml").read_text().replace("[options]", "[options]\nkapa = 1")
    r = post(server, toml=text, wait="true")
    assert r.status_code == 422 and "kapa" in r.json()["detail"]
