"""Runs of the other model families (:class:`tradesim.model.family.ScenarioFamily`) in the results store.

A family run is kept as a Caliendo-Parro run is (:mod:`tradesim.results.store`): its resolved
scenario (every option explicit, the baseline version pinned), its welfare table (one row per
economy: the family's own exact ``welfare_pct`` first) and, compressed, the unknowns of its
solve; every other table is rebuilt by running the resolved scenario again, checked bit for
bit against those unknowns. The family is named in the ``runs.model`` column (null: cp2015);
the family's variant (e.g. how it treats deficits) fills ``closure``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any

import numpy as np

from tradesim.results.identity import run_key

#: :data:`tradesim.model.family.DEFAULT_FAMILY`, not imported here: the model package loads JAX,
#: which the store does not need to list or read runs.
DEFAULT_FAMILY = "cp2015"


def scenario_family(name: str):
    from tradesim.model.family import scenario_family as get

    return get(name)


def text_hash(text: str) -> str:
    """SHA-256 of a resolved scenario's text."""
    return hashlib.sha256(text.encode()).hexdigest()


def family_key(family: str, scenario_text: str, baseline: str, version: str, variant: str) -> str:
    """The run key of a family run (same key, same numbers); ``model=<family>`` takes the
    elasticity-set slot of :func:`tradesim.results.identity.run_key`, so no key equals a CP one."""
    return run_key(text_hash(scenario_text), baseline, version, f"model={family}", variant)


def key_of_run(family: str, run: Any) -> str:
    """The run key of a solved family run."""
    rec = scenario_family(family).record(run)
    return family_key(family, rec.scenario_text, rec.baseline, rec.baseline_version, rec.variant)


def family_row(run: Any, family: str, origin: str, run_id: str, version: str):
    """``(runs row, arrays to check, welfare table)`` of a family run, for :meth:`RunStore.insert`."""
    rec = scenario_family(family).record(run)
    row = {"run_id": run_id, "run_key": family_key(family, rec.scenario_text, rec.baseline, rec.baseline_version,
                                                   rec.variant),
           "created_at": datetime.now(timezone.utc), "origin": origin, "scenario_key": rec.scenario_key,
           "scenario_name": rec.scenario_name, "scenario_hash": text_hash(rec.scenario_text),
           "scenario_text": rec.scenario_text, "baseline": rec.baseline, "baseline_version": rec.baseline_version,
           "elasticity_set": None, "closure": rec.variant, "converged": True, "iterations": rec.iterations,
           "max_residual": rec.max_residual, "solve_seconds": rec.seconds,
           "diagnostics": json.dumps(rec.diagnostics, default=float), "notes": json.dumps(list(rec.notes)),
           "tradesim_version": version, "n_countries": rec.n_countries, "n_sectors": rec.n_sectors,
           "library": False, "options": None, "model": family}
    return row, rec.arrays, rec.welfare


def rebuild(rec: dict, stored: dict[str, np.ndarray]) -> tuple[Any, list[str]]:
    """A stored family run (its record ``rec``) run again from its resolved scenario, and the
    names of the ``stored`` arrays it does not reproduce bit for bit (empty: the same run)."""
    family = scenario_family(rec["model"])
    run = family.run(rec["scenario_text"])
    again = family.record(run).arrays
    bad = [k for k in stored if k not in again or stored[k].tobytes() != np.asarray(again[k]).tobytes()]
    return run, bad


def tables(rec: dict, run: Any) -> dict:
    """The family's own result tables of a rebuilt run, by name."""
    return scenario_family(rec["model"]).run_tables(run)


def default_family(model: str | None) -> bool:
    """Whether a stored run's ``model`` is Caliendo-Parro (null in stores of older versions)."""
    return model in (None, DEFAULT_FAMILY)
