r"""Welfare and its decomposition (Caliendo and Parro 2015, section 4).

The paper decomposes the welfare effect of a tariff change on country n into
terms of trade and volume of trade, by sector and by partner:

.. math::

    d\ln W_n = \frac{1}{I_n}\sum_{j,i}\big(E_{ni}^j\,d\ln c_n^j - M_{ni}^j\,d\ln c_i^j\big)
             + \frac{1}{I_n}\sum_{j,i}\tau_{ni}^j M_{ni}^j\big(d\ln M_{ni}^j - d\ln c_i^j\big)
             - \frac{1}{I_n}\sum_{j,i}(1+\tau_{ni}^j)M_{ni}^j\,d\ln d_{ni}^j

(terms of trade, volume of trade, and, for iceberg-cost shocks, technical
efficiency; see :func:`technical_efficiency` for how bans are kept finite). As in the authors' code and the paper's Table 2, the differentials
are evaluated as discrete changes from the baseline (``d ln x`` -> ``x_hat - 1``),
with baseline flows ``M`` (imports, before tariffs), ``E`` (exports) and income
``I``. Their sum is the paper's one-step welfare figure (``welfare_first_order_pct``).
tradesim's headline welfare is the exact real-income change
``I_hat / P_hat - 1`` (:func:`real_income_change`, ``welfare_pct``); the two
differ for large tariff changes, even in sign, because the one-step
decomposition is first order (docs/model.md).

All functions take numpy arrays in the package's dimension order
(importer, exporter, sector) and return contributions in percent of income,
with dims (country, partner, sector).
"""

from __future__ import annotations

import numpy as np


def terms_of_trade(flows_before, cost_hat, income_before):
    """ToT contribution (country, partner, sector), percent.

    ``[E_{n,p}^j (c_hat_n^j - 1) - M_{n,p}^j (c_hat_p^j - 1)] / I_n`` where
    ``E_{n,p} = flows[p, n]`` (n's sales to p) and ``M_{n,p} = flows[n, p]``.
    """
    dc = cost_hat - 1.0
    exports = flows_before.transpose(1, 0, 2) * dc[:, None, :]
    imports = flows_before * dc[None, :, :]
    return (exports - imports) / income_before[:, None, None] * 100.0


def volume_of_trade(flows_before, flows_after, tariff_before, cost_hat, income_before):
    """VoT contribution (country, partner, sector), percent:
    ``tau_{n,p}^j M_{n,p}^j (M_hat - c_hat_p^j) / I_n``; zero where there was no flow."""
    m_hat = np.divide(flows_after, flows_before, out=np.ones_like(flows_after), where=flows_before > 0)
    vot = tariff_before * flows_before * (m_hat - cost_hat[None, :, :])
    return vot / income_before[:, None, None] * 100.0


def technical_efficiency(flows_before, tariff_before, iceberg_hat, trade_elasticity, income_before):
    """Iceberg-cost contribution (country, partner, sector), percent:
    ``-(1 + tau) M (1 - d_hat^(-theta)) / theta / I_n``.

    The paper's term is ``-(1 + tau) M d ln d``. Evaluated at baseline flows as
    ``d_hat - 1`` it explodes for bans (``d_hat`` -> infinity, and the value would
    hang on the numerical floor of the ban). Here it is integrated along the flow's
    own CES response at unchanged prices, ``M(d) = M d^(-theta)``: to first order it
    is the paper's term, and a ban of a flow costs a finite ``(1 + tau) M / theta``.
    """
    theta = np.asarray(trade_elasticity)[None, None, :]
    integrated = (1.0 - np.asarray(iceberg_hat, float) ** (-theta)) / theta
    tech = -(1.0 + tariff_before) * flows_before * integrated
    return tech / income_before[:, None, None] * 100.0


def real_income_change(income_after, income_before, price_index_hat):
    """Exact welfare change ``I'/I / P_hat - 1`` per country (a fraction).

    Caliendo and Parro (2015), eq. (20)-(21): with Cobb-Douglas final demand, welfare
    is real income ``I_n / P_n``, so its exact change is the income change deflated
    by the change in the consumer price index ``P_hat_n = prod_j P_hat_n^j^alpha_n^j``.
    """
    return np.asarray(income_after, float) / np.asarray(income_before, float) / np.asarray(price_index_hat, float) - 1.0


def equivalent_variation(income_after, income_before, price_index_hat):
    """Equivalent variation per country at the reference world's prices, in baseline units:
    ``I * (I'/I / P_hat - 1)`` = ``I'/P_hat - I``, the income change at old prices that is
    worth the same as the counterfactual (exact for the model's homothetic Cobb-Douglas
    preferences, whose money metric is linear in real income). Summed over countries it
    is the change in world real income at the reference world's prices."""
    return np.asarray(income_before, float) * real_income_change(income_after, income_before, price_index_hat)
