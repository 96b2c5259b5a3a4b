r"""Equilibrium conditions of the Liberation Day model, as small pure JAX functions.

Ignatenko, Lashkaripour, Macedoni and Simonovska (2025), "Making America Great Again?
The Economic Impacts of Liberation Day Tariffs", JIE; every formula as coded in
``Balanced_Trade_EQ`` of ``code/analysis/main_baseline.m`` (replication package, July 2025).
A hat is counterfactual / baseline; arrays are (importer i, exporter j); baseline tariffs 0.

Unknowns (3N): w^ (wage), E^ (expenditure), L^ (employment). Conditions:

* trade shares  lambda'_ij = lambda_ij (d^_ij w^_j / L^_j^psi)^-eps (1+t_ij)^(-eps phi_i) / sum_n (same);
* price index   P^_i = (E^_i/w^_i)^(1-phi_i) (sum_j lambda_ij (w^_j/L^_j^psi)^-eps (1+t_ij)^(-eps phi_i))^(-1/eps);
* income        sum_k (1-nu_k) X'_ki + nu_i sum_j X'_ij = w^_i L^_i Y_i, X'_ij = lambda'_ij E'_i/(1+t_ij),
  the last one replaced by the numeraire sum_i E_i P^_i = sum_i E_i (the code's ``ERR1(N)``);
* expenditure   E'_i = R_i + w^_i L^_i Y_i + T_i sum(Y')/sum(Y), R_i = sum_j lambda'_ij t_ij/(1+t_ij) E'_i;
* labour supply L^_i = (tau^_i w^_i / P^_i)^kappa, tau^_i = 1/(1 - R_i/Y'_i) under income-tax
  relief, 1 under a lump-sum rebate;
* welfare       W^_i = delta_i E^_i/P^_i + (1-delta_i) w^_i L^_i/P^_i,
  delta_i = E_i / (E_i - kappa (1-tau_i) Y_i/(1+kappa)).

``d^`` is an optional iceberg trade-cost change (1 in the paper). Three forms of the system:
:func:`residual_reference` (term by term, what every solve is checked against), :func:`residual`
(the same 3N values through :func:`market_aggregates`, whose JVP is written out) and
:func:`residual_reduced` (expenditure substituted out, 2N; what the solver differentiates).

>>> import jax.numpy as jnp
>>> lam = jnp.array([[0.9, 0.1], [0.2, 0.8]])
>>> trade_shares(unit_cost_demand(lam, jnp.zeros((2, 2)), jnp.ones((2, 2)), jnp.ones(2), jnp.ones(2),
...                               jnp.ones(2), 4.0, 0.1)).tolist()
[[0.9, 0.1], [0.2, 0.8]]
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

jax.config.update("jax_enable_x64", True)


class Params(NamedTuple):
    """Everything the residual reads (a JAX pytree; scalars as 0-d arrays).

    shares (N, N), tariff (N, N), cost_hat (N, N): (importer, exporter); cost_hat is an iceberg
    trade-cost change d^_ij (1 in the paper, which shocks tariffs only). expenditure, income, deficit, nu,
    phi (N,). epsilon, kappa, psi: elasticities. tax_relief: 1.0 (income-tax relief) or 0.0
    (lump-sum rebate). scaled_deficits: 1.0 (deficits a share of world income) or 0.0 (fixed).
    """

    shares: jax.Array
    tariff: jax.Array
    cost_hat: jax.Array
    expenditure: jax.Array
    income: jax.Array
    deficit: jax.Array
    nu: jax.Array
    phi: jax.Array
    epsilon: jax.Array
    kappa: jax.Array
    psi: jax.Array
    tax_relief: jax.Array
    scaled_deficits: jax.Array


def unit_cost_demand(shares, tariff, cost_hat, w_hat, l_hat, phi, epsilon, psi):
    """``AUX0``: lambda_ij (d^_ij w^_j / L^_j^psi)^-eps (1+t_ij)^(-eps phi_i), (importer, exporter)."""
    cost = (w_hat / l_hat ** psi) ** (-epsilon)
    return shares * cost_hat ** (-epsilon) * cost[None, :] * (1 + tariff) ** (-epsilon * phi[:, None])


def trade_shares(aux):
    """lambda'_ij = AUX_ij / sum_j AUX_ij (``lambda_ji_new``)."""
    return aux / aux.sum(axis=1, keepdims=True)


def price_index(aux, e_hat, w_hat, phi, epsilon):
    """P^_i = (E^_i/w^_i)^(1-phi_i) (sum_j AUX_ij)^(-1/eps) (``P_i_h``)."""
    return (e_hat / w_hat) ** (1 - phi) * aux.sum(axis=1) ** (-1 / epsilon)


def flows_net_of_tariffs(new_shares, tariff, new_expenditure):
    """X'_ij = lambda'_ij E'_i / (1 + t_ij) (``X_ji_new``), (importer, exporter)."""
    return new_shares * new_expenditure[:, None] / (1 + tariff)


def tariff_revenue(new_shares, tariff, new_expenditure):
    """R_i = sum_j lambda'_ij t_ij/(1+t_ij) E'_i (``tariff_rev``)."""
    return (new_shares * tariff / (1 + tariff)).sum(axis=1) * new_expenditure


def income_tax_change(revenue, new_income, tax_relief):
    """(tau_i, tau^_i): tau = R/Y' and tau^ = 1/(1-tau) under tax relief; (0, 1) lump-sum."""
    tau = tax_relief * revenue / new_income
    return tau, 1 / (1 - tau)


def factor_income(new_flows, nu):
    """sum_k (1-nu_k) X'_ki + nu_i sum_j X'_ij: sales net of tariffs, share nu paid at destination."""
    return ((1 - nu)[:, None] * new_flows).sum(axis=0) + nu * new_flows.sum(axis=1)


def welfare_change(e_hat, w_hat, l_hat, p_hat, expenditure, income, tau, kappa):
    """W^_i = delta_i E^_i/P^_i + (1-delta_i) w^_i L^_i/P^_i, delta_i = E_i/(E_i - kappa(1-tau_i)Y_i/(1+kappa))."""
    delta = expenditure / (expenditure - kappa * (1 - tau) * income / (1 + kappa))
    return delta * e_hat / p_hat + (1 - delta) * w_hat * l_hat / p_hat


def counterfactual(z, p: Params):
    """Every counterfactual quantity at unknowns ``z = log(w^, E^, L^)`` (3N,), as a dict."""
    n = p.expenditure.shape[0]
    w_hat, e_hat, l_hat = jnp.exp(z[:n]), jnp.exp(z[n:2 * n]), jnp.exp(z[2 * n:])
    aux = unit_cost_demand(p.shares, p.tariff, p.cost_hat, w_hat, l_hat, p.phi, p.epsilon, p.psi)
    lam1 = trade_shares(aux)
    p_hat = price_index(aux, e_hat, w_hat, p.phi, p.epsilon)
    e1 = e_hat * p.expenditure
    y1 = w_hat * l_hat * p.income
    x1 = flows_net_of_tariffs(lam1, p.tariff, e1)
    rev = tariff_revenue(lam1, p.tariff, e1)
    tau, tau_hat = income_tax_change(rev, y1, p.tax_relief)
    return dict(w_hat=w_hat, e_hat=e_hat, l_hat=l_hat, p_hat=p_hat, shares=lam1, expenditure=e1, income=y1,
                flows=x1, revenue=rev, tau=tau, tau_hat=tau_hat)


def residual_reference(z, p: Params):
    """The 3N equilibrium conditions written with the functions above, term by term as coded.

    Blocks: income (numeraire last), expenditure, labour supply. Income and expenditure are
    divided by baseline expenditure so that each reads as a relative error; zero exactly where
    the code's ``ceq`` is zero. :func:`residual` is the same function with a cheaper Jacobian.
    """
    c = counterfactual(z, p)
    return _blocks(c["w_hat"], c["e_hat"], c["l_hat"], c["p_hat"], factor_income(c["flows"], p.nu),
                   c["revenue"], p)


def _blocks(w_hat, e_hat, l_hat, p_hat, sales, revenue, p: Params):
    n = p.expenditure.shape[0]
    e1, y1 = e_hat * p.expenditure, w_hat * l_hat * p.income
    _, tau_hat = income_tax_change(revenue, y1, p.tax_relief)
    income = (sales - y1) / p.expenditure
    numeraire = jnp.sum((p_hat - 1) * p.expenditure) / jnp.sum(p.expenditure)
    income = income.at[n - 1].set(numeraire)
    world = jnp.where(p.scaled_deficits > 0, y1.sum() / p.income.sum(), 1.0)
    spending = (revenue + y1 + p.deficit * world - e1) / p.expenditure
    labour = l_hat - (tau_hat * w_hat / p_hat) ** p.kappa
    return jnp.concatenate([income, spending, labour])


@jax.custom_jvp
def market_aggregates(a, u, base, tax_share, net_share):
    """The three (N,) sums of the (N, N) block, given log unit-cost terms ``a`` and ``u``.

    With ``lambda'_ij = base_ij e^(a_j) / S_i`` (``base = lambda (1+t)^(-eps phi)``,
    ``a_j = -eps (log w^_j - psi log L^_j)``):
    ``S_i = sum_j base_ij e^(a_j)`` (the price-index sum), ``Q_i = sum_j lambda'_ij t_ij/(1+t_ij)``
    (revenue per unit of spending) and ``G_i = sum_k u_k lambda'_ki/(1+t_ki)``,
    ``u_k = (1-nu_k) E'_k`` (the exporter's sales paid to its factors).

    Its JVP is written out (``d log S = lambda' da``, ``dQ = (lambda' o (t/(1+t) - Q)) da``,
    ``dG = G o da - M^T lambda' da + R^T du`` with ``R = lambda'/(1+t)``, ``M = u o R``), so that an
    exact Jacobian costs N^3 instead of 3N passes over N^2 arrays. ``base``, ``tax_share``
    and ``net_share`` are held constant by the rule (tangents ignored).
    """
    s, q, g, _ = _aggregates(a, u, base, tax_share, net_share)
    return s, q, g


def _aggregates(a, u, base, tax_share, net_share):
    aux = base * jnp.exp(a)[None, :]
    s = aux.sum(axis=1)
    lam1 = aux / s[:, None]
    q = (lam1 * tax_share).sum(axis=1)
    r = lam1 * net_share
    g = (u[:, None] * r).sum(axis=0)
    return s, q, g, (lam1, r)


@market_aggregates.defjvp
def _market_aggregates_jvp(primals, tangents):
    a, u, base, tax_share, net_share = primals
    da, du = tangents[0], tangents[1]
    s, q, g, (lam1, r) = _aggregates(a, u, base, tax_share, net_share)
    lda = lam1 @ da
    ds = s * lda
    dq = (lam1 * tax_share) @ da - q * lda
    dg = g * da - (u[:, None] * r).T @ lda + r.T @ du
    return (s, q, g), (ds, dq, dg)


def residual(z, p: Params):
    """The 3N equilibrium conditions (the same values as :func:`residual_reference`), through
    :func:`market_aggregates`: this is the function the solver differentiates."""
    n = p.expenditure.shape[0]
    w_hat, e_hat, l_hat = jnp.exp(z[:n]), jnp.exp(z[n:2 * n]), jnp.exp(z[2 * n:])
    base = p.shares * p.cost_hat ** (-p.epsilon) * (1 + p.tariff) ** (-p.epsilon * p.phi[:, None])
    a = -p.epsilon * (z[:n] - p.psi * z[2 * n:])
    e1 = e_hat * p.expenditure
    s, q, g = market_aggregates(a, (1 - p.nu) * e1, base, p.tariff / (1 + p.tariff), 1 / (1 + p.tariff))
    p_hat = (e_hat / w_hat) ** (1 - p.phi) * s ** (-1 / p.epsilon)
    revenue = e1 * q
    sales = g + p.nu * e1 * (1 - q)
    return _blocks(w_hat, e_hat, l_hat, p_hat, sales, revenue, p)


def expenditure_closure(new_income, revenue_share, deficit, world):
    """The expenditure condition solved for E': with R_i = Q_i E'_i,
    E'_i = (w^_i L^_i Y_i + T_i world) / (1 - Q_i) (``ERR2`` of the code, exactly)."""
    return (new_income + deficit * world) / (1 - revenue_share)


def _reduced(z2, p: Params):
    n = p.expenditure.shape[0]
    zw, zl = z2[:n], z2[n:]
    w_hat, l_hat = jnp.exp(zw), jnp.exp(zl)
    y1 = w_hat * l_hat * p.income
    world = jnp.where(p.scaled_deficits > 0, y1.sum() / p.income.sum(), 1.0)
    base = p.shares * p.cost_hat ** (-p.epsilon) * (1 + p.tariff) ** (-p.epsilon * p.phi[:, None])
    a = -p.epsilon * (zw - p.psi * zl)
    tax_share, net_share = p.tariff / (1 + p.tariff), 1 / (1 + p.tariff)
    s, q, _ = market_aggregates(a, jnp.zeros(n), base, tax_share, net_share)
    e1 = expenditure_closure(y1, q, p.deficit, world)
    _, _, g = market_aggregates(a, (1 - p.nu) * e1, base, tax_share, net_share)
    e_hat = e1 / p.expenditure
    p_hat = (e_hat / w_hat) ** (1 - p.phi) * s ** (-1 / p.epsilon)
    return w_hat, e_hat, l_hat, p_hat, g + p.nu * e1 * (1 - q), e1 * q


def residual_reduced(z2, p: Params):
    """The 2N conditions left once expenditure is substituted out (:func:`expenditure_closure`):
    income (numeraire last) and labour supply at ``z2 = log(w^, L^)``. The solver's system."""
    n = p.expenditure.shape[0]
    r = _blocks(*_reduced(z2, p), p)
    return jnp.concatenate([r[:n], r[2 * n:]])


def full_unknowns(z2, p: Params):
    """``log(w^, E^, L^)`` (3N) from the reduced unknowns ``log(w^, L^)``."""
    n = p.expenditure.shape[0]
    _, e_hat, _, _, _, _ = _reduced(z2, p)
    return jnp.concatenate([z2[:n], jnp.log(e_hat), z2[n:]])
