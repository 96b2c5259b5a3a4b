"""Data layer: baselines, loaders of public sources, concordances."""

from tradesim.data import nodask  # noqa: F401  (first: xarray imports dask only when dask is used)
from tradesim.data.baseline import Baseline, validate
from tradesim.data.registry import DEFAULT_BASELINE, available_baselines, load_baseline

__all__ = ["Baseline", "validate", "load_baseline", "available_baselines", "DEFAULT_BASELINE"]
