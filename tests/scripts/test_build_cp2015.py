"""The shipped CP2015 baseline is what the build script makes from ../shared."""

from __future__ import annotations

import numpy as np
import pytest
import rdata
import xarray as xr

from tests.conftest import SHARED, needs_shared
from tradesim.data.sources.cp2015 import COUNTRY_NAMES, SECTORS, read_cp2015

pytestmark = [needs_shared(), pytest.mark.shared]


def test_rebuild_reproduces_shipped_file(cp2015):
    import scripts.build_cp2015 as build

    rebuilt = build.build(SHARED)
    xr.testing.assert_allclose(rebuilt.drop_attrs(), cp2015.ds.drop_attrs(), rtol=1e-9)
    assert rebuilt.attrs["version"] == cp2015.ds.attrs["version"]


def test_raw_reader_agrees_with_independent_r_processing():
    """paulofelipe/cp2015 (R) prepared the same files independently; its tidy
    data (cp2015_nafta.rda) must give the same flows, tariffs and deficits."""
    raw = read_cp2015(SHARED / "cp2015")
    r = rdata.read_rda(SHARED / "cp2015" / "cp2015_nafta.rda")["cp2015_nafta"]
    trade = r["trade"]
    names = {n: i for i, n in enumerate(COUNTRY_NAMES)}
    names.update({"UK": names["United Kingdom"], "USA": names["United States"], "Row": names["Rest of the world"]})
    sectors = {s: k for k, s in enumerate(SECTORS)}
    sectors.update({"Machinery n.e.c": sectors["Machinery n.e.c."], "Real State": sectors["Real Estate"]})
    n = trade["importer"].map(names).to_numpy()
    i = trade["exporter"].map(names).to_numpy()
    j = trade["sector"].map(sectors).to_numpy()
    ours = raw["trade"].values[n, i, j]
    np.testing.assert_allclose(ours, trade["value"].to_numpy(), rtol=1e-6, atol=1.0)
    np.testing.assert_allclose(raw["tariff"].values[n, i, j], trade["tariff"].to_numpy(), atol=1e-9)
    nafta = np.isin(trade["importer"], ["Canada", "Mexico", "USA"]) & np.isin(trade["exporter"], ["Canada", "Mexico", "USA"])
    np.testing.assert_allclose(raw["tariff_2005"].values[n, i, j][nafta], trade["tariff_cfl"].to_numpy()[nafta], atol=1e-9)
    d = r["deficit"]
    np.testing.assert_allclose(raw["deficit"].values[d["region"].map(names).to_numpy()], d["D"].to_numpy(),
                               rtol=1e-6, atol=10.0)
