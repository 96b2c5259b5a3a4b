"""The dashboard in a real browser: Playwright driving Debian's chromium.

Screenshots are kept under ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import tradesim

from ..conftest import ROOT, SCENARIOS

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.failed = []  # requests that did not load: anything fetched from outside would land here
        pg.on("requestfailed", lambda r: pg.failed.append(r.url))
        pg.goto(server)
        pg.wait_for_function("document.querySelectorAll('#library option').length > 5")
        yield pg
        browser.close()


def data_of(page, div: str) -> list[dict]:
    return page.evaluate(f"document.getElementById('{div}').data.map(t => ({{x: t.x, y: t.y, z: t.z, "
                         f"locations: t.locations, name: t.name}}))")


def test_demo_scenario_renders_with_the_engines_numbers(page):
    page.select_option("#library", "china_seafood_ban")
    page.click("#run-button")
    page.wait_for_selector("#progress-box", state="visible")  # the progress indicator shows while solving
    page.wait_for_selector("#results[data-state=ready]", timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "dashboard_full.png"), full_page=True)
    # The README's picture (docs/img/dashboard.png is a copy): the form and the briefing, the first screen.
    top = page.evaluate("document.getElementById('briefing').getBoundingClientRect().bottom + window.scrollY")
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"),
                    clip={"x": 0, "y": 0, "width": 1400, "height": min(2400, int(top) + 20)}, full_page=True)
    # The progress indicator stops when the run is done.
    assert page.evaluate("(() => { const p = document.getElementById('progress'); "
                         "return p.style.display === 'none' && p.value === 1; })()")

    expected = tradesim.run(SCENARIOS / "china_seafood_ban.toml", store=False)
    welfare = expected.welfare()
    # The briefing: the scenario's title, gainers and losers with EV in USD, sectors by name, diversion.
    assert page.inner_text("#brief-title") == expected.scenario.name
    losers = page.eval_on_selector_all("#losers tbody tr", "trs => trs.map(tr => [...tr.children].map(td => td.textContent))")
    gainers = page.eval_on_selector_all("#gainers tbody tr", "trs => trs.map(tr => [...tr.children].map(td => td.textContent))")
    by_ev = welfare.sort_values("ev_usd")
    assert losers[0][0].endswith(f"({by_ev.index[0]})") and gainers[0][0].endswith(f"({by_ev.index[-1]})")
    from tradesim.results.units import fmt_usd
    assert losers[0][1] == fmt_usd(by_ev["ev_usd"].iloc[0]) and losers[0][1].startswith("-USD ")
    assert all(row[2].endswith("%") and "e-" not in row[2] for row in losers + gainers)
    assert all(row[1].startswith(("USD ", "-USD ")) for row in losers + gainers)
    (bars_jpn,) = data_of(page, "brief-sectors")
    assert "Fishing and aquaculture (A03)" in bars_jpn["y"]
    assert page.locator("#brief-diversion table.diversion").count() >= 1
    assert "own production" in page.inner_text("#brief-diversion") and "targeted" in page.inner_text("#brief-diversion")
    texts = page.eval_on_selector_all("#numbers td, #briefing td", "tds => tds.map(td => td.textContent)")
    assert not [t for t in texts if "e-" in t or "e+" in t]  # no "4.46e-3": fixed decimals, USD with units
    # The map: one value per ISO3 country, equal to the engine's, and the outlines drawn (offline TopoJSON).
    (m,) = data_of(page, "map")
    np.testing.assert_allclose(m["z"], welfare.loc[m["locations"], "welfare_pct"], rtol=1e-12, atol=1e-16)
    assert len(m["locations"]) >= 70 and "JPN" in m["locations"] and "CHN" in m["locations"]
    assert page.locator("#map path.choroplethlocation").count() >= 70
    # The table: every country, every column, the same numbers.
    cells = page.eval_on_selector_all("#numbers td[data-key]", "tds => tds.map(td => "
                                      "[td.parentElement.dataset.country, td.dataset.key, Number(td.dataset.value)])")
    assert len(cells) == 5 * len(expected.countries)
    for country, key, value in cells:
        assert value == pytest.approx(welfare.loc[country, key], rel=1e-12, abs=1e-16), (country, key)
    assert page.locator("#numbers tbody tr").first.get_attribute("data-country") == "JPN"
    # Japan's sector output and the bars across scenarios.
    (sectors,) = data_of(page, "sectors")
    out = expected.output().query("country == 'JPN'").set_index("sector")["change_pct"]
    labels = {v: k for k, v in expected.sector_labels.items()}
    assert "Motor vehicles (C29)" in sectors["y"]  # names with codes
    np.testing.assert_allclose(sectors["x"], out.loc[[labels[y] for y in sectors["y"]]], rtol=1e-12, atol=1e-16)
    bars = {t["name"]: t for t in data_of(page, "bars")}
    jpn = bars["JPN"]
    assert jpn["y"][jpn["x"].index("china_seafood_ban")] == pytest.approx(welfare.loc["JPN", "welfare_pct"], rel=1e-12)
    # The trade matrix: China's imports from Japan fall the most.
    (matrix,) = data_of(page, "matrix")
    z = np.array(matrix["z"], dtype=float)
    i, j = matrix["y"].index("CHN"), matrix["x"].index("JPN")
    assert np.nanmin(z) == z[i, j] < 0
    assert "solved in" in page.inner_text("#run-info")
    assert not [u for u in page.failed if not u.startswith(page.url.split("?")[0])]


def test_country_choice_and_downloads(page, server):
    page.select_option("#country", "USA")
    page.wait_for_function("document.getElementById('sectors').layout.title.text.startsWith('USA')")
    run_id = page.get_attribute("#results", "data-run")
    href = page.get_attribute("#downloads a:has-text('HTML report')", "href")
    assert href == f"/api/runs/{run_id}/report?country=USA"
    report = page.request.get(server + href)
    assert report.status == 200 and "China bans Japanese seafood" in report.text()
    csv = page.request.get(server + page.get_attribute("#downloads a:has-text('welfare.csv')", "href"))
    assert csv.status == 200 and csv.text().startswith("country,welfare_pct")


def _error_after_submit(page, toml: str = "", upload: bytes | None = None) -> str:
    page.fill("#toml", toml)
    if upload is not None:
        page.set_input_files("#file", files=[{"name": "big.toml", "mimeType": "text/plain", "buffer": upload}])
    else:
        page.set_input_files("#file", files=[])
    page.evaluate("document.getElementById('error').textContent = ''")
    page.click("#run-button")
    page.wait_for_function("document.getElementById('error').textContent.length > 0")
    return page.inner_text("#error")


def test_bad_input_gets_a_clear_message_in_the_page(page):
    assert "422" in (msg := _error_after_submit(page, 'name = "x"\n[[measures]')) and "not valid TOML" in msg
    bad_baseline = 'name = "x"\nbaseline = "atlantis"\n[[measures]]\nkind = "tariff"\nimporter = "USA"\nadd = 0.1\n'
    assert "unknown baseline 'atlantis'" in _error_after_submit(page, bad_baseline)
    assert "413" in (msg := _error_after_submit(page, upload=b"#" * 400_000)) and "too large" in msg
    page.screenshot(path=str(ARTIFACTS / "dashboard_error.png"))
    page.fill("#toml", "")
    page.set_input_files("#file", files=[])


def test_scenario_text_is_never_html(page):
    name = '<img src=x onerror="document.title=1">'
    toml = f"name = '{name}'\nbaseline = \"cp2015\"\n[[measures]]\nkind = \"tariff\"\nimporter = \"USA\"\n" \
           f"exporter = \"CAN\"\nadd = 0.02\n"
    page.fill("#toml", toml)
    page.click("#run-button")
    page.wait_for_function(f"document.getElementById('run-info').textContent.startsWith({name!r})", timeout=60_000)
    page.wait_for_selector("#results[data-state=ready]")
    assert page.locator("img").count() == 0 and page.title() == f"{name} — tradesim"  # text, never run
    assert page.locator("#runs td", has_text=name).count() == 1
    page.fill("#toml", "")


def test_compare_two_runs_in_the_page(page, server, web_store):
    import httpx

    b = httpx.post(f"{server}/api/runs", data={"library": "china_seafood_ban_lifted", "wait": "true"},
                   timeout=120).json()["run_id"]
    a = page.get_attribute("#results", "data-run")
    page.reload()
    page.wait_for_function(f"[...document.querySelectorAll('#cmp-b option')].some(o => o.value === '{b}')")
    page.select_option("#cmp-a", a)
    page.select_option("#cmp-b", b)
    page.click("#compare-button")
    page.wait_for_selector("#compare-table tbody tr")
    row = page.eval_on_selector("#compare-table tr[data-country=JPN]",
                                "tr => [...tr.querySelectorAll('td[data-value]')].map(td => Number(td.dataset.value))")
    wa = web_store.table(a, "welfare").set_index("country").loc["JPN", "welfare_pct"]
    wb = web_store.table(b, "welfare").set_index("country").loc["JPN", "welfare_pct"]
    assert row == pytest.approx([wa, wb, wb - wa], rel=1e-12, abs=1e-16)
    assert page.evaluate("document.getElementById('compare-chart').data.length") == 2
    page.screenshot(path=str(ARTIFACTS / "dashboard_compare.png"), full_page=True)


def test_timeline_panel_charts_every_tracker_date(page, server):
    """The timeline panel: one line per country over the 23 tracker dates, Japan's welfare the
    route's numbers (which tests/web/test_timeline_api.py checks against the engine)."""
    import httpx

    page.click("#timeline-button")
    page.wait_for_selector("#timeline[data-state=ready]", timeout=300_000)
    traces = data_of(page, "timeline-chart")
    assert {t["name"] for t in traces} == {"JPN", "CHN", "USA"} and len(traces) == 12
    served = httpx.get(f"{server}/api/timeline", params={"countries": "JPN,CHN,USA"}, timeout=300).json()
    jpn = [r["welfare_pct"] for r in served["records"] if r["country"] == "JPN"]
    # the figure's arrays travel base64-encoded; the plotted trace holds them decoded
    y = page.evaluate("Array.from(document.getElementById('timeline-chart')._fullData[0].y)")
    assert traces[0]["name"] == "JPN" and len(y) == 23
    np.testing.assert_allclose(y, jpn, rtol=1e-12)
    page.locator("#timeline").screenshot(path=str(ARTIFACTS / "dashboard_timeline.png"))


def test_liberation_day_run_in_the_page(page):
    """Another model family in the page: its baseline in the picker, its scenario run, its own
    welfare (the paper's Table 1, case 1: USA +1.13%, Table_1.tex) on the map and in the table."""
    from tradesim.model.family import scenario_family

    assert "baci2023" in page.eval_on_selector_all("#baseline option", "os => os.map(o => o.value)")
    page.select_option("#baseline", "baci2023")
    page.select_option("#library", "liberation_day/ustr_tax_relief")
    page.click("#run-button")
    page.wait_for_function("document.getElementById('run-info').textContent.includes('liberation_day model')",
                           timeout=120_000)
    page.wait_for_selector("#results[data-state=ready]", timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "dashboard_liberation_day.png"), full_page=True)
    expected = scenario_family("liberation_day").run(SCENARIOS / "liberation_day" / "ustr_tax_relief.toml").table
    (m,) = data_of(page, "map")
    np.testing.assert_array_equal(m["z"], expected.loc[m["locations"], "welfare_pct"].to_numpy())
    usa = page.eval_on_selector_all("#numbers tr[data-country=USA] td[data-key]",
                                    "tds => tds.map(td => [td.dataset.key, td.textContent, Number(td.dataset.value)])")
    cells = {k: (text, v) for k, text, v in usa}
    assert cells["welfare_pct"][0] == "+1.13%" and cells["welfare_pct"][1] == expected.loc["USA", "welfare_pct"]
    assert "employment_change_pct" in cells and "ev_usd" not in cells
    assert "Liberation Day" in page.inner_text("#brief-note")
    page.select_option("#baseline", "")


def test_war_panel_maps_and_charts_the_global_tariff_war(page, server):
    """The global tariff war panel: the map and the chart drawn with the route's numbers (which
    tests/web/test_war_api.py checks against tradesim.strategy.war.global_war), Japan starred in
    the chart and first, highlighted, in the table."""
    import httpx

    page.select_option("#war-set", "IS")
    page.click("#war-button")
    page.wait_for_selector("#war[data-state=ready]", timeout=120_000)
    served = httpx.get(f"{server}/api/war", params={"model": "tariffwar", "elasticity_set": "IS"}, timeout=120).json()
    by = {r["country"]: r for r in served["records"]}
    (m,) = data_of(page, "war-map")
    assert len(m["locations"]) == 80 and "ROW" not in m["locations"]
    np.testing.assert_array_equal(m["z"], [by[c]["welfare_pct"] for c in m["locations"]])
    # the chart's arrays travel base64-encoded; the plotted traces hold them decoded
    x, y = (page.evaluate(f"Array.from(document.getElementById('war-chart')._fullData[0].{a})") for a in "xy")
    labels = page.evaluate("Array.from(document.getElementById('war-chart')._fullData[0].text)")
    np.testing.assert_array_equal(x, [by[c]["nash_tariff_pct"] for c in labels])
    np.testing.assert_array_equal(y, [by[c]["welfare_pct"] for c in labels])
    star = page.evaluate("(d => [d[1].name, d[1].x[0], d[1].y[0]])(document.getElementById('war-chart')._fullData)")
    assert star == ["JPN", by["JPN"]["nash_tariff_pct"], by["JPN"]["welfare_pct"]]
    first = page.locator("#war-table tbody tr").first
    assert first.get_attribute("data-country") == "JPN" and first.get_attribute("class") == "highlight"
    assert float(first.locator("td[data-value]").get_attribute("data-value")) == by["JPN"]["welfare_pct"]
    assert "Japan: tariff" in page.inner_text("#war-text") and page.failed == []
    page.locator("#war").screenshot(path=str(ARTIFACTS / "dashboard_war.png"))
