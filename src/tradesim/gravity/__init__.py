"""Structural gravity: PPML estimation with fixed effects and one-sector GE counterfactuals.

Pipeline: :class:`GravityData` (checked panel) -> :func:`estimate_ppml`
(pyfixest) -> :func:`build_baseline` (multilateral resistances) ->
:func:`simulate` (exact hat algebra, JAX Newton) -> :func:`simulate_draws`
(coefficient uncertainty, in process or on Dask); per sector with
:mod:`tradesim.gravity.sectors`. See ``docs/gravity.md``.
"""

from tradesim.gravity.data import GravityData
from tradesim.gravity.experiment import (CostChange, Experiment, ExperimentSpec, TariffChange, load_experiment,
                                         parse_experiment)
from tradesim.gravity.solver import NewtonOptions

__all__ = ["GravityData", "estimate_ppml", "GravityEstimate", "build_baseline", "simulate", "GEBaseline",
           "GravityResult", "Experiment", "CostChange", "TariffChange", "ExperimentSpec", "parse_experiment",
           "load_experiment", "NewtonOptions", "simulate_draws", "summarize_draws", "split_sectors",
           "build_sector_baselines", "simulate_sectors", "SectoralResult"]

_LAZY = {"estimate_ppml": "estimate", "GravityEstimate": "estimate", "build_baseline": "ge", "simulate": "ge",
         "GEBaseline": "ge", "GravityResult": "ge", "simulate_draws": "uncertainty",
         "summarize_draws": "uncertainty", "split_sectors": "sectors", "build_sector_baselines": "sectors",
         "simulate_sectors": "sectors", "SectoralResult": "sectors"}


def __getattr__(name):  # estimation (pyfixest) and the JAX model load only when used
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"tradesim.gravity.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'tradesim.gravity' has no attribute {name!r}")
