"""Scenario sweeps: a grid of parameters over a scenario template, solved in one
process or on Dask, gathered in one tidy table.

A sweep spec is TOML::

    name = "US tariff on China, 0-150%"
    baseline = "icio2022"
    closure = "fixed_deficit"
    countries = ["USA", "CHN", "JPN"]          # plotted (the table has every country)

    [grid]
    rate = { start = 0.0, stop = 1.5, step = 0.1 }   # or a list of values
    retaliation = [false, true]
    elasticity_set = ["CP", "U4"]             # special: picks the baseline's elasticity set

    [[measures]]                               # the template: "{name}" is replaced by the value
    kind = "tariff"
    importer = "USA"
    exporter = "CHN"
    sector = "goods"
    add = "{rate}"

    [[measures]]
    when = "retaliation"                       # only where that parameter is true
    kind = "tariff"
    importer = "CHN"
    exporter = "USA"
    sector = "goods"
    add = "{rate}"

A sweep of another model family names it and its scenario file; the grid is over the
family's options (for the Liberation Day model: ``epsilon``, ``kappa``, ``revenue``, ...;
``sweeps/liberation_day_elasticities.toml``)::

    name = "Liberation Day: epsilon x kappa"
    model = "liberation_day"
    scenario = "scenarios/liberation_day/ustr_tax_relief.toml"   # from the working directory
    countries = ["USA", "CHN", "JPN"]

    [grid]
    epsilon = [3.0, 4.0, 6.0]
    kappa = [0.0, 0.5, 1.0]

Every grid point is an ordinary scenario. Each is solved from the same baseline
Jacobian, so the numbers do not depend on the order, the chunking or the
machine count: a Dask run gives exactly the single-process table. A point that
does not converge is reported (``converged`` false, its residual) and does not
spoil the others.
"""

from __future__ import annotations

import copy
import itertools
import tomllib
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from tradesim.distributed import map_chunks
from tradesim.errors import NonConvergenceError, ScenarioError
from tradesim.results.columns import LABELS, OUTCOMES


@dataclass(frozen=True)
class SweepSpec:
    """A parsed sweep: name, baseline, closure, the grid and the measure template."""

    name: str
    baseline: str | None
    closure: str
    grid: dict[str, list]
    template: list[dict]
    countries: tuple[str, ...] = ()
    model: str | None = None       # another model family (None: Caliendo-Parro)
    scenario: str | None = None    # that family's scenario file

    def points(self) -> list[dict[str, Any]]:
        """Every combination of grid values, in a fixed order."""
        keys = list(self.grid)
        return [dict(zip(keys, combo)) for combo in itertools.product(*(self.grid[k] for k in keys))]


def _values(key: str, raw: Any) -> list:
    if isinstance(raw, dict):
        try:
            start, stop, step = float(raw["start"]), float(raw["stop"]), float(raw["step"])
        except (KeyError, TypeError, ValueError):
            raise ScenarioError(f"sweep: grid '{key}' needs numeric start, stop and step") from None
        if step <= 0 or stop < start:
            raise ScenarioError(f"sweep: grid '{key}' needs step > 0 and stop >= start")
        count = int(np.floor((stop - start) / step + 1e-9)) + 1
        return [round(start + k * step, 12) for k in range(count)]
    if isinstance(raw, list) and raw:
        return list(raw)
    raise ScenarioError(f"sweep: grid '{key}' must be a list of values or {{start, stop, step}}")


def parse_sweep(text: str) -> SweepSpec:
    """Parse a sweep spec; errors name the field."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"sweep spec is not valid TOML: {err}") from None
    unknown = set(raw) - {"name", "baseline", "closure", "countries", "grid", "measures", "description", "model",
                          "scenario"}
    if unknown:
        raise ScenarioError(f"sweep: unknown top-level field(s) {', '.join(sorted(unknown))}")
    grid = raw.get("grid")
    if not isinstance(grid, dict) or not grid:
        raise ScenarioError("sweep: give a [grid] table with at least one parameter")
    _check_family(raw)
    return SweepSpec(
        name=str(raw.get("name", "sweep")), baseline=raw.get("baseline"),
        closure=raw.get("closure", "fixed_deficit"),
        grid={k: _values(k, v) for k, v in grid.items()},
        template=list(raw.get("measures", [])),
        countries=tuple(raw.get("countries", ())),
        model=raw.get("model"), scenario=raw.get("scenario"),
    )


def _check_family(raw: dict) -> None:
    """Check the fields of a sweep over another model family (``model`` and ``scenario``)."""
    from tradesim.model.family import is_default

    if is_default(raw.get("model")):
        if "scenario" in raw:
            raise ScenarioError("sweep: 'scenario' (a scenario file) is for sweeps of another model family; "
                                "give 'model' too, or a [[measures]] template")
        return
    if not isinstance(raw.get("scenario"), str):
        raise ScenarioError(f"sweep: a sweep of the '{raw['model']}' model needs 'scenario', the path of its "
                            "scenario file")
    if raw.get("measures"):
        raise ScenarioError("sweep: give either 'scenario' (another model family) or a [[measures]] template, "
                            "not both")
    return True


def family_outcomes() -> tuple[str, ...]:
    """The outcomes of every model family that runs scenario files (for ``--outcome``)."""
    from tradesim.model.family import ScenarioFamily, family_names, get_family, is_default

    out: list[str] = []
    for name in family_names():
        if not is_default(name) and isinstance(fam := get_family(name), ScenarioFamily):
            out += [o for o in fam.outcomes if o not in out]
    return tuple(out)


def scenario_path(spec: SweepSpec) -> Path:
    """The scenario file of a family sweep: as given (from the working directory), else from
    the repository root."""
    path = Path(spec.scenario)
    if not path.is_absolute() and not path.exists():
        root = Path(__file__).resolve().parents[3] / path
        if root.exists():
            return root
    if not path.exists():
        raise ScenarioError(f"sweep: scenario file not found: {spec.scenario}")
    return path


def solve_family_points(model: str, scenario: str, indexed_points: list[tuple[int, dict]]) -> pd.DataFrame:
    """:func:`solve_points` for another model family: its own sweep over the points' options."""
    from tradesim.model.family import scenario_family

    table = scenario_family(model).sweep(Path(scenario), [p for _, p in indexed_points])
    table["point"] = [indexed_points[k][0] for k in table["point"]]
    return table


def _fill(value: Any, point: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in point:
        return point[value[1:-1]]
    if isinstance(value, list):
        return [_fill(v, point) for v in value]
    return value


def scenario_table(spec: SweepSpec, point: dict[str, Any]) -> dict:
    """The scenario (as a TOML-like dict) of one grid point."""
    measures = []
    for raw in spec.template:
        cond = raw.get("when")
        if cond is not None:
            if cond not in point:
                raise ScenarioError(f"sweep: 'when = {cond!r}' names no grid parameter")
            if not point[cond]:
                continue
        measures.append({k: _fill(v, point) for k, v in copy.deepcopy(raw).items() if k != "when"})
    label = ", ".join(f"{k}={v}" for k, v in point.items())
    table = {"name": f"{spec.name} [{label}]", "closure": spec.closure, "measures": measures}
    if spec.baseline:
        table["baseline"] = spec.baseline
    if "elasticity_set" in point:
        table["elasticity_set"] = point["elasticity_set"]
    return table


_BASELINES: dict[tuple, object] = {}
# Scenarios per compiled batch: a chunk larger than this is solved as several batches, so the
# arrays of one batch stay small (scenarios in a batch run one after another, see
# tradesim.model.batch; the batch size changes only how often Python dispatches).
BATCH_SIZE = 25


def solve_points(spec: SweepSpec, indexed_points: list[tuple[int, dict]], options=None,
                 pad_to: int | None = None, batch_size: int = BATCH_SIZE) -> pd.DataFrame:
    """Solve grid points (index, parameters) and return their tidy rows: one per
    point and country. Runs wherever it is called (this process or a Dask worker).

    Points on the same baseline, elasticity set, closure and reference are solved in
    compiled batches (:func:`tradesim.model.counterfactual.counterfactuals`) of
    ``min(pad_to, batch_size)`` scenarios, padded to that size so every batch
    reuses one compiled program."""
    from tradesim.api import baseline_for
    from tradesim.model.counterfactual import counterfactuals
    from tradesim.results.result import Result
    from tradesim.scenario.apply import policy_from_scenario
    from tradesim.scenario.spec import resolve_reference, scenario_from_dict

    solved: dict[int, tuple] = {}          # index -> (welfare or None, residual, converged)
    groups: dict[tuple, list] = {}
    for index, point in indexed_points:
        scenario = scenario_from_dict(scenario_table(spec, point))
        key = (scenario.baseline, scenario.elasticity_set, scenario.closure, repr(scenario.reference))
        groups.setdefault(key, []).append((index, scenario))
    for key, members in groups.items():
        closure = key[2]
        if key[:3] not in _BASELINES:  # one Baseline object per process, so its reference world and Jacobian are cached
            _BASELINES[key[:3]] = baseline_for(members[0][1])
        base = _BASELINES[key[:3]]
        ref = resolve_reference(members[0][1])
        reference = policy_from_scenario(ref, base) if ref is not None else None
        size = min(pad_to or batch_size, batch_size)
        for first in range(0, len(members), size):
            part = members[first:first + size]
            policies = [policy_from_scenario(scenario, base) for _, scenario in part]
            try:
                batch = counterfactuals(base, policies, closure, options, reference,
                                        names=[str(i) for i, _ in part], pad_to=size)
            except NonConvergenceError as err:  # the reference world all of them stand on
                solved.update({index: (None, err.residual, False) for index, _ in part})
                continue
            for (index, scenario), policy, solution, residual in zip(part, policies, batch.solutions,
                                                                     batch.residuals):
                welfare = None if solution is None else Result(scenario, base, solution, notes=policy.notes).welfare()
                solved[index] = (welfare, float(residual), solution is not None)
    # Column by column (one row per point and country): a cell-by-cell .loc costs more than the solve.
    names = list(indexed_points[0][1]) if indexed_points else []
    columns: dict[str, list] = {k: [] for k in ("point", *names, "country", "converged", "residual", *OUTCOMES)}
    for index, point in indexed_points:
        welfare, residual, converged = solved[index]
        countries = list(welfare.index) if welfare is not None else [None]
        rows = len(countries)
        columns["point"] += [index] * rows
        for k in names:
            columns[k] += [point[k]] * rows
        columns["country"] += countries
        columns["converged"] += [converged] * rows
        columns["residual"] += [residual] * rows
        for key in OUTCOMES:
            columns[key] += (welfare[key].to_numpy(float).tolist() if welfare is not None else [np.nan])
    return pd.DataFrame(columns)


def run_sweep(spec: SweepSpec, *, scheduler: str | None = None, workers: int = 0, chunk_size: int = 25,
              progress: Callable[[int, int], None] | None = None, options=None) -> pd.DataFrame:
    """Solve every grid point; with ``workers`` > 0 on a Dask LocalCluster of that
    many single-threaded workers, with ``scheduler`` on an existing cluster.

    Points go out in chunks of ``chunk_size``; each chunk is solved as one
    compiled batch (padded to ``chunk_size``, so one compiled program serves
    every chunk) from the baseline Jacobian, in this process or on a worker alike,
    which is why both give the same table exactly. ``progress(done, total)`` is
    called as chunks finish.
    """
    points = list(enumerate(spec.points()))
    chunks = [points[k:k + chunk_size] for k in range(0, len(points), chunk_size)]
    if spec.model is not None and spec.scenario is not None:  # another model family solves its own points
        from tradesim.model.family import is_default

        if not is_default(spec.model):
            fn = partial(solve_family_points, spec.model, str(scenario_path(spec).resolve()))
            frames = map_chunks(fn, chunks, scheduler=scheduler, workers=workers, progress=progress)
            return pd.concat(frames, ignore_index=True).sort_values(["point", "country"]).reset_index(drop=True)
    frames = map_chunks(partial(solve_points, spec, options=options, pad_to=chunk_size), chunks,
                        scheduler=scheduler, workers=workers, progress=progress)
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["point", "country"]).reset_index(drop=True)


def failed_points(table: pd.DataFrame) -> pd.DataFrame:
    """The grid points that did not converge, with their residuals."""
    return table[~table["converged"]].drop_duplicates("point")


def plot_sweep(table: pd.DataFrame, spec: SweepSpec, path: str | Path, outcome: str = "welfare_pct") -> Path:
    """Line chart of ``outcome`` against the first numeric grid parameter, one line
    per country and combination of the other parameters; written as HTML."""
    import plotly.express as px

    numeric = [k for k, v in spec.grid.items() if all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                       for x in v)]
    if not numeric:
        raise ScenarioError("sweep: nothing to plot against (no numeric grid parameter)")
    if outcome not in table:
        raise ScenarioError(f"sweep: outcome '{outcome}' is not in this sweep's table; it has "
                            f"{', '.join(c for c in table.columns if c.endswith('_pct') or c == 'ev_usd')}")
    x = numeric[0]
    others = [k for k in spec.grid if k != x]
    data = table[table["country"].isin(spec.countries)] if spec.countries else table
    data = data.copy()
    series = data["country"].astype(str)
    for k in others:
        series = series + f" {k}=" + data[k].astype(str)
    data["series"] = series
    fig = px.line(data, x=x, y=outcome, color="series", markers=True,
                  title=f"{spec.name}: {LABELS.get(outcome, outcome)} against {x}",
                  labels={outcome: LABELS.get(outcome, outcome)})
    path = Path(path)
    fig.write_html(path, include_plotlyjs=True)
    return path
