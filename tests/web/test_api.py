"""The dashboard's HTTP API over loopback: validation, concurrency, downloads, start-up time."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import numpy as np
import pandas as pd
import pytest

import tradesim
from tradesim.errors import ScenarioError

from ..conftest import ROOT, SCENARIOS
from .conftest import free_port, running

TARIFF = """name = "USA tariff on MEX +{pct}%"
baseline = "cp2015"

[[measures]]
kind = "tariff"
importer = "USA"
exporter = "MEX"
add = "{pct}%"
"""


def post(url, **data):
    return httpx.post(f"{url}/api/runs", data={k: v for k, v in data.items() if k != "files"},
                      files=data.get("files"), timeout=120)


def test_library_and_baselines(server):
    b = httpx.get(f"{server}/api/baselines").json()
    assert b["default"] == "icio2022" and {"cp2015", "icio2022"} <= set(b["baselines"])
    lib = {s["key"]: s for s in httpx.get(f"{server}/api/library").json()["scenarios"]}
    assert lib["china_seafood_ban"]["demo"] and lib["cp2015_nafta"]["baseline"] == "cp2015"
    assert "library" not in lib


@pytest.mark.parametrize("data, code, message", [
    ({"toml": 'name = "x"\n[[measures]'}, 422, "scenario is not valid TOML"),
    ({"toml": TARIFF.format(pct=5).replace('"cp2015"', '"atlantis"')}, 422, "unknown baseline 'atlantis'"),
    ({"library": "cp2015_nafta", "baseline": "atlantis"}, 422, "unknown baseline 'atlantis'; shipped baselines"),
    ({"library": "../../etc/passwd"}, 422, "unknown library scenario"),
    ({"toml": 'include = ["/etc/passwd"]\n' + TARIFF.format(pct=5)}, 422,
     "'include' = '/etc/passwd' is not a scenario of the library (by name only, no paths"),
    ({"toml": 'reference = "../x.toml"\n' + TARIFF.format(pct=5)}, 422,
     "'reference' = '../x.toml' is not a scenario of the library"),
    ({"toml": 'name = "x"\nbaseline = "cp2015"\n'}, 422, "no [[measures]] (and no reference): it changes nothing"),
    ({"toml": "\x00\x01binary"}, 422, "binary data (NUL bytes)"),
    ({}, 422, "choose a library scenario, or paste or upload scenario TOML"),
    ({"files": {"file": ("big.toml", io.BytesIO(b"#" * 300_000), "text/plain")}}, 413, "request too large"),
    ({"files": {"file": ("bad.toml", io.BytesIO(b"\xff\xfe name"), "text/plain")}}, 422, "not UTF-8"),
])
def test_bad_input_is_a_4xx_with_a_message(server, data, code, message):
    r = post(server, **data)
    assert r.status_code == code and message in r.json()["detail"]


def test_label_errors_are_the_clis(server):
    text = TARIFF.format(pct=5).replace('exporter = "MEX"', 'exporter = "XYZ"')
    with pytest.raises(ScenarioError) as err:
        tradesim.run(text, store=False)
    r = post(server, toml=text)
    assert r.status_code == 422 and r.json()["detail"] == str(err.value)


def test_pasted_scenarios_build_on_the_library(server, web_store):
    """A pasted scenario includes a library scenario and is measured against another,
    by name: the same numbers as the same text run from the library folder."""
    text = ('name = "Truce plus 10% on cars"\nbaseline = "icio2022"\ninclude = ["geneva_truce_2025_05"]\n'
            'reference = "status_quo_2018"\n[[measures]]\nkind = "tariff"\nimporter = "USA"\nexporter = "JPN"\n'
            'sector = "C29"\nadd = "10%"\n')
    r = post(server, toml=text, wait=True)
    assert r.status_code == 200, r.text
    got = web_store.welfare(r.json()["run_id"]).set_index("country")["welfare_pct"]
    from tradesim.scenario.spec import scenario_in_library

    expected = tradesim.run(scenario_in_library(text, SCENARIOS), store=False).welfare()["welfare_pct"]
    pd.testing.assert_series_equal(got, expected, check_names=False, check_exact=True)
    rec = web_store.run(r.json()["run_id"])
    import tomllib

    resolved = tomllib.loads(rec["scenario_text"])
    assert "include" not in resolved and resolved["reference"]["name"] == "Status quo: 2018-19 US-China tariffs"
    # an unknown name gets the library's list, and the label errors are the CLI's
    bad = post(server, toml=text.replace("geneva_truce_2025_05", "geneva_truce"))
    assert bad.status_code == 422 and "'include' = 'geneva_truce' is not a scenario of the library" in bad.json()["detail"]


def test_unknown_run_job_table(server):
    assert httpx.get(f"{server}/api/runs/abcdef123456").status_code == 404
    assert httpx.get(f"{server}/api/jobs/abc").status_code == 404
    assert httpx.get(f"{server}/api/runs/..%2F..%2Fetc").status_code in (404, 422)
    assert httpx.get(f"{server}/api/runs/abc/tables/passwd.csv").status_code == 404


def test_twenty_concurrent_submissions_are_each_stored_once(server, web_store):
    texts = [TARIFF.format(pct=k + 1) for k in range(20)]
    with ThreadPoolExecutor(20) as pool:
        replies = list(pool.map(lambda t: post(server, toml=t, wait="true"), texts))
    assert [r.status_code for r in replies] == [200] * 20
    ids = [r.json()["run_id"] for r in replies]
    assert len(set(ids)) == 20
    stored = web_store.query("SELECT run_id, run_key, origin FROM runs WHERE list_contains(?, run_id)", [ids])
    assert len(stored) == 20 and stored["run_key"].is_unique and set(stored["origin"]) == {"web"}
    rows = web_store.query("SELECT run_id, count(*) AS n FROM welfare WHERE list_contains(?, run_id) GROUP BY 1",
                           [ids])
    assert len(rows) == 20 and (rows["n"] == 31).all()  # nothing lost, nothing doubled
    # The stored numbers are the engine's: spot-check two of them against tradesim.run.
    for k in (0, 19):
        expected = tradesim.run(texts[k], store=False).welfare()["welfare_pct"]
        got = web_store.table(ids[k], "welfare").set_index("country")["welfare_pct"]
        np.testing.assert_allclose(got.loc[expected.index], expected, rtol=1e-12, atol=1e-15)
    # Twenty copies of one new scenario at once: one run.
    same = TARIFF.format(pct=33)
    with ThreadPoolExecutor(20) as pool:
        replies = list(pool.map(lambda _: post(server, toml=same, wait="true"), range(20)))
    assert {r.status_code for r in replies} == {200} and len({r.json()["run_id"] for r in replies}) == 1
    n = web_store.query("SELECT count(*) AS n FROM runs WHERE scenario_name = ?", ["USA tariff on MEX +33%"])
    assert n["n"][0] == 1


def test_downloads_and_compare(server, web_store):
    a = post(server, toml=TARIFF.format(pct=40), wait="true").json()["run_id"]
    b = post(server, library="cp2015_nafta", wait="true").json()["run_id"]
    csv = httpx.get(f"{server}/api/runs/{b}/tables/output.csv")
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(csv.text)), web_store.table(b, "output"), check_dtype=False)
    pq = httpx.get(f"{server}/api/runs/{b}/tables/welfare.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(pq.content)), web_store.table(b, "welfare"))
    report = httpx.get(f"{server}/api/runs/{b}/report?country=MEX", timeout=60)
    assert report.status_code == 200 and "NAFTA tariff reductions" in report.text and "Plotly.newPlot" in report.text
    cmp = httpx.get(f"{server}/api/compare", params={"a": a, "b": b}).json()
    rows = {r["country"]: r for r in cmp["rows"]}
    stored = web_store.table(b, "welfare").set_index("country")
    assert stored.loc["MEX", "welfare_first_order_pct"] == pytest.approx(1.31, abs=0.01)  # CP (2015) Table 2
    assert rows["MEX"]["b"] == stored.loc["MEX", "welfare_pct"] == pytest.approx(0.0073, abs=1e-4)  # exact
    for r in rows.values():
        assert r["difference"] == pytest.approx(r["b"] - r["a"], abs=1e-15)
    assert httpx.get(f"{server}/api/compare", params={"a": a, "b": a}).status_code == 422
    figs = httpx.get(f"{server}/api/runs/{b}/figures", params={"country": "MEX"}).json()
    assert set(figs) == {"map", "bars", "sectors", "matrix"}
    assert httpx.get(f"{server}/api/runs/{b}/figures", params={"country": "XXX"}).status_code == 422


def test_serve_starts_in_under_five_seconds(tmp_path):
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "tradesim.cli.main", "serve", "--port", str(port), "--store",
                             str(tmp_path / "runs.duckdb")], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stderr.read()
            assert time.perf_counter() - start < 5, "tradesim serve did not answer within 5 s"
            time.sleep(0.05)
        seconds = time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"tradesim serve answered after {seconds:.2f} s")
    assert seconds < 5


def test_a_solve_past_its_timeout_fails_and_is_not_stored(tmp_path):
    from tradesim.results.store import RunStore
    from tradesim.web.app import create_app

    store = RunStore(tmp_path / "runs.duckdb")
    with running(create_app(store, solve_timeout=0.001, workers=1)) as url:
        r = post(url, toml=TARIFF.format(pct=77), wait="true")
        assert r.status_code == 504 and "took longer than" in r.json()["error"]
    assert store.runs().empty  # the pool has finished: the late answer was dropped


ARTICLE = ROOT.parent / "shared" / "examples" / "news-japan-balancing-2025-04.txt"


@pytest.mark.shared
def test_news_article_drafts_a_scenario(server):
    """A pasted article comes back as the same draft `tradesim news --scenario` writes,
    placeholders counted; a draft with placeholders is refused by /api/runs (4xx)."""
    from tradesim.news.draft import draft_scenario
    from tradesim.news.extract import extract

    if not ARTICLE.exists():
        pytest.skip("the example article is in ../shared/examples")
    text = ARTICLE.read_text(encoding="utf-8")
    r = httpx.post(f"{server}/api/news", data={"article": text, "published": "2025-04-21"}, timeout=60)
    assert r.status_code == 200
    body = r.json()
    assert body["draft"] == draft_scenario(extract(text, "2025-04-21"))
    assert body["measures"] == 3 and body["placeholders"] >= 1
    kinds = {e["kind"] for e in body["extraction"]["events"]}
    assert {"REQUEST", "THREATEN", "CONSULT"} <= kinds
    refused = post(server, toml=body["draft"])
    assert refused.status_code == 422 and "placeholder" in refused.json()["detail"]
    bad = httpx.post(f"{server}/api/news", data={"article": "x", "published": "not a date"}, timeout=30)
    assert bad.status_code == 422 and bad.json()["detail"]
