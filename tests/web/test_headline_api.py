"""The dashboard's API serves the exact real-income change as its welfare figure
(reference: the equilibrium's own incomes and price index, CP 2015 eq. 20-21)."""

from __future__ import annotations

import httpx
import numpy as np
import pandas as pd
import pytest

import tradesim

from ..conftest import SCENARIOS


@pytest.mark.slow
def test_the_dashboard_api_serves_the_exact_headline(server):
    result = tradesim.run(SCENARIOS / "china_seafood_ban.toml", store=False)
    r = httpx.post(f"{server}/api/runs", data={"library": "china_seafood_ban", "wait": "true"}, timeout=300)
    assert r.status_code == 200, r.text
    body = httpx.get(f"{server}/api/runs/{r.json()['run_id']}", timeout=60).json()
    got = pd.Series({row["country"]: row["welfare_pct"] for row in body["welfare"]})
    ds = result.to_xarray()
    exact = pd.Series((ds["income_after"] / ds["income_before"] / ds["price_index_hat"]).values * 100 - 100,
                      index=result.countries)
    np.testing.assert_allclose(got.loc[exact.index], exact, rtol=1e-10, atol=1e-13)


def test_api_docs_are_served_from_the_package(server):
    """/api/docs loads Swagger UI from this server (swagger-ui-bundle), never from a CDN."""
    page = httpx.get(f"{server}/api/docs", timeout=30)
    assert page.status_code == 200 and "swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text and "jsdelivr" not in page.text and "unpkg" not in page.text
    for src in ("/api/docs/static/swagger-ui-bundle.js", "/api/docs/static/swagger-ui.css"):
        assert src in page.text
        asset = httpx.get(server + src, timeout=30)
        assert asset.status_code == 200 and len(asset.content) > 10_000
    assert httpx.get(f"{server}/api/openapi.json", timeout=30).json()["info"]["title"] == "tradesim dashboard"


def test_briefing_and_compare_warning(server):
    """The briefing route names sectors; comparing runs on different baselines warns."""
    a = httpx.post(f"{server}/api/runs", data={"library": "japan_chip_equipment_controls", "wait": "true"},
                   timeout=300).json()["run_id"]
    b = httpx.post(f"{server}/api/runs", data={"library": "cp2015_nafta", "wait": "true"}, timeout=300).json()["run_id"]
    brief = httpx.get(f"{server}/api/runs/{a}/briefing?country=CHN", timeout=300).json()
    assert brief["title"].startswith("Japan curbs chip-equipment exports")
    assert brief["losers"][0]["country"] == "CHN" and brief["losers"][0]["ev_text"].startswith("-USD ")
    c28 = next(s for s in brief["sectors"] if s["sector"] == "C28")
    assert c28["label"] == "Machinery n.e.c. (C28)" and c28["extreme_elasticity"] and c28["u4_pct_text"].endswith("%")
    (div,) = brief["diversion"]
    jpn = next(r for r in div["rows"] if r["source"] == "JPN")
    assert jpn["role"] == "targeted" and -7e9 < jpn["change_usd"] < -5e9
    warn = httpx.get(f"{server}/api/compare?a={a}&b={b}", timeout=60).json()["warning"]
    assert "different baselines" in warn


@pytest.mark.slow
def test_every_library_scenario_through_the_api_is_exact():
    """GET /api/runs/{id} over the session's store: every library scenario's welfare rows are
    the exact real-income change (runs are solved once and reused by tradesim.run)."""
    import tomllib

    from tradesim.results.store import open_store
    from tradesim.web.app import create_app

    from .conftest import running
    from ..results.test_headline import run_key_of

    names = tomllib.loads((SCENARIOS / "library.toml").read_text())["scenarios"] + ["cp2015_nafta"]
    store = open_store(None)
    with running(create_app(store, SCENARIOS)) as url:
        for name in names:
            result = tradesim.run(SCENARIOS / f"{name}.toml", store=store)
            run_id = store.find(run_key_of(result))  # this very run (same scenario, baseline, set, closure)
            body = httpx.get(f"{url}/api/runs/{run_id}", timeout=60).json()
            got = pd.Series({row["country"]: row["welfare_pct"] for row in body["welfare"]})
            ds = result.to_xarray()
            exact = (ds["income_after"] / ds["income_before"] / ds["price_index_hat"]).values * 100 - 100
            np.testing.assert_allclose(got.loc[result.countries], exact, rtol=1e-10, atol=1e-13, err_msg=name)
