"""The Liberation Day model as a tradesim model family (:class:`tradesim.model.family.ModelFamily`).

>>> from tradesim.model.family import get_family
>>> fam = get_family("liberation_day")
>>> out = fam.run("scenarios/liberation_day/ustr_tax_relief.toml")   # doctest: +SKIP
>>> out.table.loc["USA", "welfare_pct"]                                # doctest: +SKIP
1.13...
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jax
import numpy as np
import pandas as pd
import xarray as xr

from tradesim.errors import ScenarioError
from tradesim.model.liberation_day import equations as eq
from tradesim.model.liberation_day.inputs import LDInputs, calibrate
from tradesim.model.liberation_day.options import LDOptions
from tradesim.model.liberation_day.outcomes import aggregates, country_table
from tradesim.model.liberation_day.scenario import LDScenario, load_ld_scenario, scenario_from_dict, tariff_matrix
from tradesim.model.liberation_day.solve import LDSolution, params, solve


@dataclass(frozen=True)
class LDRun:
    """One solved scenario: its inputs, the tariff shock, the solution and the tidy tables."""

    scenario: LDScenario
    inputs: LDInputs
    solution: LDSolution
    table: pd.DataFrame  # every economy, then the aggregates non-US and EU

    @property
    def max_residual(self) -> float:
        return self.solution.max_residual

    def summary(self) -> dict:
        """JSON-ready: scenario, model, options, solver diagnostics, and per economy the outcomes."""
        return {"scenario": self.scenario.name, "model": FAMILY.name, "baseline": self.scenario.baseline,
                "options": {k: v for k, v in vars(self.inputs.options).items()},
                "iterations": self.solution.iterations, "max_residual": self.max_residual,
                "countries": {c: {k: float(v) for k, v in row.items()} for c, row in self.table.iterrows()}}

    def save(self, folder: str | Path) -> Path:
        """Write ``countries.parquet`` (every economy and the aggregates) and ``summary.json``."""
        import json

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.table.rename_axis("country").reset_index().to_parquet(folder / "countries.parquet")
        (folder / "summary.json").write_text(json.dumps(self.summary(), indent=2, default=str))
        return folder


_reference = jax.jit(eq.residual_reference)


def _dataset(name: str) -> xr.Dataset:
    if name != "baci2023":
        raise ScenarioError(f"baseline: the liberation_day family runs on baci2023, not '{name}'")
    from tradesim.data.baci2023 import load_baci2023

    return load_baci2023()


class LiberationDayFamily:
    """Ignatenko, Lashkaripour, Macedoni and Simonovska (2025): one sector, 194 economies."""

    name = "liberation_day"
    baselines = ("baci2023",)

    def inputs(self, baseline: Any = "baci2023", **options: Any) -> LDInputs:
        ds = _dataset(baseline) if isinstance(baseline, str) else baseline
        return calibrate(ds, LDOptions(**options))

    def residual(self, inputs: LDInputs, unknowns: Any, shock: Any) -> np.ndarray:
        """The 3N conditions at ``unknowns = log(w^, E^, L^)`` under the tariff matrix ``shock``."""
        return np.asarray(_reference(np.asarray(unknowns, dtype=float), params(inputs, shock)))

    def solve(self, inputs: LDInputs, shock: Any, **options: Any) -> LDSolution:
        return solve(inputs, shock, **options)

    def welfare(self, inputs: LDInputs, solution: LDSolution) -> pd.Series:
        return pd.Series(solution.welfare_pct, index=pd.Index(inputs.countries, name="country"), name="welfare_pct")

    def tables(self, inputs: LDInputs, solution: LDSolution) -> dict[str, pd.DataFrame]:
        t = country_table(inputs, solution)
        return {"countries": t, "aggregates": aggregates(inputs, t)}

    def run(self, scenario: LDScenario | str | Path, **overrides: Any) -> LDRun:
        """Solve a scenario file (or parsed scenario); ``overrides`` replace its options."""
        if not isinstance(scenario, (LDScenario, str, Path)):  # a parsed tradesim Scenario naming this model
            scenario = getattr(scenario, "path", None) or getattr(scenario, "text", "")
            if not scenario:
                raise ScenarioError("liberation_day: give the scenario as a file path, TOML text or LDScenario")
        if isinstance(scenario, LDScenario):
            sc = scenario
        elif isinstance(scenario, str) and "\n" in scenario:
            import tomllib

            sc = scenario_from_dict(tomllib.loads(scenario))
        else:
            sc = load_ld_scenario(scenario)
        ds = _dataset(sc.baseline)
        inputs = calibrate(ds, sc.options.with_(**overrides) if overrides else sc.options)
        sol = solve(inputs, tariff_matrix(sc, inputs, ds))
        t = country_table(inputs, sol)
        return LDRun(sc, inputs, sol, pd.concat([t, aggregates(inputs, t)]))


FAMILY = LiberationDayFamily()


def sweep(scenario: LDScenario | str | Path, **grid: Any) -> pd.DataFrame:
    """Solve ``scenario`` on every combination of option values, e.g.
    ``sweep(path, epsilon=[3, 4, 6], kappa=[0, 0.5, 1])``; tidy rows (options, country, outcomes).

    The tariff schedule is recomputed for each point (optimal rates depend on epsilon and phi).
    """
    from itertools import product

    sc = scenario if isinstance(scenario, LDScenario) else load_ld_scenario(scenario)
    names = list(grid)
    frames = []
    for values in product(*(list(grid[k]) for k in names)):
        point = dict(zip(names, values))
        t = FAMILY.run(sc, **point).table.rename_axis("country").reset_index()
        frames.append(t.assign(**point))
    return pd.concat(frames, ignore_index=True)[names + ["country", *frames[0].columns[1:-len(names)]]]


def model_of(scenario: Any) -> str | None:
    """The ``model`` a scenario file or TOML text names (``None`` if none, or not TOML)."""
    import tomllib

    text = None
    if isinstance(scenario, Path) or (isinstance(scenario, str) and "\n" not in scenario and scenario.endswith(".toml")):
        from tradesim.scenario.spec import read_scenario_text

        try:  # a bad file gets the scenario reader's own message
            text = read_scenario_text(scenario)
        except ScenarioError as err:
            if "not found" in str(err):
                return None
            raise
    elif isinstance(scenario, str):
        text = scenario
    if text is None:
        return getattr(scenario, "model", None)
    try:
        return tomllib.loads(text).get("model")
    except tomllib.TOMLDecodeError:
        return None
