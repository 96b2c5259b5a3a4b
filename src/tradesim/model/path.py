r"""The equilibrium along the straight path from a reference world to a scenario,
and its exact derivatives with respect to each part of the shock.

The policy is scaled by :math:`t \in [0, 1]`: tariffs :math:`\tau(t) = \tau_0 + t(\tau_1 - \tau_0)`,
iceberg costs in logs, :math:`\ln\hat d(t) = t\ln\hat d_1` (deficits fixed). A shock split
into parts :math:`\delta_g` (one per group of measures, :math:`\sum_g \delta_g = p_1 - p_0`)
is the point :math:`s_g = t` of the policy :math:`p(s) = p_0 + \sum_g s_g\delta_g`, so any
outcome :math:`Y` satisfies

.. math::

    Y(1) - Y(0) = \int_0^1 \frac{dY}{dt}\,dt = \sum_g \int_0^1 \frac{\partial Y}{\partial s_g}\,dt ,

the subtotals of Harrison, Horridge and Pearson (2000). The integrals are taken by
Gauss-Legendre quadrature (:func:`gauss_legendre`) on equilibria solved at the nodes
(:func:`solve_path`, every node's convergence checked).

Derivatives (:func:`path_derivatives`) are exact, by the implicit function theorem on the
solver's own residual :math:`F(\ln w, p) = 0` (labour markets and numeraire,
:func:`tradesim.model.solve.equilibrium_residual`, here from the solved state,
:func:`tradesim.model.solver.blocks.labour_residual`;
the inner price and goods-market blocks
are themselves differentiated implicitly): :math:`F_w\,\partial\ln w/\partial s_g = -F_p\delta_g`
is solved matrix-free by GMRES on forward-mode products :math:`F_w v` (``jax.jvp``),
preconditioned by the reference world's exact Jacobian (updated from node to node), for every
part at once, from the previous nodes' solutions extrapolated (:func:`extrapolate`; the node
solves start from it too). Each product also returns the inner blocks' tangents (costs, prices,
spending), kept for every Krylov vector, so the solution's are the same combination; then one
explicit ``jax.jvp`` of the outcomes given the state (:func:`state_of`, :func:`outcomes_of_state`)
with tangent :math:`(\partial\ln w/\partial s_g, \text{inner tangents}, \delta_g)` gives every
outcome's derivative, with no further inner solve. The linear solve is checked (its relative residual must
fall below ``tol``), else :class:`~tradesim.errors.NonConvergenceError`.

Shapes: ``n`` nodes, ``G`` parts, ``N`` countries, ``J`` sectors; bilateral arrays are
(importer, exporter, sector).

Example
-------
>>> import numpy as np
>>> t, w = gauss_legendre(3)
>>> round(float(w.sum()), 12), round(float((w * t**5).sum()), 12)   # exact for degree <= 5
(1.0, 0.166666666667)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from tradesim.errors import NonConvergenceError
from tradesim.model import equations as eq
from tradesim.model.batch import BatchEquilibrium
from tradesim.model.solver.blocks import labour_residual
from tradesim.model.solve import (ModelInputs, Shock, SolverOptions, baseline_jacobian, equilibrium_given_wages,
                                  solve_equilibrium)

#: Gauss-Legendre nodes used unless a caller asks for another number.
DEFAULT_NODES = 12
#: Tangent residuals (labour-market conditions relative to value added, per unit of t) are
#: judged relative to their right-hand side, or to this floor when that is smaller: a shock
#: too small to move wages by more than ~1e-10 needs them to no more than absolute accuracy.
ABSOLUTE_FLOOR = 1e-3
#: Nodes (at most) the predictor of the next node's wages and tangents is fitted through.
PREDICTOR_ORDER = 3


def extrapolate(ts, values, t) -> np.ndarray:
    """The polynomial through ``values`` (k, ...) at the points ``ts`` (k,), evaluated at ``t``
    (Lagrange form; k = 1: the last value): the predictor that starts each node of the path
    from the nodes already solved."""
    ts, values = np.asarray(ts, float), np.asarray(values, float)
    out = np.zeros(values.shape[1:])
    for i, ti in enumerate(ts):
        others = np.delete(ts, i)
        out = out + values[i] * np.prod((t - others) / (ti - others))
    return out


def gauss_legendre(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes ``t`` (n,) and weights (n,) on [0, 1]; exact for polynomials
    of degree ``2 n - 1``."""
    if int(nodes) < 1:
        raise ValueError(f"nodes: need at least one quadrature node, got {nodes!r}")
    x, w = np.polynomial.legendre.leggauss(int(nodes))
    return (x + 1.0) / 2.0, w / 2.0


def path_policy(tariff0, tariff1, log_iceberg1, t):
    """Tariffs (N, N, J) and iceberg changes ``d_hat`` (N, N, J) at ``t`` on the straight path."""
    return tariff0 + t * (tariff1 - tariff0), jnp.exp(t * log_iceberg1)


def outcomes(log_w, inputs: ModelInputs, tariff, iceberg_hat, deficit, opts: SolverOptions, guess=None) -> dict:
    """Every outcome of the equilibrium for given log wages (N) and policy.

    Returns ``log_wage`` (N), ``log_cost`` / ``log_price`` (N, J) (changes from the
    reference world), ``flows`` ``M_ni^j`` (N, N, J) before tariffs, ``income`` ``I_n`` (N),
    ``log_price_index`` (N), ``log_real_income`` ``ln(I_n'/I_n) - ln P_hat_n`` (N),
    ``gross_output`` (N, J), ``tariff_revenue`` (N), ``deficit`` (N) and ``tariff`` (N, N, J),
    in the baseline's currency units (CP2015 section 3 definitions, :mod:`tradesim.model.equations`).
    ``guess``: log unit costs (N, J) near the answer, where the price block starts (not differentiated).
    """
    shock = Shock(tariff, iceberg_hat, deficit)
    return outcomes_of_state(log_w, equilibrium_given_wages(log_w, inputs, shock, opts, guess), inputs, tariff)


def state_of(log_w, inner, inputs: ModelInputs, tariff, log_iceberg) -> dict:
    """The state for given wages (as :func:`~tradesim.model.solve.equilibrium_given_wages`
    returns it) from its inner blocks' solution ``inner`` = (log unit costs (N, J), log price
    indices (N, J), expenditure (N, J), deficits (N)): trade shares follow in closed form
    (CP2015, trade shares in relative changes), so this is explicit, and its derivative needs
    no inner solve."""
    log_c, log_p, spend, deficit = inner
    weights = eq.cost_weights(eq.trade_cost_change(inputs.tariff, tariff, jnp.exp(log_iceberg)), inputs.trade_share,
                              inputs.trade_elasticity)
    return dict(wage_hat=jnp.exp(log_w), log_cost_hat=log_c, log_price_hat=log_p, expenditure=spend, deficit=deficit,
                trade_share=eq.trade_share_weighted(log_c, log_p, weights, inputs.trade_elasticity))


def outcomes_of_state(log_w, s: dict, inputs: ModelInputs, tariff) -> dict:
    """:func:`outcomes` from a state for given wages ``s`` (as
    :func:`~tradesim.model.solve.equilibrium_given_wages` returns it); explicit."""
    flows = eq.sales(s["trade_share"], s["expenditure"], tariff)
    income = eq.income(s["wage_hat"], inputs.value_added, s["trade_share"], s["expenditure"], tariff, s["deficit"])
    income0 = inputs.value_added + eq.tariff_revenue(inputs.trade_share, inputs.expenditure, inputs.tariff) \
        + inputs.deficit
    log_p = eq.aggregate_price_index(s["log_price_hat"], inputs.final_demand_share)
    return dict(log_wage=log_w, log_cost=s["log_cost_hat"], log_price=s["log_price_hat"], flows=flows,
                income=income, log_price_index=log_p, log_real_income=jnp.log(income / income0) - log_p,
                gross_output=flows.sum(axis=0), tariff_revenue=eq.tariff_revenue(s["trade_share"],
                                                                                  s["expenditure"], tariff),
                deficit=s["deficit"], tariff=tariff)


@dataclass(frozen=True)
class PathSolution:
    """Equilibria at the Gauss-Legendre nodes of the straight path.

    t, weights: (n,) nodes and weights on [0, 1]. log_wage: (n, N) solved log wage changes.
    tariff0, tariff1, log_iceberg1: (N, N, J) the path's ends (tariffs; log ``d_hat`` at t=1).
    deficit: (N) the deficits held along the path. batch: the solved nodes
    (:class:`~tradesim.model.batch.BatchEquilibrium`, names ``t=...``).
    """

    t: np.ndarray
    weights: np.ndarray
    log_wage: np.ndarray
    tariff0: np.ndarray
    tariff1: np.ndarray
    log_iceberg1: np.ndarray
    deficit: np.ndarray
    batch: BatchEquilibrium

    @property
    def nodes(self) -> int:
        return len(self.t)

    def integrate(self, per_node: np.ndarray) -> np.ndarray:
        """Gauss-Legendre integral over the path of an array with the node axis first."""
        return np.tensordot(self.weights, np.asarray(per_node), axes=(0, 0))


def solve_path(inputs: ModelInputs, tariff1, iceberg_hat1, deficit=None, *, nodes: int = DEFAULT_NODES,
               options: SolverOptions | None = None, jacobian=None) -> PathSolution:
    """Solve the equilibrium at ``nodes`` Gauss-Legendre nodes of the path from ``inputs``
    (t = 0: its own tariffs, no iceberg change) to ``tariff1`` (N, N, J) and ``iceberg_hat1``
    (N, N, J). ``deficit`` (N): the deficits held fixed (default the reference world's).

    Nodes are solved in order, each from the previous one's wages; raises
    :class:`~tradesim.errors.NonConvergenceError` naming any node that did not converge.
    """
    opts = options or SolverOptions()
    t, w = gauss_legendre(nodes)
    tariff0 = np.asarray(inputs.tariff, float)
    tariff1 = np.asarray(tariff1, float)
    log_ice = np.log(np.asarray(iceberg_hat1, float))
    deficit = np.asarray(inputs.deficit if deficit is None else deficit, float)
    # One node after another, each from the previous node's wages: the single solver's program is
    # compiled once for any number of nodes (a batch compiles one program per batch size).
    jacobian = baseline_jacobian(inputs, opts) if jacobian is None else jacobian
    solved, done = [], []
    for k, tk in enumerate(t):
        shock = Shock(jnp.asarray(tariff0 + tk * (tariff1 - tariff0)), jnp.asarray(np.exp(tk * log_ice)),
                      jnp.asarray(deficit))
        # start from the polynomial through the last solved nodes (the path is smooth): Broyden then
        # needs a few steps where the previous node's wages alone need about twice as many
        start = extrapolate(t[max(0, k - PREDICTOR_ORDER):k], done[-PREDICTOR_ORDER:], tk) if k else None
        e = solve_equilibrium(inputs, shock, opts, throw=False, start=start, jacobian=jacobian)
        if not e.converged:
            raise NonConvergenceError(f"path: the equilibrium at node t={tk:.4f} did not converge "
                                      f"(largest residual {e.max_residual:.3g}, tolerance {opts.check_tol:g})",
                                      residual=e.max_residual, iterations=e.iterations)
        solved.append(e)
        done.append(np.log(e["wage_hat"]))
    batch = BatchEquilibrium(tuple(f"t={tk:.6f}" for tk in t),
                             {k: np.stack([e[k] for e in solved]) for k in solved[0].values},
                             {k: np.array([e.residuals[k] for e in solved]) for k in solved[0].residuals},
                             np.array([e.iterations for e in solved]), np.ones(len(t), bool),
                             np.zeros(len(t), bool), opts)
    return PathSolution(t, w, np.log(batch.values["wage_hat"]), tariff0, tariff1, log_ice, deficit, batch)


def _gmres(apply, rhs, precondition, tol, maxiter: int, scale=None, aux=None):
    """GMRES (left-preconditioned, modified Gram-Schmidt Arnoldi) for one small system
    ``apply(x) = rhs`` (N,), at most ``maxiter`` Krylov steps, stopping when the
    preconditioned residual falls below ``tol`` times ``scale`` (default its start; a
    correction to a good first guess is judged against the size of the whole solution's
    right-hand side), or ``tol * ABSOLUTE_FLOOR``; a plain ``while_loop``
    (no ``custom_linear_solve``), so it runs inside ``jax.linearize``d code.

    ``apply(v)`` returns ``F v`` and a pytree of by-products linear in ``v`` (shaped as ``aux``),
    kept for every Krylov vector, so that the by-product of the correction comes without another
    application: the same combination of the kept ones.

    Returns the solution (N,), the Krylov vectors tried (m, N) and their images under
    ``apply`` (m, N), of which the first ``k`` (the steps taken) are valid, ``k``, and the
    solution's image and by-product (the kept ones combined as the solution is)."""
    n = rhs.shape[0]
    m = min(maxiter, n)
    b = precondition(rhs)
    beta = jnp.linalg.norm(b)
    basis = jnp.zeros((m + 1, n)).at[0].set(b / jnp.where(beta > 0, beta, 1.0))
    hess = jnp.zeros((m + 1, m))
    images = jnp.zeros((m, n))
    kept = jax.tree_util.tree_map(lambda a: jnp.zeros((m,) + jnp.shape(a)), aux)
    e1 = jnp.zeros(m + 1).at[0].set(beta)
    target = tol * jnp.maximum(beta if scale is None else scale, ABSOLUTE_FLOOR)

    def lstsq(h):
        return jnp.linalg.lstsq(h, e1)[0]

    def cond(state):
        k, _, _, _, _, rel = state
        return (k < m) & (rel * beta > target)

    def body(state):
        k, basis, hess, images, kept, _ = state
        raw, by = apply(basis[k])
        images = images.at[k].set(raw)
        kept = jax.tree_util.tree_map(lambda buf, a: buf.at[k].set(a), kept, by)
        w = precondition(raw)
        coef = basis @ w * (jnp.arange(m + 1) <= k)
        w = w - coef @ basis
        again = basis @ w * (jnp.arange(m + 1) <= k)     # second pass: Gram-Schmidt loses orthogonality
        w = w - again @ basis
        norm = jnp.linalg.norm(w)
        hess = hess.at[:, k].set(coef + again).at[k + 1, k].set(norm)
        basis = basis.at[k + 1].set(w / jnp.where(norm > 0, norm, 1.0))
        mask = jnp.arange(m) <= k
        y = lstsq(hess * mask[None, :])
        rel = jnp.linalg.norm(hess @ y - e1) / jnp.where(beta > 0, beta, 1.0)
        return k + 1, basis, hess, images, kept, rel

    k, basis, hess, images, kept, _ = jax.lax.while_loop(
        cond, body, (0, basis, hess, images, kept, jnp.where(beta > 0, 1.0, 0.0)))
    y = lstsq(hess * (jnp.arange(m) < k)[None, :])      # zero beyond the k steps taken
    return (y @ basis[:m], basis[:m], images, k,
            (y @ images, jax.tree_util.tree_map(lambda buf: jnp.tensordot(y, buf, 1), kept)))


@partial(jax.jit, static_argnames=("opts", "tol", "maxiter"))
def _node_derivatives(log_w, t, log_cost, dtariff, dlog_ice, guess, pre, pre_inv, inputs, tariff0, tariff1, log_ice1,
                      deficit, opts, tol, maxiter):
    """Outcomes at one node and their derivatives along each part (G, ...), with the
    tangent systems' relative residuals (G,).

    The residual and the inner blocks' solution (costs, prices, spending, deficits) are linearised
    once (``jax.linearize``), then for every part ``F_w dlnw = -F_p delta_g`` is solved by GMRES
    preconditioned by ``pre_inv`` (the inverse of ``pre``, a nearby Jacobian), from ``guess`` (G, N) (the
    previous nodes' tangents extrapolated): GMRES solves for the correction only. Each product
    also gives the inner blocks' tangents, kept for every Krylov vector, so the solution's come
    as the same combination, and every outcome's derivative is one explicit ``jax.jvp``
    (:func:`state_of`, :func:`outcomes_of_state`): one tangent product (inner solves) fewer per part."""
    tar, ice = path_policy(tariff0, tariff1, log_ice1, t)
    point = (log_w, tar, jnp.log(ice))

    def inner_of(s):
        return s["log_cost_hat"], s["log_price_hat"], s["expenditure"], s["deficit"]

    def both(z, a, b):        # one linearisation: the residual and the inner blocks' solution
        shock = Shock(a, jnp.exp(b), deficit)  # the numeraire as the solves along the path: opts decide (numeraire_of)
        s = equilibrium_given_wages(z, inputs, shock, opts, log_cost)
        return labour_residual(z, s, inputs, shock, opts), inner_of(s)

    (_, inner), lin = jax.linearize(both, *point)

    def explicit(z, inn, a, b):
        return outcomes_of_state(z, state_of(z, inn, inputs, a, b), inputs, a)

    values = explicit(log_w, inner, *point[1:])
    still = (jnp.zeros_like(tar), jnp.zeros_like(tar))

    def part(dt, dl, x0):
        r0, inner0 = lin(x0, dt, dl)     # F_w x0 + F_p delta: the guess's residual; the inner tangents
        rhs_norm = jnp.linalg.norm(r0 - pre @ x0)                  # |F_p delta|, F_w x0 taken as pre x0
        apply = lambda v: lin(v, *still)  # noqa: E731
        dx, tried, images, steps, (f_dx, inner_dx) = _gmres(apply, -r0, lambda v: pre_inv @ v, tol, maxiter,
                                                            scale=jnp.linalg.norm(pre_inv @ (pre @ x0 - r0)),
                                                            aux=inner0)
        dw = x0 + dx
        resid = r0 + f_dx                # F_w dw + F_p delta (the products' own sum): zero up to the solve's accuracy
        d_inner = jax.tree_util.tree_map(jnp.add, inner0, inner_dx)
        out = jax.jvp(explicit, (log_w, inner, *point[1:]), (dw, d_inner, dt, dl))[1]
        # relative to the right-hand side, but never below the noise of the inner tangent solves
        rel = jnp.linalg.norm(resid) / jnp.maximum(rhs_norm, ABSOLUTE_FLOOR)
        return out, rel, (tried, images, steps)

    derivs, rel, krylov = jax.vmap(part)(dtariff, dlog_ice, guess)
    return values, derivs, rel, krylov


def secant_update(jac, tried, images, steps) -> np.ndarray:
    """``jac`` (N, N) made exact on the Krylov vectors GMRES tried at a node: ``tried`` and
    ``images`` (L, m, N) with ``images = F_w tried`` for the first ``steps`` (L,) of each lane.
    The result, ``J + (F_w - J) Q Q^T`` on an orthonormal basis Q of their span (a
    multi-secant update), preconditions the next node, where ``F_w`` has moved only a little."""
    valid = np.arange(tried.shape[1])[None, :] < np.asarray(steps)[:, None]
    v, w = tried[valid], images[valid]                       # (K, N) rows: F_w v_i = w_i
    if len(v) == 0:
        return jac
    u, sv, zt = np.linalg.svd(v.T, full_matrices=False)      # v^T = U S Z^T
    keep = sv > 1e-8 * sv[0]
    q = u[:, keep]                                           # (N, r) orthonormal
    fq = w.T @ zt[keep].T / sv[keep]                         # F_w Q
    return jac + (fq - jac @ q) @ q.T


@dataclass(frozen=True)
class PathDerivatives:
    """Outcomes at each node and their derivatives with respect to each part of the shock.

    values: :func:`outcomes` at each node, arrays (n, ...). derivatives: the same keys,
    (n, G, ...): ``dY/ds_g`` at each node. linear_residual: (n, G) relative residual of
    ``F_w dlnw = -F_p delta_g`` after the solve. krylov_steps: (n, G) GMRES steps taken.
    """

    values: dict[str, np.ndarray]
    derivatives: dict[str, np.ndarray]
    linear_residual: np.ndarray
    krylov_steps: np.ndarray


def path_derivatives(inputs: ModelInputs, path: PathSolution, part_tariff, part_log_iceberg, *,
                     options: SolverOptions | None = None, jacobian=None, tol: float = 1e-9,
                     maxiter: int = 40, chunk: int = 4) -> PathDerivatives:
    """Exact derivatives of every outcome at every node of ``path`` with respect to each
    part of the shock: ``part_tariff`` (G, N, N, J) tariff changes and ``part_log_iceberg``
    (G, N, N, J) log iceberg changes, whose sums over G are the path's whole change
    (not checked here: any directions may be asked for).

    Parts are handled ``chunk`` at a time (zero-padded), node by node, so one compiled
    program serves any number of parts and nodes. ``jacobian``: the first preconditioner (N, N),
    default the exact Jacobian at the reference world (:func:`~tradesim.model.solve.baseline_jacobian`);
    from node to node it is updated on the Krylov vectors tried (:func:`secant_update`), and each node's
    tangents start from the polynomial through the previous nodes' (:func:`extrapolate`). Raises
    :class:`~tradesim.errors.NonConvergenceError` if a tangent system is not solved to ``tol``.
    """
    # The tangent solves need the inner blocks to the accuracy the derivatives are wanted to,
    # not to machine precision (each tangent costs an inner fixed point and a Krylov solve).
    opts = replace(options or SolverOptions(), inner_tol=max((options or SolverOptions()).inner_tol, 1e-12))
    pre = np.asarray(baseline_jacobian(inputs, opts) if jacobian is None else jacobian, float)
    dtar, dli = np.asarray(part_tariff, float), np.asarray(part_log_iceberg, float)
    g = len(dtar)
    width = 1 if g == 1 else chunk          # one compiled program per chunk width, whatever G or n
    pad = -g % width
    if pad:
        dtar = np.concatenate([dtar, np.zeros((pad,) + dtar.shape[1:])])
        dli = np.concatenate([dli, np.zeros((pad,) + dli.shape[1:])])
    ends = (inputs, jnp.asarray(path.tariff0), jnp.asarray(path.tariff1), jnp.asarray(path.log_iceberg1),
            jnp.asarray(path.deficit))
    values, derivs, linear, steps = [], [], [], []
    log_cost = jnp.log(jnp.asarray(path.batch.values["cost_hat"]))   # the solved nodes' costs: warm starts
    tangents = []                         # d ln w / d s_g (G + pad, N) at the nodes done
    for k in range(path.nodes):           # in order of t: each node's preconditioner learns from the last
        guess = extrapolate(path.t[max(0, k - PREDICTOR_ORDER):k], tangents[-PREDICTOR_ORDER:], path.t[k]) if k \
            else np.zeros((len(dtar), path.log_wage.shape[1]))
        per_chunk = []
        for c in range(0, len(dtar), width):
            # each chunk's Krylov vectors make the preconditioner exact on their span at this node before the
            # next chunk (same matrix F_w, other right-hand side) and the next node (nearby F_w) start
            out = _node_derivatives(jnp.asarray(path.log_wage[k]), float(path.t[k]), log_cost[k],
                                    jnp.asarray(dtar[c:c + width]), jnp.asarray(dli[c:c + width]),
                                    jnp.asarray(guess[c:c + width]), jnp.asarray(pre),
                                    jnp.asarray(np.linalg.inv(pre)), *ends, opts, float(tol), int(maxiter))
            per_chunk.append(out)
            pre = secant_update(pre, *(np.asarray(x) for x in out[3]))
        tangents.append(np.concatenate([np.asarray(c[1]["log_wage"]) for c in per_chunk]))
        values.append({key: np.asarray(v) for key, v in per_chunk[0][0].items()})
        derivs.append({key: np.concatenate([np.asarray(c[1][key]) for c in per_chunk])[:g] for key in values[-1]})
        linear.append(np.concatenate([np.asarray(c[2]) for c in per_chunk])[:g])
        steps.append(np.concatenate([np.asarray(c[3][2]) for c in per_chunk])[:g])
    linear = np.stack(linear)
    if not np.all(linear <= tol * 100):
        k = np.unravel_index(np.argmax(linear), linear.shape)
        raise NonConvergenceError(f"path derivatives: tangent system at node t={path.t[k[0]]:.4f}, part {k[1]} "
                                  f"not solved (relative residual {linear[k]:.3g}, tolerance {tol:g})",
                                  residual=float(linear[k]), iterations=maxiter)
    return PathDerivatives({key: np.stack([v[key] for v in values]) for key in values[0]},
                           {key: np.stack([d[key] for d in derivs]) for key in derivs[0]}, linear, np.stack(steps))
