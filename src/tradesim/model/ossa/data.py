"""The shipped Ossa (2014) dataset: 7 regions x 33 industries, the author's ``DATA.mat``
(see ``src/tradesim/data/builtin/PROVENANCE.md``, section ossa2014.nc, for source and licence)."""

from __future__ import annotations

from importlib import resources

import xarray as xr


def load_ossa2014() -> xr.Dataset:
    """The shipped Ossa (2014) dataset (see ``PROVENANCE.md``, section ossa2014.nc)."""
    path = resources.files("tradesim.data") / "builtin" / "ossa2014.nc"
    with xr.open_dataset(str(path), engine="scipy") as ds:
        return ds.load()
