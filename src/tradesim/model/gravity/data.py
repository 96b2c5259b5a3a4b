"""The shipped structural-gravity sample, ``gegravity2006``: gegravity's documented example data
(30 countries, 2006; see ``src/tradesim/data/builtin/PROVENANCE.md``, section gegravity2006.nc,
for source and licence), the baseline of the gravity family's scenario files.

Its version is ``gegravity2006-`` and the first 12 hex digits of the file's SHA-256, so a resolved
scenario pinning it fails loudly if the shipped numbers ever change.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

import pandas as pd
import xarray as xr

from tradesim.gravity.data import GravityData

NAME = "gegravity2006"


def _path():
    return resources.files("tradesim.data") / "builtin" / f"{NAME}.nc"


@lru_cache(maxsize=1)
def version() -> str:
    """``gegravity2006-<sha256 of the shipped file, 12 hex digits>``."""
    return f"{NAME}-{hashlib.sha256(_path().read_bytes()).hexdigest()[:12]}"


@lru_cache(maxsize=1)
def load_dataset() -> xr.Dataset:
    """The shipped file as it is (one ``pair`` dimension), with ``version`` in its attributes."""
    with xr.open_dataset(str(_path()), engine="scipy") as ds:
        out = ds.load()
    out.attrs["version"] = version()
    return out


def load_gegravity2006() -> GravityData:
    """The panel as :class:`~tradesim.gravity.data.GravityData` (columns in the source's order)."""
    ds = load_dataset()
    columns = [c.strip() for c in ds.attrs["columns"].split(",")]
    frame = pd.DataFrame({c: ds[c].values.astype(str) if ds[c].dtype.kind in "USO" else
                          ds[c].values.astype("int64" if ds[c].dtype.kind == "i" else "float64") for c in columns})
    return GravityData(frame)


def country_dataset() -> xr.Dataset:
    """Per country (``country``, ``country_name`` = the code: the sample has no names), output ``Y``
    and expenditure ``E``: what the dashboard needs of a family's baseline."""
    data = load_gegravity2006()
    f = data.frame
    y = f.drop_duplicates("exporter").set_index("exporter")["Y"]
    e = f.drop_duplicates("importer").set_index("importer")["E"]
    countries = list(data.countries)
    return xr.Dataset({"output": ("country", y.reindex(countries).to_numpy()),
                       "expenditure": ("country", e.reindex(countries).to_numpy())},
                      coords={"country": countries, "country_name": ("country", countries)},
                      attrs={**load_dataset().attrs})
