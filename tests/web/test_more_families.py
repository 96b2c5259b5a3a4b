"""The gravity and Ossa (2014) families in the dashboard, as the Liberation Day model is: their
baselines in the picker, their library scenarios listed, a run solved, stored and briefed with
the family's own exact welfare (tests/model/test_family_scenarios.py checks the numbers)."""

from __future__ import annotations

import pytest

from tradesim.model.family import scenario_family
from tradesim.results.store import RunStore
from tradesim.web.app import create_app

from ..conftest import SCENARIOS

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    web = create_app(RunStore(tmp_path_factory.mktemp("web") / "runs.duckdb"), SCENARIOS, workers=1)
    with TestClient(web) as c:
        yield c
    web.state.pool.shutdown(wait=True)


def test_pickers_list_the_families(client):
    b = client.get("/api/baselines").json()
    assert b["families"]["gegravity2006"] == "gravity" and b["families"]["ossa2014"] == "ossa2014"
    keys = {s["key"]: s for s in client.get("/api/library").json()["scenarios"]}
    assert keys["gravity_can_jpn"]["model"] == "gravity" and keys["gravity_can_jpn"]["baseline"] == "gegravity2006"
    assert keys["ossa2014/us_china_20pp"]["model"] == "ossa2014" and "ossa2014/us_optimal_tariffs" in keys


@pytest.mark.parametrize("key,family,country", [("ossa2014/us_china_20pp", "ossa2014", "CHN"),
                                                 ("gravity_can_jpn", "gravity", "CAN")])
def test_a_family_run_is_solved_stored_and_briefed(client, key, family, country):
    r = client.post("/api/runs", data={"library": key, "wait": "true"})
    assert r.status_code == 200, r.text
    rid = r.json()["run_id"]
    body = client.get(f"/api/runs/{rid}").json()
    assert body["run"]["model"] == family and body["tables"][0] == "welfare"
    expected = scenario_family(family).run(SCENARIOS / f"{key}.toml").welfare_pct()
    w = {row["country"]: row["welfare_pct"] for row in body["welfare"]}
    assert w[country] == pytest.approx(float(expected.loc[country]), rel=1e-6)  # gravity: PPML repeats to ~1e-7
    brief = client.get(f"/api/runs/{rid}/briefing?country={country}").json()
    assert family in brief["sector_text"] and brief["note"] == scenario_family(family).welfare_note
    figs = client.get(f"/api/runs/{rid}/figures?country={country}&focus={country}")
    assert figs.status_code == 200
    assert client.post("/api/runs", data={"library": key, "wait": "true"}).json()["reused"]
