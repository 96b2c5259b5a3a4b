r"""The tariff schedules of the Liberation Day paper, computed on the data as the authors' code does.

All matrices are (importer, exporter), zero on the diagonal.

* USTR schedule (Executive Order 14257, 2 April 2025, Annex I; ``tariffs.csv``): the US
  tariff on partner j is ``max(0.10, t_j)`` (the 10% floor lifts Russia's 0 to 10%).
* Optimal uniform US tariff (paper, optimal-tariff formula; code case 4):
  ``t* = 1/((1 + delta_US eps) phi_US - 1)``, ``delta_US = sum_{k != US} X_{US->k} (1-nu_k)
  (1-lambda_{k,US}) / ((1-nu_US)(E_US - X_{US,US}))``.
  **Code vs paper:** in the optimal-tariff-with-retaliation case (code case 7) the code puts
  ``Y_US`` where case 4 has ``E_US`` (``base="income"`` here), giving 0.185432 instead of
  0.217988; we reproduce the code.
* Optimal retaliation (code case 5): every other economy's tariff on the US is
  ``1/((1 + delta_1 eps) phi_1 - 1)`` with ``delta_1`` of the two-region aggregate (rest of
  the world, US): ``X_12 (1-nu_US)(1-lambda_12) / ((1-nu_1)(Y_1 - X_11))``, ``lambda_12 =
  X_12/E_US`` (0.227422).
* Reciprocal retaliation (code case 6): each partner's tariff on the US equals the US tariff on it.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import xarray as xr

from tradesim.errors import ScenarioError
from tradesim.model.liberation_day.inputs import LDInputs, two_regions, two_regions_vector

USTR_FLOOR = 0.10


def ustr_rates(ds: xr.Dataset, inputs: LDInputs, floor: float = USTR_FLOOR, schedule: str = "us_tariff") -> np.ndarray:
    """The US tariff on each exporter (N,) from the dataset's ``schedule``, floored at ``floor``."""
    if schedule not in ds.data_vars:
        raise ScenarioError(f"schedule: '{schedule}' is not a variable of the dataset; it has {', '.join(ds.data_vars)}")
    rates = np.asarray(ds[schedule].sel(exporter=list(inputs.countries)).values, dtype=float)
    rates = np.maximum(floor, rates)
    rates[inputs.us] = 0.0
    return rates


def us_tariff_matrix(inputs: LDInputs, rates) -> np.ndarray:
    """(N, N) with the US (importer row) charging ``rates`` (N,) or one rate on every partner."""
    t = np.zeros((inputs.n, inputs.n))
    t[inputs.us, :] = rates
    t[inputs.us, inputs.us] = 0.0
    return t


def ustr_tariffs(inputs: LDInputs, ds: xr.Dataset | None = None, floor: float = USTR_FLOOR) -> np.ndarray:
    """The headline shock: USTR rates with the 10% floor, no retaliation."""
    if ds is None:
        from tradesim.data.baci2023 import load_baci2023

        ds = load_baci2023()
    return us_tariff_matrix(inputs, ustr_rates(ds, inputs, floor))


def optimal_rate(delta: float, epsilon: float, phi: float) -> float:
    """t* = 1/((1 + delta eps) phi - 1): the optimal uniform tariff of the paper's formula."""
    return 1.0 / ((1.0 + delta * epsilon) * phi - 1.0)


def optimal_us_rate(inputs: LDInputs, base: Literal["expenditure", "income"] = "expenditure") -> float:
    """The US optimal uniform tariff (code case 4 with ``base="expenditure"``, case 7 with ``"income"``)."""
    if base not in ("expenditure", "income"):
        raise ScenarioError(f"optimal_base: '{base}' is not one of expenditure, income")
    us, x, nu = inputs.us, inputs.flows, inputs.nu
    others = np.arange(inputs.n) != us
    num = (x[others, us] * (1 - nu[others]) * (1 - inputs.shares[others, us])).sum()
    size = inputs.expenditure[us] if base == "expenditure" else inputs.income[us]
    delta = num / ((1 - nu[us]) * (size - x[us, us]))
    return optimal_rate(delta, inputs.options.epsilon, inputs.phi[us])


def optimal_retaliation_rate(inputs: LDInputs) -> float:
    """The rest of the world's optimal uniform tariff on the US (code case 5, two-region aggregate)."""
    us = inputs.us
    x2 = two_regions(inputs.flows, us)
    y2 = two_regions_vector(inputs.income, us)
    rest = int(np.flatnonzero(np.arange(inputs.n) != us)[0])
    nu1, nu2 = inputs.nu[rest], inputs.nu[us]
    lam12 = x2[1, 0] / x2[1].sum()
    delta = x2[1, 0] * (1 - nu2) * (1 - lam12) / ((1 - nu1) * (y2[0] - x2[0, 0]))
    return optimal_rate(delta, inputs.options.epsilon, inputs.phi[rest])


def with_retaliation(inputs: LDInputs, tariff: np.ndarray, rates) -> np.ndarray:
    """``tariff`` with every economy charging ``rates`` ((N,) by importer, or one rate) on the US."""
    t = np.array(tariff, dtype=float)
    t[:, inputs.us] = rates
    t[inputs.us, inputs.us] = 0.0
    return t


def reciprocal(inputs: LDInputs, tariff: np.ndarray) -> np.ndarray:
    """Each partner charges the US what the US charges it: t_{i,US} = t_{US,i}."""
    return with_retaliation(inputs, tariff, np.asarray(tariff)[inputs.us, :])
