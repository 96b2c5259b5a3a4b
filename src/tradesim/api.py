"""The Python API: run a scenario on a baseline and get a :class:`Result`.

>>> import tradesim
>>> result = tradesim.run("scenarios/cp2015_nafta.toml")      # doctest: +SKIP
>>> result.welfare().loc[["MEX", "CAN", "USA"], "welfare_pct"]  # doctest: +SKIP
"""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

from tradesim.data.baseline import Baseline
from tradesim.data.registry import DEFAULT_BASELINE, load_baseline
from tradesim.errors import ScenarioError
from tradesim.literals import check_closure, check_numeraire
from tradesim.model.counterfactual import counterfactual
from tradesim.model.solve import SolverOptions
from tradesim.results.result import Result
from tradesim.scenario.apply import policy_from_scenario
from tradesim.scenario.resolve import resolve
from tradesim.scenario.spec import Scenario, check_runnable, load_scenario, parse_scenario, resolve_reference


def as_scenario(scenario: Scenario | str | Path) -> Scenario:
    """A :class:`Scenario` from itself, a file path, or TOML text."""
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, Path) or (isinstance(scenario, str) and "\n" not in scenario
                                      and scenario.endswith(".toml")):
        return load_scenario(scenario)
    scn = parse_scenario(str(scenario))
    if "include" in str(scenario) and "include" in tomllib.loads(str(scenario)):
        raise ScenarioError(f"scenario '{scn.name}': text with 'include' names files; pass the scenario's path, or "
                            "tradesim.scenario.spec.scenario_in_library(text, folder)")
    return scn


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
    if scenario.baseline_version is not None and scenario.baseline_version != chosen.version:
        raise ScenarioError(f"scenario '{scenario.name}': baseline_version = {scenario.baseline_version!r}, but "
                            f"baseline '{chosen.name}' is version {chosen.version!r} (the numbers would differ)")
    return chosen


def resolved(scenario: Scenario | str | Path, baseline: Baseline | str | None = None, *,
             closure: str | None = None, elasticity_set: str | None = None) -> tuple[Scenario, Baseline]:
    """The scenario as it will be solved (:func:`tradesim.scenario.resolve.resolve`:
    includes and reference inlined, baseline, version, elasticity set and closure
    explicit) and its baseline. Every option is checked here, before any solve."""
    scn = as_scenario(scenario)
    if closure is not None:
        check_closure(closure)
    base = baseline_for(scn, baseline, elasticity_set)
    check_runnable(scn)
    return resolve(scn, base.name, base.version, base.ds.attrs.get("elasticity_set"), closure or scn.closure), base


def _shipped(baseline: Baseline | str | None) -> bool:
    """Whether ``baseline`` is (or names) a shipped baseline, unchanged."""
    if not isinstance(baseline, Baseline):
        return True
    from tradesim.data.registry import available_baselines

    return baseline.name in available_baselines() and baseline is load_baseline(baseline.name)


def run(scenario: Scenario | str | Path, baseline: Baseline | str | None = None, *,
        closure: str | None = None, options: SolverOptions | None = None, jacobian=None,
        elasticity_set: str | None = None, store=None, reuse: bool = True, origin: str | None = None) -> Result:
    """Solve a scenario and return its :class:`Result`; record it in the results store.

    Parameters
    ----------
    scenario : a parsed scenario, a path to a TOML file, or TOML text.
    baseline : a :class:`Baseline` or shipped baseline name; defaults to the
        scenario's ``baseline`` field, then to the package default.
    closure : override the scenario's closure (``"zero_deficit"`` / ``"fixed_deficit"``;
        anything else raises :class:`ScenarioError` listing them).
    elasticity_set : override the scenario's elasticity set (e.g. ``"U4"``).
    options : solver settings.
    jacobian : optional starting Jacobian for the solver (see
        :func:`tradesim.model.counterfactual.reference_world`).
    store : where the run is recorded (:mod:`tradesim.results.store`): ``None``
        the default store (``$TRADESIM_STORE``, ``off`` for none), a path, a
        ``RunStore``, or ``False`` to record nothing.
    reuse : give back the stored run when this scenario was already solved on
        this baseline version, elasticity set and closure (default settings only);
        ``False`` solves again and records a new run.
    origin : recorded with the run (``api``, ``cli``, ``web``).

    Only runs on shipped baselines are recorded (a ``Baseline`` built or changed in
    code may carry a shipped one's name and version with other numbers), and only
    with the default solver start (``jacobian=None``), so a stored run can be solved
    again to the same bits. The result's scenario is the resolved one
    (:func:`resolved`): its ``text`` reruns to the same numbers.
    """
    from tradesim.model.family import is_default, model_of

    family = model_of(scenario)
    if not is_default(family):  # another model family: its own run, recorded the same way
        given = {"closure": closure, "options": options, "jacobian": jacobian, "elasticity_set": elasticity_set}
        if any(v is not None for v in given.values()):  # Caliendo-Parro settings: the family has its own [options]
            raise ScenarioError(f"{', '.join(k for k, v in given.items() if v is not None)}: not a setting of the "
                                f"'{family}' model; set its options in the scenario's [options] table")
        if baseline is not None and getattr(baseline, "name", baseline) != model_baseline(scenario):
            raise ScenarioError(f"baseline: a '{family}' scenario runs on the baseline it names, not "
                                f"{getattr(baseline, 'name', baseline)!r}")
        return run_family(family, scenario, store=store, reuse=reuse, origin=origin)
    scn, base = resolved(scenario, baseline, closure=closure, elasticity_set=elasticity_set)
    if options is not None and options.numeraire is not None:  # the deprecated option; shocks carry theirs
        check_numeraire(options.numeraire, len(base.countries))
    closure = scn.closure
    policy = policy_from_scenario(scn, base)
    ref = resolve_reference(scn)
    reference = policy_from_scenario(ref, base) if ref is not None else None
    runs = None
    if store is not False and _shipped(baseline) and jacobian is None:
        from tradesim.results import store as stored

        runs = stored.open_store(store)
    reuse = reuse and options is None  # other solver settings may give other digits
    if runs is not None and reuse:
        found = runs.find(stored.key_of(scn, ref, base, closure))
        if found is not None:
            return runs.result(found, scn, base)
    start = time.perf_counter()
    solution = counterfactual(base, policy, closure, options, reference, jacobian)
    result = Result(scn, base, solution, time.perf_counter() - start, policy.notes)
    if runs is not None:
        origin = origin or "api"  # the CLI and the dashboard say who they are
        try:
            runs.record(result, reference=ref, origin=origin, reuse=reuse, options=options)
        except stored.StoreError as err:  # a busy or unwritable store must not lose the answer
            import warnings

            warnings.warn(f"run not recorded: {err}", stacklevel=2)
    return result


def run_family(family: str, scenario, *, store=None, reuse: bool = True, origin: str | None = None):
    """:func:`run` for a scenario of another model family (``model = "..."``,
    :class:`tradesim.model.family.ScenarioFamily`): solved by the family, recorded in the store
    (its resolved scenario, welfare table and unknowns); with ``reuse`` a stored run of the same
    key (same resolved scenario, so the same numbers) is not recorded twice. A family solves in
    well under a second, so the run is solved here either way."""
    from tradesim.model.family import scenario_family

    fam = scenario_family(family)
    solved = fam.run(scenario)
    runs = None
    if store is not False:
        from tradesim.results import store as stored

        runs = stored.open_store(store)
    if runs is None:
        return solved
    try:
        runs.record_family(solved, family, origin=origin or "api", reuse=reuse)
    except stored.StoreError as err:  # a busy or unwritable store must not lose the answer
        import warnings

        warnings.warn(f"run not recorded: {err}", stacklevel=2)
    return solved


def model_baseline(scenario) -> str | None:
    """The ``baseline`` a scenario file or text of another model family names."""
    from tradesim.model.family import model_of, scenario_family

    return scenario_family(model_of(scenario)).scenario(scenario).baseline
