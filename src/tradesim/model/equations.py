r"""Equilibrium conditions of Caliendo & Parro (2015) in exact hat algebra.

Caliendo, L. and F. Parro (2015), "Estimates of the Trade and Welfare Effects of
NAFTA", *Review of Economic Studies* 82(1), 1-44. Section 3 sets out the model;
section 3.3 ("Equilibrium in relative changes") the system solved here. For a
variable ``x`` with baseline value ``x`` and counterfactual ``x'``,
``x_hat = x' / x``.

One function per equilibrium condition; every function is pure ``jax.numpy``
(float64), so the solver can differentiate and batch them. Shapes use
``N`` countries and ``J`` sectors; bilateral arrays are ``(importer n,
exporter i, sector j)``, country-sector arrays ``(country, sector)``, input-output
shares ``(country, input sector k, sector j)``.

=====================  ======================================================
cost of input bundle   :math:`\hat c_n^j = \hat w_n^{\gamma_n^j}\prod_k (\hat P_n^k)^{\gamma_n^{k,j}}`
sectoral price index   :math:`\hat P_n^j = [\sum_i \pi_{ni}^j (\hat\kappa_{ni}^j \hat c_i^j)^{-\theta^j}]^{-1/\theta^j}`
trade shares           :math:`\pi_{ni}^{j\prime} = \pi_{ni}^j (\hat c_i^j\hat\kappa_{ni}^j/\hat P_n^j)^{-\theta^j}`
sectoral expenditure   :math:`X_n^{j\prime} = \sum_k \gamma_n^{j,k}\sum_i \pi_{in}^{k\prime} X_i^{k\prime}/(1+\tau_{in}^{k\prime}) + \alpha_n^j I_n'`
income                 :math:`I_n' = \hat w_n w_nL_n + \sum_{i,j}\tau_{ni}^{j\prime}\pi_{ni}^{j\prime}X_n^{j\prime}/(1+\tau_{ni}^{j\prime}) + D_n'`
labour market          :math:`\hat w_n w_nL_n = \sum_j\gamma_n^j\sum_i \pi_{in}^{j\prime}X_i^{j\prime}/(1+\tau_{in}^{j\prime})`
trade balance          :math:`\sum_{i,j}\pi_{ni}^{j\prime}X_n^{j\prime}/(1+\tau') - D_n' = \sum_{i,j}\pi_{in}^{j\prime}X_i^{j\prime}/(1+\tau')`
=====================  ======================================================

where :math:`\hat\kappa_{ni}^j = \frac{1+\tau_{ni}^{j\prime}}{1+\tau_{ni}^j}\hat d_{ni}^j`
is the change in trade costs (tariff factor times iceberg cost). The trade
balance follows from the other conditions (Walras' law); the solver checks it
at the solution rather than imposing it.

Example
-------
>>> import jax.numpy as jnp
>>> from tradesim.model.equations import price_index
>>> pi = jnp.ones((1, 1, 1)); kappa = jnp.ones((1, 1, 1)); c = jnp.full((1, 1), 1.1)
>>> float(price_index(jnp.log(c), jnp.log(kappa), pi, jnp.array([4.0]))[0, 0])  # doctest: +ELLIPSIS
0.0953...
"""

from __future__ import annotations

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402


def trade_cost_change(tariff, tariff_new, iceberg_hat):
    """Log change in trade costs ``log kappa_hat`` (importer, exporter, sector).

    ``kappa_hat = (1 + tariff') / (1 + tariff) * d_hat``; CP2015 section 3.3.
    """
    return jnp.log1p(tariff_new) - jnp.log1p(tariff) + jnp.log(iceberg_hat)


def unit_cost(log_wage_hat, log_price_hat, value_added_share, io_share):
    """Log change in the cost of the input bundle, ``log c_hat`` (country, sector).

    ``c_hat_n^j = w_hat_n^{gamma_n^j} prod_k P_hat_n^k^{gamma_n^{k,j}}`` (CP2015, cost of
    the input bundle in relative changes). ``log_price_hat`` is (country, sector),
    ``io_share`` (country, input sector, sector).
    """
    return value_added_share * log_wage_hat[:, None] + jnp.einsum("nkj,nk->nj", io_share, log_price_hat)


def cost_weights(log_kappa_hat, trade_share, trade_elasticity):
    """Baseline shares weighted by the trade-cost change, ``pi_ni^j kappa_hat_ni^j^(-theta^j)``
    (importer, exporter, sector): the part of the price index that unit costs do not move."""
    return trade_share * jnp.exp(-trade_elasticity * log_kappa_hat)


def price_index_weighted(log_cost_hat, weights, trade_elasticity):
    """:func:`price_index` given :func:`cost_weights`: ``-1/theta log sum_i w_ni^j c_hat_i^j^(-theta)``.

    Only the (country, sector) cost term is exponentiated, so iterating on costs is cheap.
    """
    return -jnp.log(jnp.einsum("nij,ij->nj", weights, jnp.exp(-trade_elasticity * log_cost_hat))) / trade_elasticity


def price_index(log_cost_hat, log_kappa_hat, trade_share, trade_elasticity):
    """Log change in the sectoral price index ``log P_hat`` (country, sector).

    ``P_hat_n^j = [sum_i pi_ni^j (kappa_hat_ni^j c_hat_i^j)^(-theta^j)]^(-1/theta^j)``
    (CP2015, price index in relative changes). ``log_cost_hat`` is the exporters'
    (country, sector) array; zero trade shares drop out exactly.
    """
    return price_index_weighted(log_cost_hat, cost_weights(log_kappa_hat, trade_share, trade_elasticity),
                                trade_elasticity)


def trade_share_new(log_cost_hat, log_kappa_hat, log_price_hat, trade_share, trade_elasticity):
    """Counterfactual trade shares ``pi'`` (importer, exporter, sector).

    ``pi'_ni^j = pi_ni^j (c_hat_i^j kappa_hat_ni^j / P_hat_n^j)^(-theta^j)`` (CP2015,
    trade shares in relative changes).
    """
    log_ratio = log_cost_hat[None, :, :] + log_kappa_hat - log_price_hat[:, None, :]
    return trade_share * jnp.exp(-trade_elasticity * log_ratio)


def trade_share_weighted(log_cost_hat, log_price_hat, weights, trade_elasticity):
    """:func:`trade_share_new` given :func:`cost_weights`: ``pi'_ni^j = w_ni^j c_hat_i^j^(-theta^j) / P_hat_n^j^(-theta^j)``.

    The same shares; only (country, sector) terms are exponentiated, so it costs one
    multiplication per bilateral cell instead of an exponential.
    """
    cost_term = jnp.exp(-trade_elasticity * log_cost_hat)
    return weights * cost_term[None, :, :] * jnp.exp(trade_elasticity * log_price_hat)[:, None, :]


def receipt_share(trade_share, tariff):
    """Share of importer ``n``'s spending on sector ``j`` that reaches exporter ``i``,
    ``pi_ni^j / (1 + tau_ni^j)`` (importer, exporter, sector): the rest is tariff revenue."""
    return trade_share / (1 + tariff)


def revenue_share(trade_share, tariff):
    """Tariff revenue per unit of spending, ``sum_i tau_ni^j pi_ni^j / (1 + tau_ni^j)`` (country, sector)."""
    return (trade_share * tariff / (1 + tariff)).sum(axis=1)


def sales(trade_share, expenditure, tariff):
    """Exporter revenue ``M_ni^j = pi_ni^j X_n^j / (1 + tau_ni^j)`` (importer, exporter, sector)."""
    return receipt_share(trade_share, tariff) * expenditure[:, None, :]


def gross_output(trade_share, expenditure, tariff):
    """Gross output ``Y_i^j = sum_n pi_ni^j X_n^j / (1 + tau_ni^j)`` (country, sector)."""
    return sales(trade_share, expenditure, tariff).sum(axis=0)


def tariff_revenue(trade_share, expenditure, tariff):
    """Tariff revenue ``R_n = sum_{i,j} tau_ni^j pi_ni^j X_n^j / (1 + tau_ni^j)`` (country)."""
    return (revenue_share(trade_share, tariff) * expenditure).sum(axis=1)


def income(wage_hat, value_added, trade_share, expenditure, tariff, deficit):
    """Household income ``I_n' = w_hat_n w_n L_n + R_n' + D_n'`` (country); CP2015 section 3."""
    return wage_hat * value_added + tariff_revenue(trade_share, expenditure, tariff) + deficit


def induced_spending(expenditure, receipts, revenue, io_share, final_demand_share):
    """Spending that spending itself generates (country, sector): intermediate
    demand ``sum_k gamma_n^{j,k} Y_n^k`` plus final demand out of rebated tariff
    revenue ``alpha_n^j R_n``. Linear in ``expenditure``.

    ``receipts`` is :func:`receipt_share` (importer, exporter, sector) and ``revenue``
    :func:`revenue_share` (country, sector), so that a solver applying this map many
    times for the same shares computes them once.
    """
    output = jnp.einsum("nij,nj->ij", receipts, expenditure)          # gross output Y_i^j
    inter = jnp.einsum("njk,nk->nj", io_share, output)
    return inter + final_demand_share * (revenue * expenditure).sum(axis=1)[:, None]


def expenditure_residual(expenditure, wage_hat, value_added, trade_share, tariff, io_share,
                         final_demand_share, deficit):
    """Goods-market clearing ``X_n^j - sum_k gamma_n^{j,k} Y_n^k - alpha_n^j I_n`` (country, sector).

    CP2015, sectoral expenditure in relative changes: spending on sector ``j`` goods
    is intermediate demand by every using sector ``k`` plus final demand out of
    income ``I_n = w_hat w L + R + D``.
    """
    exogenous = final_demand_share * (wage_hat * value_added + deficit)[:, None]
    return expenditure - induced_spending(expenditure, receipt_share(trade_share, tariff),
                                          revenue_share(trade_share, tariff), io_share,
                                          final_demand_share) - exogenous


def labour_market_residual(wage_hat, value_added, value_added_share, trade_share, expenditure, tariff):
    """Labour-market clearing ``sum_j gamma_n^j Y_n^j' - w_hat_n w_n L_n`` (country);
    CP2015 section 3 (labour income equals value added)."""
    output = gross_output(trade_share, expenditure, tariff)
    return (value_added_share * output).sum(axis=1) - wage_hat * value_added


def trade_balance_residual(trade_share, expenditure, tariff, deficit):
    """``imports - exports - D'`` (country), valued before tariffs; zero in equilibrium."""
    flows = sales(trade_share, expenditure, tariff)
    return flows.sum(axis=(1, 2)) - flows.sum(axis=(0, 2)) - deficit


def aggregate_price_index(log_price_hat, final_demand_share):
    """Log change in the consumer price index ``log P_hat_n = sum_j alpha_n^j log P_hat_n^j`` (country)."""
    return (final_demand_share * log_price_hat).sum(axis=1)
