"""Reference worlds on disk: what :func:`tradesim.model.counterfactual.reference_world`
builds for a baseline (the zero-deficit step, the world it leads to and the exact
Jacobian there), stored under ``$TRADESIM_CACHE/worlds/`` (:mod:`tradesim.diskcache`).

An entry is named by a content hash of the baseline's model arrays, the baseline's
name and version, the closure and the solver settings and everything
:func:`tradesim.model.cache.environment` lists, so a changed baseline, option or
version finds no entry and builds its own. The arrays come back as stored, so a
world read from disk is the world built in memory to the bit.
"""

from __future__ import annotations

from dataclasses import fields

import jax
import numpy as np

from tradesim.data.baseline import REQUIRED, Baseline
from tradesim.diskcache import array_hash, load_arrays, save_arrays
from tradesim.model.cache import entry_key
from tradesim.model.solve import Equilibrium, ModelInputs, SolverOptions

_INPUTS = [f.name for f in fields(ModelInputs)]


def world_key(baseline: Baseline, closure: str, options: SolverOptions | None) -> str:
    """The entry name of a baseline's reference world: a content hash of the dataset
    variables the model arrays are made of (:data:`tradesim.data.baseline.REQUIRED`;
    the code that makes them is in :func:`tradesim.model.cache.environment`), with the
    baseline's name, version, closure and solver settings."""
    ds = baseline.ds
    content = array_hash(*(ds[v].values for v in REQUIRED),
                         *(ds[d].values.astype(str) for v in REQUIRED for d in ds[v].dims))
    return entry_key("reference_world", inputs=content, baseline=baseline.name, version=baseline.version,
                     closure=closure, options=repr(options or SolverOptions()))


def save_world(key: str, inputs: ModelInputs, step: Equilibrium | None, jacobian: np.ndarray) -> bool:
    """Store a reference world (atomically); False if the cache is off or unwritable."""
    arrays = {f"inputs.{f}": np.asarray(getattr(inputs, f)) for f in _INPUTS}
    arrays["jacobian"] = np.asarray(jacobian)
    meta = {"step": None}
    if step is not None:
        arrays.update({f"step.{k}": np.asarray(v) for k, v in step.values.items()})
        meta["step"] = {"iterations": step.iterations, "residuals": step.residuals, "converged": step.converged}
    return save_arrays("worlds", key, arrays, meta)


def load_world(key: str, options: SolverOptions | None):
    """``(inputs, step, jacobian)`` of entry ``key``, or None if there is none (or it is
    unreadable, or lacks a field: then it is rebuilt)."""
    found = load_arrays("worlds", key)
    if found is None:
        return None
    arrays, meta = found
    try:
        # device_put, not jnp.asarray: the latter compiles a copy program per shape (JAX 0.10)
        inputs = ModelInputs(**{f: jax.device_put(arrays[f"inputs.{f}"]) for f in _INPUTS})
        jac = arrays["jacobian"]
        step = None
        if meta.get("step") is not None:
            values = {k[len("step."):]: v for k, v in arrays.items() if k.startswith("step.")}
            info = meta["step"]
            step = Equilibrium(values, int(info["iterations"]), {k: float(v) for k, v in info["residuals"].items()},
                               bool(info["converged"]), options or SolverOptions())
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return inputs, step, jac
