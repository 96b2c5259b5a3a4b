"""The original Caliendo-Parro solution algorithm, in plain numpy.

A faithful, independent re-implementation of the authors' iterative scheme
(CP2015, appendix; their MATLAB ``equilibrium_LC``): guess wages; iterate unit
costs and price indices to a fixed point; compute trade shares; solve the linear
goods-market system for expenditure by matrix inversion; compute each country's
excess trade balance ``ZW = (imports - exports - D') / w L``; adjust wages
``w <- w (1 - vfactor ZW / w)``, renormalise world value added, and repeat until
the wage update is below ``tol``.

It shares no code with :mod:`tradesim.model.equations`, so agreement between the
two is a real check; the benchmarks time it against the Newton solver.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ReferenceSolution:
    wage_hat: np.ndarray        # (N,)
    cost_hat: np.ndarray        # (N, J)
    price_hat: np.ndarray       # (N, J)
    trade_share: np.ndarray     # (N, N, J)
    expenditure: np.ndarray     # (N, J)
    iterations: int
    wage_change: float


def _prices(w, kappa_hat, pi, theta, gamma_va, gamma_io, tol, maxit):
    n, j = gamma_va.shape
    th = theta.reshape(-1)
    c = np.ones((n, j))
    for _ in range(maxit):
        # P_n^j = [sum_i pi_ni^j (kappa c_i^j)^-theta]^(-1/theta)
        base = pi * (kappa_hat * c[None, :, :]) ** (-theta)
        p = base.sum(axis=1) ** (-1.0 / th)
        logc = gamma_va * np.log(w)[:, None] + np.einsum("nkj,nk->nj", gamma_io, np.log(p))
        c_new = np.exp(logc)
        if np.max(np.abs(c_new - c)) < tol:
            c = c_new
            break
        c = c_new
    base = pi * (kappa_hat * c[None, :, :]) ** (-theta)
    p = base.sum(axis=1) ** (-1.0 / th)
    return c, p, base / p[:, None, :] ** (-theta)


def _expenditure(w, share, tariff_new, gamma_io, alpha, value_added, deficit):
    n, j = alpha.shape
    seller = share / (1 + tariff_new)                                  # (m, n, k)
    a = np.einsum("njk,mnk->njmk", gamma_io, seller).reshape(n * j, n * j)
    rebate = (share * tariff_new / (1 + tariff_new)).sum(axis=1)       # (n, k)
    f = np.einsum("nj,nk,nm->njmk", alpha, rebate, np.eye(n)).reshape(n * j, n * j)
    b = (alpha * (w * value_added + deficit)[:, None]).reshape(n * j)
    return np.linalg.solve(np.eye(n * j) - a - f, b).reshape(n, j)


def solve_reference(trade_share, tariff, tariff_new, iceberg_hat, trade_elasticity, value_added_share, io_share,
                    final_demand_share, value_added, deficit, *, tol=1e-10, vfactor=0.2, maxit=50_000,
                    price_tol=1e-13) -> ReferenceSolution:
    """Solve CP's equilibrium in changes by their wage-adjustment loop.

    Arrays as in :class:`tradesim.model.solve.ModelInputs`; ``deficit`` is the
    counterfactual deficit in units of world value added.
    """
    pi = np.asarray(trade_share, float)
    theta = np.asarray(trade_elasticity, float)[None, None, :]
    kappa = (1 + np.asarray(tariff_new)) / (1 + np.asarray(tariff)) * np.asarray(iceberg_hat)
    va = np.asarray(value_added, float)
    w = np.ones(len(va))
    change = np.inf
    for it in range(1, maxit + 1):
        c, p, share = _prices(w, kappa, pi, theta, value_added_share, io_share, price_tol, 10_000)
        spend = _expenditure(w, share, tariff_new, io_share, final_demand_share, va, deficit)
        flows = share * spend[:, None, :] / (1 + tariff_new)
        zw = (flows.sum(axis=(1, 2)) - flows.sum(axis=(0, 2)) - deficit) / va
        w_new = w * (1 - vfactor * zw / w)
        w_new *= va.sum() / (w_new * va).sum()      # world value added is the numeraire
        change = float(np.abs(w_new - w).sum())
        w = w_new
        if change < tol:
            break
    c, p, share = _prices(w, kappa, pi, theta, value_added_share, io_share, price_tol, 10_000)
    spend = _expenditure(w, share, tariff_new, io_share, final_demand_share, va, deficit)
    return ReferenceSolution(w, c, p, share, spend, it, change)
