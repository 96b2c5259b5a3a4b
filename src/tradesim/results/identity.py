"""The identity of a run (its key) and how a stored run is rebuilt.

A run's key hashes its resolved scenario (:mod:`tradesim.scenario.resolve`, which holds
its measures, reference world, baseline version, elasticity set and closure) with the
baseline, version, elasticity set and closure: same key, same numbers. A stored run is
rebuilt by solving its resolved scenario again with its settings from the default start,
which gives the same bits (:meth:`tradesim.results.store.RunStore.result` checks them).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tradesim.data.baseline import Baseline
    from tradesim.results.result import Result
    from tradesim.scenario.spec import Scenario


def scenario_hash(scenario: Scenario, reference: Scenario | None = None) -> str:
    """SHA-256 of what a scenario does. For a resolved scenario (every run's) that is
    its text, which holds its measures, its reference world, baseline version,
    elasticity set and closure; otherwise its parsed measures and those of ``reference``."""
    if scenario.baseline_version is not None and scenario.text:
        return hashlib.sha256(scenario.text.encode()).hexdigest()
    parts = [scenario.text, scenario.name, scenario.closure, str(scenario.elasticity_set),
             repr(scenario.measures), repr(reference.measures) if reference is not None else ""]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def run_key(scn_hash: str, baseline: str, version: str, elasticity_set: str | None, closure: str) -> str:
    """The identity of a run: same key, same numbers."""
    return hashlib.sha256(f"{scn_hash}|{baseline}|{version}|{elasticity_set}|{closure}".encode()).hexdigest()


def key_of(scenario: Scenario, reference: Scenario | None, baseline: Baseline, closure: str) -> str:
    """The :func:`run_key` of ``scenario`` (against ``reference``) on ``baseline`` under ``closure``."""
    return run_key(scenario_hash(scenario, reference), baseline.name, baseline.version,
                   baseline.ds.attrs.get("elasticity_set"), closure)


def resolved_of(result: Result) -> Scenario:
    """The resolved scenario of a result (itself when :func:`tradesim.run` made it)."""
    from tradesim.scenario.resolve import resolve

    b = result.baseline
    return resolve(result.scenario, b.name, b.version, b.ds.attrs.get("elasticity_set"), result.solution.closure)


def result_key(result: Result) -> str:
    """The :func:`run_key` of a solved result (what its stored run is keyed by)."""
    return key_of(resolved_of(result), None, result.baseline, result.solution.closure)


def in_library(scenario: Scenario) -> bool:
    """Whether the scenario is a file of a scenario library (listed in its folder's ``library.toml``)."""
    import tomllib

    if scenario.path is None or not (lib := scenario.path.parent / "library.toml").is_file():
        return False
    try:
        return scenario.key in tomllib.loads(lib.read_text(encoding="utf-8")).get("scenarios", [])
    except (OSError, tomllib.TOMLDecodeError):
        return False



def solve_again(rec: dict, scenario: Scenario | None, baseline: Baseline) -> Result:
    """The Result of a stored run's record ``rec`` (from :meth:`RunStore.run`): its resolved
    scenario solved again on ``baseline`` with the run's solver settings (the default start)."""
    from tradesim.model.counterfactual import counterfactual
    from tradesim.model.solve import SolverOptions
    from tradesim.results.result import Result
    from tradesim.scenario.apply import policy_from_scenario
    from tradesim.scenario.spec import parse_scenario, resolve_reference

    solved = parse_scenario(rec["scenario_text"], name=rec["scenario_name"],
                            path=Path(f"{rec['scenario_key']}.toml"))
    solved = replace(solved, name=rec["scenario_name"])
    policy = policy_from_scenario(solved, baseline)
    ref = resolve_reference(solved)
    reference = policy_from_scenario(ref, baseline) if ref is not None else None
    kept = dict(rec.get("options") or {})
    if kept.get("numeraire") == "world":  # runs recorded before the numeraire moved to the Shock: the default
        kept.pop("numeraire")
    options = SolverOptions(**kept) if kept else None
    solution = counterfactual(baseline, policy, rec["closure"], options, reference)
    return Result(scenario if scenario is not None else solved, baseline, solution,
                  rec["diagnostics"]["seconds"], tuple(policy.notes))
