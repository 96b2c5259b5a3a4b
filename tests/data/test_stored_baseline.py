"""Shipped baselines read back from ``$TRADESIM_CACHE/baselines`` (:mod:`tradesim.data.stored`)
are the datasets the NetCDF files give (``xarray.testing.assert_identical``: values, dims,
coordinates, attributes), and a damaged entry is ignored; xarray imports dask only once
something uses dask (:mod:`tradesim.data.nodask`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import xarray as xr

from tradesim import diskcache
from tradesim.data import registry
from tradesim.data.stored import baseline_key, load_stored_baseline, save_baseline

ROOT = Path(__file__).resolve().parents[2]


def from_file(name: str) -> xr.Dataset:
    """The dataset as the registry builds it from the file (independently of the cache)."""
    with xr.open_dataset(registry.BUILTIN / f"{name}.nc", engine="scipy") as ds:
        ds = ds.load()
    return ds.assign_coords(tradable=ds["tradable"].astype(bool))


@pytest.mark.parametrize("name", ["cp2015", "icio2022"])
def test_stored_baseline_is_the_file(name, tmp_path, monkeypatch):
    monkeypatch.setenv("TRADESIM_CACHE", str(tmp_path))
    path = registry.BUILTIN / f"{name}.nc"
    assert load_stored_baseline(path, name) is None
    assert save_baseline(path, registry.load_baseline(name))
    stored = load_stored_baseline(path, name)
    expected = from_file(name)
    xr.testing.assert_identical(stored.ds, expected)
    assert list(stored.ds.data_vars) == list(expected.data_vars) and list(stored.ds.dims) == list(expected.dims)
    for v in expected.variables:
        assert stored.ds[v].dtype == expected[v].dtype, v
    assert stored.name == name and stored.version == registry.load_baseline(name).version
    assert load_stored_baseline(path, "another-name") is None


def test_damaged_baseline_entry_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADESIM_CACHE", str(tmp_path))
    path = registry.BUILTIN / "cp2015.nc"
    save_baseline(path, registry.load_baseline("cp2015"))
    entry = diskcache.entry_path("baselines", baseline_key(path))
    data = entry.read_bytes()
    entry.write_bytes(data[:-100])
    assert load_stored_baseline(path, "cp2015") is None


SCRIPT = """
import json, sys
import tradesim
base = tradesim.load_baseline("cp2015")
total = float(base.ds["trade"].sum("importer").sum())
before = "dask" in sys.modules
import dask.array as da
import xarray as xr
from xarray.namedarray.pycompat import is_chunked_array
chunked = xr.DataArray(da.ones(6, chunks=3), dims="x")
print(json.dumps({"before": before, "chunked": bool(is_chunked_array(chunked.variable._data)),
                  "sum": float(chunked.sum()), "rechunk": list(map(int, xr.DataArray([1.0, 2.0, 3.0], dims="x")
                                                                    .chunk(2).chunks[0]))}))
"""


def test_no_dask_until_dask_is_used(tmp_path):
    env = {**os.environ, "TRADESIM_CACHE": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    for _ in range(2):  # from the file, then from the cache
        out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=300)
        assert out.returncode == 0, out.stderr[-2000:]
        got = json.loads(out.stdout.strip().splitlines()[-1])
        assert got == {"before": False, "chunked": True, "sum": 6.0, "rechunk": [2, 1]}
