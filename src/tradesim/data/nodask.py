"""xarray without importing dask until something uses dask.

xarray asks whether each array it wraps is a dask array
(``xarray.namedarray.pycompat.array_type("dask")``,
``xarray.namedarray.utils.is_dask_collection``), and to answer it imports dask and
``dask.array`` (with ``scipy.fft``): about 0.3 s of every process that builds a
Dataset, a third of the JAX floor, in a ``tradesim run`` that never uses dask. No
object can be a dask array before dask is imported, so :func:`install` wraps both
checks to answer "no" (an empty tuple of types, ``False``) for as long as ``dask``
is not in ``sys.modules``, and to ask xarray's own functions as before once it is
(a sweep on a Dask cluster, ``Dataset.chunk``). ``tests/data/test_nodask.py``
checks both sides. Installed when :mod:`tradesim.data` is imported.
"""

from __future__ import annotations

import sys

import xarray.namedarray.pycompat as _pycompat
import xarray.namedarray.utils as _utils

_MARK = "tradesim_nodask"


def _wrap_array_type(original):
    def array_type(mod):
        if mod == "dask" and "dask" not in sys.modules:  # not cached: asked again once dask is imported
            return ()
        return original(mod)

    setattr(array_type, _MARK, True)
    array_type.__wrapped__ = original
    return array_type


def _wrap_is_dask_collection(original):
    def is_dask_collection(x) -> bool:
        if "dask" not in sys.modules:
            return False
        return original(x)

    setattr(is_dask_collection, _MARK, True)
    is_dask_collection.__wrapped__ = original
    return is_dask_collection


def install() -> bool:
    """Wrap the two checks (once) in xarray and in the xarray modules that imported
    them by name; False if this xarray lacks them (then nothing changes)."""
    originals = {"array_type": getattr(_pycompat, "array_type", None),
                 "is_dask_collection": getattr(_utils, "is_dask_collection", None)}
    if None in originals.values():
        return False
    if getattr(originals["array_type"], _MARK, False):
        return True
    wrapped = {"array_type": _wrap_array_type(originals["array_type"]),
               "is_dask_collection": _wrap_is_dask_collection(originals["is_dask_collection"])}
    for name, module in list(sys.modules.items()):
        if name == "xarray" or name.startswith("xarray."):
            for attr, original in originals.items():
                if getattr(module, attr, None) is original:
                    setattr(module, attr, wrapped[attr])
    return True


install()
