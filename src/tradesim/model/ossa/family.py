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
from tradesim.model.ossa import equations as eq
from tradesim.model.ossa.data import load_ossa2014
from tradesim.model.ossa.inputs import OssaModel
from tradesim.model.ossa.solve import Solution


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


FAMILY = OssaFamily()
