"""The Liberation Day schedule on the 81 economies of icio2022, and `tradesim compare-models`."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import SCENARIOS
from tradesim.data.baci2023 import load_baci2023
from tradesim.data.registry import load_baseline
from tradesim.model.liberation_day import calibrate, ustr_tariffs
from tradesim.model.liberation_day import tariffs as tf
from tradesim.model.liberation_day.crosswalk import cp_scenario_dict, map_schedule


@pytest.fixture(scope="module")
def world():
    ds = load_baci2023()
    inputs = calibrate(ds)
    return inputs, ustr_tariffs(inputs, ds), list(load_baseline("icio2022").countries)


def test_named_economies_keep_their_rates_and_row_is_a_trade_weighted_mean(world):
    inputs, t, economies = world
    rates = map_schedule(inputs, t, economies).set_index(["importer", "exporter"])["rate"]
    assert rates[("USA", "CHN")] == pytest.approx(0.54) and rates[("USA", "JPN")] == pytest.approx(0.24)
    assert rates[("USA", "TWN")] == 0.10  # Taiwan is not in the authors' data: the floor
    # ROW: US-import-weighted over the BACI economies that icio2022 does not name
    rest = [i for i, c in enumerate(inputs.countries) if c not in economies]
    w = inputs.flows[inputs.us, rest]
    assert rates[("USA", "ROW")] == pytest.approx((w * t[inputs.us, rest]).sum() / w.sum())
    assert set(rates.index.get_level_values("importer")) == {"USA"}  # no retaliation in this case
    assert len(rates) == len(economies) - 1


def test_retaliation_maps_to_the_partners_rows(world):
    inputs, t, economies = world
    rates = map_schedule(inputs, tf.reciprocal(inputs, t), economies).set_index(["importer", "exporter"])["rate"]
    assert rates[("CHN", "USA")] == pytest.approx(0.54)
    assert ("TWN", "USA") not in rates.index  # no data, no retaliation
    scn = cp_scenario_dict(map_schedule(inputs, t, economies), "x", "src")
    assert all(m["sector"] == "goods" and m["add"] > 0 for m in scn["measures"])


@pytest.mark.slow
def test_compare_models_side_by_side():
    from tradesim.cli.compare import compare

    side, features, _, notes = compare(SCENARIOS / "liberation_day" / "ustr_tax_relief.toml")
    ld = side["Liberation Day (baci2023)"]
    assert round(ld["USA"], 2) == 1.13 and round(ld["CHN"], 2) == -1.13 and round(ld["JPN"], 2) == -0.29
    assert np.isfinite(side.to_numpy()).all() and side.shape == (5, 3)
    # China loses in both models; the US gains only with the Liberation Day model's income-tax
    # relief: Caliendo-Parro rebates revenue lump-sum and has the US about even (exact welfare),
    # as the Liberation Day model's own lump-sum case (-0.01, Table 1)
    assert (side.loc["CHN"] < 0).all() and (side.loc["USA"].iloc[1:].abs() < 0.1).all()
    assert features.loc["revenue rebated lump-sum", "USA"] == pytest.approx(-0.01, abs=0.005)
    assert "residual" in notes[0]
