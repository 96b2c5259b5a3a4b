"""Ossa's (2014) model as a tradesim model family, ``"ossa2014"`` (:class:`tradesim.model.family.ModelFamily`).

Inputs are the deficit-purged :class:`~tradesim.model.ossa.inputs.OssaModel` of the shipped
dataset (the paper's calibration); a shock is a new tariff array ``t'`` (N, N, S), importer
first (``None``: the factual tariffs); the unknowns are the wage changes ``w_hat`` (N); welfare
is the exact real-income change ``100 (E_hat / P_hat - 1)``. The games played on the model
(optimal tariffs, Nash, talks) are in :mod:`tradesim.strategy.tariffs`.

>>> from tradesim.model.family import get_family
>>> fam = get_family("ossa2014")
>>> m = fam.inputs("ossa2014")                               # doctest: +SKIP
>>> fam.welfare(m, fam.solve(m, 1.1 * m.tariff)).round(3)    # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import xarray as xr

from tradesim.errors import ScenarioError
from tradesim.model.family import FamilyRecord
from tradesim.model.ossa import equations as eq
from tradesim.model.ossa.data import load_ossa2014
from tradesim.model.ossa.inputs import OssaModel
from tradesim.model.ossa.runs import OUTCOMES, OssaRun, run_scenario
from tradesim.model.ossa.scenario import (BASELINES, OPTIONS, OssaScenario, load_ossa_scenario, parse_ossa_scenario,
                                          to_toml)
from tradesim.model.ossa.solve import Solution
from tradesim.model.scenario_tools import draw_elasticity, montecarlo_rows, scenario_of, sweep_rows


@dataclass(frozen=True)
class OssaResult:
    """One solved counterfactual of Ossa's model: ``model`` (the baseline), ``tariff`` (the new
    tariffs, N x N x S) and ``solution`` (:class:`~tradesim.model.ossa.solve.Solution`)."""

    model: OssaModel
    tariff: np.ndarray
    solution: Solution

    @property
    def max_residual(self) -> float:
        return float(self.solution.residual)

    def welfare_pct(self) -> pd.Series:
        """Per region, the exact real-income change ``100 (E_hat / P_hat - 1)``."""
        return pd.Series(100 * (np.asarray(self.solution.welfare_hat) - 1),
                         index=pd.Index(self.model.regions, name="country"), name="welfare_pct")

    def tables(self) -> dict[str, pd.DataFrame]:
        """``countries``: per region ``welfare_pct``, ``gov_welfare_pct`` (the political-economy
        objective ``G``), ``wage_pct``, ``price_index_pct`` and the simple mean tariff over
        partners and industries before and after (%); ``industries``: per region and industry
        the profit change (%)."""
        s, m = self.solution, self.model
        n = m.n
        off = ~np.eye(n, dtype=bool)

        def mean_tariff(t):
            return np.array([np.asarray(t)[j][off[j]].mean() for j in range(n)]) * 100

        countries = pd.DataFrame({
            "country": list(m.regions), "welfare_pct": self.welfare_pct().to_numpy(),
            "gov_welfare_pct": 100 * (np.asarray(s.gov_hat) - 1), "wage_pct": 100 * (np.asarray(s.wage_hat) - 1),
            "price_index_pct": 100 * (np.asarray(s.price_hat) - 1),
            "mean_tariff_before_pct": mean_tariff(m.tariff), "mean_tariff_after_pct": mean_tariff(self.tariff)})
        profit0 = np.asarray(eq.baseline_shares(m)[3])
        idx = pd.MultiIndex.from_product([m.regions, m.sectors], names=["country", "sector"])
        industries = pd.DataFrame({"profit_pct": (100 * (np.asarray(s.profit) / profit0 - 1)).ravel()},
                                  index=idx).reset_index()
        return {"countries": countries, "industries": industries}

    def summary(self) -> dict:
        """JSON-ready: model, residual, and per region the ``countries`` table's columns."""
        t = self.tables()["countries"].set_index("country")
        return {"model": FAMILY.name, "max_residual": self.max_residual,
                "countries": {c: {k: float(v) for k, v in row.items()} for c, row in t.iterrows()}}


_labour_market_residual = jax.jit(eq.labour_market_residual)


class OssaFamily:
    """Ossa (2014): N regions, S industries, Krugman firms with a fixed mass, one factor."""

    name = "ossa2014"
    baselines = ("ossa2014",)

    def inputs(self, baseline: Any = "ossa2014", *, political_economy: bool = True, purge: bool = True) -> OssaModel:
        """The model of a dataset (the shipped one by name), purged of deficits unless ``purge`` is False."""
        if isinstance(baseline, OssaModel):
            return baseline.purged() if purge else baseline
        if isinstance(baseline, str):
            if baseline != "ossa2014":
                raise ScenarioError(f"baseline: the ossa2014 family runs on ossa2014, not '{baseline}'")
            baseline = load_ossa2014()
        if not isinstance(baseline, xr.Dataset):
            raise ScenarioError("baseline: give 'ossa2014', an xarray Dataset of its layout or an OssaModel")
        m = OssaModel.from_dataset(baseline, political_economy=political_economy)
        return m.purged() if purge else m

    @staticmethod
    def _tariff(inputs: OssaModel, shock: Any):
        t = inputs.tariff if shock is None else jnp.asarray(shock, float)
        if t.shape != inputs.trade.shape:
            raise ScenarioError(f"tariff: expected an (importer, exporter, sector) array of shape "
                                f"{tuple(inputs.trade.shape)}, got {tuple(t.shape)}")
        return t

    def residual(self, inputs: OssaModel, unknowns: Any, shock: Any) -> np.ndarray:
        """The N labour-market conditions (the last one the numeraire) at ``unknowns = w_hat``."""
        return np.asarray(_labour_market_residual(inputs, jnp.asarray(unknowns, float), self._tariff(inputs, shock),
                                                  inputs.deficit()))

    def solve(self, inputs: OssaModel, shock: Any) -> OssaResult:
        """The equilibrium under the tariffs ``shock``; :class:`~tradesim.errors.NonConvergenceError`
        if the labour-market residual stays above tolerance."""
        t = self._tariff(inputs, shock)
        return OssaResult(inputs, np.asarray(t), inputs.solve(t))

    def welfare(self, inputs: OssaModel, solution: OssaResult) -> pd.Series:
        return solution.welfare_pct()

    def tables(self, inputs: OssaModel, solution: OssaResult) -> dict[str, pd.DataFrame]:
        return solution.tables()


class OssaScenarioFamily(OssaFamily):
    """Ossa's model as it runs scenario files (:class:`tradesim.model.family.ScenarioFamily`):
    ``tradesim run scenarios/ossa2014/us_china_20pp.toml``, the results store, the dashboard,
    sweeps (over :data:`~tradesim.model.ossa.scenario.OPTIONS`) and Monte Carlo (``sigma_scale``)."""

    baselines = BASELINES
    outcomes = OUTCOMES
    options = OPTIONS
    uncertain = ("sigma_scale",)
    welfare_note = ("welfare: the exact real-income change E/P in Ossa's (2014) model (Krugman industries, one "
                    "factor, 7 regions x 33 industries); gov_welfare_pct is the political-economy objective G; "
                    "no EV in USD")
    #: the unknowns of the solve and the price index, kept by the store to check a rebuild bit for bit
    checked = ("wage_hat", "price_hat")

    def dataset(self, baseline: str = "ossa2014") -> xr.Dataset:
        """Per region ``country`` and ``country_name`` (what the dashboard needs of a baseline)."""
        from tradesim.data.sources.ossa2014 import REGION_NAMES, REGIONS

        if baseline not in BASELINES:
            raise ScenarioError(f"baseline: the ossa2014 family runs on ossa2014, not '{baseline}'")
        ds = load_ossa2014()
        return xr.Dataset(coords={"country": list(REGIONS), "country_name": ("country", list(REGION_NAMES)),
                                  "sector": ds["sector"].values}, attrs=dict(ds.attrs))

    @staticmethod
    def scenario(scenario: Any) -> OssaScenario:
        """A parsed scenario from itself, a file path or TOML text."""
        return scenario_of(scenario, OssaScenario, parse_ossa_scenario, load_ossa_scenario, "ossa2014")

    def run(self, scenario: Any, **overrides: Any) -> OssaRun:
        """Solve a scenario; ``overrides`` replace its options (``deficit``, ``political_economy``,
        ``sigma_scale``); a scenario pinning another dataset version is refused."""
        sc = self.scenario(scenario)
        version = load_ossa2014().attrs.get("version")
        if sc.baseline_version is not None and sc.baseline_version != version:
            raise ScenarioError(f"baseline_version: the scenario pins {sc.baseline_version!r}, but ossa2014 is "
                                f"version {version!r} (the numbers would differ)")
        return run_scenario(self, sc.with_options(**overrides) if overrides else sc)

    def record(self, run: OssaRun) -> FamilyRecord:
        """The resolved scenario, the welfare table (headline first), the wage and price changes."""
        version = str(load_ossa2014().attrs.get("version"))
        sol = run.solution.solution
        diag = {"converged": True, "max_residual": float(run.max_residual), "seconds": float(run.seconds),
                "options": vars(run.scenario.options), "iterations": "not counted (compiled Newton)"}
        return FamilyRecord(scenario_key=run.scenario.key, scenario_name=run.scenario.name,
                            scenario_text=to_toml(run.scenario, version), baseline=run.scenario.baseline,
                            baseline_version=version, variant=f"deficit={run.scenario.options.deficit}",
                            welfare=run.table.reset_index()[["country", *self.outcomes]],
                            arrays={k: np.asarray(getattr(sol, k)) for k in self.checked}, iterations=0,
                            max_residual=float(run.max_residual), seconds=float(run.seconds),
                            n_countries=run.inputs.n, n_sectors=run.inputs.s, diagnostics=diag,
                            notes=("iterations: the compiled Newton does not count its steps",))

    def run_tables(self, run: OssaRun) -> dict[str, pd.DataFrame]:
        return run.tables()

    def sweep(self, scenario: Any, points: list[dict]) -> pd.DataFrame:
        """Solve ``scenario`` at every point of options (e.g. ``{"sigma_scale": 0.8}``)."""
        sc = self.scenario(scenario)

        def one(point):
            run = self.run(sc, **point)
            return run.table, run.max_residual

        return sweep_rows(one, points, self.outcomes)

    def montecarlo(self, scenario: Any, draws: int, *, cv: float = 0.25, seed: int = 0,
                   progress=None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Seeded draws of ``sigma_scale`` (lognormal, mean the scenario's own, coefficient of
        variation ``cv``): every industry's ``sigma_s - 1`` scaled by one common factor per draw."""
        sc = self.scenario(scenario)
        values = draw_elasticity(1.0 + sc.options.sigma_scale, cv, draws, seed) - 1.0
        samples, summary = montecarlo_rows(lambda v: self.run(sc, sigma_scale=v).table, "sigma_scale", values,
                                           self.outcomes, progress)
        summary.attrs["source"] = f"sigma_scale lognormal around {sc.options.sigma_scale:g}, cv {cv:g}"
        return samples, summary


FAMILY = OssaScenarioFamily()
