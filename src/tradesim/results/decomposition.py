r"""Welfare decomposition that adds up: terms of trade, volume of trade and technical
efficiency, by partner and by sector, integrated along the path of the shock.

The differential decomposition of Caliendo and Parro (2015, section 4) holds exactly at
every equilibrium of the model. With imports ``M_ni^j`` (before tariffs), exports
``E_ni^j = M_in^j``, income ``I_n = w_nL_n + R_n + D_n`` and Cobb-Douglas final demand,
goods-market and labour-market clearing give

.. math::

    d\ln W_n = \frac{1}{I_n}\Big[\underbrace{\sum_{i,j}(E_{ni}^j\,d\ln c_n^j - M_{ni}^j\,d\ln c_i^j)}_{\text{terms of trade}}
             + \underbrace{\sum_{i,j}\tau_{ni}^j(dM_{ni}^j - M_{ni}^j\,d\ln c_i^j)}_{\text{volume of trade}}
             - \underbrace{\sum_{i,j}(1+\tau_{ni}^j)M_{ni}^j\,d\ln d_{ni}^j}_{\text{technical efficiency}}
             + \underbrace{dD_n}_{\text{deficits}}\Big]

(derivation: :math:`I_n d\ln W_n = dI_n - \sum_j\alpha_n^jI_n d\ln P_n^j`, with
:math:`\alpha_n^jI_n = X_n^j - \sum_k\gamma_n^{j,k}Y_n^k`, :math:`d\ln P_n^j = \sum_i\pi_{ni}^j(d\ln c_i^j + d\ln\kappa_{ni}^j)`
and :math:`\sum_k\gamma_n^kY_n^k = w_nL_n`; domestic terms cancel). The last part is the
closure's: deficits are fixed in units of world value added, which is the numeraire, so it
is zero unless the numeraire is one country's wage; it is reported by name, never left as a
remainder.

Each part is evaluated at the equilibrium of every Gauss-Legendre node of the straight path
(:mod:`tradesim.model.path`), with the model's exact derivatives, and integrated. The parts
add up **in log points** to :math:`\int_0^1 d\ln W_n = \ln(W_n'/W_n)` to the quadrature's
accuracy; they are turned into **percent** by one factor per country,
``100 (exp(S_n) - 1) / S_n`` with ``S_n`` the integrated sum, so they stay additive and sum to
``100 (exp(S_n) - 1)``, which differs from the exact welfare change (``welfare_pct``, solved at
the end point) only by the quadrature error, reported as ``quadrature_error_pct``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from tradesim.errors import OptionError
from tradesim.model.counterfactual import reference_world
from tradesim.model.path import DEFAULT_NODES, PathDerivatives, PathSolution, path_derivatives, solve_path

By = Literal["partner", "sector"]
PARTS = ("tot", "vot", "tech")


def path_of(result, nodes: int = DEFAULT_NODES) -> tuple[object, PathSolution, np.ndarray]:
    """The reference world (``ModelInputs``), the solved straight path of ``result``'s shock at
    ``nodes`` Gauss-Legendre nodes, and the Jacobian used as the tangent preconditioner."""
    cf = result.solution
    inputs = cf.before
    jac = reference_world(result.baseline, cf.closure)[2]
    path = solve_path(inputs, cf.equilibrium["tariff"], cf.iceberg_hat, np.asarray(inputs.deficit), nodes=nodes,
                      options=cf.equilibrium.options, jacobian=jac)
    return inputs, path, jac


def welfare_parts(values: dict, derivative: dict, log_iceberg_direction) -> dict[str, np.ndarray]:
    """The differential decomposition at one or more nodes (leading axes kept).

    ``values``: :func:`tradesim.model.path.outcomes` at the nodes, e.g. flows (..., N, N, J);
    ``derivative``: the same outcomes' derivatives along the path (same shapes);
    ``log_iceberg_direction``: ``d ln d_hat`` along the path (..., N, N, J).
    Returns ``tot``, ``vot``, ``tech`` (..., country, partner, sector) and ``deficit`` (..., N),
    each ``d ln W_n`` per unit of path (log points), so that their sum is ``d ln W_n``.
    """
    flows, tariff, income = values["flows"], values["tariff"], values["income"]
    dc, dflows = derivative["log_cost"], derivative["flows"]
    inc = income[..., :, None, None]
    exports = np.swapaxes(flows, -3, -2) * dc[..., :, None, :]          # E_{n,p}^j d ln c_n^j
    imports = flows * dc[..., None, :, :]                               # M_{n,p}^j d ln c_p^j
    tot = (exports - imports) / inc
    vot = tariff * (dflows - imports) / inc
    tech = -(1.0 + tariff) * flows * np.asarray(log_iceberg_direction) / inc
    return dict(tot=tot, vot=vot, tech=tech, deficit=derivative["deficit"] / income)


def integrate_parts(path: PathSolution, derivs: PathDerivatives, part: int = 0,
                    log_iceberg_direction=None) -> dict[str, np.ndarray]:
    """Integrated decomposition (log points) of the derivative along ``derivs``' part ``part``:
    ``tot``/``vot``/``tech`` (country, partner, sector), ``deficit`` (N), ``log_welfare`` (N)
    (the integral of the model's own ``d ln W``, which the parts sum to at every node)."""
    vals = derivs.values
    d = {k: v[:, part] for k, v in derivs.derivatives.items()}
    direction = path.log_iceberg1 if log_iceberg_direction is None else log_iceberg_direction
    per_node = welfare_parts(vals, d, np.asarray(direction)[None])
    out = {k: path.integrate(v) for k, v in per_node.items()}
    out["log_welfare"] = path.integrate(d["log_real_income"])
    return out


def percent_factor(log_total) -> np.ndarray:
    """``100 (exp(x) - 1) / x`` (100 at x = 0): turns additive log-point parts whose sum is x
    into additive percent parts whose sum is ``100 (exp(x) - 1)``."""
    x = np.asarray(log_total, float)
    small = np.abs(x) < 1e-12
    return np.where(small, 100.0 * (1 + x / 2), 100.0 * np.expm1(x) / np.where(small, 1.0, x))


def decomposition(result, by: By | None = None, nodes: int = DEFAULT_NODES) -> pd.DataFrame:
    """The path-integrated welfare decomposition of ``result`` (a :class:`~tradesim.results.result.Result`).

    ``by=None``: one row per country with ``tot_pct``, ``vot_pct``, ``tech_pct``,
    ``deficit_pct`` (the closure's part), their sum ``parts_sum_pct``, the exact
    ``welfare_pct`` (real income, solved at the end point) and ``quadrature_error_pct``
    (``parts_sum_pct - welfare_pct``). ``by="partner"`` or ``"sector"``: tidy rows
    ``(country, partner|sector)`` with ``tot_pct``, ``vot_pct``, ``tech_pct`` that sum over
    partners (sectors) to the country's parts. Percent, additive (see the module docstring).
    """
    if by not in (None, "partner", "sector"):
        raise OptionError(f"by {by!r} is not one of None, partner, sector")
    inputs, path, jac = path_of(result, nodes)
    dtar = (path.tariff1 - path.tariff0)[None]
    derivs = path_derivatives(inputs, path, dtar, path.log_iceberg1[None], options=result.solution.equilibrium.options,
                              jacobian=jac)
    parts = integrate_parts(path, derivs)
    summed = {k: parts[k].sum(axis=(1, 2)) for k in PARTS}
    log_sum = sum(summed.values()) + parts["deficit"]
    factor = percent_factor(log_sum)
    exact = _exact_welfare_pct(result)
    countries = result.countries
    if by is None:
        df = pd.DataFrame({f"{k}_pct": summed[k] * factor for k in PARTS}, index=pd.Index(countries, name="country"))
        df["deficit_pct"] = parts["deficit"] * factor
        df["parts_sum_pct"] = df[[f"{k}_pct" for k in PARTS] + ["deficit_pct"]].sum(axis=1)
        df["welfare_pct"] = exact
        df["quadrature_error_pct"] = df["parts_sum_pct"] - df["welfare_pct"]
        df.attrs.update(nodes=path.nodes, units="percent (additive; log-point parts scaled by 100 (e^S - 1) / S)",
                        max_quadrature_error_pct=float(np.max(np.abs(df["quadrature_error_pct"]))))
        return df
    axis = 2 if by == "partner" else 1
    labels = countries if by == "partner" else result.sectors
    rows = {f"{k}_pct": (parts[k].sum(axis=axis) * factor[:, None]).ravel() for k in PARTS}
    idx = pd.MultiIndex.from_product([countries, labels], names=["country", by])
    df = pd.DataFrame(rows, index=idx).reset_index()
    df.attrs.update(nodes=path.nodes)
    return df


def _exact_welfare_pct(result) -> np.ndarray:
    """The exact change in real income ``100 (I'/I / P_hat - 1)`` of ``result`` (N)."""
    before, v = result.solution.before, result.solution.equilibrium.values
    t0 = np.asarray(before.tariff)
    flows0 = np.asarray(before.trade_share) * np.asarray(before.expenditure)[:, None, :] / (1 + t0)
    income0 = np.asarray(before.value_added) + (t0 * flows0).sum(axis=(1, 2)) + np.asarray(before.deficit)
    return (v["income"] / income0 / v["price_index_hat"] - 1) * 100
