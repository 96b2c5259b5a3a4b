"""Sweeps: grid expansion, one tidy table, Dask gives exactly the single-process numbers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from tradesim.errors import ScenarioError
from tradesim.model.solve import SolverOptions
from tradesim.experiments.sweep import failed_points, parse_sweep, run_sweep, scenario_table

SPEC = """
name = "US tariff on Mexico"
baseline = "cp2015"
countries = ["USA", "MEX", "CAN"]

[grid]
rate = { start = 0.0, stop = 0.99, step = 0.01 }
retaliation = [false, true]

[[measures]]
kind = "tariff"
importer = "USA"
exporter = "MEX"
add = "{rate}"

[[measures]]
when = "retaliation"
kind = "tariff"
importer = "MEX"
exporter = "USA"
add = "{rate}"
"""


def test_grid_expansion():
    spec = parse_sweep(SPEC)
    points = spec.points()
    assert len(points) == 200 and points[0] == {"rate": 0.0, "retaliation": False}
    table = scenario_table(spec, {"rate": 0.25, "retaliation": False})
    assert [m["add"] for m in table["measures"]] == [0.25]
    assert len(scenario_table(spec, {"rate": 0.25, "retaliation": True})["measures"]) == 2
    with pytest.raises(ScenarioError, match="grid 'rate' needs numeric start, stop and step"):
        parse_sweep('name = "x"\n[grid]\nrate = { start = 0 }\n')
    with pytest.raises(ScenarioError, match=r"give a \[grid\] table"):
        parse_sweep('name = "x"\n')


@pytest.mark.slow
def test_dask_sweep_of_200_scenarios_equals_single_process():
    spec = parse_sweep(SPEC)
    single = run_sweep(spec)
    assert single["point"].nunique() == 200 and single["converged"].all()
    dask = run_sweep(spec, workers=2, chunk_size=25)
    pd.testing.assert_frame_equal(single, dask, check_exact=True)   # exactly, not approximately
    usa = single[(single.country == "MEX") & (~single.retaliation)].sort_values("rate")
    # zero tariff, zero change; a higher US tariff makes Mexico poorer, monotonically
    assert abs(usa["welfare_first_order_pct"].iloc[0]) < 1e-12 and (np.diff(usa["welfare_pct"]) < 0).all()
    assert abs(usa["welfare_pct"].iloc[0]) < 1e-12 and abs(usa["ev_usd"].iloc[0]) < 1e-3


def test_a_failing_point_is_reported_and_spoils_nothing():
    spec = replace(parse_sweep(SPEC), grid={"rate": [0.0, 0.5], "retaliation": [False]})
    table = run_sweep(spec, options=SolverOptions(max_newton=1))
    failed = failed_points(table)
    assert list(failed["point"]) == [1] and failed["residual"].iloc[0] > 1e-8
    ok = table[table.point == 0]
    assert ok["converged"].all() and np.abs(ok["welfare_first_order_pct"]).max() < 1e-12
    assert np.abs(ok["welfare_pct"]).max() < 1e-12
