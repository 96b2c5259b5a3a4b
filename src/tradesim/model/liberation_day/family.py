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

import numpy as np
import pandas as pd
import xarray as xr

from tradesim.errors import ScenarioError
from tradesim.model.liberation_day import equations as eq
from tradesim.model.liberation_day.inputs import LDInputs, calibrate
from tradesim.model.liberation_day.options import LDOptions
from tradesim.model.liberation_day.outcomes import aggregates, country_table
from tradesim.model.liberation_day.scenario import LDScenario, load_ld_scenario, tariff_matrix
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
        return np.asarray(eq.residual_reference(np.asarray(unknowns, dtype=float), params(inputs, shock)))

    def solve(self, inputs: LDInputs, shock: Any, **options: Any) -> LDSolution:
        return solve(inputs, shock, **options)

    def welfare(self, inputs: LDInputs, solution: LDSolution) -> pd.Series:
        return pd.Series(solution.welfare_pct, index=pd.Index(inputs.countries, name="country"), name="welfare_pct")

    def tables(self, inputs: LDInputs, solution: LDSolution) -> dict[str, pd.DataFrame]:
        t = country_table(inputs, solution)
        return {"countries": t, "aggregates": aggregates(inputs, t)}

    def run(self, scenario: LDScenario | str | Path, **overrides: Any) -> LDRun:
        """Solve a scenario file (or parsed scenario); ``overrides`` replace its options."""
        sc = scenario if isinstance(scenario, LDScenario) else load_ld_scenario(scenario)
        ds = _dataset(sc.baseline)
        inputs = calibrate(ds, sc.options.with_(**overrides) if overrides else sc.options)
        sol = solve(inputs, tariff_matrix(sc, inputs, ds))
        t = country_table(inputs, sol)
        return LDRun(sc, inputs, sol, pd.concat([t, aggregates(inputs, t)]))


FAMILY = LiberationDayFamily()
