"""``tradesim regime``: prints or writes the regime of a date; bad dates are one-line errors."""

from __future__ import annotations

import tomllib

from typer.testing import CliRunner

from tradesim.cli.main import app

runner = CliRunner()


def test_regime_prints_a_scenario_with_sources(tmp_path, monkeypatch):
    result = runner.invoke(app, ["regime", "--date", "2025-11-20"])
    assert result.exit_code == 0, result.output
    scenario = tomllib.loads(result.output)
    assert "tracker date 2025-11-14" in result.output and scenario["baseline"] == "icio2022"
    assert all(m["source"] for m in scenario["measures"])
    out = tmp_path / "r.toml"
    assert runner.invoke(app, ["regime", "--date", "2025-11-14", "-o", str(out)]).exit_code == 0
    assert tomllib.loads(out.read_text())["include"][0].endswith("status_quo_2018.toml")


def test_regime_before_the_tracker_is_an_error():
    result = runner.invoke(app, ["regime", "--date", "2024-01-01"])
    assert result.exit_code == 2 and "before the tracker's first date" in result.output
