"""The shipped gegravity2006 panel is what the build script makes from ../shared, and reads back
to the source file's table (same labels, same numbers, same row order)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from tests.conftest import SHARED, needs_shared

pytestmark = [needs_shared(), pytest.mark.shared]


def test_rebuild_reproduces_shipped_file():
    import scripts.build_gegravity2006 as build
    from tradesim.gravity.data import GravityData
    from tradesim.model.gravity.data import load_dataset, load_gegravity2006

    xr.testing.assert_identical(build.build(SHARED), load_dataset().drop_attrs().assign_attrs(
        {k: v for k, v in load_dataset().attrs.items() if k != "version"}))
    source = GravityData.read(SHARED / "gegravity" / "sample_data_set.dlm").frame
    shipped = load_gegravity2006().frame
    assert list(shipped.columns) == list(source.columns)
    for col in source.columns:
        if source[col].dtype.kind in "iuf":
            np.testing.assert_array_equal(shipped[col].to_numpy(float), source[col].to_numpy(float), err_msg=col)
        else:
            assert (shipped[col].astype(str) == source[col].astype(str)).all(), col
