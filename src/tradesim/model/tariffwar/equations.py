r"""Equilibrium conditions of the global tariff-war model (Lashkaripour 2021), as coded in
``ahmadlp/tariffwar`` (no input-output links, no markups).

Lashkaripour, A. (2021), "The cost of a global tariff war: A sufficient-statistics approach",
*Journal of International Economics* 131, 103419. Equation numbers are the paper's; the
authors' public code (``+solver/nash_equations.m``) implements eqs. (6), (7) and (14).

Dimension order as everywhere in tradesim: bilateral arrays are ``(importer i, exporter j,
sector k)``; ``N`` economies, ``K`` sectors. Hats are counterfactual over baseline.

==================  =============================================================================
tariff change       :math:`\hat\tau_{ijk} = (1+t'_{ijk})/(1+t_{ijk})`
trade shares        :math:`\lambda'_{ijk} = \lambda_{ijk}(\hat\tau_{ijk}\hat w_j)^{-\varepsilon_k}
                    / \sum_n \lambda_{ink}(\hat\tau_{ink}\hat w_n)^{-\varepsilon_k}`
wage income (6)     :math:`\hat w_j R_j = \sum_{i,k}\lambda'_{ijk} e_{ik}\hat Y_i Y_i/(1+t'_{ijk})`
national income (7) :math:`\hat Y_i Y_i = \hat w_i R_i + \sum_{j,k} t'_{ijk}/(1+t'_{ijk})\,\lambda'_{ijk} e_{ik}\hat Y_i Y_i`
                    (explicit in ``Y`` given wages: :func:`income_given_wages`)
Nash tariff (14)    :math:`t_n = 1/\max(1, \sum_k \varepsilon_k \sum_{i\ne n}\chi_{ink}(1-\lambda'_{ink}))`,
                    :math:`\chi_{ink} = x_{ink}/\sum_{i\ne n,k} x_{ink}` (``n``'s export sales)
price index         :math:`\hat P_{ik} = (\sum_j \lambda_{ijk}(\hat\tau_{ijk}\hat w_j)^{-\varepsilon_k})^{-1/\varepsilon_k}`,
                    :math:`\hat P_i = \prod_k \hat P_{ik}^{e_{ik}}`
welfare             :math:`\hat W_i = \hat Y_i / \hat P_i`
==================  =============================================================================

Every function is pure ``jax.numpy`` (float64), so the solver differentiates them exactly.

Example
-------
>>> import jax.numpy as jnp
>>> from tradesim.model.tariffwar.equations import nash_tariff
>>> share = jnp.array([[[0.5], [0.5]], [[0.5], [0.5]]])   # two economies, one sector
>>> sales = share * 10.0
>>> [round(float(t), 4) for t in nash_tariff(sales, share, jnp.array([4.0]))]  # 1/(4 * 0.5)
[0.5, 0.5]
"""

from __future__ import annotations

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402

# The authors' code guards divisions with MATLAB's eps; the same floor here.
EPS = 2.220446049250313e-16


def uniform_tariffs(rate, n: int, k: int):
    """The tariff cube (importer, exporter, sector) of one uniform rate per importer
    ``rate`` (N): ``t'_{ijk} = rate_i`` for ``j != i``, zero on the diagonal (own sales)."""
    off = 1.0 - jnp.eye(n)
    return jnp.broadcast_to((rate[:, None] * off)[:, :, None], (n, n, k))


def cost_terms(share, tariff_hat, wage_hat, elasticity):
    """``lambda_ijk (tau_hat_ijk w_hat_j)^(-eps_k)`` (importer, exporter, sector): the
    numerator of the new trade shares and the terms of the price index."""
    return share * (tariff_hat * wage_hat[None, :, None]) ** (-elasticity)


def tariff_weights(share, tariff, tariff_new, elasticity):
    """``lambda_ijk tau_hat_ijk^(-eps_k)`` (importer, exporter, sector): the part of
    :func:`cost_terms` that wages do not move."""
    return share * ((1 + tariff_new) / (1 + tariff)) ** (-elasticity)


def uniform_tariff_weights(share, tariff, rate, elasticity):
    """:func:`tariff_weights` for one uniform rate per importer (off the diagonal), as a
    product of (importer, sector) factors with a constant cube: no power of a cube depends
    on ``rate``, which keeps exact Jacobians cheap."""
    n = share.shape[0]
    factor = (1 + rate)[:, None] ** (-elasticity)[None, :]                  # (i, k)
    off = (1.0 - jnp.eye(n))[:, :, None]
    return share * (1 + tariff) ** elasticity * (off * factor[:, None, :] + (1.0 - off))


def wage_terms(weights, wage_hat, elasticity):
    """:func:`cost_terms` from :func:`tariff_weights`: ``weights_ijk w_hat_j^(-eps_k)``."""
    return weights * (wage_hat[:, None] ** (-elasticity)[None, :])[None, :, :]


def trade_shares(terms):
    """New within-sector shares ``lambda'_ijk`` from :func:`cost_terms` (importer, exporter, sector)."""
    return terms / jnp.maximum(terms.sum(axis=1, keepdims=True), EPS)


def spending(share_new, expenditure_share, income):
    """Tariff-inclusive spending ``X'_ijk = lambda'_ijk e_ik Y'_i`` (importer, exporter, sector)."""
    return share_new * (expenditure_share * income[:, None])[:, None, :]


def wage_residual(share_new, expenditure_share, income, tariff_new, wage_hat, wage_bill):
    """Eq. (6): exporter ``j``'s sales net of tariffs minus its wage bill ``w_hat_j R_j`` (N)."""
    sales = spending(share_new, expenditure_share, income) / (1 + tariff_new)
    return sales.sum(axis=(0, 2)) - wage_hat * wage_bill


def income_residual(share_new, expenditure_share, income, tariff_new, wage_hat, wage_bill):
    """Eq. (7): wage income plus tariff revenue minus national income ``Y'_i`` (N)."""
    revenue = (spending(share_new, expenditure_share, income) * tariff_new / (1 + tariff_new)).sum(axis=(1, 2))
    return wage_hat * wage_bill + revenue - income


def income_given_wages(share_new, expenditure_share, tariff_new, wage_hat, wage_bill):
    """Eq. (7) solved for income: ``Y'_i = w_hat_i R_i / (1 - sum_{j,k} t'_ijk/(1+t'_ijk) lambda'_ijk e_ik)`` (N).

    Income enters its own revenue term linearly, so given wages (and tariffs) it is explicit;
    the residual of :func:`income_residual` is then zero up to round-off (checked by the solver).
    """
    revenue_share = (share_new * (tariff_new / (1 + tariff_new))).sum(axis=1)    # (i, k)
    return wage_hat * wage_bill / (1.0 - (revenue_share * expenditure_share).sum(axis=1))


def export_supply_term(sales, share_new, elasticity):
    """``sum_k eps_k sum_{i != n} chi_ink (1 - lambda'_ink)`` (N): the trade-weighted
    elasticity of ``n``'s export demand in eq. (14). ``sales`` are export sales net of
    tariffs (importer, exporter, sector); own sales are left out."""
    n = sales.shape[0]
    foreign = sales * (1.0 - jnp.eye(n))[:, :, None]
    total = jnp.maximum(foreign.sum(axis=(0, 2)), EPS)                # n's foreign sales
    by_sector = (foreign * (1.0 - share_new)).sum(axis=0) / total[:, None]   # (exporter n, sector)
    return (elasticity[None, :] * by_sector).sum(axis=1)


def nash_tariff(sales, share_new, elasticity):
    """Eq. (14): each economy's optimal uniform tariff, ``1 / max(1, export_supply_term)`` (N);
    the floor at one caps it at 100%, as in the authors' code."""
    return 1.0 / jnp.maximum(export_supply_term(sales, share_new, elasticity), 1.0)


def log_price_index(terms, expenditure_share, elasticity):
    """``log P_hat_i = sum_k e_ik log P_hat_ik``, ``P_hat_ik = (sum_j terms_ijk)^(-1/eps_k)`` (N)."""
    log_pk = -jnp.log(jnp.maximum(terms.sum(axis=1), EPS)) / elasticity[None, :]
    return (expenditure_share * log_pk).sum(axis=1)
