"""A policy counterfactual on a baseline, under a trade-balance closure.

Closures (CP2015 section 5):

``fixed_deficit``
    Each country's trade deficit stays at its baseline value as a share of world
    value added; the counterfactual is measured against the baseline itself.
``zero_deficit``
    As the paper does: first solve for the economy with the data's deficits
    removed (tariffs unchanged), then measure the policy change against *that*
    world. The first step is cached per baseline.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np

from tradesim.data.baseline import Baseline
from tradesim.model.inputs import inputs_from_dataset
from tradesim.model.solve import (Equilibrium, ModelInputs, Shock, SolverOptions, baseline_jacobian, rebase,
                                  solve_equilibrium)
from tradesim.model.worlds import load_world, save_world, world_key
from tradesim.scenario.apply import Policy


@dataclass(frozen=True)
class Counterfactual:
    """A solved counterfactual.

    before: the reference world (the baseline, or its zero-deficit version).
    equilibrium: the solved counterfactual relative to ``before``.
    iceberg_hat: the iceberg-cost changes applied (N, N, J).
    closure: the trade-balance closure used.
    deficit_step: the equilibrium that removed deficits (zero-deficit closure only).
    """

    before: ModelInputs
    equilibrium: Equilibrium
    iceberg_hat: np.ndarray
    closure: str
    deficit_step: Equilibrium | None = None


_REFERENCE_CACHE: dict[tuple, tuple[ModelInputs, Equilibrium | None, np.ndarray]] = {}


_POLICY_WORLD_CACHE: dict[tuple, ModelInputs] = {}
_KEPT: dict[tuple, object] = {}


def _world_key(baseline: Baseline, closure: str, options: SolverOptions | None) -> tuple:
    return (baseline.name, baseline.version, baseline.ds.attrs.get("elasticity_set"), id(baseline.ds),
            closure, options)


def reference_world(baseline: Baseline, closure: str, options: SolverOptions | None = None,
                    jacobian: np.ndarray | None = None):
    """The world a counterfactual is measured against, the step that made it
    (zero-deficit closure only) and the exact Jacobian there. Cached per baseline.

    ``jacobian`` replaces the exact one as the solver's starting Jacobian (e.g. the
    Jacobian of the same world under other elasticities, in a Monte Carlo); the
    solutions stay exact, since every solve checks its own residuals.

    Kept in memory per baseline object and on disk (:mod:`tradesim.model.worlds`) by a
    content hash of the baseline's arrays, so that a new process reads the world and its
    Jacobian instead of solving and differentiating again."""
    key = _world_key(baseline, closure, options)
    if key not in _REFERENCE_CACHE:
        # On disk (tradesim.model.worlds) by a content hash of the baseline; not with a given Jacobian.
        disk = None if jacobian is not None else world_key(baseline, closure, options)
        stored = load_world(disk, options) if disk is not None else None
        if stored is None:
            inputs = inputs_from_dataset(baseline.ds)
            step = None
            if closure == "zero_deficit":
                shock = Shock(inputs.tariff, jnp.ones_like(inputs.tariff), jnp.zeros_like(inputs.deficit))
                step = solve_equilibrium(inputs, shock, options)
                inputs = rebase(inputs, step)
            stored = (inputs, step, baseline_jacobian(inputs, options) if jacobian is None else jacobian)
            if disk is not None:
                save_world(disk, *stored)
        _REFERENCE_CACHE[key] = stored
        _KEPT[key] = baseline.ds  # alive while its world is cached, so no other dataset gets its id
    return _REFERENCE_CACHE[key]


def counterfactual(baseline: Baseline, policy: Policy, closure: str = "fixed_deficit",
                   options: SolverOptions | None = None, reference: Policy | None = None,
                   jacobian: np.ndarray | None = None) -> Counterfactual:
    """Solve ``policy`` on ``baseline`` under ``closure``; raises
    :class:`~tradesim.errors.NonConvergenceError` if the solve fails.

    With ``reference``, the world of that policy is solved first and ``policy``
    is measured against it (e.g. lifting a ban = no ban, against the ban world).
    Both policies are stated relative to the baseline.
    """
    before, step, jacobian = reference_world(baseline, closure, options, jacobian)
    iceberg = np.asarray(policy.iceberg_hat)
    if reference is not None:
        key = (_world_key(baseline, closure, options), hashlib.sha1(np.asarray(reference.tariff).tobytes()
                                                                    + np.asarray(reference.iceberg_hat).tobytes()).hexdigest())
        if key not in _POLICY_WORLD_CACHE:
            ref = solve_equilibrium(before, Shock(jnp.asarray(reference.tariff), jnp.asarray(reference.iceberg_hat),
                                                  before.deficit), options, jacobian=jacobian)
            _POLICY_WORLD_CACHE[key] = rebase(before, ref)
        before = _POLICY_WORLD_CACHE[key]
        iceberg = iceberg / np.asarray(reference.iceberg_hat)
    shock = Shock(jnp.asarray(policy.tariff), jnp.asarray(iceberg), before.deficit)
    solution = solve_equilibrium(before, shock, options, jacobian=jacobian)
    return Counterfactual(before, solution, iceberg, closure, step)
