"""Baselines shipped inside the package, by name.

``load_baseline("cp2015")`` reads ``data/builtin/cp2015.nc``; the files are built
by the scripts in ``scripts/`` from ``../shared/data`` and carry their
provenance (source, year, license) in their attributes and in
``data/builtin/PROVENANCE.md``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import xarray as xr

from tradesim.data.baseline import Baseline
from tradesim.data.stored import load_stored_baseline, save_baseline
from tradesim.errors import DataError
from tradesim.literals import check_baseline

BUILTIN = Path(__file__).parent / "builtin"
DEFAULT_BASELINE = "icio2022"


# Shipped datasets that are not engine baselines (other layouts), with where they are used.
OTHER_DATASETS = {"ossa2014": "the inputs of Ossa (2014)'s tariff games; load with tradesim.model.ossa.load_ossa2014",
                  "baci2023": "the one-sector world of the Liberation Day model; load with tradesim.data.baci2023.load_baci2023"}
# Shipped datasets that are the baseline of another model family (listed by `tradesim baselines`).
FAMILY_DATASETS = {"baci2023": "liberation_day"}
OTHER_DATASETS["tariffwar_icio2022"] = ("the tariff-war model's ICIO 2022 world (Lashkaripour 2021); load with "
                                        "tradesim.model.tariffwar.data.load_world")
# The tariff-war model's world is also listed under its family.
FAMILY_DATASETS["tariffwar_icio2022"] = "tariffwar"
# The gravity family's panel and Ossa's dataset, listed under their families (scenario files run on them).
OTHER_DATASETS["gegravity2006"] = ("gegravity's sample gravity panel (30 countries, 2006); load with "
                                   "tradesim.model.gravity.data.load_gegravity2006")
FAMILY_DATASETS["gegravity2006"] = "gravity"
FAMILY_DATASETS["ossa2014"] = "ossa2014"


def available_baselines() -> list[str]:
    """Names of the shipped baselines (file stems under ``data/builtin``)."""
    return sorted(p.stem for p in BUILTIN.glob("*.nc") if p.stem not in OTHER_DATASETS)


@lru_cache(maxsize=8)
def _load(name: str) -> Baseline:
    path = BUILTIN / f"{name}.nc"
    if name in OTHER_DATASETS:
        raise DataError(f"'{name}' is not a baseline of the engine: it holds {OTHER_DATASETS[name]}")
    if not path.exists():
        check_baseline(name, available_baselines())
    stored = load_stored_baseline(path, name)  # the checked arrays of an earlier process, if any
    if stored is not None:
        return stored
    with xr.open_dataset(path, engine="scipy") as ds:
        ds = ds.load()
    # NetCDF-3 stores booleans as bytes; give coordinates their meaning back.
    for coord in ("tradable",):
        if coord in ds.coords:
            ds = ds.assign_coords({coord: ds[coord].astype(bool)})
    baseline = Baseline(ds, name)
    save_baseline(path, baseline)
    return baseline


def load_baseline(name: str = DEFAULT_BASELINE, *, elasticity_set: str | None = None) -> Baseline:
    """A shipped baseline, validated; optionally with a named elasticity set."""
    baseline = _load(name)
    return baseline.with_elasticities(elasticity_set) if elasticity_set else baseline
