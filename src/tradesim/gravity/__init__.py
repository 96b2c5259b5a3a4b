"""Structural gravity: PPML estimation with fixed effects and one-sector GE counterfactuals.

Pipeline: :class:`GravityData` (checked panel) -> :func:`estimate_ppml`
(pyfixest) -> :func:`build_baseline` (multilateral resistances) ->
:func:`simulate` (exact hat algebra, JAX Newton) -> :func:`simulate_draws`
(coefficient uncertainty, in process or on Dask); per sector with
:mod:`tradesim.gravity.sectors`. See ``docs/gravity.md``.

The GE model itself (equations, baseline and counterfactual solves, tables) lives in
:mod:`tradesim.model.gravity` (the model family ``"gravity"``); this package keeps what sits
below it (the panel record :mod:`.data`, the experiment files :mod:`.experiment`, which the model
imports) and what sits beside or above it (PPML estimation :mod:`.estimate`, which needs no model;
:mod:`.sectors` and :mod:`.uncertainty`, which run the model). See ``docs/architecture.md``.
"""

from tradesim.gravity.data import GravityData
from tradesim.gravity.experiment import (CostChange, Experiment, ExperimentSpec, TariffChange, load_experiment,
                                         parse_experiment)
from tradesim.model.newton import NewtonOptions

__all__ = ["GravityData", "estimate_ppml", "GravityEstimate", "build_baseline", "simulate", "GEBaseline",
           "GravityResult", "Experiment", "CostChange", "TariffChange", "ExperimentSpec", "parse_experiment",
           "load_experiment", "NewtonOptions", "simulate_draws", "summarize_draws", "split_sectors",
           "build_sector_baselines", "simulate_sectors", "SectoralResult"]

_GE = "tradesim.model.gravity.ge"
_LAZY = {"estimate_ppml": "tradesim.gravity.estimate", "GravityEstimate": "tradesim.gravity.estimate",
         "build_baseline": _GE, "simulate": _GE, "GEBaseline": _GE, "GravityResult": _GE,
         "simulate_draws": "tradesim.gravity.uncertainty", "summarize_draws": "tradesim.gravity.uncertainty",
         "split_sectors": "tradesim.gravity.sectors", "build_sector_baselines": "tradesim.gravity.sectors",
         "simulate_sectors": "tradesim.gravity.sectors", "SectoralResult": "tradesim.gravity.sectors"}


def __getattr__(name):  # estimation (pyfixest) and the JAX model load only when used
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tradesim.gravity' has no attribute {name!r}")
