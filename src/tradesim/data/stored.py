"""Shipped baselines kept as checked arrays under ``$TRADESIM_CACHE/baselines/``.

Reading a shipped NetCDF file costs a process the import of ``scipy.io``, the
decoding and :func:`tradesim.data.baseline.validate` (about 0.3 s together, a third
of the JAX floor); its content never changes. So the first process stores the
validated dataset as plain arrays (:mod:`tradesim.diskcache`: sealed, atomic, read
without pickle), named by the SHA-256 of the file's bytes, the source of
``tradesim.data`` and the numpy, pandas and xarray versions; later ones rebuild the
same dataset from them without validating it again (the bytes it was validated
from are the same). Arrays come back in native byte order (NetCDF stores them
big-endian), with equal values, dims, coordinates and attributes
(``tests/data/test_stored_baseline.py`` checks ``xarray.testing.assert_identical``).
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from pathlib import Path

import numpy as np
import xarray as xr

from tradesim.data.baseline import Baseline
from tradesim.diskcache import key_of, load_arrays, save_arrays, source_hash

FORMAT = 1
_SCALARS = {"str": str, "int": int, "float": float, "bool": bool}


def baseline_key(path: Path) -> str:
    """The entry name of a shipped baseline file."""
    import pandas as pd

    return key_of("baseline", format=FORMAT, file=hashlib.sha256(Path(path).read_bytes()).hexdigest(),
                  code=source_hash("data"), numpy=np.__version__, pandas=pd.__version__, xarray=xr.__version__)


def _attr(value):
    """An attribute as ``[type, value]`` JSON, or None if it is not a scalar."""
    if isinstance(value, np.generic):
        return [value.dtype.str, value.item()]
    for tag, kind in _SCALARS.items():
        if type(value) is kind:
            return [tag, value]
    return None


def _unattr(pair):
    tag, value = pair
    return _SCALARS[tag](value) if tag in _SCALARS else np.dtype(tag).type(value)


def save_baseline(path: Path, baseline: Baseline) -> bool:
    """Store a validated shipped baseline; False if the cache is off or unwritable or
    the dataset holds something this format does not keep (then nothing is stored)."""
    ds = baseline.ds
    arrays, variables = {}, []
    attrs = {k: _attr(v) for k, v in ds.attrs.items()}
    for i, (name, var) in enumerate(ds.variables.items()):
        values = np.asarray(var.values)
        if values.dtype == object:
            if not all(type(x) is str for x in values.ravel()):
                return False
            values = values.astype(str)
        elif values.dtype.kind not in "biuf":
            return False
        var_attrs = {k: _attr(v) for k, v in var.attrs.items()}
        if None in var_attrs.values():
            return False
        arrays[f"v{i}"] = values.astype(values.dtype.newbyteorder("="))
        variables.append({"name": name, "dims": list(var.dims), "attrs": var_attrs, "coord": name in ds.coords,
                          "object": var.dtype == object})
    if None in attrs.values():
        return False
    return save_arrays("baselines", baseline_key(path), arrays,
                       {"name": baseline.name, "attrs": attrs, "variables": variables})


def load_stored_baseline(path: Path, name: str) -> Baseline | None:
    """The baseline of ``path`` as stored by :func:`save_baseline`, or None."""
    found = load_arrays("baselines", baseline_key(path))
    if found is None:
        return None
    arrays, meta = found
    try:
        data_vars, coords = {}, {}
        for i, v in enumerate(meta["variables"]):
            values = arrays[f"v{i}"]
            values = values.astype(object) if v["object"] else values
            var = xr.Variable(tuple(v["dims"]), values, {k: _unattr(a) for k, a in v["attrs"].items()})
            (coords if v["coord"] else data_vars)[v["name"]] = var
        ds = xr.Dataset(data_vars, coords=coords, attrs={k: _unattr(a) for k, a in meta["attrs"].items()})
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    if meta.get("name") != name or [f.name for f in fields(Baseline)] != ["ds", "name"]:
        return None
    # validated when stored, from the same bytes: built without validating again
    baseline = object.__new__(Baseline)
    object.__setattr__(baseline, "ds", ds)
    object.__setattr__(baseline, "name", name)
    return baseline
