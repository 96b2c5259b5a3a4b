"""The shipped BACI 2023 world of the Liberation Day model (Ignatenko et al. 2025).

One sector, 194 economies: goods trade (importer, exporter) in thousand USD with no
domestic sales, the 2025 US applied tariff by partner, and GDP. It is not an engine
baseline of the Caliendo-Parro family (no sectors, no input-output shares): the
``liberation_day`` model family builds its inputs from it
(:func:`tradesim.model.liberation_day.inputs.calibrate`). Provenance: the file's
attributes and ``data/builtin/PROVENANCE.md`` (section baci2023.nc).

>>> ds = load_baci2023()
>>> ds.sizes["country"]
194
"""

from __future__ import annotations

from functools import lru_cache

import xarray as xr

from tradesim.data.registry import BUILTIN
from tradesim.errors import DataError

NAME = "baci2023"


@lru_cache(maxsize=1)
def _read() -> xr.Dataset:
    path = BUILTIN / f"{NAME}.nc"
    if not path.exists():
        raise DataError(f"{NAME}: {path} is missing; build it with scripts/build_baci2023.py")
    with xr.open_dataset(path, engine="scipy") as ds:
        return ds.load()


def load_baci2023() -> xr.Dataset:
    """The shipped dataset (a copy: callers may modify it freely)."""
    return _read().copy(deep=True)
