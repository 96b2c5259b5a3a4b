"""A policy counterfactual on a baseline, under a trade-balance closure.

Closures (CP2015 section 5):

``fixed_deficit``
    Each country's trade deficit stays at its baseline value as a share of world
    value added; the counterfactual is measured against the baseline itself.
``zero_deficit``
    As the paper does: first solve for the economy with the data's deficits
    removed (tariffs unchanged), then measure the policy change against *that*
    world. The first step is cached per baseline.

:func:`counterfactual` solves one policy; :func:`counterfactuals` solves many as one
compiled batch (the sweeps, Monte Carlo and the timeline of :mod:`tradesim.experiments`),
on the baseline or on one world per scenario (e.g. other trade elasticities).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Sequence

import jax.numpy as jnp
import numpy as np

from tradesim.data.baseline import Baseline
from tradesim.errors import ScenarioError
from tradesim.model.inputs import inputs_from_dataset
from tradesim.model.solve import (Equilibrium, ModelInputs, Shock, SolverOptions, baseline_jacobian, rebase,
                                  solve_equilibrium)
from tradesim.model.worlds import load_world, save_world, world_key
from tradesim.scenario.apply import Policy

if TYPE_CHECKING:
    from tradesim.model.batch import BatchEquilibrium


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


def _policy_world(baseline: Baseline, closure: str, options: SolverOptions | None, before: ModelInputs,
                  jacobian, reference: Policy) -> ModelInputs:
    """The world of ``reference`` (stated relative to the baseline) on the reference world
    ``before``, solved once per baseline and policy (cached)."""
    digest = hashlib.sha1(np.asarray(reference.tariff).tobytes() + np.asarray(reference.iceberg_hat).tobytes())
    key = (_world_key(baseline, closure, options), digest.hexdigest())
    if key not in _POLICY_WORLD_CACHE:
        ref = solve_equilibrium(before, Shock(jnp.asarray(reference.tariff), jnp.asarray(reference.iceberg_hat),
                                              before.deficit), options, jacobian=jacobian)
        _POLICY_WORLD_CACHE[key] = rebase(before, ref)
    return _POLICY_WORLD_CACHE[key]


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
        before = _policy_world(baseline, closure, options, before, jacobian, reference)
        iceberg = iceberg / np.asarray(reference.iceberg_hat)
    shock = Shock(jnp.asarray(policy.tariff), jnp.asarray(iceberg), before.deficit)
    solution = solve_equilibrium(before, shock, options, jacobian=jacobian)
    return Counterfactual(before, solution, iceberg, closure, step)


@dataclass(frozen=True)
class Counterfactuals:
    """A batch of solved counterfactuals (:func:`counterfactuals`).

    solutions: one :class:`Counterfactual` per policy, in order; ``None`` where it did not converge.
    residuals: (S,) each scenario's largest residual: of its own solve, or of the step before it
        (its zero-deficit or reference world) where that step failed.
    batch: the :class:`~tradesim.model.batch.BatchEquilibrium` of the policies, each against its
        reference world (``solutions[k].before``), labelled by the batch's names.
    """

    solutions: tuple[Counterfactual | None, ...]
    residuals: np.ndarray
    batch: BatchEquilibrium

    def __len__(self) -> int:
        return len(self.solutions)

    @property
    def converged(self) -> np.ndarray:
        """(S,) whether each scenario (and every step before it) converged."""
        return np.array([s is not None for s in self.solutions], dtype=bool)


def _per_scenario_jacobians(baseline: Baseline, closure: str, options: SolverOptions | None, jacobian, size: int):
    """The solver's starting Jacobian(s) for :func:`counterfactuals`: as given, or the reference
    world's exact one where none (or a ``None`` entry of a per-scenario list) is given."""
    if jacobian is None:
        return reference_world(baseline, closure, options)[2]
    if isinstance(jacobian, (list, tuple)):
        if len(jacobian) != size:
            raise ScenarioError(f"jacobian: need one per scenario ({size}), got {len(jacobian)}")
        own = reference_world(baseline, closure, options)[2] if any(j is None for j in jacobian) else None
        return np.stack([own if j is None else np.asarray(j) for j in jacobian])
    return jacobian


def _advance(solved: BatchEquilibrium, worlds: list, ok: np.ndarray, worst: np.ndarray):
    """Rebase each world on its solved step (a failed one stays and is marked failed)."""
    ok = ok & solved.converged
    worst = np.where(ok, worst, solved.max_residual())
    return [rebase(x, solved.equilibrium(i)) if good else x for i, (x, good) in enumerate(zip(worlds, ok))], ok, worst


def counterfactuals(baseline: Baseline, policies: Sequence[Policy], closure: str = "fixed_deficit",
                    options: SolverOptions | None = None, reference: Policy | None = None, *,
                    elasticities: np.ndarray | None = None, jacobian=None, names: Sequence[str] | None = None,
                    pad_to: int | None = None) -> Counterfactuals:
    """Solve ``policies`` on ``baseline`` under ``closure`` as one compiled batch
    (:func:`tradesim.model.batch.solve_batch`): :func:`counterfactual` for many policies.

    A scenario that does not converge does not raise and spoils nothing: its solution
    is ``None`` and its residual says by how much it missed (:class:`Counterfactuals`).

    Parameters
    ----------
    policies : S policies, each stated relative to the baseline.
    closure, options : as in :func:`counterfactual`.
    reference : measure every policy against this policy's world (as in :func:`counterfactual`:
        the reference world is solved first, then the policies against it).
    elasticities : (S, J) trade elasticities: scenario ``k`` is solved on the baseline with
        row ``k`` (a Monte Carlo), each world's zero-deficit step and reference world solved as
        a batch first. Default: every policy on the baseline itself, against its cached
        reference world (:func:`reference_world`, and the reference policy's world solved once).
    jacobian : the solver's starting Jacobian: one (N, N) for every scenario, or with
        ``elasticities`` one per scenario (an (S, N, N) array, or a list whose ``None`` entries
        take the reference world's); default the exact Jacobian at the reference world. Solutions are exact
        whatever the start, since every solve checks its residuals.
    names, pad_to : labels of the scenarios and the batch size to pad to, as in ``solve_batch``.
    """
    from tradesim.model.batch import solve_batch, stack_inputs

    policies = list(policies)
    size = len(policies)
    if size == 0:
        raise ScenarioError("policies: give at least one policy to solve")
    ok, worst = np.ones(size, dtype=bool), np.full(size, np.nan)
    if elasticities is None:  # one world: the cached reference world (and reference policy world)
        if jacobian is not None and np.ndim(jacobian) != 2:
            raise ScenarioError("jacobian: on one world give one (N, N) starting Jacobian; one per scenario goes "
                                "with elasticities (one world per scenario)")
        before, step, jac = reference_world(baseline, closure, options, jacobian)
        if reference is not None:
            before = _policy_world(baseline, closure, options, before, jac, reference)
        worlds, steps = [before] * size, [step] * size
        inputs, batched = before, False
    else:  # one world per scenario: every step solved as a batch over the worlds
        thetas = np.asarray(elasticities, dtype=float)
        sectors = len(baseline.ds["sector"])
        if thetas.shape != (size, sectors):
            raise ScenarioError(f"elasticities: need one row of {sectors} sector elasticities per policy "
                                f"({size}), got shape {thetas.shape}")
        jac = _per_scenario_jacobians(baseline, closure, options, jacobian, size)
        raw = inputs_from_dataset(baseline.ds)
        worlds, steps = [replace(raw, trade_elasticity=jnp.asarray(theta)) for theta in thetas], [None] * size
        if closure == "zero_deficit":  # each world's own deficit-free version
            shock = Shock(raw.tariff, jnp.ones_like(raw.tariff), jnp.zeros_like(raw.deficit))
            solved = solve_batch(stack_inputs(worlds), [shock] * size, options, jacobian=jac, batched_inputs=True,
                                 pad_to=pad_to)
            steps = [solved.equilibrium(i) for i in range(size)]
            worlds, ok, worst = _advance(solved, worlds, ok, worst)
        if reference is not None:  # each world's reference policy world
            shocks = [Shock(jnp.asarray(reference.tariff), jnp.asarray(reference.iceberg_hat), x.deficit)
                      for x in worlds]
            solved = solve_batch(stack_inputs(worlds), shocks, options, jacobian=jac, batched_inputs=True,
                                 pad_to=pad_to)
            worlds, ok, worst = _advance(solved, worlds, ok, worst)
        inputs, batched = stack_inputs(worlds), True
    icebergs = [np.asarray(p.iceberg_hat) if reference is None else
                np.asarray(p.iceberg_hat) / np.asarray(reference.iceberg_hat) for p in policies]
    shocks = [Shock(jnp.asarray(p.tariff), jnp.asarray(d), x.deficit) for p, d, x in zip(policies, icebergs, worlds)]
    batch = solve_batch(inputs, shocks, options, jacobian=jac, names=names, batched_inputs=batched, pad_to=pad_to)
    good = ok & batch.converged
    solutions = tuple(Counterfactual(worlds[k], batch.equilibrium(k), icebergs[k], closure, steps[k]) if good[k]
                      else None for k in range(size))
    return Counterfactuals(solutions, np.where(ok, batch.max_residual(), worst), batch)
