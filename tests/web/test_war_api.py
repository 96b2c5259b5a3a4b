"""The dashboard's global tariff war route (tradesim.web.war) serves the war the strategy layer
solves: the same numbers as :func:`tradesim.strategy.war.global_war` called directly."""

from __future__ import annotations

import httpx
import numpy as np
import pytest


def test_the_war_route_serves_global_war(server):
    """Reference: ``global_war("tariffwar", "U4")`` in this process (its US line is issue 17's
    table, 26.81% and -0.249%, tested in tests/strategy/test_war.py); the route's records, means,
    world trade and figures carry those numbers exactly."""
    from tradesim.strategy.war import global_war

    body = httpx.get(f"{server}/api/war", params={"model": "tariffwar", "elasticity_set": "U4"}, timeout=120).json()
    ref = global_war("tariffwar", "U4").table
    assert body["model"] == "tariffwar" and body["elasticity_set"] == "U4" and len(body["records"]) == 81
    assert set(body["records"][0]) == {"country", "nash_tariff_pct", "welfare_pct", "ev_usd"}
    got = {r["country"]: r for r in body["records"]}
    assert sorted(got) == sorted(ref["country"])
    for r in ref.itertuples():
        g = got[r.country]
        assert (g["nash_tariff_pct"], g["welfare_pct"]) == (r.nash_tariff_pct, r.welfare_pct)
        assert g["ev_usd"] == pytest.approx(r.ev_usd_million * 1e6, rel=1e-12)
    assert body["mean_nash_tariff_pct"] == pytest.approx(ref["nash_tariff_pct"].mean(), rel=1e-12)
    assert body["mean_welfare_pct"] == pytest.approx(ref["welfare_pct"].mean(), rel=1e-12)
    assert body["world_trade_change_pct"] < 0 and body["max_foc"] < 1e-8
    assert got["USA"]["nash_tariff_pct"] == pytest.approx(26.81, abs=0.005)  # issue 17's table, U4
    m, c = body["figures"]["map"]["data"], body["figures"]["chart"]["data"]
    # the map shows every economy but the rest of the world (an aggregate, in the table only)
    assert m[0]["type"] == "choropleth" and sorted(m[0]["locations"]) == sorted(set(got) - {"ROW"})
    assert m[0]["z"] == [got[k]["welfare_pct"] for k in m[0]["locations"]]
    assert [t["name"] for t in c] == ["economies", "JPN"]
    np.testing.assert_allclose([c[1]["x"][0], c[1]["y"][0]], [got["JPN"]["nash_tariff_pct"], got["JPN"]["welfare_pct"]])


@pytest.mark.parametrize("params, field", [({"elasticity_set": "XX"}, "elasticity_set"),
                                           ({"model": "gravity"}, "model"),
                                           ({"model": "cp2015"}, "model")])
def test_bad_war_options_name_the_field(server, params, field):
    r = httpx.get(f"{server}/api/war", params=params, timeout=30)
    assert r.status_code == 422 and r.json()["detail"].startswith(field + ":")
    if params.get("model") == "cp2015":
        assert "tradesim war --model cp2015" in r.json()["detail"]
