"""``tradesim sweep`` and ``tradesim timeline`` reach the experiments folder (the Liberation
Day family's sweep and Monte Carlo commands: tests/model/test_liberation_day_experiments.py;
``tradesim montecarlo``: tests/cli/test_cli.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from tradesim.cli.main import app
from tradesim.results.columns import OUTCOMES

SPEC = """
name = "US tariff on Mexico"
baseline = "cp2015"
countries = ["USA", "MEX"]
[grid]
rate = [0.0, 0.3]
[[measures]]
kind = "tariff"
importer = "USA"
exporter = "MEX"
add = "{rate}"
"""


def test_sweep_command_writes_the_table_and_the_plot(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    res = CliRunner().invoke(app, ["sweep", str(spec), "-o", str(tmp_path / "out")], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "2 scenarios, 2 converged" in res.output
    table = pd.read_parquet(tmp_path / "out" / "sweep.parquet")
    assert list(table.columns) == ["point", "rate", "country", "converged", "residual", *OUTCOMES]
    zero, tariff = table[table.point == 0], table[table.point == 1].set_index("country")
    assert np.abs(zero["welfare_pct"]).max() < 1e-12          # no change, no welfare change
    assert tariff.loc["MEX", "welfare_pct"] < 0                # a US tariff on Mexico hurts Mexico
    assert (tmp_path / "out" / "sweep.html").stat().st_size > 1000
    bad = CliRunner().invoke(app, ["sweep", str(spec), "--outcome", "gdp"], terminal_width=200)
    assert bad.exit_code != 0 and "--outcome must be one of welfare_pct" in bad.output


def test_timeline_outside_the_tracker_is_a_one_line_error():
    res = CliRunner().invoke(app, ["timeline", "--from", "2027-01-01", "--to", "2027-12-31"])
    assert res.exit_code != 0 and "no tracker date between 2027-01-01 and 2027-12-31" in res.output
