"""Data layer: baselines, loaders of public sources, concordances."""

from tradesim.data.baseline import Baseline, validate
from tradesim.data.registry import DEFAULT_BASELINE, available_baselines, load_baseline

__all__ = ["Baseline", "validate", "load_baseline", "available_baselines", "DEFAULT_BASELINE"]
