"""The dashboard's attribution panel (issue 18): its route gives the engine's own
attribution (:func:`tradesim.results.attribution.attribute` on the stored run; Shapley
efficiency makes the groups add up to the exact total), and the page draws the waterfall."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from tradesim.results.attribution import attribute

from .test_browser import ARTIFACTS, CHROMIUM

SCENARIO = "japan_aligns_china_responds"        # five groups: the included deals and curbs, China's two answers


@pytest.fixture(scope="module")
def run_id(server):
    r = httpx.post(f"{server}/api/runs", data={"library": SCENARIO, "wait": "true"}, timeout=120)
    assert r.status_code == 200, r.text
    return r.json()["run_id"]


def test_attribution_route_is_the_engines(server, web_store, run_id):
    got = httpx.get(f"{server}/api/runs/{run_id}/attribution",
                    params={"country": "CHN", "method": "shapley"}, timeout=120).json()
    want = attribute(web_store.result(run_id), by="group", method="shapley").table(["CHN"])
    assert [r["group"] for r in got["rows"]] == list(want["group"]) and got["rows"][-1]["group"] == "total"
    assert np.allclose([r["welfare_pct"] for r in got["rows"]], want["welfare_pct"], rtol=0, atol=1e-12)
    # the groups add up to the exact total (Shapley efficiency)
    assert sum(r["welfare_pct"] for r in got["rows"][:-1]) == pytest.approx(got["rows"][-1]["welfare_pct"], abs=1e-12)
    assert got["method"] == "shapley" and len(got["groups"]) == 5
    assert got["figure"]["data"][0]["type"] == "waterfall"
    assert got["figure"]["data"][0]["x"] == ["reference", *got["groups"], "total"]
    for params, code in (({"country": "XXX"}, 422), ({"by": "colour"}, 422), ({"method": "guess"}, 422)):
        assert httpx.get(f"{server}/api/runs/{run_id}/attribution", params=params).status_code == code
    assert httpx.get(f"{server}/api/runs/ffffffffffff/attribution").status_code == 404


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_attribution_panel_draws_the_waterfall(server, run_id):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server}/?run={run_id}")
        page.wait_for_selector("#results[data-state=ready]", timeout=120_000)
        page.click("#attribute-button")
        page.wait_for_selector("#waterfall .plot-container", timeout=120_000)
        bars = page.evaluate("document.getElementById('waterfall').data[0].x")
        assert bars[0] == "reference" and bars[-1] == "total" and len(bars) == 7
        assert "add up to the exact total" in page.text_content("#attribution-note")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#attribution").screenshot(path=str(ARTIFACTS / "dashboard_attribution.png"))
        browser.close()
