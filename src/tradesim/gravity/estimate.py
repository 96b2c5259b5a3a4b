"""PPML gravity estimation with high-dimensional fixed effects (pyfixest).

The model (Santos Silva and Tenreyro 2006; Yotov et al. 2016, eq. 1-13)::

    X_ij,t = exp( b'x_ij,t + exporter(-year) FE + importer(-year) FE [+ pair FE] ) + e_ij,t

is fitted by Poisson pseudo-maximum likelihood in :func:`pyfixest.fepois`; this
module only checks the panel first (:meth:`GravityData.check`), builds the
fixed-effect codes and returns a tidy :class:`GravityEstimate`.

Standard errors. ``vcov="pair"`` (the default) clusters by exporter-importer
pair: ``V = c * (H^-1 S H^-1)`` with the score outer products summed within
pairs and pyfixest's small-sample factor ``c = G/(G-1) * (N-1)/(N-K)``, where G
is the number of pairs, N the observations used and K the slope coefficients
plus every fixed-effect level (pyfixest's default ``ssc``: ``k_adj=True,
k_fixef="nonnested", G_adj=True``). ``vcov="hetero"`` is the same sandwich with
``c = N/(N-K)``. The published gegravity example's standard errors are
Stata-style robust ones, ``c = N/(N-1)``.

Example
-------
>>> est = estimate_ppml(data, "trade ~ lndist + contiguity + pta", ("exporter", "importer"))  # doctest: +SKIP
>>> est.table()                                                                               # doctest: +SKIP
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd
from scipy import stats

from tradesim.errors import DataError, ScenarioError, TradesimError
from tradesim.gravity.data import GravityData
from tradesim.gravity.literals import FixedEffect, check_fixed_effects

Vcov = Literal["pair", "hetero", "iid"]
VCOVS: tuple[str, ...] = get_args(Vcov)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class GravityEstimate:
    """A fitted PPML gravity equation.

    coef : pandas.Series of slope coefficients (fixed effects excluded).
    vcov : pandas.DataFrame, their covariance (clustered by pair by default).
    nobs : observations used (after pyfixest drops singletons and separated ones).
    """

    coef: pd.Series
    vcov: pd.DataFrame
    nobs: int
    formula: str
    fixed_effects: tuple[str, ...]
    vcov_type: str
    deviance: float

    @property
    def se(self) -> pd.Series:
        return pd.Series(np.sqrt(np.diag(self.vcov.to_numpy())), index=self.coef.index, name="std_error")

    def table(self) -> pd.DataFrame:
        """Tidy coefficient table: estimate, std_error, z, p_value, ci_low, ci_high (95%)."""
        se = self.se
        z = self.coef / se
        q = stats.norm.ppf(0.975)
        return pd.DataFrame({"estimate": self.coef, "std_error": se, "z": z,
                             "p_value": 2 * stats.norm.sf(np.abs(z)),
                             "ci_low": self.coef - q * se, "ci_high": self.coef + q * se}).rename_axis("variable")


def parse_formula(formula: str, trade: str) -> list[str]:
    """The right-hand-side columns of ``"trade ~ x1 + x2"``; only plain column names,
    because the GE model rebuilds trade costs from the same columns."""
    if "~" not in formula:
        raise ScenarioError(f"formula {formula!r} needs the form '{trade} ~ x1 + x2'")
    lhs, rhs = (s.strip() for s in formula.split("~", 1))
    if "|" in rhs:
        raise ScenarioError("give fixed effects with fixed_effects= (--fe), not after '|' in the formula")
    if lhs != trade:
        raise ScenarioError(f"formula's left-hand side {lhs!r} is not the trade column {trade!r}")
    names = [t.strip() for t in rhs.split("+")]
    bad = [t for t in names if not _NAME.match(t)]
    if bad or not names:
        raise ScenarioError(f"formula terms must be column names joined by '+'; cannot use {', '.join(map(repr, bad))}")
    return names


def estimate_ppml(data: GravityData, formula: str, fixed_effects: Sequence[FixedEffect] = ("exporter", "importer"),
                  *, vcov: Vcov = "pair", square: bool = True) -> GravityEstimate:
    """Fit a PPML gravity equation with fixed effects by :func:`pyfixest.fepois`.

    Parameters
    ----------
    data : the panel; checked before pyfixest sees it.
    formula : ``"trade ~ lndist + contiguity + ..."`` (column names only).
    fixed_effects : any of ``exporter``, ``importer``, ``pair``, ``exporter-year``, ``importer-year``.
    vcov : ``pair`` (cluster by pair), ``hetero`` or ``iid``.
    square : require a square panel (every pair, domestic included).

    Raises
    ------
    DataError for a panel that cannot be estimated; ScenarioError for bad options.
    """
    fes = check_fixed_effects(fixed_effects)
    if vcov not in VCOVS:
        raise ScenarioError(f"vcov must be one of {', '.join(VCOVS)}, not {vcov!r}")
    variables = parse_formula(formula, data.trade)
    data.check(variables, fes, square=square)
    try:
        import pyfixest as pf
    except ImportError as err:  # pragma: no cover - optional dependency
        raise TradesimError("gravity estimation needs pyfixest: pip install 'pyfixest==0.60.0'") from err

    work = pd.DataFrame({"y_": data.frame[data.trade].to_numpy(dtype=float)})
    for v in variables:
        work[v] = data.frame[v].to_numpy(dtype=float)
    fe_cols = []
    for k, fe in enumerate(fes):
        work[f"fe{k}_"] = data.fixed_effect_codes(fe).to_numpy()
        fe_cols.append(f"fe{k}_")
    work["pair_"] = data.fixed_effect_codes("pair").to_numpy()
    for fe, col in zip(fes, fe_cols):  # pyfixest 0.60 may keep such a variable with a meaningless estimate
        spread = work.groupby(col)[variables].agg(lambda x: x.max() - x.min()).max()
        absorbed = [v for v in variables if spread[v] == 0]
        if absorbed:
            raise DataError(f"variable(s) {', '.join(absorbed)} are constant within every {fe} group, so collinear "
                            f"with the {fe} fixed effects; drop them from the formula")
    rhs = " + ".join(variables)
    fml = f"y_ ~ {rhs}" + (f" | {' + '.join(fe_cols)}" if fe_cols else "")
    vc = {"CRV1": "pair_"} if vcov == "pair" else vcov
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # singleton notices: reported through nobs
        try:
            fit = pf.fepois(fml, data=work, vcov=vc)
        except Exception as err:  # pyfixest raises plain errors for separation, collinearity, ...
            raise DataError(f"PPML estimation of {formula!r} failed: {err}") from err
    names = list(fit._coefnames)
    missing = [v for v in variables if v not in names]
    if missing:
        raise DataError(f"variable(s) {', '.join(missing)} are collinear with the fixed effects "
                        f"({' + '.join(fes)}) and cannot be estimated; drop them from the formula")
    coef = pd.Series(np.asarray(fit._beta_hat, dtype=float), index=names, name="estimate")
    cov = pd.DataFrame(np.asarray(fit._vcov, dtype=float), index=names, columns=names)
    if not np.all(np.isfinite(coef)) or not np.all(np.isfinite(cov.to_numpy())):
        raise DataError(f"PPML estimation of {formula!r} gave non-finite estimates (separation or collinearity)")
    return GravityEstimate(coef=coef.rename_axis("variable"), vcov=cov, nobs=int(fit._N), formula=formula,
                           fixed_effects=tuple(fes), vcov_type=vcov, deviance=float(getattr(fit, "deviance", np.nan)))
