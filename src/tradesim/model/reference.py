"""The original Caliendo-Parro solution algorithm, in plain numpy.

A faithful, independent re-implementation of the authors' iterative scheme
(CP2015, appendix; their MATLAB ``equilibrium_LC``): guess wages; iterate unit
costs and price indices to a fixed point; compute trade shares; solve the linear
goods-market system for expenditure; compute each country's excess trade
balance ``ZW = (imports - exports - D') / w L``; adjust wages
``w <- w (1 - vfactor ZW / w)``, renormalise world value added, and repeat until
the wage update is below ``tol``.

The outer loop is exactly theirs; only the inner work is made cheaper, without
changing what it computes:

* the price block factors ``pi (kappa c)^-theta = [pi kappa^-theta] c^-theta``
  (the bracket is fixed for a scenario) and starts from the previous wage
  iteration's costs, so each pass is one (N x N) by (N) product per sector;
* the goods-market system ``(I - A - F) X = b`` (NJ unknowns) is solved by a
  direct dense LU when small and otherwise by GMRES on the same operator,
  started from the previous iteration's expenditure, to a relative residual of
  ``lin_tol`` -- the dense matrix on the 2022 world is 2268 x 2268 and its LU
  per wage iteration made the algorithm take more than ten minutes.

It shares no code with :mod:`tradesim.model.equations` (or with the JAX solver's
Newton, price and Krylov steps), so agreement between the two is a real check;
the benchmarks time it against the Newton solver.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse.linalg import LinearOperator, gmres

from tradesim.errors import NonConvergenceError


@dataclass(frozen=True)
class ReferenceSolution:
    wage_hat: np.ndarray        # (N,)
    cost_hat: np.ndarray        # (N, J)
    price_hat: np.ndarray       # (N, J)
    trade_share: np.ndarray     # (N, N, J)
    expenditure: np.ndarray     # (N, J)
    iterations: int
    wage_change: float


def _price_index(weights_t, c, theta):
    """``P_n^j = [sum_i pi_ni^j (kappa_ni^j c_i^j)^-theta^j]^(-1/theta^j)``; ``weights_t`` is
    ``pi kappa^-theta`` as (sector, importer, exporter), so the sum is one batched matmul."""
    return np.matmul(weights_t, (c ** (-theta)).T[:, :, None])[:, :, 0].T ** (-1.0 / theta)


def _prices(w, weights_t, theta, gamma_va, gamma_io_t, c, tol, maxit):
    """Unit costs ``c`` (N, J) and price indices ``P`` (N, J) for wages ``w`` by
    fixed-point iteration from the guess ``c``; ``gamma_io_t`` is (country, sector j, input k)."""
    logw = np.log(w)[:, None]
    for _ in range(maxit):
        p = _price_index(weights_t, c, theta)
        # c_n^j = w_n^gamma_n^j prod_k (P_n^k)^gamma_n^{k,j}
        c_new = np.exp(gamma_va * logw + np.matmul(gamma_io_t, np.log(p)[:, :, None])[:, :, 0])
        done = np.max(np.abs(c_new - c)) < tol
        c = c_new
        if done:
            break
    p = _price_index(weights_t, c, theta)
    share = weights_t.transpose(1, 2, 0) * (c ** (-theta))[None, :, :] / (p ** (-theta))[:, None, :]
    return c, p, share


def _expenditure(w, share, tariff_new, gamma_io, alpha, value_added, deficit, x0, lin_tol, dense_below):
    """Goods-market clearing ``X_n^j = sum_k gamma_n^{j,k} sum_m pi_mn^k X_m^k / (1 + tau_mn^k)
    + alpha_n^j (w_n L_n + sum_{m,k} tau_nm^k pi_nm^k X_n^k / (1 + tau_nm^k) + D_n)``."""
    n, j = alpha.shape
    seller = share / (1 + tariff_new)                                  # (m, n, k): pi_mn^k / (1 + tau)
    rebate = (share * tariff_new / (1 + tariff_new)).sum(axis=1)       # (n, k): tariff revenue per unit of X_n^k
    b = (alpha * (w * value_added + deficit)[:, None]).reshape(n * j)
    if n * j <= dense_below:
        a = np.einsum("njk,mnk->njmk", gamma_io, seller).reshape(n * j, n * j)
        f = np.einsum("nj,nk,nm->njmk", alpha, rebate, np.eye(n)).reshape(n * j, n * j)
        return np.linalg.solve(np.eye(n * j) - a - f, b).reshape(n, j)

    seller_t = np.ascontiguousarray(seller.transpose(2, 1, 0))        # (k, n, m)

    def matvec(x):
        x = x.reshape(n, j)
        output = np.matmul(seller_t, x.T[:, :, None])[:, :, 0].T       # Y_n^k = sum_m pi_mn^k X_m^k / (1 + tau)
        inter = np.matmul(gamma_io, output[:, :, None])[:, :, 0]       # sum_k gamma_n^{j,k} Y_n^k
        revenue = (rebate * x).sum(axis=1)
        return (x - inter - alpha * revenue[:, None]).reshape(n * j)

    op = LinearOperator((n * j, n * j), matvec=matvec, dtype=float)
    x, info = gmres(op, b, x0=x0.reshape(n * j), rtol=lin_tol, atol=0.0, restart=200, maxiter=50)
    if info != 0 or np.max(np.abs(matvec(x) - b)) > 10 * lin_tol * np.max(np.abs(b)):
        raise NonConvergenceError(f"reference expenditure solve did not converge (gmres info {info})",
                                  residual=float(np.max(np.abs(matvec(x) - b)) / np.max(np.abs(b))),
                                  iterations=50)
    return x.reshape(n, j)


def _excess(w, c, spend, prob):
    """One pass of the loop's body: prices, expenditure and ``ZW`` for wages ``w``."""
    weights_t, theta, gamma_va, gamma_io, gamma_io_t, alpha, va, deficit, tariff_new, opts = prob
    c, p, share = _prices(w, weights_t, theta, gamma_va, gamma_io_t, c, opts["price_tol"], 10_000)
    spend = _expenditure(w, share, tariff_new, gamma_io, alpha, va, deficit, spend, opts["lin_tol"],
                         opts["dense_below"])
    flows = share * spend[:, None, :] / (1 + tariff_new)
    zw = (flows.sum(axis=(1, 2)) - flows.sum(axis=(0, 2)) - deficit) / va
    return zw, c, p, share, spend


def _problem(trade_share, tariff, tariff_new, iceberg_hat, trade_elasticity, value_added_share, io_share,
             final_demand_share, value_added, deficit, price_tol, lin_tol, dense_below):
    tariff_new = np.asarray(tariff_new, float)
    theta = np.asarray(trade_elasticity, float)[None, :]
    gamma_io = np.asarray(io_share, float)
    kappa = (1 + tariff_new) / (1 + np.asarray(tariff, float)) * np.asarray(iceberg_hat, float)
    weights = np.asarray(trade_share, float) * kappa ** (-theta[None, :, :])
    return (np.ascontiguousarray(weights.transpose(2, 0, 1)), theta, np.asarray(value_added_share, float),
            gamma_io, np.ascontiguousarray(gamma_io.transpose(0, 2, 1)), np.asarray(final_demand_share, float),
            np.asarray(value_added, float), np.asarray(deficit, float), tariff_new,
            dict(price_tol=price_tol, lin_tol=lin_tol, dense_below=dense_below))


def wage_sensitivity(trade_share, tariff, trade_elasticity, value_added_share, io_share, final_demand_share,
                     value_added, deficit, *, step=1e-6, price_tol=1e-13, lin_tol=1e-13,
                     dense_below=1500) -> np.ndarray:
    """``dZW_n / dw_n`` (N,) at the baseline (no shock), by one-sided finite differences
    of this module's own loop body: the per-country scale of the wage adjustment."""
    prob = _problem(trade_share, tariff, tariff, np.ones_like(np.asarray(tariff)), trade_elasticity,
                    value_added_share, io_share, final_demand_share, value_added, deficit, price_tol, lin_tol,
                    dense_below)
    n, j = prob[2].shape
    va, deficit = prob[6], prob[7]
    spend0 = prob[5] * (va + deficit)[:, None]
    zw0, c0, _, _, spend0 = _excess(np.ones(n), np.ones((n, j)), spend0, prob)
    out = np.empty(n)
    for k in range(n):
        w = np.ones(n)
        w[k] += step
        out[k] = (_excess(w, c0, spend0, prob)[0][k] - zw0[k]) / step
    return out


def solve_reference(trade_share, tariff, tariff_new, iceberg_hat, trade_elasticity, value_added_share, io_share,
                    final_demand_share, value_added, deficit, *, tol=1e-10, vfactor=0.2, maxit=50_000,
                    price_tol=1e-13, lin_tol=1e-13, dense_below=1500, throw: bool = True) -> ReferenceSolution:
    """Solve CP's equilibrium in changes by their wage-adjustment loop.

    Arrays as in :class:`tradesim.model.solve.ModelInputs`; ``deficit`` is the
    counterfactual deficit in units of world value added. ``tol`` bounds the sum
    of absolute wage updates of the last iteration.

    ``vfactor`` is CP's damping of the wage update: a scalar as in their code, or
    one factor per country (N,). A scalar that is stable for the most open small
    economies of an 81-country world (own-wage sensitivity of ``ZW`` up to ~15)
    makes the large, closed ones converge in thousands of iterations; there,
    ``vfactor = 0.5 / |wage_sensitivity(...)|`` equalises the countries' speeds.

    Raises :class:`~tradesim.errors.NonConvergenceError` when the wage update is still
    above ``tol`` after ``maxit`` iterations (``throw=False``: return the last iterate, whose
    ``wage_change`` says how far it is).
    """
    prob = _problem(trade_share, tariff, tariff_new, iceberg_hat, trade_elasticity, value_added_share, io_share,
                    final_demand_share, value_added, deficit, price_tol, lin_tol, dense_below)
    va, deficit = prob[6], prob[7]
    n, j = prob[2].shape
    vfactor = np.broadcast_to(np.asarray(vfactor, float), (n,))
    w = np.ones(n)
    c = np.ones((n, j))
    spend = prob[5] * (va + deficit)[:, None]
    change = np.inf
    for it in range(1, maxit + 1):
        zw, c, p, share, spend = _excess(w, c, spend, prob)
        w_new = w * (1 - vfactor * zw / w)
        w_new *= va.sum() / (w_new * va).sum()      # world value added is the numeraire
        change = float(np.abs(w_new - w).sum())
        w = w_new
        if change < tol:
            break
    if throw and not change < tol:
        raise NonConvergenceError(f"reference wage loop did not converge after {it} iterations: wage change "
                                  f"{change:.3g} (tolerance {tol:g})", residual=change, iterations=it)
    _, c, p, share, spend = _excess(w, c, spend, prob)
    return ReferenceSolution(w, c, p, share, spend, it, change)
