"""A dashboard run is tradesim.run's (the one path from a scenario to a stored run, issue 15):
the job calls tradesim.api.run and adds only what the page needs (job id, status, error text)."""

from __future__ import annotations

import pytest

import tradesim.api
from tradesim.errors import ScenarioError
from tradesim.results.store import RunStore
from tradesim.web.app import create_app
from tradesim.web.jobs import JobStore

from ..conftest import SCENARIOS

TARIFF = """name = "USA tariff on CAN +{pct}%"
baseline = "cp2015"

[[measures]]
kind = "tariff"
importer = "USA"
exporter = "CAN"
add = "{pct}%"
"""

RUN = tradesim.api.run  # the real one, whatever a test patches

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")


@pytest.fixture
def client(tmp_path):
    from fastapi.testclient import TestClient  # imported here: it warns about httpx on import

    store = RunStore(tmp_path / "runs.duckdb")
    app = create_app(store, SCENARIOS, workers=1)
    with TestClient(app) as c:
        yield c, store
    app.state.pool.shutdown(wait=True)


def spy(monkeypatch) -> list[dict]:
    """Replace tradesim.api.run by a wrapper that records each call and runs the real one."""
    calls: list[dict] = []

    def run(scenario, baseline=None, **kwargs):
        calls.append({"scenario": scenario, "baseline": baseline, **kwargs})
        return RUN(scenario, baseline, **kwargs)

    monkeypatch.setattr(tradesim.api, "run", run)
    return calls


def test_a_dashboard_run_goes_through_tradesim_run(client, monkeypatch):
    c, store = client
    calls = spy(monkeypatch)
    r = c.post("/api/runs", data={"toml": TARIFF.format(pct=7), "wait": "true"})
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["status"] == "done" and not job["reused"]
    (call,) = calls  # one call of the API, recorded as the dashboard's
    assert call["origin"] == "web" and isinstance(call["store"], JobStore) and call["store"].runs is store
    rec = store.run(job["run_id"])
    assert rec["origin"] == "web" and rec["scenario_name"] == "USA tariff on CAN +7%"
    expected = RUN(TARIFF.format(pct=7), store=False).welfare()["welfare_pct"]
    got = store.welfare(job["run_id"]).set_index("country")["welfare_pct"]
    assert (got.loc[expected.index] == expected).all()  # the same bits as tradesim.run
    # The same scenario again: tradesim.run finds the stored run, and the job says so.
    again = c.post("/api/runs", data={"toml": TARIFF.format(pct=7), "wait": "true"}).json()
    assert len(calls) == 2 and again["reused"] and again["run_id"] == job["run_id"]
    assert len(store.runs()) == 1
    # A library scenario by name: tradesim.run is given the library's file.
    lib = c.post("/api/runs", data={"library": "cp2015_nafta", "wait": "true"}).json()
    assert lib["status"] == "done" and calls[-1]["scenario"] == SCENARIOS / "cp2015_nafta.toml"
    assert store.run(lib["run_id"])["scenario_key"] == "cp2015_nafta"


def test_the_jobs_error_text_is_tradesim_runs(client, monkeypatch):
    """What tradesim.run raises is the job's error (422 for the engine's errors, 500 otherwise)."""
    c, store = client

    def refuse(scenario, baseline=None, **kwargs):
        raise ScenarioError("measure 1: refused by the engine")

    monkeypatch.setattr(tradesim.api, "run", refuse)
    r = c.post("/api/runs", data={"toml": TARIFF.format(pct=8), "wait": "true"})
    assert r.status_code == 422 and r.json()["status"] == "failed"
    assert r.json()["error"] == "measure 1: refused by the engine"

    def crash(scenario, baseline=None, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tradesim.api, "run", crash)
    r = c.post("/api/runs", data={"toml": TARIFF.format(pct=8), "wait": "true"})
    assert r.status_code == 500 and r.json()["error"] == "internal error: RuntimeError: disk on fire"
    assert store.runs().empty
