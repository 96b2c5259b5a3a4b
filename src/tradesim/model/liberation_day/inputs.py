r"""Model inputs of the Liberation Day model from the BACI 2023 dataset, as the authors build them.

Code: ``main_baseline.m`` of the JIE replication package (Ignatenko, Lashkaripour,
Macedoni and Simonovska 2025), lines before the first solve, and its ``solveNu``/``eqFun``.
Arrays are (importer, exporter); the authors' are (exporter, importer).

1. nu (``solveNu``): aggregate to two regions (rest of the world, US) and solve
   ``(1-r11) nu2 + r11 nu1 = 0.12`` and ``r22 nu2 + (1-r22) nu1 = 0.26`` with
   ``E = Y + (1-nu)(M - sum_k (1-nu_k) X_ik)``, ``r11 = (E1-X21)/(E1-X21+X12)``,
   ``r22 = (E2-X12)/(E2-X12+X21)`` (X on the data's zero diagonal, Y = GDP).
2. Domestic sales: ``T_i = (1-nu_i)(M_i - sum_k (1-nu_k) X_ik)``, ``E_i = GDP_i + T_i``,
   ``X_ii = max(E_i - M_i, 0)``.
3. Then ``E_i = sum_j X_ij`` (domestic included), ``Y_i = sum_k (1-nu_k) X_ki + nu_i E_i``,
   ``T_i = E_i - Y_i``, ``lambda_ij = X_ij / E_i``; baseline tariffs are zero.
4. phi~_i = (1+theta)/((1-nu_i) theta) - 1/theta - 1 with theta = epsilon/0.67, and
   phi_i = passthrough + phi~_i.

Steps 1-2 always use the calibrated nu (the data); step 3 and 4 use the model's nu
(the Eaton-Kortum case sets nu = 0 there, as the code's ``Y_i_EK = sum(X_ji, 2)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np
import xarray as xr

from tradesim.errors import DataError
from tradesim.model.liberation_day.options import NU_TARGETS, SCALE_SHARE, LDOptions
from tradesim.model.newton import NewtonOptions, check, newton

US = "USA"


@dataclass(frozen=True)
class LDInputs:
    """The model's data. (N, N) arrays are (importer, exporter); (N,) per country.

    flows: baseline flows X_ij incl. domestic sales, thousand USD.
    expenditure E, income Y, deficit T = E - Y; shares lambda_ij = X_ij / E_i.
    nu, phi: per country. nu_calibrated: (rest of the world, US) from ``solveNu``.
    gdp: the data's GDP in thousand USD. us: index of the US.
    """

    countries: tuple[str, ...]
    flows: np.ndarray
    expenditure: np.ndarray
    income: np.ndarray
    deficit: np.ndarray
    shares: np.ndarray
    nu: np.ndarray
    phi: np.ndarray
    nu_calibrated: tuple[float, float]
    gdp: np.ndarray
    us: int
    options: LDOptions

    @property
    def n(self) -> int:
        return len(self.countries)

    def index(self, label: str) -> int:
        try:
            return self.countries.index(label)
        except ValueError:
            raise DataError(f"unknown country '{label}' in the Liberation Day inputs") from None


def two_regions(x: np.ndarray, us: int) -> np.ndarray:
    """(importer, exporter) flows summed into (rest of the world, US) x (rest of the world, US)."""
    agg = np.zeros((2, x.shape[0]))
    agg[0] = 1.0
    agg[0, us] = 0.0
    agg[1, us] = 1.0
    return agg @ x @ agg.T


def nu_residual(nu, args):
    """``eqFun`` of the authors' code: the two calibration targets of nu (section 3 of the paper).

    x (2, 2) (importer, exporter) flows of (rest of the world, US); y (2,) GDP; targets (2,).
    """
    x, y, targets = args
    imports = x.sum(axis=1)
    sales_net = (x * (1 - nu)[:, None]).sum(axis=0)  # sum_k (1 - nu_k) X_ki
    e = y + (1 - nu) * (imports - sales_net)
    r11 = (e[0] - x[0, 1]) / (e[0] - x[0, 1] + x[1, 0])
    r22 = (e[1] - x[1, 0]) / (e[1] - x[1, 0] + x[0, 1])
    return jnp.stack([(1 - r11) * nu[1] + r11 * nu[0] - targets[0], r22 * nu[1] + (1 - r22) * nu[0] - targets[1]])


def calibrate_nu(trade: np.ndarray, gdp: np.ndarray, us: int, targets=NU_TARGETS) -> tuple[float, float]:
    """``solveNu``: (nu rest of the world, nu US), negative values set to 0 as coded."""
    args = (jnp.asarray(two_regions(trade, us)), jnp.asarray(two_regions_vector(gdp, us)), jnp.asarray(targets))
    res = check("nu calibration", newton(nu_residual, np.array([0.1, 0.24]), args, NewtonOptions(tol=1e-14)))
    nu = np.maximum(res.x, 0.0)
    return float(nu[0]), float(nu[1])


def two_regions_vector(v: np.ndarray, us: int) -> np.ndarray:
    return np.array([v.sum() - v[us], v[us]])


def pass_through(nu: np.ndarray, theta_epsilon: float, level: float) -> np.ndarray:
    """phi_i = level + phi~_i, phi~_i = (1+theta)/((1-nu_i) theta) - 1/theta - 1, theta = epsilon/0.67."""
    theta = theta_epsilon / SCALE_SHARE
    return level + (1 + theta) / ((1 - nu) * theta) - 1 / theta - 1


def model_nu(options: LDOptions, calibrated: tuple[float, float], n: int, us: int) -> np.ndarray:
    rest, usa = calibrated if options.nu == "calibrated" else (
        options.nu if isinstance(options.nu, tuple) else (options.nu, options.nu))
    nu = np.full(n, float(rest))
    nu[us] = float(usa)
    return nu


def calibrate(ds: xr.Dataset, options: LDOptions | None = None) -> LDInputs:
    """The inputs of one Liberation Day solve from the ``baci2023`` dataset (steps 1-4 above)."""
    o = options or LDOptions()
    countries = tuple(str(c) for c in ds.country.values)
    if US not in countries:
        raise DataError("baci2023: no USA among the countries")
    us = countries.index(US)
    x = np.array(ds.trade.values, dtype=float)
    np.fill_diagonal(x, 0.0)
    gdp = np.asarray(ds.gdp.values, dtype=float) / 1000.0  # flows are in thousand USD
    n = len(countries)
    nu_cal = calibrate_nu(x, gdp, us)
    nu0 = model_nu(LDOptions(), nu_cal, n, us)
    imports = x.sum(axis=1)
    t0 = (1 - nu0) * (imports - ((1 - nu0)[:, None] * x).sum(axis=0))
    x[np.arange(n), np.arange(n)] = np.maximum(gdp + t0 - imports, 0.0)
    return from_flows(countries, x, o, nu_cal, gdp)


def from_flows(countries, flows: np.ndarray, options: LDOptions | None = None,
               nu_calibrated: tuple[float, float] = (0.0, 0.0), gdp: np.ndarray | None = None) -> LDInputs:
    """Steps 3-4 above from flows that already hold domestic sales (importer, exporter).

    ``nu_calibrated`` is the nu of ``options.nu = "calibrated"``; ``gdp`` defaults to income.
    """
    o = options or LDOptions()
    countries = tuple(countries)
    x = np.asarray(flows, dtype=float)
    n = len(countries)
    if x.shape != (n, n) or (x < 0).any() or not np.isfinite(x).all():
        raise DataError(f"flows: expected a non-negative finite ({n}, {n}) matrix")
    us = countries.index(US) if US in countries else 0
    e = x.sum(axis=1)
    if not (e > 0).all():
        raise DataError("flows: every economy needs positive expenditure")
    nu = model_nu(o, nu_calibrated, n, us)
    y = ((1 - nu)[:, None] * x).sum(axis=0) + nu * e
    phi = np.full(n, float(o.phi)) if o.phi is not None else pass_through(nu, o.theta_epsilon, o.passthrough)
    return LDInputs(countries=countries, flows=x, expenditure=e, income=y, deficit=e - y,
                    shares=x / e[:, None], nu=nu, phi=phi, nu_calibrated=tuple(nu_calibrated),
                    gdp=y.copy() if gdp is None else gdp, us=us, options=o)
