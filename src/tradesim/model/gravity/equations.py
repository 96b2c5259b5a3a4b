r"""Equations of one-sector structural gravity (Anderson and van Wincoop 2003;
Yotov, Piermartini, Monteiro and Larch 2016, ch. 2 and Larch and Yotov 2016).

Arrays are indexed (importer j, exporter i); ``cost`` is :math:`t_{ij}^{1-\sigma}
= \exp(b'x_{ij})` from the estimated gravity equation.

Levels (Yotov et al. 2016, eq. 1-6 and 1-7, with world output :math:`Y`)::

    X_ij = (Y_i E_j / Y) * t_ij^(1-s) / (P_j^(1-s) Pi_i^(1-s))
    P_j^(1-s)  = sum_i t_ij^(1-s) (Y_i/Y) / Pi_i^(1-s)          (inward MR)
    Pi_i^(1-s) = sum_j t_ij^(1-s) (E_j/Y) / P_j^(1-s)           (outward MR)

with the normalisation :math:`P_{ref} = 1`. Unknowns are the logs of
``imr = 1/P^(1-s)`` and ``omr = 1/Pi^(1-s)`` (gegravity's "ratios").

Exact hat algebra of the endowment economy (Dekle, Eaton and Kortum 2008),
:math:`\pi_{ji} = X_{ij}/E_j` the share of j's spending on i's good,
:math:`\hat p_i` the change of i's factory-gate price::

    P_hat_j^(1-s) = sum_i pi_ji (p_hat_i t_hat_ij)^(1-s)            (price index)
    pi'_ji        = pi_ji (p_hat_i t_hat_ij)^(1-s) / P_hat_j^(1-s)  (import shares)
    Y'_i = p_hat_i Y_i,  E'_j = lambda phi_j Y'_j                   (closure)
    Y'_i = sum_j pi'_ji E'_j                                        (market clearing)

``phi_j = E_j / Y_j`` is fixed at the baseline; the common factor
``lambda = sum_k Y'_k / sum_k phi_k Y'_k`` keeps world spending equal to world
income (without it the deficits ``(phi_j - 1) Y'_j`` need not sum to zero once
prices move, and one market could not clear). ``lambda`` is one in the
baseline and within about 1e-5 of one in typical experiments.

Example
-------
>>> import jax.numpy as jnp
>>> c = jnp.log(jnp.array([[1.0, 0.1], [0.1, 1.0]]))
>>> r = mr_residuals(jnp.zeros(3), c, jnp.log(jnp.array([.5, .5])), jnp.log(jnp.array([.5, .5])), 0)
>>> r.shape          # 2N - 1: the reference importer's inward condition is its normalisation
(3,)
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.scipy.special import logsumexp

jax.config.update("jax_enable_x64", True)


def split_mr(z, ref: int):
    """Unknowns ``z`` (2N-1) -> ``(log imr (N) with imr_ref = 1, log omr (N))``."""
    n = (z.shape[0] + 1) // 2
    log_imr = jnp.concatenate([z[:ref], jnp.zeros(1, z.dtype), z[ref:n - 1]])
    return log_imr, z[n - 1:]


def inward_mr(log_omr, log_cost, log_out_share):
    """log of ``1/P_j^(1-s) = 1 / sum_i t_ij^(1-s) s^Y_i omr_i`` (N), eq. (1-7)."""
    return -logsumexp(log_cost + (log_out_share + log_omr)[None, :], axis=1)


def outward_mr(log_imr, log_cost, log_exp_share):
    """log of ``1/Pi_i^(1-s) = 1 / sum_j t_ij^(1-s) s^E_j imr_j`` (N), eq. (1-6)."""
    return -logsumexp(log_cost + (log_exp_share + log_imr)[:, None], axis=0)


def mr_residuals(z, log_cost, log_out_share, log_exp_share, ref: int):
    """Multilateral-resistance system in logs, (2N-1): the inward condition of every
    importer but the reference (whose ``P = 1``), and the outward condition of every
    exporter. Zero exactly where gegravity's ``1 - x * sum(...)`` is zero."""
    log_imr, log_omr = split_mr(z, ref)
    r_in = log_imr - inward_mr(log_omr, log_cost, log_out_share)
    r_out = log_omr - outward_mr(log_imr, log_cost, log_exp_share)
    return jnp.concatenate([r_in[:ref], r_in[ref + 1:], r_out])


def price_index_hat(log_p_hat, log_cost_hat, share, sigma):
    """log of ``P_hat_j`` (N): ``P_hat^(1-s) = sum_i pi_ji (p_hat_i t_hat_ij)^(1-s)``."""
    a = (1.0 - sigma) * log_p_hat[None, :] + log_cost_hat
    return logsumexp(a, b=share, axis=1) / (1.0 - sigma)


def import_shares_new(log_p_hat, log_cost_hat, share, sigma):
    """Counterfactual import shares ``pi'_ji`` (N, N), rows sum to one."""
    a = (1.0 - sigma) * log_p_hat[None, :] + log_cost_hat
    w = share * jnp.exp(a - jnp.max(a, axis=1, keepdims=True))
    return w / jnp.sum(w, axis=1, keepdims=True)


def expenditure_new(y_new, phi):
    """``E'_j = lambda phi_j Y'_j`` with ``lambda`` balancing world spending and income."""
    e = phi * y_new
    return e * (jnp.sum(y_new) / jnp.sum(e))


def market_clearing(log_p_hat, log_cost_hat, share, output, phi, sigma):
    """Relative excess supply ``sum_j pi'_ji E'_j / Y'_i - 1`` (N)."""
    y_new = jnp.exp(log_p_hat) * output
    sales = import_shares_new(log_p_hat, log_cost_hat, share, sigma).T @ expenditure_new(y_new, phi)
    return sales / y_new - 1.0


def equilibrium_residuals(log_p_hat, log_cost_hat, share, output, phi, sigma, ref: int):
    """Newton system (N): market clearing of every country but the reference
    importer, whose equation is replaced by the numeraire ``log P_hat_ref = 0``.
    Walras' law makes the dropped condition hold at the solution (checked)."""
    mc = market_clearing(log_p_hat, log_cost_hat, share, output, phi, sigma)
    num = price_index_hat(log_p_hat, log_cost_hat, share, sigma)[ref]
    return mc.at[ref].set(num)
