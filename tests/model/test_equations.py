"""The forms the solver iterates on are the equations themselves: shares from cost
weights, spending induced through receipt and revenue shares, against the direct
definitions on a random world."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tradesim.model import equations as eq


def _world(seed=1, n=5, j=3):
    rng = np.random.default_rng(seed)
    share = rng.uniform(0.1, 1.0, (n, n, j))
    share /= share.sum(axis=1, keepdims=True)
    tariff = rng.uniform(0.0, 0.4, (n, n, j))
    tariff_new = tariff + rng.uniform(0.0, 0.3, (n, n, j))
    theta = rng.uniform(2.0, 9.0, j)
    log_c = rng.normal(0.0, 0.05, (n, j))
    io = rng.uniform(0.0, 0.2, (n, j, j))
    alpha = rng.dirichlet(np.ones(j), n)
    spend = rng.uniform(1.0, 5.0, (n, j))
    return share, tariff, tariff_new, theta, log_c, io, alpha, spend


def test_trade_shares_from_cost_weights_equal_the_direct_formula():
    share, tariff, tariff_new, theta, log_c, *_ = _world()
    log_kappa = eq.trade_cost_change(tariff, tariff_new, np.ones_like(tariff))
    weights = eq.cost_weights(log_kappa, share, theta)
    log_p = eq.price_index_weighted(log_c, weights, theta)
    np.testing.assert_allclose(log_p, eq.price_index(log_c, log_kappa, share, theta), rtol=1e-14, atol=1e-15)
    direct = eq.trade_share_new(log_c, log_kappa, log_p, share, theta)
    np.testing.assert_allclose(eq.trade_share_weighted(log_c, log_p, weights, theta), direct, rtol=1e-13)
    np.testing.assert_allclose(direct.sum(axis=1), 1.0, atol=1e-14)


def test_induced_spending_is_output_times_io_shares_plus_rebated_revenue():
    share, _, tariff, _, _, io, alpha, spend = _world(seed=2)
    out = eq.induced_spending(jnp.asarray(spend), eq.receipt_share(share, tariff), eq.revenue_share(share, tariff),
                              io, alpha)
    # by hand: Y_i^j = sum_n pi_ni^j X_n^j / (1 + tau); R_n = sum tau pi X / (1 + tau)
    output = (share * spend[:, None, :] / (1 + tariff)).sum(axis=0)
    revenue = (tariff * share * spend[:, None, :] / (1 + tariff)).sum(axis=(1, 2))
    by_hand = np.einsum("njk,nk->nj", io, output) + alpha * revenue[:, None]
    np.testing.assert_allclose(out, by_hand, rtol=1e-13)
    # exporters' receipts plus tariff revenue are the importer's spending
    np.testing.assert_allclose(eq.receipt_share(share, tariff).sum(axis=1) + eq.revenue_share(share, tariff), 1.0,
                               atol=1e-14)
