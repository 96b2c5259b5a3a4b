"""Caliendo and Parro (2015) as a tradesim model family, ``"cp2015"``, the default
(:class:`tradesim.model.family.ModelFamily`).

The model is :mod:`tradesim.model.solve` (exact hat algebra with input-output links) and
:mod:`tradesim.model.counterfactual` (the closures); its tables are the
:class:`~tradesim.results.result.Result`'s. This family object sits here, in the results layer,
because it hands back a ``Result``: the registry (:data:`tradesim.model.family._BUILTIN`) names
its module, so the model layer never imports this one. Scenario files of this family run through
:func:`tradesim.run` (the API), which also records them in the store.

Inputs are the reference world of a shipped baseline under a closure (:class:`CPInputs`, from
:func:`~tradesim.model.counterfactual.reference_world`); a shock is a
:class:`~tradesim.scenario.apply.Policy` (new tariffs and iceberg-cost changes relative to the
baseline), a parsed :class:`~tradesim.scenario.spec.Scenario`, or ``None`` (no change); the
unknowns are the log wage changes (N); welfare is the exact real-income change
``100 (I'/I / P_hat - 1)`` (CP2015 eq. 20-21), ``Result.welfare()["welfare_pct"]``.

>>> from tradesim.model.family import get_family
>>> fam = get_family("cp2015")
>>> world = fam.inputs("cp2015")                     # doctest: +SKIP
>>> fam.welfare(world, fam.solve(world, None)).abs().max()   # doctest: +SKIP
0.0
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from tradesim.data.baseline import Baseline
from tradesim.data.registry import DEFAULT_BASELINE, available_baselines, load_baseline
from tradesim.errors import ScenarioError
from tradesim.literals import check_closure
from tradesim.model.counterfactual import counterfactual, reference_world
from tradesim.model.family import register
from tradesim.model.solve import Equilibrium, ModelInputs, Shock, SolverOptions, equilibrium_residual
from tradesim.results.result import Result
from tradesim.scenario.apply import Policy, policy_from_scenario
from tradesim.scenario.spec import Scenario


@dataclass(frozen=True)
class CPInputs:
    """A baseline ready to solve: the :class:`Baseline`, the ``closure``, the reference world
    (``world``: the baseline, or its zero-deficit version) and the step that made it."""

    baseline: Baseline
    closure: str
    world: ModelInputs
    step: Equilibrium | None
    options: SolverOptions | None = None


@partial(jax.jit, static_argnums=3)
def _residual(log_w, world: ModelInputs, shock: Shock, opts: SolverOptions):
    return equilibrium_residual(log_w, world, shock, opts)[0]


class CaliendoParroFamily:
    """Caliendo and Parro (2015): N countries, J sectors, input-output links, tariff revenue."""

    name = "cp2015"

    @property
    def baselines(self) -> tuple[str, ...]:
        shipped = available_baselines()
        return tuple([DEFAULT_BASELINE] + [b for b in shipped if b != DEFAULT_BASELINE])

    def inputs(self, baseline: Any = DEFAULT_BASELINE, *, closure: str = "fixed_deficit",
               elasticity_set: str | None = None, options: SolverOptions | None = None) -> CPInputs:
        """The reference world of ``baseline`` (a shipped name or a :class:`Baseline`) under ``closure``."""
        check_closure(closure)
        base = baseline if isinstance(baseline, Baseline) else load_baseline(str(baseline))
        if elasticity_set and base.ds.attrs.get("elasticity_set") != elasticity_set:
            base = base.with_elasticities(elasticity_set)
        world, step, _ = reference_world(base, closure, options)
        return CPInputs(base, closure, world, step, options)

    @staticmethod
    def _policy(inputs: CPInputs, shock: Any) -> tuple[Policy, Scenario]:
        if isinstance(shock, Scenario):
            return policy_from_scenario(shock, inputs.baseline), shock
        scenario = Scenario(name="family solve", baseline=inputs.baseline.name, closure=inputs.closure, measures=())
        if shock is None:
            tariff = np.asarray(inputs.baseline.ds["tariff"].values, dtype=float)
            return Policy(tariff, np.ones_like(tariff)), scenario
        if isinstance(shock, Policy):
            return shock, scenario
        raise ScenarioError(f"cp2015: a shock is a Policy, a parsed Scenario or None, not {type(shock).__name__}")

    def residual(self, inputs: CPInputs, unknowns: Any, shock: Any) -> np.ndarray:
        """The N labour-market conditions (relative to value added; the numeraire in the last
        slot) at ``unknowns = log w_hat``, measured from the reference world."""
        policy, _ = self._policy(inputs, shock)
        s = Shock(jnp.asarray(policy.tariff), jnp.asarray(policy.iceberg_hat), inputs.world.deficit)
        return np.asarray(_residual(jnp.asarray(unknowns, float), inputs.world, s, inputs.options or SolverOptions()))

    def solve(self, inputs: CPInputs, shock: Any, **options: Any) -> Result:
        """The counterfactual (:func:`~tradesim.model.counterfactual.counterfactual`) as a
        :class:`Result`; :class:`~tradesim.errors.NonConvergenceError` if it fails. ``options``
        are :class:`SolverOptions` fields."""
        policy, scenario = self._policy(inputs, shock)
        opts = SolverOptions(**options) if options else inputs.options
        solution = counterfactual(inputs.baseline, policy, inputs.closure, opts)
        return Result(scenario, inputs.baseline, solution, notes=tuple(policy.notes))

    def welfare(self, inputs: CPInputs, solution: Result) -> pd.Series:
        return solution.welfare_pct()

    def tables(self, inputs: CPInputs, solution: Result) -> dict[str, pd.DataFrame]:
        return solution.tables()


FAMILY = register(CaliendoParroFamily())
