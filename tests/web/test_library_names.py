"""The command line and the dashboard resolve a library scenario's name the same way
(tradesim.scenario.library.Library, one lookup for both): the same file, the same run."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tradesim.cli.main import app as cli
from tradesim.errors import ScenarioError
from tradesim.results.store import RunStore
from tradesim.scenario.library import Library
from tradesim.web.app import create_app

from ..conftest import SCENARIOS

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")


def test_every_listed_name_is_its_file_and_nothing_else_is_opened():
    lib = Library.find(SCENARIOS)
    entries = lib.entries()
    keys = [e["key"] for e in entries]
    assert keys[:len(lib.demo())] == lib.demo() and "cp2015_nafta" in keys and "library" not in keys
    assert "liberation_day" in lib.families and "liberation_day/ustr_tax_relief" in keys
    for key in keys:
        path = lib.path_of(key)
        assert path.is_file() and path.resolve().is_relative_to(SCENARIOS.resolve())
        assert lib.file_or_name(key) == path  # what `tradesim run <name>` runs
    for bad in ("../../etc/passwd", "/etc/passwd", "cp2015_nafta.toml", "library", "liberation_day", "nope"):
        with pytest.raises(ScenarioError, match="unknown library scenario"):
            lib.path_of(bad)
    assert lib.file_or_name(SCENARIOS / "cp2015_nafta.toml") == SCENARIOS / "cp2015_nafta.toml"  # a file stays
    assert Library.find(SCENARIOS / "nowhere").entries() == [] and Library(None).entries() == []


@pytest.mark.parametrize("name", ["cp2015_nafta", "liberation_day/ustr_tax_relief"])
def test_the_cli_and_the_dashboard_run_a_name_to_the_same_stored_run(name, tmp_path, monkeypatch):
    """`tradesim run <name>` records a run; the dashboard given the same name finds that very run
    (same resolved scenario, same run key) instead of solving another."""
    path = tmp_path / "runs.duckdb"
    monkeypatch.setenv("TRADESIM_STORE", str(path))
    res = CliRunner().invoke(cli, ["run", name, "--out", str(tmp_path / "out"), "--json"])
    assert res.exit_code == 0, res.output
    store = RunStore(path)
    (cli_run,) = store.runs().itertuples()
    assert cli_run.origin == "cli" and cli_run.scenario_key == name.split("/")[-1]
    from fastapi.testclient import TestClient  # imported here: it warns about httpx on import

    web = create_app(store, SCENARIOS, workers=1)
    with TestClient(web) as client:
        r = client.post("/api/runs", data={"library": name, "wait": "true"})
    web.state.pool.shutdown(wait=True)
    assert r.status_code == 200, r.text
    assert r.json()["reused"] and r.json()["run_id"] == cli_run.run_id
    assert len(store.runs()) == 1


def test_an_unknown_name_is_refused_alike(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADESIM_STORE", "off")
    res = CliRunner().invoke(cli, ["run", "geneva_truce"])
    assert res.exit_code == 2
    from fastapi.testclient import TestClient  # imported here: it warns about httpx on import

    web = create_app(RunStore(tmp_path / "runs.duckdb"), SCENARIOS, workers=1)
    with TestClient(web) as client:
        r = client.post("/api/runs", data={"library": "geneva_truce"})
    web.state.pool.shutdown(wait=True)
    assert r.status_code == 422
    message = r.json()["detail"]
    assert message.startswith("unknown library scenario 'geneva_truce' (the library has: ")
    assert " ".join(message.split()) in " ".join(res.output.split())  # the CLI prints the same line
