"""The shipped baci2023 dataset is what scripts/build_baci2023.py makes from ../shared/data/baci2023."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from tests.conftest import ROOT, SHARED
from tradesim.data.baci2023 import load_baci2023
from tradesim.errors import DataError

# The shared data beside the repo (TRADESIM_SHARED overrides, for checkouts elsewhere).
DATA = Path(os.environ.get("TRADESIM_SHARED", SHARED))
needs_baci = pytest.mark.skipif(not (DATA / "baci2023").exists(), reason="../shared/data/baci2023 is not beside the repo")


@needs_baci
@pytest.mark.shared
def test_build_matches_shipped_file(tmp_path):
    out = tmp_path / "baci.nc"
    subprocess.run([sys.executable, str(ROOT / "scripts/build_baci2023.py"), "--shared", str(DATA), "--out", str(out)],
                   check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    shipped = load_baci2023()
    with xr.open_dataset(out, engine="scipy") as new:
        for name in shipped.data_vars:
            np.testing.assert_array_equal(new[name].values, shipped[name].values)
        assert new.attrs["version"] == shipped.attrs["version"]
        for key in ("source", "year", "license"):
            assert new.attrs[key]


@needs_baci
@pytest.mark.shared
def test_layout_against_the_csv_files():
    """Entry (importer USA, exporter CHN) is row CHN (exporter), column USA (importer) of
    trade_cepii.csv; the tariff and GDP rows follow country_labels.csv."""
    ds = load_baci2023()
    labels = pd.read_csv(DATA / "baci2023" / "country_labels.csv")["iso3"].tolist()
    raw = pd.read_csv(DATA / "baci2023" / "trade_cepii.csv").to_numpy()
    chn, usa = labels.index("CHN"), labels.index("USA")
    assert ds.trade.sel(importer="USA", exporter="CHN").item() == pytest.approx(raw[chn, usa])
    assert ds.trade.sel(importer="CHN", exporter="USA").item() == pytest.approx(raw[usa, chn])
    # the README's checks: JPN 0.24, CHN 0.54 = 34% + 20%; USA GDP 2.78e13
    assert ds.us_tariff.sel(exporter="JPN").item() == pytest.approx(0.24)
    assert ds.us_tariff.sel(exporter="CHN").item() == pytest.approx(0.54)
    assert ds.gdp.sel(country="USA").item() == pytest.approx(2.78e13, rel=0.01)
    assert ds.sizes["country"] == 194 and (np.diag(ds.trade.values) == 0).all()


def test_registry_lists_baci2023_beside_the_engine_baselines():
    from tradesim.data.registry import FAMILY_DATASETS, OTHER_DATASETS, available_baselines, load_baseline

    assert "baci2023" not in available_baselines()  # not a Caliendo-Parro baseline
    assert FAMILY_DATASETS["baci2023"] == "liberation_day" and "baci2023" in OTHER_DATASETS
    with pytest.raises(DataError, match="baci2023"):
        load_baseline("baci2023")


def test_reader_rejects_missing_folder(tmp_path):
    from tradesim.data.sources.baci2023 import read_baci2023

    with pytest.raises(DataError, match="trade_cepii.csv"):
        read_baci2023(tmp_path)


def test_tradesim_baselines_lists_it_with_its_family():
    from typer.testing import CliRunner

    from tradesim.cli.main import app

    res = CliRunner().invoke(app, ["baselines"], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "baci2023 (liberation_day)" in res.output and "icio2022" in res.output
