"""The global tariff-war model of Lashkaripour (2021) as coded in ``ahmadlp/tariffwar``.

Cobb-Douglas across sectors, CES within, one factor, tariff revenue rebated lump-sum, no
input-output links and no markups: Caliendo-Parro with value-added shares of one. Each
economy sets one uniform tariff on every partner and sector, services included (eq. 14 of
the paper, capped at 100%), solved jointly with wages and incomes on the ICIO 2022 world
prepared as the authors prepare it (:mod:`.data`). Equations in :mod:`.equations`, solvers in
:mod:`.solve`. Registered as the model family ``"tariffwar"``.

Example
-------
>>> from tradesim.model.tariffwar import nash_war
>>> war = nash_war("U4")                       # doctest: +SKIP
>>> round(100 * war.solution.tariff.mean(), 2)  # doctest: +SKIP
25.8
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from tradesim.errors import ScenarioError
from tradesim.model.family import register
from tradesim.model.tariffwar.data import (BUILTIN, DEFAULT_SET, ELASTICITY_SETS, ELASTICITY_SOURCES,
                                           TariffWarInputs, load_world, raw_inputs)
from tradesim.model.tariffwar.solve import WarEquilibrium, WarOptions, balance, solve_war, war_residual, welfare_pct

__all__ = ["ELASTICITY_SETS", "ELASTICITY_SOURCES", "DEFAULT_SET", "TariffWar", "balanced_inputs", "nash_war",
           "FAMILY"]


@lru_cache(maxsize=16)
def balanced_inputs(elasticity_set: str = DEFAULT_SET, world: str = BUILTIN) -> tuple[TariffWarInputs, WarEquilibrium]:
    """The balanced baseline of ``world`` under ``elasticity_set`` and the purge's solve record."""
    return balance(raw_inputs(load_world(world), elasticity_set))


@dataclass(frozen=True)
class TariffWar:
    """The Nash war of one elasticity set: balanced inputs, the solved equilibrium, labels."""

    elasticity_set: str
    inputs: TariffWarInputs
    solution: WarEquilibrium
    balance_record: WarEquilibrium
    countries: tuple[str, ...]

    def welfare(self) -> np.ndarray:
        """Exact real-income change (%) of each economy against the balanced baseline."""
        return welfare_pct(self.inputs, self.solution)

    def world_trade_change_pct(self) -> float:
        """Change (%) in world trade (foreign sales net of tariffs) relative to world wage
        income (the numeraire holds the world wage bill fixed)."""
        inp, sol = self.inputs, self.solution
        off = (1 - np.eye(len(self.countries)))[:, :, None]
        e, y = np.asarray(inp.expenditure_share), np.asarray(inp.income)
        before = (np.asarray(inp.share) * (e * y[:, None])[:, None] / (1 + np.asarray(inp.tariff)) * off).sum()
        after = (sol.share * (e * (sol.income_hat * y)[:, None])[:, None] / (1 + sol.tariff_cube) * off).sum()
        return float(100 * (after / before - 1))

    # -- the family-result protocol (tradesim.model.family.FamilyResult) ----------------------
    def welfare_pct(self) -> pd.Series:
        """Per economy, :meth:`welfare` labelled (index ``country``)."""
        return pd.Series(self.welfare(), index=pd.Index(self.countries, name="country"), name="welfare_pct")

    def tables(self) -> dict[str, pd.DataFrame]:
        """``war``: :meth:`table`."""
        return {"war": self.table()}

    def summary(self) -> dict:
        """JSON-ready: model, elasticity set, solver record, world trade change, per economy the table."""
        t = self.table().set_index("country")
        return {"model": "tariffwar", "elasticity_set": self.elasticity_set,
                "iterations": int(self.solution.iterations), "max_residual": float(self.solution.max_residual),
                "world_trade_change_pct": self.world_trade_change_pct(),
                "countries": {c: {k: float(v) for k, v in row.items()} for c, row in t.iterrows()}}

    def table(self) -> pd.DataFrame:
        """Per economy: Nash tariff (%), welfare (%), equivalent variation (USD million)."""
        w = self.welfare()
        return pd.DataFrame({
            "country": list(self.countries),
            "nash_tariff_pct": 100 * self.solution.tariff,
            "welfare_pct": w,
            "ev_usd_million": w / 100 * np.asarray(self.inputs.income),
        })


def nash_war(elasticity_set: str = DEFAULT_SET, options: WarOptions | None = None, world: str = BUILTIN) -> TariffWar:
    """Solve the global tariff war of ``world`` under ``elasticity_set`` (raises
    :class:`~tradesim.errors.NonConvergenceError` if a condition fails)."""
    inputs, record = balanced_inputs(elasticity_set, world)
    solution = solve_war(inputs, options)
    countries = tuple(str(c) for c in load_world(world)["country"].values)
    return TariffWar(elasticity_set, inputs, solution, record, countries)


def _war_only(shock) -> None:
    if shock is not None:
        raise ScenarioError("tariffwar: the family solves the Nash war only (shock must be None)")


class _TariffWarFamily:
    """The ``ModelFamily`` of the tariff-war model; its one counterfactual is the Nash war
    (``shock=None``: each economy's uniform tariff from eq. 14)."""

    name = "tariffwar"
    baselines = (BUILTIN,)

    def inputs(self, baseline: Any = BUILTIN, *, elasticity_set: str = DEFAULT_SET, **options: Any) -> TariffWarInputs:
        """Balanced inputs of a shipped world (by name) or of a dataset with its layout."""
        if isinstance(baseline, xr.Dataset):
            return balance(raw_inputs(baseline, elasticity_set))[0]
        return balanced_inputs(elasticity_set, str(baseline))[0]

    def residual(self, inputs: TariffWarInputs, unknowns: Any, shock: Any = None) -> Any:
        """The war system at ``unknowns`` = (log w_hat, t) (2N; income solved out of eq. 7)."""
        _war_only(shock)
        return war_residual(unknowns, inputs)

    def solve(self, inputs: TariffWarInputs, shock: Any = None, **options: Any) -> WarEquilibrium:
        _war_only(shock)
        return solve_war(inputs, WarOptions(**options) if options else None)

    def welfare(self, inputs: TariffWarInputs, solution: WarEquilibrium) -> np.ndarray:
        return welfare_pct(inputs, solution)

    def tables(self, inputs: TariffWarInputs, solution: WarEquilibrium) -> dict[str, pd.DataFrame]:
        return {"war": pd.DataFrame({"nash_tariff_pct": 100 * solution.tariff,
                                     "welfare_pct": welfare_pct(inputs, solution)})}


FAMILY = register(_TariffWarFamily())
