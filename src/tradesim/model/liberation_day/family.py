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

from tradesim.errors import NonConvergenceError, ScenarioError
from tradesim.model.family import FamilyRecord
from tradesim.model.liberation_day import equations as eq
from tradesim.model.liberation_day.inputs import LDInputs, calibrate
from tradesim.model.liberation_day.options import LDOptions
from tradesim.model.liberation_day.outcomes import COLUMNS, aggregates, country_table
from tradesim.model.liberation_day.scenario import (LDScenario, load_ld_scenario, scenario_from_dict, tariff_matrix,
                                                    to_toml)
from tradesim.model.liberation_day.solve import LDSolution, params, solve


@dataclass(frozen=True)
class LDRun:
    """One solved scenario: its inputs, the tariff shock, the solution and the tidy tables."""

    scenario: LDScenario
    inputs: LDInputs
    solution: LDSolution
    table: pd.DataFrame  # every economy, then the aggregates non-US and EU
    seconds: float = float("nan")  # calibration and solve, wall clock

    @property
    def max_residual(self) -> float:
        return self.solution.max_residual

    def welfare_pct(self) -> pd.Series:
        """Per economy, the model's exact welfare change in percent (the family-result protocol,
        :class:`tradesim.model.family.FamilyResult`; the aggregates are in :meth:`tables`)."""
        return self.table.loc[list(self.inputs.countries), "welfare_pct"].rename_axis("country")

    def tables(self) -> dict[str, pd.DataFrame]:
        """``countries`` (every economy) and ``aggregates`` (non-US, EU), tidy."""
        economies = list(self.inputs.countries)
        rest = [c for c in self.table.index if c not in set(economies)]
        return {"countries": self.table.loc[economies].rename_axis("country").reset_index(),
                "aggregates": self.table.loc[rest].rename_axis("country").reset_index()}

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
    #: per economy; ``welfare_pct`` is the model's exact welfare change (with the disutility of
    #: labour), the headline. The paper gives no equivalent variation, so there is no ``ev_usd``.
    outcomes = (*COLUMNS, "revenue_pct")
    uncertain = ("epsilon", "kappa")
    welfare_note = ("welfare: the Liberation Day model's exact welfare change (real income net of the disutility "
                    "of labour; Ignatenko, Lashkaripour, Macedoni & Simonovska 2025); aggregates weighted by "
                    "expenditure, as the paper's; no EV in USD: the paper gives none")
    #: the unknowns of the solve, kept by the store to check that a rebuild gives the same bits
    checked = ("w_hat", "e_hat", "l_hat")

    def dataset(self, baseline: str = "baci2023") -> xr.Dataset:
        return _dataset(baseline)

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
        import time

        sc = self.scenario(scenario)
        ds = _dataset(sc.baseline)
        if sc.baseline_version is not None and sc.baseline_version != ds.attrs.get("version"):
            raise ScenarioError(f"baseline_version: the scenario pins {sc.baseline_version!r}, but {sc.baseline} is "
                                f"version {ds.attrs.get('version')!r} (the numbers would differ)")
        if overrides:
            unknown = sorted(set(overrides) - set(vars(sc.options)))
            if unknown:
                raise ScenarioError(f"options: unknown option(s) {', '.join(unknown)}; known: "
                                    f"{', '.join(sorted(vars(sc.options)))}")
            from dataclasses import replace

            sc = replace(sc, options=sc.options.with_(**overrides))
        start = time.perf_counter()
        inputs = calibrate(ds, sc.options)
        sol = solve(inputs, tariff_matrix(sc, inputs, ds))
        t = country_table(inputs, sol)
        return LDRun(sc, inputs, sol, pd.concat([t, aggregates(inputs, t)]), time.perf_counter() - start)

    @staticmethod
    def scenario(scenario: LDScenario | str | Path) -> LDScenario:
        """A parsed scenario from itself, a file path or TOML text."""
        if isinstance(scenario, LDScenario):
            return scenario
        if isinstance(scenario, str) and "\n" in scenario:
            import tomllib

            try:
                return scenario_from_dict(tomllib.loads(scenario))
            except tomllib.TOMLDecodeError as err:
                raise ScenarioError(f"scenario is not valid TOML: {err}") from None
        return load_ld_scenario(scenario)

    def record(self, run: LDRun) -> FamilyRecord:
        """What the results store keeps: the resolved scenario (options explicit, baseline
        version pinned), the welfare table (economies only; the aggregates are rebuilt), the
        solve's unknowns and its diagnostics."""
        version = str(_dataset(run.scenario.baseline).attrs.get("version"))
        welfare = run.table.loc[list(run.inputs.countries), list(self.outcomes)].rename_axis("country").reset_index()
        diag = {"converged": bool(run.solution.converged), "iterations": int(run.solution.iterations),
                "max_residual": float(run.max_residual), "seconds": float(run.seconds),
                "options": {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(run.inputs.options).items()}}
        return FamilyRecord(scenario_key=run.scenario.key, scenario_name=run.scenario.name,
                            scenario_text=to_toml(run.scenario, version), baseline=run.scenario.baseline,
                            baseline_version=version, variant=f"deficits={run.inputs.options.deficits}",
                            welfare=welfare,
                            arrays={k: np.asarray(run.solution.values[k]) for k in self.checked},
                            iterations=int(run.solution.iterations), max_residual=float(run.max_residual),
                            seconds=float(run.seconds), n_countries=run.inputs.n, diagnostics=diag)

    def run_tables(self, run: LDRun) -> dict[str, pd.DataFrame]:
        """``countries`` (every economy) and ``aggregates`` (non-US, EU), tidy."""
        t = self.tables(run.inputs, run.solution)
        return {k: v.rename_axis("country").reset_index() for k, v in t.items()}

    def sweep(self, scenario: LDScenario | str | Path, points: list[dict]) -> pd.DataFrame:
        """Solve ``scenario`` at every point (a dict of options, e.g. ``{"epsilon": 6, "kappa": 0}``);
        tidy rows ``point``, the options, ``country``, ``converged``, ``residual``, :attr:`outcomes`.
        A point that does not converge is one row with ``converged`` False, never dropped."""
        sc = self.scenario(scenario)
        names = list(points[0]) if points else []
        frames = []
        for index, point in enumerate(points):
            try:
                run = self.run(sc, **point)
                t = run.table.rename_axis("country").reset_index()[["country", *self.outcomes]]
                frames.append(t.assign(converged=True, residual=run.max_residual))
            except NonConvergenceError as err:
                frames.append(pd.DataFrame({"country": [None], "converged": [False],
                                            "residual": [getattr(err, "residual", float("nan"))]}))
            frames[-1] = frames[-1].assign(point=index, **point)
        out = pd.concat(frames, ignore_index=True)
        return out[["point", *names, "country", "converged", "residual", *self.outcomes]]

    def montecarlo(self, scenario: LDScenario | str | Path, draws: int, *, cv: float = 0.25, seed: int = 0,
                   progress=None, epsilon_mean: float | None = None, kappa_low: float = 0.0,
                   kappa_high: float = 1.0) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Seeded draws of epsilon (lognormal around the scenario's own, coefficient of variation
        ``cv``) and kappa (uniform on [kappa_low, kappa_high]); see
        :mod:`tradesim.model.liberation_day.uncertainty`. Summary columns ``<outcome>_<stat>``."""
        from tradesim.model.liberation_day.uncertainty import montecarlo

        sc = self.scenario(scenario)
        samples, summary = montecarlo(sc, draws, epsilon_mean=epsilon_mean or sc.options.epsilon, epsilon_cv=cv,
                                      kappa_low=kappa_low, kappa_high=kappa_high, seed=seed, progress=progress)
        summary = summary.copy()
        summary.columns = [f"{o}_{s}" for s, o in summary.columns]
        summary.attrs["source"] = f"epsilon lognormal cv {cv:g}, kappa uniform [{kappa_low:g}, {kappa_high:g}]"
        return samples, summary


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


