"""Ossa (2014) model in exact hat algebra, in JAX, with implicit derivatives.

Model (Ossa 2014, AER 104(12), Section I): N regions, S industries, labour the only
factor and mobile across industries (one wage ``w_i``), a fixed mass of
monopolistically competitive firms in each region-industry (Krugman 1980 with
Ricardian productivity differences), so firms earn profits ``Y_is / sigma_s``;
Cobb-Douglas upper tier over industries, CES (``sigma_s``) within; tariff revenue
rebated lump sum. Arrays are (importer j, exporter i, sector s); ``V`` are flows at
producer prices (before tariffs), ``X = (1 + t) V`` are consumer spending.

Equilibrium in changes (hats, ``x' = x_hat * x``), for new tariffs ``t'``:

* price index (eq. 6 of the hat system)::

      P_js_hat^(1-sigma_s) = sum_i pi_jis (w_i_hat (1+t'_jis)/(1+t_jis))^(1-sigma_s)

* spending shares ``pi'_jis = pi_jis (w_i_hat tau_hat)^(1-sigma_s) / P_js_hat^(1-sigma_s)``,
  spending ``X'_jis = pi'_jis mu_js E'_j``, sales ``V' = X' / (1 + t')``;
* income = expenditure (rebated revenue, profits, fixed deficit ``D'``)::

      E'_j = w_j_hat w_j L_j + sum_s Pi'_js + R'_j + D'_j,
      Pi'_js = (1/sigma_s) sum_k V'_kjs,   R'_j = sum_{i,s} t'_jis V'_jis

  (linear in ``E'`` for given wages: solved exactly);
* labour market: ``w_i_hat w_i L_i = sum_s (sigma_s - 1)/sigma_s sum_k V'_kis``; one
  condition is replaced by the numeraire ``sum_i w_i_hat w_i L_i = sum_i w_i L_i``.

Welfare ``W_j_hat = E_j_hat / P_j_hat`` with ``P_j_hat = prod_s P_js_hat^mu_js``; the
government objective is the political-economy weighted sum of industry real incomes
``G_j = sum_s lambda_js W_js``, ``W_js = (Y_js + R_j L_js / L_j) / P_j`` (industry sales =
wage bill + profits, plus tariff revenue by employment share); ``lambda = 1`` gives
welfare. (This specification reproduces the author's stored optimal tariffs
``MFNOPTIMALTARIFFPOL`` to 1e-3 for the US; a variant with weights on profits only
does not.)

The wage changes solve ``F(w_hat, t') = 0`` by Newton with the exact Jacobian;
``jax.lax.custom_root`` differentiates through the solution by the implicit function
theorem, ``dw/dt = -(dF/dw)^-1 dF/dt``, so gradients of ``G`` with respect to
tariffs cost one extra linear solve.

Example
-------
>>> from tradesim.strategy.ossa import load_ossa2014, OssaModel
>>> m = OssaModel.from_dataset(load_ossa2014()).purged()
>>> eq = m.solve(m.tariff)          # factual: every hat is 1
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import xarray as xr

import tradesim.model  # noqa: F401  (x64 and the compile cache)
from tradesim.errors import DataError, NonConvergenceError

RESIDUAL_TOL = 1e-9  # relative labour-market residual a solution must reach


def load_ossa2014() -> xr.Dataset:
    """The shipped Ossa (2014) dataset (see ``PROVENANCE.md``, section ossa2014.nc)."""
    path = resources.files("tradesim.data") / "builtin" / "ossa2014.nc"
    with xr.open_dataset(str(path), engine="scipy") as ds:
        return ds.load()


@jax.tree_util.register_pytree_node_class
@dataclass(frozen=True)
class OssaModel:
    """Baseline of the Ossa model. Shapes: N regions, S sectors.

    trade (N, N, S): flows at producer prices V_jis, (importer, exporter, sector).
    tariff (N, N, S): ad valorem tariffs t_jis imposed by importer j (fractions).
    sigma (S,): elasticities of substitution (> 1).
    lam (N, S): political-economy weights on industry profits.
    regions, sectors: labels (static, not traced).
    """

    trade: Any
    tariff: Any
    sigma: Any
    lam: Any
    regions: tuple = ()
    sectors: tuple = ()

    def tree_flatten(self):
        return (self.trade, self.tariff, self.sigma, self.lam), (self.regions, self.sectors)

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls(*children, *aux)

    # ------------------------------------------------------------------ set-up
    @classmethod
    def from_dataset(cls, ds: xr.Dataset, *, political_economy: bool = True) -> "OssaModel":
        """Build from a dataset with ``trade``, ``tariff``, ``sigma`` and ``lambda_pol``."""
        for name in ("trade", "tariff", "sigma"):
            if name not in ds:
                raise DataError(f"Ossa model: dataset lacks '{name}'")
        trade = ds["trade"].transpose("importer", "exporter", "sector").values.astype(float)
        tariff = ds["tariff"].transpose("importer", "exporter", "sector").values.astype(float)
        sigma = ds["sigma"].values.astype(float)
        n, _, s = trade.shape
        lam = (ds["lambda_pol"].transpose("region", "sector").values.astype(float)
               if political_economy and "lambda_pol" in ds else np.ones((n, s)))
        return cls.from_arrays(trade, tariff, sigma, lam, tuple(str(r) for r in ds["importer"].values),
                               tuple(str(x) for x in ds["sector"].values))

    @classmethod
    def from_arrays(cls, trade, tariff, sigma, lam=None, regions=(), sectors=()) -> "OssaModel":
        """Validated constructor; raises :class:`DataError` naming the field at fault."""
        trade, tariff, sigma = (np.asarray(a, float) for a in (trade, tariff, sigma))
        if trade.ndim != 3 or trade.shape[0] != trade.shape[1]:
            raise DataError(f"Ossa model: trade must be (N, N, S), got {trade.shape}")
        n, _, s = trade.shape
        if tariff.shape != trade.shape:
            raise DataError(f"Ossa model: tariff shape {tariff.shape} != trade shape {trade.shape}")
        if sigma.shape != (s,) or (sigma <= 1).any():
            raise DataError("Ossa model: sigma must be (S,) and > 1")
        if (trade < 0).any() or not np.isfinite(trade).all():
            raise DataError("Ossa model: trade has negative or non-finite flows")
        if (tariff <= -1).any():
            raise DataError("Ossa model: tariff must exceed -1")
        if (trade.sum(axis=1) <= 0).any():
            raise DataError("Ossa model: some importer-sector has zero spending")
        lam = np.ones((n, s)) if lam is None else np.asarray(lam, float)
        if lam.shape != (n, s):
            raise DataError(f"Ossa model: lam must be (N, S) = {(n, s)}, got {lam.shape}")
        regions = tuple(regions) or tuple(f"R{k}" for k in range(n))
        sectors = tuple(sectors) or tuple(f"S{k}" for k in range(s))
        return cls(jnp.asarray(trade), jnp.asarray(tariff), jnp.asarray(sigma), jnp.asarray(lam), regions, sectors)

    @property
    def n(self) -> int:
        return self.trade.shape[0]

    @property
    def s(self) -> int:
        return self.trade.shape[2]

    def with_weights(self, lam) -> "OssaModel":
        return OssaModel(self.trade, self.tariff, self.sigma, jnp.asarray(lam, float), self.regions, self.sectors)

    def deficit(self):
        """Trade deficit D_j = imports - exports at producer prices, (N,)."""
        v = self.trade
        return v.sum(axis=(1, 2)) - v.sum(axis=(0, 2))

    def purged(self) -> "OssaModel":
        """The same world with zero trade deficits (Ossa 2014, Section III): the
        counterfactual equilibrium with factual tariffs and ``D' = 0`` becomes the
        baseline, numeraire world labour income."""
        sol = solve(self, self.tariff, deficit=jnp.zeros(self.n))
        check(sol)
        return OssaModel(sol.trade, self.tariff, self.sigma, self.lam, self.regions, self.sectors)

    def solve(self, tariff, *, deficit=None) -> "Solution":
        sol = solve(self, jnp.asarray(tariff, float), deficit=deficit)
        check(sol)
        return sol


@dataclass(frozen=True)
class Solution:
    """A solved counterfactual. Shapes as in :class:`OssaModel`."""

    wage_hat: Any        # (N,)
    price_hat: Any       # (N,) aggregate consumer price index change P_j_hat
    expenditure: Any     # (N,) E'_j
    trade: Any           # (N, N, S) V'_jis
    profit: Any          # (N, S) Pi'_js
    revenue: Any         # (N,) R'_j
    welfare_hat: Any     # (N,) E_j_hat / P_j_hat (real income)
    gov_hat: Any         # (N,) G_j_hat (political-economy objective)
    residual: float      # largest relative labour-market residual (after Newton, <= 60 steps)


# ---------------------------------------------------------------- equations
def _baseline(m: OssaModel):
    v, t, sig = m.trade, m.tariff, m.sigma
    x = (1 + t) * v                                   # spending incl. tariffs
    xs = x.sum(axis=1)                                # (N, S) spending by industry
    pi = x / xs[:, None, :]                           # (j, i, s) shares
    e = xs.sum(axis=1)                                # (N,)
    mu = xs / e[:, None]                              # Cobb-Douglas shares
    sales = v.sum(axis=0)                             # (i, s) Y_is
    wl = ((sig - 1) / sig * sales).sum(axis=1)        # labour income (N,)
    profit = sales / sig                              # (N, S)
    revenue = (t * v).sum(axis=(1, 2))
    return pi, mu, wl, profit, revenue, e


def price_index_hat(m: OssaModel, w_hat, tariff_new):
    """P_js_hat^(1-sigma_s) and the cost terms (w_i_hat tau_hat_jis)^(1-sigma_s). (N, S), (N, N, S)."""
    pi = _baseline(m)[0]
    c = (w_hat[None, :, None] * (1 + tariff_new) / (1 + m.tariff)) ** (1 - m.sigma)
    return (pi * c).sum(axis=1), c


def _equilibrium_given_wages(m: OssaModel, w_hat, tariff_new, deficit):
    pi, mu, wl, _, _, _ = _baseline(m)
    p1s, c = price_index_hat(m, w_hat, tariff_new)
    pi_new = pi * c / p1s[:, None, :]                                 # (j, i, s)
    share_v = pi_new * mu[:, None, :] / (1 + tariff_new)              # V'_jis per unit E'_j
    # E' = w_hat wL + A E' + r E' + D'  with A_jk = sum_s share_v[k, j, s] / sigma_s
    a_mat = jnp.einsum("kjs,s->jk", share_v, 1 / m.sigma)
    r = (tariff_new * share_v).sum(axis=(1, 2))
    lhs = jnp.eye(m.n) - a_mat - jnp.diag(r)
    e_new = jnp.linalg.solve(lhs, w_hat * wl + deficit)
    v_new = share_v * e_new[:, None, None]
    return p1s, v_new, e_new


def labour_market_residual(m: OssaModel, w_hat, tariff_new, deficit):
    """Labour-market conditions (relative), the last replaced by the numeraire. (N,)"""
    wl = _baseline(m)[2]
    _, v_new, _ = _equilibrium_given_wages(m, w_hat, tariff_new, deficit)
    demand = ((m.sigma - 1) / m.sigma * v_new.sum(axis=0)).sum(axis=1)
    f = demand / (w_hat * wl) - 1
    return f.at[-1].set((w_hat * wl).sum() / wl.sum() - 1)


def _newton(fun, w0, maxiter=60):
    def step(state):
        w, k, err = state
        f = fun(w)
        jac = jax.jacfwd(fun)(w)
        dw = jnp.linalg.solve(jac, -f)
        # damp steps that would move a wage by more than a factor of 2
        scale = jnp.minimum(1.0, 0.5 / jnp.maximum(jnp.max(jnp.abs(dw / w)), 1e-300))
        return w + scale * dw, k + 1, jnp.max(jnp.abs(f))

    def cond(state):
        _, k, err = state
        return (k < maxiter) & (err > 1e-13)

    w, _, _ = jax.lax.while_loop(cond, step, (w0, 0, jnp.inf))
    return w


def solve_wages(m: OssaModel, tariff_new, deficit):
    """Wage changes solving the labour-market conditions, differentiable by the
    implicit function theorem (``jax.lax.custom_root``)."""

    def f(w):
        return labour_market_residual(m, w, tariff_new, deficit)

    def tangent_solve(g, y):
        return jnp.linalg.solve(jax.jacfwd(g)(y), y)

    return jax.lax.custom_root(f, jnp.ones(m.n), lambda fun, w0: _newton(fun, w0), tangent_solve)


def industry_income(lam, sales, revenue, sigma):
    """Weighted nominal income of each industry's interest group, (N, S):
    ``lambda_js (Y_js + R_j L_js / L_j)`` with ``Y_js`` sales (= wage bill + profits)
    and tariff revenue shared by employment ``L_js`` (proportional to
    ``(sigma_s - 1)/sigma_s Y_js``). Summed over s and divided by ``P_j`` this is
    Ossa's government objective ``G_j = sum_s lambda_js W_js``; with ``lambda = 1`` it is
    real income ``E_j / P_j``."""
    labour = sales * (sigma - 1) / sigma
    return lam * (sales + revenue[:, None] * labour / labour.sum(axis=1, keepdims=True))


def _outcomes(m: OssaModel, tariff_new, deficit):
    _, mu, wl, profit0, revenue0, e0 = _baseline(m)
    w_hat = solve_wages(m, tariff_new, deficit)
    p1s, v_new, e_new = _equilibrium_given_wages(m, w_hat, tariff_new, deficit)
    p_hat_s = p1s ** (1 / (1 - m.sigma))
    p_hat = jnp.exp((mu * jnp.log(p_hat_s)).sum(axis=1))
    profit = v_new.sum(axis=0) / m.sigma
    revenue = (tariff_new * v_new).sum(axis=(1, 2))
    welfare = e_new / e0 / p_hat
    g0 = industry_income(m.lam, profit0 * m.sigma, revenue0, m.sigma).sum(axis=1)
    g1 = industry_income(m.lam, profit * m.sigma, revenue, m.sigma).sum(axis=1)
    gov = g1 / g0 / p_hat
    res = jnp.max(jnp.abs(labour_market_residual(m, w_hat, tariff_new, deficit)))
    return w_hat, p_hat, e_new, v_new, profit, revenue, welfare, gov, res


@jax.jit
def _solve_jit(m, tariff_new, deficit):
    return _outcomes(m, tariff_new, deficit)


def solve(m: OssaModel, tariff_new, *, deficit=None) -> Solution:
    """Counterfactual equilibrium for new tariffs ``tariff_new`` (N, N, S). The
    deficits stay at the baseline's unless ``deficit`` (N,) is given."""
    d = m.deficit() if deficit is None else jnp.asarray(deficit, float)
    out = _solve_jit(m, jnp.asarray(tariff_new, float), d)
    w, p, e, v, pr, r, wel, gov, res = out
    return Solution(w, p, e, v, pr, r, wel, gov, float(res))


def check(sol: Solution) -> None:
    """Raise :class:`NonConvergenceError` unless the residual is below ``RESIDUAL_TOL``."""
    if not np.isfinite(sol.residual) or sol.residual > RESIDUAL_TOL:
        raise NonConvergenceError(
            f"Ossa equilibrium: labour-market residual {sol.residual:.2e} > {RESIDUAL_TOL:g}",
            residual=sol.residual)


def government_objective(m: OssaModel, tariff_new):
    """(G_j_hat (N,), largest residual): differentiable in ``tariff_new`` (N, N, S)."""
    out = _outcomes(m, tariff_new, m.deficit())
    return out[7], out[8]
