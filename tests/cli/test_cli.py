"""The command line: tables on success, one clear line and exit status 2 on error."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, SCENARIOS
from tradesim.cli.main import app

runner = CliRunner()


def test_help_explains_every_option():
    out = runner.invoke(app, ["--help"]).output
    for command in ("run", "demo", "replicate", "baselines"):
        assert command in out
    out = runner.invoke(app, ["run", "--help"], terminal_width=200).output
    for option in ("--out", "--baseline", "--closure", "--elasticity-set", "--countries", "--top", "--json",
                   "--no-save"):
        assert option in out


def test_run_nafta_prints_table_and_writes_results(tmp_path, nafta):
    res = runner.invoke(app, ["run", str(SCENARIOS / "cp2015_nafta.toml"), "--out", str(tmp_path / "r")],
                        terminal_width=200)
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    w = nafta.welfare()
    # the headline is the exact real-income change (MEX +0.0073%, CAN -0.110%), printed as such
    for c in ("MEX", "CAN", "USA"):
        cell = next(x for x in res.output.splitlines() if x.startswith(f"│ {c}")).strip("│").split("│")[1].strip()
        decimals = len(cell.rstrip("%").split(".")[1])
        assert decimals >= 3 and float(cell.rstrip("%")) == pytest.approx(w.loc[c, "welfare_pct"], abs=0.51 * 10 ** -decimals)
    assert summary["countries"]["MEX"]["welfare_pct"] == pytest.approx(w.loc["MEX", "welfare_pct"], abs=1e-12)
    # the paper's one-step figure stays in the summary under its own name (Table 2: MEX 1.31)
    assert round(summary["countries"]["MEX"]["welfare_first_order_pct"], 2) == 1.31


def test_json_output(nafta):
    res = runner.invoke(app, ["run", str(SCENARIOS / "cp2015_nafta.toml"), "--json", "--no-save"])
    assert res.exit_code == 0
    assert round(json.loads(res.output)["countries"]["CAN"]["tot_first_order_pct"], 2) == -0.11


@pytest.mark.parametrize("body, message", [
    ('name = "x"\nbaseline = "cp2015"\n[[measures]]\nkind = "tariff"\nimporter = "XYZ"\nset = 0.1\n', "unknown country 'XYZ'"),
    ('name = "x"\nbaseline = "cp2015"\n[[measures]]\nkind = "tariff"\nimporter = "USA"\nset = -2\n', "below -100%"),
    ('name = "x"\n[[measures]\n', "not valid TOML"),
    ('name = "x"\nbaseline = "nowhere"\n', "unknown baseline 'nowhere'"),
])
def test_bad_input_is_one_line_exit_2(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body)
    res = runner.invoke(app, ["run", str(path), "--no-save"], terminal_width=300)
    assert res.exit_code == 2
    assert message in res.output and "Traceback" not in res.output


def test_no_traceback_from_the_real_process(tmp_path):
    """The installed entry point, as a user runs it."""
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\nbaseline = "cp2015"\n[[measures]]\nkind = "tariff"\nsector = "Spaceships"\nset = 0.1\n')
    proc = subprocess.run([sys.executable, "-m", "tradesim.cli.main", "run", str(path)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert "unknown sector 'Spaceships'" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout
    assert len(proc.stderr.strip().splitlines()) <= 2
    missing = subprocess.run([sys.executable, "-m", "tradesim.cli.main", "run", "nope.toml"], capture_output=True,
                             text=True, cwd=tmp_path, timeout=120)
    assert missing.returncode == 2 and "scenario file not found" in missing.stderr


def test_baselines_lists_cp2015():
    res = runner.invoke(app, ["baselines"], terminal_width=200)
    assert res.exit_code == 0 and "cp2015" in res.output


def test_elasticity_set_option(tmp_path):
    res = runner.invoke(app, ["run", str(SCENARIOS / "china_seafood_ban.toml"), "-e", "U4", "--json", "--no-save"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["elasticity_set"] == "U4"
    res = runner.invoke(app, ["run", str(SCENARIOS / "china_seafood_ban.toml"), "-e", "XX", "--no-save"])
    assert res.exit_code == 2 and "unknown elasticity set 'XX'" in res.output


def test_montecarlo_with_a_users_distribution_and_a_bad_one(tmp_path):
    good = tmp_path / "theta.csv"
    good.write_text("sector,mean,sd\nAgriculture,4.0,0.5\n")     # the other sectors stay as shipped
    out = tmp_path / "mc"
    res = runner.invoke(app, ["montecarlo", str(SCENARIOS / "cp2015_nafta.toml"), "-n", "3", "--distribution",
                              str(good), "-c", "MEX", "-o", str(out)], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "MEX" in res.output and "3 of 3 draws converged" in res.output and (out / "summary.parquet").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("sector,mean,sd\nNOPE,4.0,0.5\n")
    res = runner.invoke(app, ["montecarlo", str(SCENARIOS / "cp2015_nafta.toml"), "-n", "3", "--distribution",
                              str(bad)])
    assert res.exit_code == 2 and "row 1 (sector 'NOPE'): unknown sector" in res.output


def test_replicate_prints_table_2_next_to_the_exact_figures(tmp_path, nafta):
    """CP (2015) Table 2, as published (one-step figures, two decimals), and the exact change beside it."""
    res = runner.invoke(app, ["replicate", "--out", str(tmp_path / "rep")], terminal_width=220)
    assert res.exit_code == 0, res.output
    row = next(line for line in res.output.splitlines() if line.startswith("│ MEX"))
    cells = [c.strip() for c in row.strip("│").split("│")]
    assert cells[1:5] == ["1.31", "-0.41", "1.72", "1.72"]          # Table 2, MEX
    assert cells[6] == f"{nafta.welfare().loc['MEX', 'welfare_pct']:.2f}" == "0.01"  # exact real income
    can = [c.strip() for c in next(x for x in res.output.splitlines() if x.startswith("│ CAN")).strip("│").split("│")]
    assert can[1:5] == ["-0.06", "-0.11", "0.04", "0.32"]
    assert "first order" in res.output and "exact change in Mexico's real income is 0.01%" in " ".join(res.output.split())
    bad = runner.invoke(app, ["replicate", "atlantis"])
    assert bad.exit_code == 2 and "unknown paper 'atlantis'" in bad.output


def test_run_rejects_unknown_countries():
    res = runner.invoke(app, ["run", str(SCENARIOS / "cp2015_nafta.toml"), "--no-save", "--countries", "MEX,XYZ"])
    assert res.exit_code == 2 and "unknown country code(s) XYZ" in res.output


def test_run_prints_the_briefing_for_a_small_scenario():
    """The seafood ban moves welfare by thousandths of a percent: no column of +0.00%."""
    res = runner.invoke(app, ["run", str(SCENARIOS / "china_seafood_ban.toml"), "--no-save"], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "Who gains and who loses" in res.output and "Trade diversion" in res.output
    assert "Fishing and aquaculture (A03)" in res.output and "USD" in res.output
    assert "+0.00%" not in res.output.split("Who gains")[0] and "-0.00%" not in res.output.split("Who gains")[0]
