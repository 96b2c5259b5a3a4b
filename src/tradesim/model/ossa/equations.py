"""The equilibrium conditions of Ossa's (2014) model in changes, as small pure functions.

Ossa (2014), "Trade Wars and Trade Talks with Data", AER 104(12), Section I: N regions,
S industries, labour the only factor and mobile across industries (one wage ``w_i``), a fixed
mass of monopolistically competitive firms in each region-industry (Krugman 1980 with Ricardian
productivity differences), so firms earn profits ``Y_is / sigma_s``; Cobb-Douglas upper tier over
industries, CES (``sigma_s``) within; tariff revenue rebated lump sum. The paper's system in
changes (its Section I, "hat" algebra for counterfactual tariffs ``t'``; the conditions are named
here as in ``docs/strategy.md``, since the paper's appendix numbers them per section):

* price index::

      P_js_hat^(1-sigma_s) = sum_i pi_jis (w_i_hat (1+t'_jis)/(1+t_jis))^(1-sigma_s)

* spending ``X'_jis = pi'_jis mu_js E'_j``, ``pi'_jis = pi_jis (w_i_hat tau_hat_jis)^(1-sigma_s)
  / P_js_hat^(1-sigma_s)``, sales ``V' = X' / (1 + t')``;
* budget: ``E'_j = w_j_hat w_j L_j + sum_s Pi'_js + R'_j + D'_j``, ``Pi'_js = (1/sigma_s)
  sum_k V'_kjs``, ``R'_j = sum_{i,s} t'_jis V'_jis`` (linear in ``E'`` for given wages);
* labour market: ``w_i_hat w_i L_i = sum_s (sigma_s - 1)/sigma_s sum_k V'_kis``, one condition
  replaced by the numeraire ``sum_i w_i_hat w_i L_i = sum_i w_i L_i``;
* welfare ``W_j_hat = E_j_hat / P_j_hat``, ``P_j_hat = prod_s P_js_hat^mu_js``; the government
  objective ``G_j = sum_s lambda_js W_js`` (:func:`industry_income`).

Arrays are (importer j, exporter i, sector s); ``m`` is an
:class:`~tradesim.model.ossa.inputs.OssaModel`.

Example
-------
>>> import jax.numpy as jnp
>>> from tradesim.model.ossa import OssaModel
>>> m = OssaModel.from_arrays([[[8.0], [2.0]], [[2.0], [8.0]]], [[[0.0], [0.0]], [[0.0], [0.0]]], [3.0])
>>> float(jnp.max(jnp.abs(labour_market_residual(m, jnp.ones(2), m.tariff, m.deficit())))) < 1e-15
True
"""

from __future__ import annotations

import jax.numpy as jnp


def baseline_shares(m):
    """Baseline quantities: spending shares ``pi_jis`` (N, N, S) incl. tariffs, Cobb-Douglas shares
    ``mu_js`` (N, S), labour income ``w_i L_i`` (N), profits ``Y_is / sigma_s`` (N, S), tariff
    revenue ``R_j`` (N) and spending ``E_j`` (N)."""
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


def price_index_hat(m, w_hat, tariff_new):
    """Price index: ``P_js_hat^(1-sigma_s)`` (N, S) and the cost terms
    ``(w_i_hat tau_hat_jis)^(1-sigma_s)`` (N, N, S)."""
    pi = baseline_shares(m)[0]
    c = (w_hat[None, :, None] * (1 + tariff_new) / (1 + m.tariff)) ** (1 - m.sigma)
    return (pi * c).sum(axis=1), c


def sales_per_unit_spending(pi, mu, c, p1s, tariff_new):
    """Spending: new shares ``pi'_jis = pi_jis c_jis / P_js_hat^(1-sigma_s)`` and the sales
    ``V'_jis`` per unit of the importer's spending ``E'_j``, ``pi'_jis mu_js / (1 + t'_jis)`` (N, N, S)."""
    pi_new = pi * c / p1s[:, None, :]                                 # (j, i, s)
    return pi_new * mu[:, None, :] / (1 + tariff_new)                 # V'_jis per unit E'_j


def budget(m, share_v, w_hat, wl, tariff_new, deficit):
    """Budget: ``E'`` (N) solving ``E' = w_hat wL + A E' + r E' + D'`` exactly, with
    ``A_jk = sum_s share_v[k, j, s] / sigma_s`` (profits) and ``r_j = sum t' share_v[j]`` (revenue)."""
    a_mat = jnp.einsum("kjs,s->jk", share_v, 1 / m.sigma)
    r = (tariff_new * share_v).sum(axis=(1, 2))
    lhs = jnp.eye(m.n) - a_mat - jnp.diag(r)
    return jnp.linalg.solve(lhs, w_hat * wl + deficit)


def equilibrium_given_wages(m, w_hat, tariff_new, deficit):
    """For given wage changes: ``P_js_hat^(1-sigma_s)`` (N, S), new sales ``V'`` (N, N, S) and
    spending ``E'`` (N) from the price index, spending and budget conditions."""
    pi, mu, wl, _, _, _ = baseline_shares(m)
    p1s, c = price_index_hat(m, w_hat, tariff_new)
    share_v = sales_per_unit_spending(pi, mu, c, p1s, tariff_new)
    e_new = budget(m, share_v, w_hat, wl, tariff_new, deficit)
    v_new = share_v * e_new[:, None, None]
    return p1s, v_new, e_new


def labour_market_residual(m, w_hat, tariff_new, deficit):
    """Labour market: ``sum_s (sigma_s-1)/sigma_s sum_k V'_kis / (w_i_hat w_i L_i) - 1`` (N),
    relative, the last replaced by the numeraire (world labour income unchanged)."""
    wl = baseline_shares(m)[2]
    _, v_new, _ = equilibrium_given_wages(m, w_hat, tariff_new, deficit)
    demand = ((m.sigma - 1) / m.sigma * v_new.sum(axis=0)).sum(axis=1)
    f = demand / (w_hat * wl) - 1
    return f.at[-1].set((w_hat * wl).sum() / wl.sum() - 1)


def aggregate_price_index_hat(p1s, mu, sigma):
    """``P_j_hat = prod_s P_js_hat^mu_js`` (N) from ``P_js_hat^(1-sigma_s)`` (N, S)."""
    p_hat_s = p1s ** (1 / (1 - sigma))
    return jnp.exp((mu * jnp.log(p_hat_s)).sum(axis=1))


def industry_income(lam, sales, revenue, sigma):
    """Weighted nominal income of each industry's interest group, (N, S):
    ``lambda_js (Y_js + R_j L_js / L_j)`` with ``Y_js`` sales (= wage bill + profits)
    and tariff revenue shared by employment ``L_js`` (proportional to
    ``(sigma_s - 1)/sigma_s Y_js``). Summed over s and divided by ``P_j`` this is
    Ossa's government objective ``G_j = sum_s lambda_js W_js``; with ``lambda = 1`` it is
    real income ``E_j / P_j``."""
    labour = sales * (sigma - 1) / sigma
    return lam * (sales + revenue[:, None] * labour / labour.sum(axis=1, keepdims=True))
