"""The gravity family as it runs scenario files (:class:`tradesim.model.family.ScenarioFamily`):
``tradesim run scenarios/gravity_can_jpn.toml``, the results store, the dashboard, sweeps and
Monte Carlo.

The model is :class:`tradesim.model.gravity.family.GravityFamily`; this subclass adds the scenario
runs and sits beside the PPML estimation (:mod:`tradesim.gravity.estimate`), above the model, because
a scenario that gives a ``formula`` is estimated before it is solved, as Caliendo-Parro's family
object sits in ``results/`` (``docs/architecture.md``). The registry names this module for
``"gravity"``. A run pins the estimated coefficients in its resolved scenario, so the store's
rebuild and any rerun solve the same numbers bit for bit without estimating again.

>>> import tradesim
>>> run = tradesim.run("scenarios/gravity_can_jpn.toml", store=False)   # doctest: +SKIP
>>> run.welfare_pct().loc["CAN"]                                          # doctest: +SKIP
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd
import xarray as xr

from tradesim.errors import ScenarioError
from tradesim.model.family import FamilyRecord, register
from tradesim.model.gravity.data import country_dataset, load_gegravity2006
from tradesim.model.gravity.family import GravityFamily
from tradesim.model.gravity.runs import OUTCOMES, GravityRun, arrays, run_pinned
from tradesim.model.gravity.scenario import (BASELINES, OPTIONS, GravityScenario, load_gravity_scenario,
                                             parse_gravity_scenario, to_toml)
from tradesim.model.scenario_tools import draw_elasticity, montecarlo_rows, scenario_of, sweep_rows


class GravityScenarioFamily(GravityFamily):
    """One-sector structural gravity in GE, on the shipped panel ``gegravity2006``, from scenario files."""

    baselines = BASELINES
    outcomes = OUTCOMES
    options = OPTIONS
    uncertain = ("sigma",)
    welfare_note = ("welfare: the exact change of real expenditure E/P in the one-sector structural-gravity GE "
                    "(Yotov, Piermartini, Monteiro & Larch 2016; exact hat algebra); no EV in USD")

    def dataset(self, baseline: str = BASELINES[0]) -> xr.Dataset:
        self._check_baseline(baseline)
        return country_dataset()

    @staticmethod
    def _check_baseline(baseline: str) -> None:
        if baseline not in BASELINES:
            raise ScenarioError(f"baseline: the gravity family runs on {', '.join(BASELINES)}, not '{baseline}'")

    def inputs(self, baseline: Any, **options: Any):
        """As :meth:`GravityFamily.inputs`; ``baseline`` may also name the shipped panel."""
        if isinstance(baseline, str):
            self._check_baseline(baseline)
            baseline = load_gegravity2006()
        return super().inputs(baseline, **options)

    @staticmethod
    def scenario(scenario: GravityScenario | str | Path) -> GravityScenario:
        """A parsed scenario from itself, a file path or TOML text."""
        return scenario_of(scenario, GravityScenario, parse_gravity_scenario, load_gravity_scenario, "gravity")

    def resolve(self, scenario: GravityScenario | str | Path) -> tuple[GravityScenario, bool]:
        """The scenario with its coefficients pinned (a PPML estimate of its formula when it gives
        one and no ``[coefficients]``), and whether they were estimated here."""
        sc = self.scenario(scenario)
        s = sc.spec
        if s.coefficients is not None:
            return sc, False
        from tradesim.gravity.estimate import estimate_ppml

        est = estimate_ppml(load_gegravity2006().select_year(s.year), s.formula, s.fixed_effects, vcov=s.vcov)
        return sc.pinned({str(k): float(v) for k, v in est.coef.items()}, sc.baseline_version), True

    def run(self, scenario: GravityScenario | str | Path, **overrides: Any) -> GravityRun:
        """Solve a scenario file (or text, or parsed scenario); ``overrides`` replace its options
        (``sigma``, ``reference_importer``, ``compat``)."""
        start = time.perf_counter()
        sc, estimated = self.resolve(scenario)
        return run_pinned(sc.with_options(**overrides) if overrides else sc, estimated=estimated, started=start)

    def record(self, run: GravityRun) -> FamilyRecord:
        """What the results store keeps: the resolved scenario, the welfare table (headline first),
        the solve's price changes and resistances, and its diagnostics."""
        sc, s = run.scenario, run.scenario.spec
        welfare = run.table.reset_index()[["country", *self.outcomes]]
        diag = {"converged": True, "iterations": int(run.solution.iterations), "residuals": run.solution.residuals,
                "max_residual": float(run.max_residual), "seconds": float(run.seconds),
                "coefficients_estimated": run.estimated,
                "options": {"sigma": s.sigma, "reference_importer": s.reference_importer, "compat": s.compat}}
        return FamilyRecord(scenario_key=sc.key, scenario_name=sc.name, scenario_text=to_toml(sc),
                            baseline=sc.baseline, baseline_version=str(sc.baseline_version),
                            variant=f"compat={s.compat}", welfare=welfare, arrays=arrays(run),
                            iterations=int(run.solution.iterations), max_residual=float(run.max_residual),
                            seconds=float(run.seconds), n_countries=len(run.inputs.countries), diagnostics=diag)

    def run_tables(self, run: GravityRun) -> dict[str, pd.DataFrame]:
        return run.tables()

    def sweep(self, scenario: GravityScenario | str | Path, points: list[dict]) -> pd.DataFrame:
        """Solve ``scenario`` at every point (options, e.g. ``{"sigma": 4}``), the coefficients
        estimated once; tidy rows as :func:`tradesim.model.scenario_tools.sweep_rows`."""
        sc, _ = self.resolve(scenario)

        def one(point):
            run = run_pinned(sc.with_options(**point))
            return run.table, run.max_residual

        return sweep_rows(one, points, self.outcomes)

    def montecarlo(self, scenario: GravityScenario | str | Path, draws: int, *, cv: float = 0.25, seed: int = 0,
                   progress=None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Seeded draws of ``sigma`` (``sigma - 1`` lognormal around the scenario's own, coefficient
        of variation ``cv``; :mod:`tradesim.model.scenario_tools`), the coefficients fixed."""
        sc, _ = self.resolve(scenario)
        values = draw_elasticity(sc.spec.sigma, cv, draws, seed)
        samples, summary = montecarlo_rows(lambda v: run_pinned(sc.with_options(sigma=v)).table, "sigma", values,
                                           self.outcomes, progress)
        summary.attrs["source"] = f"sigma - 1 lognormal around {sc.spec.sigma - 1:g}, cv {cv:g}"
        return samples, summary


FAMILY = register(GravityScenarioFamily())
