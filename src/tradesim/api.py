"""The Python API: run a scenario on a baseline and get a :class:`Result`.

>>> import tradesim
>>> result = tradesim.run("scenarios/cp2015_nafta.toml")      # doctest: +SKIP
>>> result.welfare().loc[["MEX", "CAN", "USA"], "welfare_pct"]  # doctest: +SKIP
"""

from __future__ import annotations

import time
from pathlib import Path

from tradesim.data.baseline import Baseline
from tradesim.data.registry import DEFAULT_BASELINE, load_baseline
from tradesim.model.counterfactual import counterfactual
from tradesim.model.solve import SolverOptions
from tradesim.results.result import Result
from tradesim.scenario.apply import policy_from_scenario
from tradesim.scenario.spec import Scenario, load_scenario, parse_scenario, resolve_reference


def as_scenario(scenario: Scenario | str | Path) -> Scenario:
    """A :class:`Scenario` from itself, a file path, or TOML text."""
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, Path) or (isinstance(scenario, str) and "\n" not in scenario
                                      and scenario.endswith(".toml")):
        return load_scenario(scenario)
    return parse_scenario(str(scenario))


def baseline_for(scenario: Scenario, baseline: Baseline | str | None = None,
                 elasticity_set: str | None = None) -> Baseline:
    """The baseline a scenario runs on: the argument, else the scenario's, else the
    default; with the elasticity set asked for (argument, else the scenario's)."""
    if isinstance(baseline, Baseline):
        chosen = baseline
    else:
        chosen = load_baseline(baseline or scenario.baseline or DEFAULT_BASELINE)
    wanted = elasticity_set or scenario.elasticity_set
    if wanted and chosen.ds.attrs.get("elasticity_set") != wanted:
        chosen = chosen.with_elasticities(wanted)
    return chosen


def run(scenario: Scenario | str | Path, baseline: Baseline | str | None = None, *,
        closure: str | None = None, options: SolverOptions | None = None, jacobian=None,
        elasticity_set: str | None = None) -> Result:
    """Solve a scenario and return its :class:`Result`.

    Parameters
    ----------
    scenario : a parsed scenario, a path to a TOML file, or TOML text.
    baseline : a :class:`Baseline` or shipped baseline name; defaults to the
        scenario's ``baseline`` field, then to the package default.
    closure : override the scenario's closure (``"zero_deficit"`` / ``"fixed_deficit"``).
    elasticity_set : override the scenario's elasticity set (e.g. ``"U4"``).
    options : solver settings.
    jacobian : optional starting Jacobian for the solver (see
        :func:`tradesim.model.counterfactual.reference_world`).
    """
    scn = as_scenario(scenario)
    base = baseline_for(scn, baseline, elasticity_set)
    policy = policy_from_scenario(scn, base)
    ref = resolve_reference(scn)
    reference = policy_from_scenario(ref, base) if ref is not None else None
    start = time.perf_counter()
    solution = counterfactual(base, policy, closure or scn.closure, options, reference, jacobian)
    return Result(scn, base, solution, time.perf_counter() - start, policy.notes)
