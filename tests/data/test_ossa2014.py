"""The shipped Ossa (2014) dataset: rebuilt from the author's files, layout checks."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from tests.conftest import ROOT, SHARED, needs_shared
from tradesim.errors import DataError
from tradesim.model.ossa import load_ossa2014


@needs_shared()
def test_build_matches_shipped_file(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "ossa.nc"
    subprocess.run([sys.executable, str(ROOT / "scripts/build_ossa2014.py"), "--shared", str(SHARED),
                    "--out", str(out)], check=True, capture_output=True)
    with xr.open_dataset(out, engine="scipy") as new:
        shipped = load_ossa2014()
        for name in shipped.data_vars:
            np.testing.assert_allclose(new[name].values, shipped[name].values, rtol=1e-12)
        assert new.attrs["license"] and new.attrs["source"]


@needs_shared()
def test_layout_against_csv():
    """Entry (importer USA, exporter CHN, sector ele) read straight from the CSV: row =
    sector block 'ele' (31st) x exporter CHN (2nd), column = importer USA (7th)."""
    ds = load_ossa2014()
    raw = np.loadtxt(SHARED / "ossa2014" / "trade_ijs.csv", delimiter=",")
    sectors = list(ds.sector.values)
    row = sectors.index("ele") * 7 + 1
    assert ds.trade.sel(importer="USA", exporter="CHN", sector="ele").item() == pytest.approx(raw[row, 6])
    tar = np.loadtxt(SHARED / "ossa2014" / "tariff_ijs.csv", delimiter=",")
    assert ds.tariff.sel(importer="USA", exporter="CHN", sector="ele").item() == pytest.approx(tar[row, 6])
    assert ds.sizes == {"importer": 7, "exporter": 7, "region": 7, "sector": 33}
    assert (np.diagonal(ds.tariff.values, axis1=0, axis2=1) == 0).all()
    assert ds.sigma.min() > 1


def test_reader_rejects_missing_folder(tmp_path):
    from tradesim.data.sources.ossa2014 import read_ossa2014

    with pytest.raises(DataError, match="DATA.mat"):
        read_ossa2014(tmp_path)
