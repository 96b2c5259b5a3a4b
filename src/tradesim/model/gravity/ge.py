r"""One-sector structural gravity in general equilibrium: baseline and counterfactuals.

Model (Yotov, Piermartini, Monteiro and Larch 2016, ch. 2; Larch and Yotov 2016):
an endowment economy with Armington CES demand (elasticity of substitution
``sigma``), trade costs ``t_ij^(1-sigma) = exp(b'x_ij)`` from an estimated gravity
equation, multilateral resistances ``P_j`` (inward) and ``Pi_i`` (outward)
normalised by ``P_ref = 1`` for a reference importer, factory-gate prices
``p_i`` (all one in the baseline) and the closure ``E_j = phi_j Y_j`` with
``phi_j`` fixed at its baseline value (trade imbalances as in the baseline, in
proportion to output), all ``phi`` scaled by one common factor ``lambda`` so that
world spending equals world income (``values["phi_scale"]``; exactly what keeps
every market clearing, see :mod:`tradesim.model.gravity.equations`).

Baseline. :func:`build_baseline` solves the multilateral-resistance system
(eq. 1-6, 1-7) for the observed output ``Y_i`` and expenditure ``E_j``; this is
gegravity's baseline, to solver precision. Modelled baseline flows are
``X_ij = Y_i E_j / Y * t_ij^(1-sigma) / (P_j^(1-sigma) Pi_i^(1-sigma))``; their
column sums are ``E_j`` and their row sums ``Y_i * sum(E)/sum(Y)``. The
consistent model takes these flows as its baseline equilibrium (output rescaled
so that world output equals world expenditure, the deficits ``E_j - Y_j`` summing
to zero), so the zero shock reproduces the baseline exactly.

Counterfactual, ``compat="consistent"`` (default): exact hat algebra, unknowns
``log p_hat`` (N), Newton with the exact Jacobian; every market clears, spending
adds up, and the levels of ``P'`` and ``Pi'`` satisfy the multilateral-resistance
equations with the *new* output and expenditure shares (all checked).

Counterfactual, ``compat="gegravity"``: reproduces gegravity 0.3's published
numbers. Its GE step solves the resistance equations with the new costs but
the *baseline* output and expenditure shares, and sets
``p_i^(1-sigma) = (1/Pi_i'^(1-sigma)) / (1/Pi_i^(1-sigma))``
(i.e. ``p_i = Pi_i / Pi_i'``); flows are then rebuilt with the new shares, so they
do not add up to the new expenditure. It also reports gegravity's "welfare
statistic" ``(E/P) / (E'/P')``, below one for a gain.

Example
-------
>>> base = build_baseline(data, {"lndist": -0.39, "pta": 0.47}, sigma=5, reference="DEU")  # doctest: +SKIP
>>> res = simulate(base, Experiment("x", (CostChange("pta", 1, ("CAN",), ("JPN",)),)))    # doctest: +SKIP
>>> res.table().loc["CAN", "gdp_pct"]                                                       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from tradesim.errors import DataError, NonConvergenceError, ScenarioError
from tradesim.gravity.data import GravityData
from tradesim.gravity.experiment import Experiment, counterfactual_log_cost
from tradesim.gravity.literals import check_compat
from tradesim.model.gravity import equations as eq
from tradesim.model.gravity.result import GravityResult, country_table  # noqa: F401  (re-exported)
from tradesim.model.newton import NewtonOptions, check, newton

CONSTANTS = ("constant", "intercept", "const", "Intercept")


@dataclass(frozen=True)
class GEBaseline:
    """A solved baseline. Arrays are (importer, exporter) or per country (N,).

    cost_data (N, N, K): cost variables; coefficients (K): their coefficients.
    output, expenditure (N): observed ``Y_i`` and ``E_j``.
    log_imr, log_omr (N): logs of ``1/P^(1-sigma)`` and ``1/Pi^(1-sigma)``.
    """

    countries: tuple[str, ...]
    variables: tuple[str, ...]
    coefficients: np.ndarray
    cost_data: np.ndarray
    sigma: float
    reference: str
    output: np.ndarray
    expenditure: np.ndarray
    log_imr: np.ndarray
    log_omr: np.ndarray
    iterations: int
    residual: float

    @property
    def ref(self) -> int:
        return self.countries.index(self.reference)

    @property
    def log_cost(self) -> np.ndarray:
        return self.cost_data @ self.coefficients

    @property
    def imr(self) -> np.ndarray:
        """Inward multilateral resistance ``P_j`` (N)."""
        return np.exp(-self.log_imr / (1.0 - self.sigma))

    @property
    def omr(self) -> np.ndarray:
        """Outward multilateral resistance ``Pi_i`` (N)."""
        return np.exp(-self.log_omr / (1.0 - self.sigma))

    def modeled_trade(self) -> np.ndarray:
        """Baseline flows implied by the model (importer, exporter)."""
        y_share = self.output / self.output.sum()
        return np.exp(np.log(self.expenditure)[:, None] + np.log(y_share)[None, :] + self.log_cost
                      + self.log_imr[:, None] + self.log_omr[None, :])

    def mr_table(self) -> pd.DataFrame:
        return pd.DataFrame({"imr": self.imr, "omr": self.omr},
                            index=pd.Index(self.countries, name="country"))

    def cost_change(self, experiment: Experiment) -> pd.DataFrame:
        """Pairs whose ``t^(1-sigma)`` changes, with the change in percent."""
        new = counterfactual_log_cost(self.countries, self.variables, self.coefficients, self.cost_data,
                                      experiment, self.sigma)
        old = self.log_cost
        imp, exp = np.nonzero(~np.isclose(new, old, rtol=0, atol=1e-15))
        return pd.DataFrame({"exporter": [self.countries[i] for i in exp], "importer": [self.countries[j] for j in imp],
                             "baseline_cost": np.exp(old[imp, exp]), "experiment_cost": np.exp(new[imp, exp]),
                             "cost_change_pct": 100 * np.expm1(new[imp, exp] - old[imp, exp])})


def _coefficient_vector(coefficients) -> pd.Series:
    if hasattr(coefficients, "coef"):  # a GravityEstimate
        coefficients = coefficients.coef
    if isinstance(coefficients, Mapping):
        coefficients = pd.Series(dict(coefficients), dtype=float)
    s = pd.Series(coefficients, dtype=float)
    if s.empty or not np.all(np.isfinite(s.to_numpy())):
        raise ScenarioError("trade-cost coefficients must be a non-empty set of finite numbers")
    return s


def _cost_cube(data: GravityData, countries, variables) -> np.ndarray:
    f = data.frame
    idx = {c: k for k, c in enumerate(countries)}
    n = len(countries)
    cube = np.full((n, n, len(variables)), np.nan)
    ii = f[data.importer].astype(str).map(idx).to_numpy()
    ee = f[data.exporter].astype(str).map(idx).to_numpy()
    for k, v in enumerate(variables):
        cube[ii, ee, k] = 1.0 if (v in CONSTANTS and v not in f.columns) else f[v].to_numpy(dtype=float)
    return cube


def _country_values(data: GravityData, column: str, side: str, countries) -> np.ndarray:
    f = data.frame
    g = f.groupby(side)[column]
    spread = (g.max() - g.min()).abs() > 1e-9 * g.max().abs()
    if spread.any():
        raise DataError(f"column {column!r} is not constant within {side}: {', '.join(map(str, spread.index[spread][:5]))}")
    return g.first().reindex(countries).to_numpy(dtype=float)




def _mr_fn(ref):
    return _MR_FNS.setdefault(ref, partial(_mr_residual_for, ref=ref))


def _mr_residual_for(z, args, ref):
    log_cost, log_ys, log_es = args
    return eq.mr_residuals(z, log_cost, log_ys, log_es, ref)


_MR_FNS: dict = {}


def solve_mr(log_cost, output_share, expenditure_share, ref: int, z0=None, options: NewtonOptions | None = None,
             what: str = "multilateral resistances"):
    """Solve the resistance system; returns ``(log_imr, log_omr, result)``."""
    n = log_cost.shape[0]
    args = (jnp.asarray(log_cost), jnp.log(jnp.asarray(output_share)), jnp.log(jnp.asarray(expenditure_share)))
    z0 = np.zeros(2 * n - 1) if z0 is None else z0
    res = check(what, newton(_mr_fn(ref), z0, args, options))
    log_imr = np.insert(res.x[: n - 1], ref, 0.0)
    return log_imr, res.x[n - 1:], res


def build_baseline(data: GravityData, coefficients, *, sigma: float = 5.0, reference: str = "DEU", year=None,
                   options: NewtonOptions | None = None) -> GEBaseline:
    """Build and solve the baseline of the GE model for one year.

    Parameters
    ----------
    data : panel with output and expenditure columns; checked (square, no missing values).
    coefficients : ``{variable: coefficient}``, a Series, or a :class:`GravityEstimate`.
        A name in ``CONSTANTS`` that is not a column is a constant (it scales every
        ``t^(1-sigma)`` and so only the level of ``Pi``).
    sigma : elasticity of substitution (> 1). reference : importer with ``P = 1``.
    """
    if not sigma > 1:
        raise ScenarioError(f"sigma must be above 1, not {sigma}")
    coef = _coefficient_vector(coefficients)
    data = data.select_year(year)
    variables = tuple(coef.index)
    data.check([v for v in variables if not (v in CONSTANTS and v not in data.frame.columns)], need_output=True)
    countries = data.countries
    if reference not in countries:
        raise ScenarioError(f"reference importer {reference!r} is not in the data ({', '.join(countries[:5])}, ...)")
    cube = _cost_cube(data, countries, variables)
    y = _country_values(data, data.output, data.exporter, countries)
    e = _country_values(data, data.expenditure, data.importer, countries)
    ref = countries.index(reference)
    log_cost = cube @ coef.to_numpy()
    if not np.all(np.isfinite(log_cost)):
        raise DataError("trade costs exp(b'x) overflow; check the coefficients' scale")
    log_imr, log_omr, res = solve_mr(log_cost, y / y.sum(), e / e.sum(), ref, options=options,
                                     what="baseline multilateral resistances")
    return GEBaseline(countries, variables, coef.to_numpy(), cube, float(sigma), reference, y, e,
                      log_imr, log_omr, res.iterations, res.residual)


def with_coefficients(base: GEBaseline, coefficients, options: NewtonOptions | None = None) -> GEBaseline:
    """The same baseline re-solved with other coefficients (same variables, in order)."""
    b = np.asarray(coefficients, dtype=float)
    log_cost = base.cost_data @ b
    z0 = np.concatenate([np.delete(base.log_imr, base.ref), base.log_omr])
    log_imr, log_omr, res = solve_mr(log_cost, base.output / base.output.sum(),
                                     base.expenditure / base.expenditure.sum(), base.ref, z0, options,
                                     "baseline multilateral resistances")
    return GEBaseline(base.countries, base.variables, b, base.cost_data, base.sigma, base.reference, base.output,
                      base.expenditure, log_imr, log_omr, res.iterations, res.residual)


# ---- counterfactual ------------------------------------------------------------------------


def _eq_residual_for(x, args, ref):
    log_cost_hat, share, output, phi, sigma = args
    return eq.equilibrium_residuals(x, log_cost_hat, share, output, phi, sigma, ref)


_EQ_FNS: dict = {}


def _eq_fn(ref):
    return _EQ_FNS.setdefault(ref, partial(_eq_residual_for, ref=ref))


def simulate(base: GEBaseline, experiment: Experiment, *, compat: str | None = None,
             options: NewtonOptions | None = None) -> GravityResult:
    """Solve the counterfactual of ``experiment`` from ``base``.

    Raises :class:`NonConvergenceError` when Newton fails or any equilibrium
    condition's residual exceeds ``options.check_tol``.
    """
    mode = check_compat(compat)
    o = options or NewtonOptions()
    log_cost1 = counterfactual_log_cost(base.countries, base.variables, base.coefficients, base.cost_data,
                                        experiment, base.sigma)
    solver = _solve_gegravity if mode == "gegravity" else _solve_consistent
    values, iterations, residuals = solver(base, log_cost1, o)
    bad = {k: r for k, r in residuals.items() if not np.isfinite(r) or r > o.check_tol}
    if bad:
        worst = max(bad, key=lambda k: bad[k] if np.isfinite(bad[k]) else np.inf)
        raise NonConvergenceError(f"experiment {experiment.name!r} ({mode}): equilibrium condition {worst!r} "
                                  f"has residual {bad[worst]:.2e} > {o.check_tol:.0e}",
                                  residual=float(bad[worst]), iterations=iterations)
    return GravityResult(base, experiment, mode, values, iterations, residuals)


@jax.jit
def _consistent_levels(log_p, log_cost_hat, log_cost1, share, y0, phi, log_imr0, sigma):
    """New shares, output, expenditure and the levels of the resistances
    (``P_ref' = 1`` by the numeraire); ``inward`` re-evaluates the inward condition."""
    log_P = eq.price_index_hat(log_p, log_cost_hat, share, sigma)
    pi1 = eq.import_shares_new(log_p, log_cost_hat, share, sigma)
    y1 = jnp.exp(log_p) * y0
    e1 = eq.expenditure_new(y1, phi)
    log_imr1 = log_imr0 - (1.0 - sigma) * log_P
    log_omr1 = eq.outward_mr(log_imr1, log_cost1, jnp.log(e1 / jnp.sum(y1)))
    inward = eq.inward_mr(log_omr1, log_cost1, jnp.log(y1 / jnp.sum(y1)))
    return log_P, pi1, y1, e1, log_imr1, log_omr1, inward


def consistent_system(base: GEBaseline, log_cost1):
    """The counterfactual's Newton system (``compat="consistent"``): ``(residual function, args,
    baseline flows)``, the residual :func:`~tradesim.model.gravity.equations.equilibrium_residuals`
    in ``log p_hat`` (N) for the new ``log t'^(1-sigma)`` ``log_cost1`` (importer, exporter)."""
    trade0 = base.modeled_trade()
    e0 = trade0.sum(axis=1)
    y0 = trade0.sum(axis=0)
    phi = e0 / y0
    share = trade0 / e0[:, None]
    log_cost_hat = log_cost1 - base.log_cost
    args = (jnp.asarray(log_cost_hat), jnp.asarray(share), jnp.asarray(y0), jnp.asarray(phi), base.sigma)
    return _eq_fn(base.ref), args, trade0


def _solve_consistent(base: GEBaseline, log_cost1, o: NewtonOptions):
    s = base.sigma
    fn, args, trade0 = consistent_system(base, log_cost1)
    log_cost_hat, share, y0, phi = (np.asarray(a) for a in args[:4])
    e0 = trade0.sum(axis=1)
    res = check("GE counterfactual", newton(fn, np.zeros(len(y0)), args, o))
    log_P, pi1, y1, e1, log_imr1, log_omr1, inward = map(np.asarray, _consistent_levels(
        jnp.asarray(res.x), jnp.asarray(log_cost_hat), jnp.asarray(log_cost1), jnp.asarray(share), jnp.asarray(y0),
        jnp.asarray(phi), jnp.asarray(base.log_imr), s))
    p = np.exp(res.x)
    trade1 = pi1 * e1[:, None]
    gravity = np.exp(np.log(e1)[:, None] + np.log(y1 / y1.sum())[None, :] + log_cost1
                     + log_imr1[:, None] + log_omr1[None, :])
    residuals = {
        "market_clearing": float(np.max(np.abs(trade1.sum(axis=0) / y1 - 1))),
        "expenditure_adding_up": float(np.max(np.abs(trade1.sum(axis=1) / e1 - 1))),
        "world_balance": float(abs(e1.sum() / y1.sum() - 1)),
        "numeraire": float(abs(log_P[base.ref])),
        "inward_mr": float(np.max(np.abs(inward - log_imr1))),
        "gravity_flows": float(np.max(np.abs(gravity / trade1 - 1))),
        "baseline_mr": float(base.residual),
    }
    values = {"p_hat": p, "imr_hat": np.exp(log_P), "omr_hat": np.exp(-(log_omr1 - base.log_omr) / (1 - s)),
              "output0": y0, "output1": y1, "expenditure0": e0, "expenditure1": e1,
              "trade0": trade0, "trade1": trade1, "log_imr1": log_imr1, "log_omr1": log_omr1,
              "phi_scale": float(y1.sum() / (phi * y1).sum())}
    return values, res.iterations, residuals


def _solve_gegravity(base: GEBaseline, log_cost1, o: NewtonOptions):
    s = base.sigma
    y, e = base.output, base.expenditure
    z0 = np.concatenate([np.delete(base.log_imr, base.ref), base.log_omr])
    log_imr1, log_omr1, res = solve_mr(log_cost1, y / y.sum(), e / e.sum(), base.ref, z0, o,
                                       "GE multilateral resistances (gegravity compat)")
    p = np.exp((log_omr1 - base.log_omr) / (1.0 - s))
    y1 = p * y
    e1 = e / y * y1
    trade0 = base.modeled_trade()
    trade1 = np.exp(np.log(e1)[:, None] + np.log(y1 / y1.sum())[None, :] + log_cost1
                    + log_imr1[:, None] + log_omr1[None, :])
    residuals = {"gegravity_mr_system": float(res.residual),
                 "factory_gate_prices": float(np.max(np.abs((1 - s) * np.log(p) - (log_omr1 - base.log_omr)))),
                 "baseline_mr": float(base.residual)}
    values = {"p_hat": p, "imr_hat": np.exp(-(log_imr1 - base.log_imr) / (1 - s)),
              "omr_hat": np.exp(-(log_omr1 - base.log_omr) / (1 - s)),
              "output0": y, "output1": y1, "expenditure0": e, "expenditure1": e1,
              "trade0": trade0, "trade1": trade1, "log_imr1": log_imr1, "log_omr1": log_omr1}
    return values, res.iterations, residuals
