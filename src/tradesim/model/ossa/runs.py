"""A solved scenario of Ossa's (2014) model (:class:`OssaRun`) and its solve (:func:`run_scenario`).

The inputs of a scenario's options (deficit treatment, political-economy weights, elasticity
scale) are built once per process and option set (:func:`model_for`: the deficit purge is a solve).
The run's ``table`` is :meth:`OssaResult.tables`' ``countries`` indexed by region, the headline
``welfare_pct`` (the exact real-income change ``100 (E_hat / P_hat - 1)``) first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from tradesim.model.ossa.data import load_ossa2014
from tradesim.model.ossa.inputs import OssaModel
from tradesim.model.ossa.scenario import OssaOptions, OssaScenario, tariff_array

OUTCOMES = ("welfare_pct", "gov_welfare_pct", "wage_pct", "price_index_pct", "mean_tariff_before_pct",
            "mean_tariff_after_pct")


@lru_cache(maxsize=1)
def dataset() -> xr.Dataset:
    return load_ossa2014()


def scaled(ds: xr.Dataset, sigma_scale: float) -> xr.Dataset:
    """The dataset with every elasticity ``1 + sigma_scale (sigma_s - 1)``."""
    return ds if sigma_scale == 1.0 else ds.assign(sigma=1.0 + sigma_scale * (ds["sigma"] - 1.0))


@lru_cache(maxsize=32)
def model_for(options: OssaOptions) -> OssaModel:
    """The model's inputs under ``options`` (purged of deficits unless ``deficit = "factual"``)."""
    m = OssaModel.from_dataset(scaled(dataset(), options.sigma_scale), political_economy=options.political_economy)
    return m.purged() if options.deficit == "purged" else m


@dataclass(frozen=True)
class OssaRun:
    """One solved scenario: the scenario, the inputs (:class:`OssaModel`), the
    :class:`~tradesim.model.ossa.family.OssaResult` and the per-region table."""

    scenario: OssaScenario
    inputs: OssaModel
    solution: object  # OssaResult
    table: pd.DataFrame
    seconds: float = float("nan")

    @property
    def max_residual(self) -> float:
        return self.solution.max_residual

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(self.inputs.regions)

    def spending(self) -> np.ndarray:
        """Each region's baseline spending (the weights of the dashboard's world aggregate)."""
        return np.asarray(self.inputs.trade).sum(axis=(1, 2))

    def welfare_pct(self) -> pd.Series:
        return self.table["welfare_pct"]

    def tables(self) -> dict[str, pd.DataFrame]:
        """``countries`` (per region, headline first) and ``industries`` (profit changes)."""
        return {"countries": self.table.reset_index(), "industries": self.solution.tables()["industries"]}

    def summary(self) -> dict:
        return {"scenario": self.scenario.name, "model": "ossa2014", "baseline": self.scenario.baseline,
                "options": vars(self.scenario.options),
                "max_residual": float(self.max_residual),
                "countries": {c: {k: float(v) for k, v in row.items()} for c, row in self.table.iterrows()}}

    def save(self, folder: str | Path) -> Path:
        """Write ``countries.csv``, ``industries.csv`` and ``summary.json``."""
        import json

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.table.to_csv(folder / "countries.csv")
        self.solution.tables()["industries"].to_csv(folder / "industries.csv", index=False)
        (folder / "summary.json").write_text(json.dumps(self.summary(), indent=2, default=str))
        return folder


def run_scenario(family, sc: OssaScenario) -> OssaRun:
    """Solve ``sc`` with ``family.solve`` (raises NonConvergenceError above tolerance)."""
    start = time.perf_counter()
    m = model_for(sc.options)
    t = tariff_array(sc, np.asarray(m.tariff), tuple(m.regions), tuple(m.sectors), dataset())
    res = family.solve(m, t)
    table = res.tables()["countries"].set_index("country")[list(OUTCOMES)]
    return OssaRun(sc, m, res, table, time.perf_counter() - start)
