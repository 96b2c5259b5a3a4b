"""The headline welfare figure is the exact real-income change everywhere it is emitted.

Reference: Caliendo and Parro (2015), eq. (20)-(21): welfare is real income I/P,
so its exact change is ``100 * (I'/I / P_hat - 1)``, computed here independently
from the solved equilibrium's arrays (``Result.to_xarray``: incomes and the price
index change). The equivalent variation at the reference world's prices is
``I (I'/I / P_hat - 1)``; summed over countries it is the change in world real
income at those prices, an identity checked against the same arrays.
"""

from __future__ import annotations

import json
import tomllib

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import tradesim
from tradesim.cli.main import app
from tradesim.results.store import open_store
from tests.conftest import SCENARIOS

LIBRARY = tomllib.loads((SCENARIOS / "library.toml").read_text())["scenarios"] + ["cp2015_nafta"]


def run_key_of(result) -> str:
    """The store's key of this run: scenario (and its reference), baseline version, set, closure."""
    from tradesim.results.store import key_of
    from tradesim.scenario.spec import resolve_reference

    return key_of(result.scenario, resolve_reference(result.scenario), result.baseline, result.solution.closure)


def exact_pct(result) -> pd.Series:
    ds = result.to_xarray()
    real = ds["income_after"] / ds["income_before"] / ds["price_index_hat"]
    return pd.Series((real.values - 1) * 100, index=[str(c) for c in ds["country"].values])


@pytest.fixture(scope="module")
def solved():
    return {name: tradesim.run(SCENARIOS / f"{name}.toml", origin="api") for name in LIBRARY}


@pytest.mark.slow
def test_every_headline_is_the_exact_real_income_change(solved):
    runs = open_store(None)
    runner = CliRunner()
    for name, result in solved.items():
        exact = exact_pct(result)
        w = result.welfare()
        np.testing.assert_allclose(w["welfare_pct"], exact.loc[w.index], rtol=1e-10, atol=1e-13, err_msg=name)
        summary = result.summary()["countries"]
        np.testing.assert_allclose([summary[c]["welfare_pct"] for c in exact.index], exact, rtol=1e-10, atol=1e-13)
        # the CLI's --json (the run is given back from the store, as a user gets it)
        res = runner.invoke(app, ["run", str(SCENARIOS / f"{name}.toml"), "--json", "--no-save"])
        assert res.exit_code == 0, res.output
        cli = json.loads(res.output)["countries"]
        np.testing.assert_allclose([cli[c]["welfare_pct"] for c in exact.index], exact, rtol=1e-10, atol=1e-13)
        # the store's welfare table
        run_id = runs.find(run_key_of(result))
        stored = runs.table(run_id, "welfare").set_index("country")["welfare_pct"]
        np.testing.assert_allclose(stored.loc[exact.index], exact, rtol=1e-10, atol=1e-13, err_msg=name)
        # equivalent variation: I (W_hat - 1), in US dollars; world sum = world real-income change
        ds = result.to_xarray()
        income = ds["income_before"].values * result.usd_per_unit
        np.testing.assert_allclose(w["ev_usd"], income * exact.loc[w.index].values / 100, rtol=1e-10, atol=1e-12 * income.max())
        world_change = float((ds["income_after"] / ds["price_index_hat"] - ds["income_before"]).sum())
        world = result.world()
        assert world["ev_usd"] == pytest.approx(world_change * result.usd_per_unit, rel=1e-9,
                                                 abs=1e-12 * world["income_usd"]), name
        assert world["welfare_pct"] == pytest.approx(100 * world_change / float(ds["income_before"].sum()),
                                                     rel=1e-9, abs=1e-13), name


def test_ev_is_in_us_dollars(nafta):
    """cp2015's values are in USD, icio2022's in USD million (their ``units`` attributes)."""
    assert nafta.usd_per_unit == 1.0
    assert tradesim.load_baseline("icio2022").ds["trade"].attrs["units"] == "USD million"
    w = nafta.welfare()
    # US income 1993 in the CP data: about USD 6.5 tn
    assert 5e12 < w.loc["USA", "income_usd"] < 8e12
