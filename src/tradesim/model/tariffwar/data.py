"""The tariff-war model's data: the shipped ICIO 2022 flows, tariffs and elasticity sets,
and their preparation as ``ahmadlp/tariffwar`` prepares them.

Preparation (``+pipeline/run.m``, ``+data/compute_derived_cubes.m``, ``+data/balance_trade.m``):

1. one USD million added to every domestic cell (``X_iik += 1``; ICIO only);
2. derived objects: national spending ``Y_i = sum_{j,k} X_ijk``, wage income
   ``R_j = sum_{i,k} X_ijk / (1 + t_ijk)``, Cobb-Douglas shares ``e_ik = sum_j X_ijk / Y_i``,
   within-sector shares ``lambda_ijk = X_ijk / sum_n X_ink``;
3. deficits purged: the equilibrium at factual tariffs with income = wages + tariff revenue
   (:func:`tradesim.model.tariffwar.solve.balance`), whose flows ``lambda' e Y_hat Y`` are the
   balanced baseline of the war.

The flows are read as tariff-inclusive spending, services and the US food line (0.913 on MFN
partners in the source) with the tariffs of the file, exactly as the authors' code reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import jax.numpy as jnp
import numpy as np
import xarray as xr

from tradesim.errors import DataError, ScenarioError
from tradesim.model.pytree import pytree_dataclass

BUILTIN = "tariffwar_icio2022"

# The eight sets in the authors' order (``+elasticity/registry.m``); IS is their default.
ELASTICITY_SETS = ("IS", "U4", "CP", "BSY", "GYY", "Shap", "FGO", "LL")
DEFAULT_SET = "IS"
DOMESTIC_FLOOR = 1.0   # USD million added to every domestic cell (+pipeline/run.m, ICIO only)
ELASTICITY_SOURCES = {
    "IS": "in-sample: Caliendo-Parro triple-difference estimates on pooled ICIO 2011-2022, "
          "mapped WIOD-16 -> ICIO-28, several sectors at epsilon = 4 (ahmadlp/tariffwar)",
    "U4": "uniform epsilon = 4: Simonovska, I. and M. Waugh (2014), JIE 92(1)",
    "CP": "Caliendo, L. and F. Parro (2015), 'Estimates of the Trade and Welfare Effects of NAFTA', ReStud 82(1)",
    "BSY": "Bagwell, K., R. Staiger and A. Yurukoglu (2021), 'Quantitative Analysis of Multiparty "
           "Tariff Negotiations', Econometrica 89(4)",
    "GYY": "Giri, R., K.-M. Yi and H. Yilmazkuday (2021), 'Gains from Trade: Does Sectoral "
           "Heterogeneity Matter?', JIE 129",
    "Shap": "Shapiro, J. (2016), 'Trade Costs, CO2, and the Environment', AEJ: Economic Policy 8(4)",
    "FGO": "Fontagne, L., H. Guimbard and G. Orefice (2022), 'Tariff-based product-level trade "
           "elasticities', JIE 137",
    "LL": "Lashkaripour, A. and V. Lugovskyy (2023), 'Profits, Scale Economies, and the Gains from "
          "Trade and Industrial Policy', AER 113(10)",
}


@pytree_dataclass
@dataclass(frozen=True)
class TariffWarInputs:
    """Baseline arrays of the tariff-war model (N economies, K sectors).

    share (N, N, K): within-sector spending shares ``lambda_ijk`` (importer, exporter, sector).
    tariff (N, N, K): factual applied tariffs ``t_ijk`` (fractions).
    expenditure_share (N, K): Cobb-Douglas shares ``e_ik``.
    income (N): national spending = income ``Y_i``, USD million.
    wage_bill (N): wage income ``R_j``, USD million.
    elasticity (K): trade elasticities ``eps_k = sigma_k - 1``.
    """

    share: Any
    tariff: Any
    expenditure_share: Any
    income: Any
    wage_bill: Any
    elasticity: Any

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.expenditure_share.shape)


def derived(spend: np.ndarray, tariff: np.ndarray, elasticity: np.ndarray) -> TariffWarInputs:
    """Model inputs from tariff-inclusive spending ``X_ijk`` (importer, exporter, sector), as
    ``+data/compute_derived_cubes.m`` derives them (denominators floored at MATLAB's eps)."""
    eps = np.finfo(float).eps
    sector_spend = spend.sum(axis=1)                                  # (i, k)
    income = np.maximum(spend.sum(axis=(1, 2)), eps)
    return TariffWarInputs(
        share=jnp.asarray(spend / np.maximum(sector_spend[:, None, :], eps)),
        tariff=jnp.asarray(tariff),
        expenditure_share=jnp.asarray(sector_spend / income[:, None]),
        income=jnp.asarray(income),
        wage_bill=jnp.asarray(np.maximum((spend / (1 + tariff)).sum(axis=(0, 2)), eps)),
        elasticity=jnp.asarray(np.asarray(elasticity, float)),
    )


def with_domestic_floor(flows: np.ndarray, amount: float = 1.0) -> np.ndarray:
    """``X_iik + amount`` for every economy and sector (the authors' step for ICIO, 1 USD million)."""
    out = np.array(flows, float, copy=True)
    idx = np.arange(out.shape[0])
    out[idx, idx, :] += amount
    return out


@lru_cache(maxsize=4)
def load_world(name: str = BUILTIN) -> xr.Dataset:
    """The shipped dataset ``name`` (flows, tariffs, elasticity sets; provenance in attrs)."""
    path = resources.files("tradesim.data") / "builtin" / f"{name}.nc"
    if not path.is_file():
        raise DataError(f"baseline: no shipped tariff-war dataset '{name}' (expected {path})")
    with xr.open_dataset(str(path), engine="scipy") as ds:
        return ds.load()


def elasticity(ds: xr.Dataset, name: str) -> np.ndarray:
    """Trade elasticities ``eps_k`` (K) of set ``name``; :class:`ScenarioError` if unknown."""
    sets = [str(s) for s in ds["elasticity_set"].values]
    if name not in sets:
        raise ScenarioError(f"elasticity_set: unknown set '{name}'; known: {', '.join(sets)}")
    return np.asarray(ds["elasticity"].sel(elasticity_set=name).values, float)


def raw_inputs(ds: xr.Dataset, elasticity_set: str = DEFAULT_SET) -> TariffWarInputs:
    """Inputs of the unbalanced data (domestic floor added), before the deficit purge."""
    flows = with_domestic_floor(ds["flows"].values, DOMESTIC_FLOOR)
    return derived(flows, ds["tariff"].values, elasticity(ds, elasticity_set))
