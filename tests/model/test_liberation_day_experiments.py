"""The Liberation Day family in sweeps and Monte Carlo through the CLI (issue 16, item 5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import SCENARIOS
from tradesim.cli.main import app
from tradesim.errors import ScenarioError

ROOT = SCENARIOS.parent
SWEEP = """name = "LD"
model = "liberation_day"
scenario = "{path}"
countries = ["USA"]
[grid]
epsilon = [4.0, 6.0]
kappa = [0.0, 0.5]
"""


def test_sweep_command_over_epsilon_and_kappa(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADESIM_STORE", "off")
    spec = tmp_path / "ld.toml"
    spec.write_text(SWEEP.format(path=SCENARIOS / "liberation_day" / "ustr_tax_relief.toml"))
    res = CliRunner().invoke(app, ["sweep", str(spec), "-o", str(tmp_path / "out")], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "4 scenarios, 4 converged" in res.output
    t = pd.read_parquet(tmp_path / "out" / "sweep.parquet")
    assert len(t) == 4 * (194 + 2) and t["converged"].all() and (t["residual"] < 1e-10).all()
    us = t[t.country == "USA"].set_index(["epsilon", "kappa"])
    assert f"{us.loc[(4.0, 0.5), 'welfare_pct']:.2f}" == "1.13"  # Table 1, case 1 (Table_1.tex): the benchmark point
    assert np.abs(us.xs(0.0, level="kappa")["employment_change_pct"]).max() < 1e-12  # inelastic labour
    assert (tmp_path / "out" / "sweep.html").exists()


def test_shipped_family_sweep_spec_parses():
    from tradesim.experiments.sweep import parse_sweep, scenario_path

    spec = parse_sweep((ROOT / "sweeps" / "liberation_day_elasticities.toml").read_text())
    assert spec.model == "liberation_day" and set(spec.grid) == {"epsilon", "kappa"}
    assert scenario_path(spec).is_file()


def test_family_sweep_errors_name_the_field(tmp_path):
    from tradesim.experiments.sweep import parse_sweep, run_sweep

    with pytest.raises(ScenarioError, match="needs 'scenario'"):
        parse_sweep('model = "liberation_day"\n[grid]\nepsilon = [4.0]\n')
    bad = parse_sweep(SWEEP.format(path=SCENARIOS / "liberation_day" / "ustr_tax_relief.toml")
                      .replace("kappa = [0.0, 0.5]", "kapa = [0.0]"))
    with pytest.raises(ScenarioError, match="unknown option.*kapa"):
        run_sweep(bad)


def test_montecarlo_command_draws_epsilon_and_kappa(tmp_path, monkeypatch):
    from tradesim.model.liberation_day.uncertainty import draw_parameters

    monkeypatch.setenv("TRADESIM_STORE", "off")
    path = SCENARIOS / "liberation_day" / "ustr_tax_relief.toml"
    res = CliRunner().invoke(app, ["montecarlo", str(path), "--draws", "3", "--seed", "5", "-o", str(tmp_path),
                                   "-c", "USA,EU"], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "epsilon lognormal" in " ".join(res.output.split()) and "3 of 3 draws converged" in res.output
    samples = pd.read_parquet(tmp_path / "samples.parquet")
    drawn = draw_parameters(3, 4.0, 0.25, 0.0, 1.0, 5)  # the seeded draws, reproduced
    usa = samples[samples.country == "USA"].set_index("draw")
    np.testing.assert_array_equal(usa["epsilon"].to_numpy(), drawn["epsilon"].to_numpy())
    np.testing.assert_array_equal(usa["kappa"].to_numpy(), drawn["kappa"].to_numpy())
    summary = pd.read_parquet(tmp_path / "summary.parquet").set_index("country")
    assert summary.loc["USA", "welfare_pct_mean"] == pytest.approx(usa["welfare_pct"].mean(), rel=1e-12)
    bad = CliRunner().invoke(app, ["montecarlo", str(path), "--draws", "2", "--source", "table"])
    assert bad.exit_code != 0 and "draws its own parameters" in bad.output


def test_cli_run_records_the_family_run_once_unless_fresh(tmp_path, monkeypatch):
    from tradesim.results.store import RunStore

    monkeypatch.setenv("TRADESIM_STORE", str(tmp_path / "runs.duckdb"))
    path = str(SCENARIOS / "liberation_day" / "ustr_lump_sum.toml")
    for extra in ([], [], ["--fresh"]):
        res = CliRunner().invoke(app, ["run", path, "-o", str(tmp_path / "r"), "--overwrite", *extra])
        assert res.exit_code == 0, res.output
    runs = RunStore(tmp_path / "runs.duckdb").runs()
    assert list(runs["model"]) == ["liberation_day"] * 2 and set(runs["origin"]) == {"cli"}
    CliRunner().invoke(app, ["run", path, "--no-save"])
    assert len(RunStore(tmp_path / "runs.duckdb").runs()) == 2


def test_a_sweep_point_is_the_papers_epsilon_8_case():
    """The grid point epsilon = 8 with psi and phi kept at epsilon = 4 is the appendix case (USA +0.33%,
    the package's Table 9 as in tests/model/test_liberation_day_tables.py) and the epsilon_8 scenario, bit for bit."""
    from tradesim.model.family import scenario_family

    fam = scenario_family("liberation_day")
    t = fam.sweep(SCENARIOS / "liberation_day" / "ustr_tax_relief.toml", [{"epsilon": 8.0, "calibration_epsilon": 4.0}])
    us = t.set_index("country").loc["USA"]
    assert f"{us['welfare_pct']:.2f}" == "0.33"
    assert us["welfare_pct"] == fam.run(SCENARIOS / "liberation_day" / "epsilon_8.toml").table.loc["USA", "welfare_pct"]
