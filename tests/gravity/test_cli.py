"""Smoke tests of ``tradesim gravity estimate|simulate``."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.gravity import SAMPLE, need_sample

runner = CliRunner()
SPEC = Path(__file__).resolve().parents[2] / "scenarios" / "gravity_can_jpn.toml"


@pytest.fixture
def app():
    from tradesim.cli.gravity import app

    return app


@pytest.mark.shared
def test_estimate(app, tmp_path):
    need_sample()
    out = tmp_path / "coef.csv"
    r = runner.invoke(app, ["estimate", str(SAMPLE), "--formula",
                            "trade ~ lndist + contiguity + common_language + pta + international", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "0.471138" in r.output and out.exists()


@pytest.mark.shared
def test_simulate_compat(app, tmp_path):
    need_sample()
    r = runner.invoke(app, ["simulate", str(SAMPLE), "--experiment", str(SPEC), "--compat", "gegravity",
                            "--draws", "5", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "+0.418261" in r.output and "60.1817%" in r.output
    assert (tmp_path / "countries.csv").exists() and (tmp_path / "draws_summary.csv").exists()


def test_errors_exit_2(app, tmp_path):
    r = runner.invoke(app, ["simulate", str(tmp_path / "none.dlm"), "--experiment", str(tmp_path / "none.toml")])
    assert r.exit_code == 2 and "error:" in r.output and "not found" in r.output
    bad = tmp_path / "bad.toml"
    bad.write_text('sigma = 5\nformula = "trade ~ pta"\n[[change]]\nvariable = "pta"\nvalue = 1\n'
                   'exporters = ["CAN"]\nimporters = ["JPN"]\ncolour = "red"\n')
    r = runner.invoke(app, ["simulate", str(tmp_path / "none.dlm"), "--experiment", str(bad)])
    assert r.exit_code == 2 and "unknown key(s) colour" in r.output


@pytest.mark.shared
def test_bad_panel_exit_2(app, tmp_path):
    need_sample()
    import pandas as pd

    f = pd.read_csv(SAMPLE).iloc[5:]
    path = tmp_path / "holes.csv"
    f.to_csv(path, index=False)
    r = runner.invoke(app, ["estimate", str(path), "--formula", "trade ~ lndist"])
    assert r.exit_code == 2 and "not square" in r.output
