"""The global tariff war with input-output links: Caliendo-Parro (2015) in the engine.

Each economy ``n`` sets one uniform tariff ``r_n`` on every partner and every sector (as in
the tariff-war model of :mod:`tradesim.model.tariffwar`), to maximise its exact real income
``log I_n' - log P_hat_n`` (CP2015: ``I_n = w_n L_n + R_n + D_n``), every other tariff given.
A Nash equilibrium is a root of the N first-order conditions

    G_n(r) = d log W_n / d r_n = dO_n/dr_n - dO_n/dw (dF/dw)^-1 dF/dr_n = 0,

the total derivative through the solved equilibrium by the implicit function theorem on the
engine's own residual ``F(log w, r) = 0`` (labour markets, numeraire = world value added;
:func:`tradesim.model.solve.equilibrium_residual`), all partial derivatives by forward-mode
JAX (the engine's inner blocks are implicit themselves, so the derivatives are exact). One
evaluation of ``G`` costs one solve and two exact Jacobians (N and K tangents, K players).
The same machinery solves partner-specific games (:class:`Design`: who taxes whom), e.g. a
coalition against one target with the rest of the world passive.

Method: Broyden's method on ``G(r) = 0`` (:func:`solve_nash`), from a start (by default the
Nash tariffs of the model without input-output links), initial Jacobian diagonal from one
secant step, steps capped, tariffs kept in ``[0, upper]``. The certificate
(:func:`certify`) is separate from the method: at the returned point every ``|G_n|`` is below
the stated tolerance, and for a sample of economies a bounded one-dimensional search over the
own tariff, others fixed, finds the same maximiser.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np
from scipy.optimize import minimize_scalar

from tradesim.data.baseline import Baseline
from tradesim.errors import NonConvergenceError, ScenarioError
from tradesim.model import equations as eq
from tradesim.model.counterfactual import reference_world
from tradesim.model.pytree import pytree_dataclass
from tradesim.model.solve import (ModelInputs, Shock, SolverOptions, equilibrium_given_wages, equilibrium_residual,
                                  solve_equilibrium)
from tradesim.model.tariffwar.solve import exact_jacobian

OPTS = SolverOptions()


@pytree_dataclass
@dataclass(frozen=True)
class Design:
    """Who chooses which tariff. Player ``k`` is importer ``player[k]`` and sets one rate
    ``r_k`` on the partners of ``mask[k]`` (importer, exporter; every sector); every other
    tariff stays at ``base`` (N, N, J). The global war: every economy a player, taxing all
    others, ``base`` zero (:func:`global_design`)."""

    base: object      # (N, N, J)
    mask: object      # (K, N, N) 0/1
    player: object    # (K,) importer index of each player


def global_design(n: int, j: int) -> Design:
    """Every economy sets one uniform tariff on every partner and sector (own sales untaxed)."""
    eye = np.eye(n)
    mask = np.stack([np.outer(eye[k], 1 - eye[k]) for k in range(n)])
    return Design(jnp.zeros((n, n, j)), jnp.asarray(mask), jnp.arange(n))


def tariffs(design: Design, rate):
    """The tariff cube (importer, exporter, sector) of a design at rates ``rate`` (K)."""
    chosen = jnp.einsum("k,kij->ij", rate, design.mask)
    kept = 1.0 - design.mask.sum(axis=0)
    return design.base * kept[:, :, None] + chosen[:, :, None]


def _shock(inputs: ModelInputs, rate, design: Design):
    t = tariffs(design, rate)
    return Shock(t, jnp.ones_like(t), inputs.deficit)


def _log_real_income(log_w, rate, inputs: ModelInputs, design: Design):
    """``log I_n' - log P_hat_n`` (N) for given wages and tariffs (income in baseline units)."""
    shock = _shock(inputs, rate, design)
    s = equilibrium_given_wages(log_w, inputs, shock, OPTS)
    income = eq.income(s["wage_hat"], inputs.value_added, s["trade_share"], s["expenditure"], shock.tariff,
                       s["deficit"])
    return jnp.log(income) - eq.aggregate_price_index(s["log_price_hat"], inputs.final_demand_share)


_log_real_income_jit = jax.jit(_log_real_income)


@jax.jit
def _reference_objective(inputs: ModelInputs):
    """``log I_n - log P_hat_n`` (N) of the reference world itself (its own tariffs, ``w_hat = 1``)."""
    n = inputs.shape[0]
    shock = Shock(inputs.tariff, jnp.ones_like(inputs.tariff), inputs.deficit)
    s = equilibrium_given_wages(jnp.zeros(n), inputs, shock, OPTS)
    income = eq.income(s["wage_hat"], inputs.value_added, s["trade_share"], s["expenditure"], inputs.tariff,
                       s["deficit"])
    return jnp.log(income) - eq.aggregate_price_index(s["log_price_hat"], inputs.final_demand_share)


def _residual(log_w, rate, inputs, design):
    return equilibrium_residual(log_w, inputs, _shock(inputs, rate, design), OPTS)[0]


def _both_w(z, ctx):
    rate, inputs, design = ctx
    return jnp.concatenate([_residual(z, rate, inputs, design), _log_real_income(z, rate, inputs, design)[design.player]])


def _both_r(z, ctx):
    log_w, inputs, design = ctx
    return jnp.concatenate([_residual(log_w, z, inputs, design),
                            _log_real_income(log_w, z, inputs, design)[design.player]])


@jax.jit
def _gradient(log_w, rate, inputs, design):
    """Own-rate first-order conditions ``G_k`` (K), every economy's objective (N), and the
    solver's Jacobian ``F_w`` (N, N) at the solved ``log_w``."""
    n = log_w.shape[0]
    jw = exact_jacobian(_both_w, log_w, (rate, inputs, design))     # (N + K, N): [F_w; O_w]
    jr = exact_jacobian(_both_r, rate, (log_w, inputs, design))     # (N + K, K): [F_r; O_r]
    f_w, o_w, f_r, o_r = jw[:n], jw[n:], jr[:n], jr[n:]
    lam = jnp.linalg.solve(f_w.T, o_w.T).T                           # O_w F_w^-1 (K, N)
    g = jnp.diagonal(o_r) - jnp.sum(lam * f_r.T, axis=1)             # diag(O_r - O_w F_w^-1 F_r)
    return g, _log_real_income(log_w, rate, inputs, design), f_w


def _design_of(inputs: ModelInputs, design: Design | None) -> Design:
    n, j = inputs.shape
    return global_design(n, j) if design is None else design


def equilibrium_at(inputs: ModelInputs, rate, start=None, jacobian=None, design: Design | None = None):
    """The engine's equilibrium at the design's rates (default: the global war, ``rate`` (N))."""
    return solve_equilibrium(inputs, _shock(inputs, jnp.asarray(rate, float), _design_of(inputs, design)), OPTS,
                             start=start, jacobian=jacobian)


def log_real_income(inputs: ModelInputs, rate, log_w, design: Design | None = None) -> np.ndarray:
    """``log I_n' - log P_hat_n`` (N) at solved log wage changes ``log_w`` under the design's rates."""
    return np.asarray(_log_real_income_jit(jnp.asarray(log_w, float), jnp.asarray(rate, float), inputs,
                                           _design_of(inputs, design)))


def first_order_conditions(inputs: ModelInputs, rate, log_w, design: Design | None = None) -> np.ndarray:
    """``G_k = d log W_player(k) / d r_k`` (K), exact, at solved ``log_w`` under the design's rates."""
    return np.asarray(_gradient(jnp.asarray(log_w, float), jnp.asarray(rate, float), inputs,
                                _design_of(inputs, design))[0])


@dataclass(frozen=True)
class EngineWar:
    """The Nash war in the engine: tariffs (N), first-order conditions at them, the
    equilibrium there, the reference inputs, labels and the iteration record."""

    countries: tuple[str, ...]
    rate: np.ndarray             # (K) each player's rate
    foc: np.ndarray              # (K)
    real_income_pct: np.ndarray  # (N) every economy's
    equilibrium: object
    inputs: ModelInputs
    iterations: int
    closure: str
    elasticity_set: str
    design: Design | None = None
    players: tuple[str, ...] = ()  # labels of the players (default: the countries)


def war_inputs(baseline: Baseline, elasticity_set: str | None, closure: str) -> ModelInputs:
    """The reference world of the war (zero-deficit or fixed-deficit, CP2015 section 5)."""
    if elasticity_set:
        baseline = baseline.with_elasticities(elasticity_set)
    if closure not in ("zero_deficit", "fixed_deficit"):
        raise ScenarioError(f"closure: '{closure}' is not one of zero_deficit, fixed_deficit")
    return reference_world(baseline, closure)[0]


class _Evaluator:
    """``G`` at rates ``r``: solves the equilibrium (warm-started) and differentiates."""

    def __init__(self, inputs: ModelInputs, design: Design):
        self.inputs, self.design = inputs, design
        self.log_w = None
        self.jac = None          # the solver's exact Jacobian at the last point, a start for the next solve
        self.base = np.asarray(_reference_objective(inputs))
        self.evaluations = 0

    def solve(self, rate):
        sol = solve_equilibrium(self.inputs, _shock(self.inputs, jnp.asarray(rate, float), self.design), OPTS,
                                start=self.log_w, jacobian=self.jac)
        self.log_w = np.log(sol["wage_hat"])
        return sol

    def __call__(self, rate):
        sol = self.solve(rate)
        g, obj, self.jac = _gradient(jnp.asarray(self.log_w), jnp.asarray(rate, float), self.inputs, self.design)
        self.evaluations += 1
        return np.asarray(g), np.asarray(obj), sol

    def objective(self, k: int, rate_k: float, rate) -> float:
        """``log W`` of player ``k``'s economy when it sets ``rate_k``, the others ``rate``."""
        r = np.array(rate, float)
        r[k] = rate_k
        sol = solve_equilibrium(self.inputs, _shock(self.inputs, jnp.asarray(r), self.design), OPTS,
                                start=self.log_w, jacobian=self.jac)
        obj = _log_real_income_jit(jnp.log(jnp.asarray(sol["wage_hat"])), jnp.asarray(r), self.inputs, self.design)
        return float(obj[int(self.design.player[k])])


def solve_nash(inputs: ModelInputs, countries, start, *, tol: float = 1e-8, upper: float = 2.0,
               max_iter: int = 60, max_step: float = 0.05, progress=None, closure: str = "",
               elasticity_set: str = "", design: Design | None = None, players=None) -> EngineWar:
    """Broyden's method on the first-order conditions ``G(r) = 0`` from ``start`` (K rates;
    the global war by default, K = N).

    Stops when ``max |G_n| <= tol`` (``G`` in log real income per unit of tariff); raises
    :class:`NonConvergenceError` after ``max_iter`` evaluations. Tariffs stay in
    ``[0, upper]``; an economy at a bound with ``G`` pointing outwards counts as solved.
    """
    design = _design_of(inputs, design)
    ev = _Evaluator(inputs, design)
    r = np.clip(np.asarray(start, float), 0.0, upper)
    g, obj, sol = ev(r)

    def projected(r, g):
        return np.where(((r <= 0) & (g < 0)) | ((r >= upper) & (g > 0)), 0.0, g)

    # initial Jacobian: diagonal, from one secant step of a small common move up
    h = 0.01
    r1 = np.clip(r + h, 0.0, upper)
    g1, obj1, sol1 = ev(r1)
    d = (g1 - g) / np.where(r1 != r, r1 - r, 1.0)
    d = np.where(d < -1e-6, d, -1e-2)                    # concave objectives: d < 0
    jac = np.diag(d)
    r, g, obj, sol = r1, g1, obj1, sol1
    k = 2
    while np.max(np.abs(projected(r, g))) > tol:
        if k >= max_iter:
            raise NonConvergenceError(
                f"engine tariff war: largest first-order condition {np.max(np.abs(projected(r, g))):.2e} "
                f"> {tol:g} after {k} evaluations", residual=float(np.max(np.abs(g))), iterations=k)
        step = np.linalg.solve(jac, -g)
        biggest = np.max(np.abs(step))
        if biggest > max_step:
            step *= max_step / biggest
        r_new = np.clip(r + step, 0.0, upper)
        g_new, obj_new, sol_new = ev(r_new)
        s = r_new - r
        jac = jac + np.outer(g_new - g - jac @ s, s) / max(s @ s, 1e-300)
        r, g, obj, sol = r_new, g_new, obj_new, sol_new
        k += 1
        if progress:
            progress(k, float(np.max(np.abs(projected(r, g)))))
    return EngineWar(tuple(countries), r, g, 100 * np.expm1(obj - ev.base), sol, inputs, k, closure, elasticity_set,
                     design, tuple(players) if players is not None else tuple(countries))


@dataclass(frozen=True)
class Certificate:
    """What proves a Nash point: the largest first-order condition, the tolerance, and for a
    sample of economies the one-dimensional search's maximiser and the welfare there."""

    max_foc: float
    tol: float
    searches: dict[str, tuple[float, float, float]]   # country: (Nash tariff, search argmax, gain in log W)
    search_tol: float

    @property
    def holds(self) -> bool:
        return self.max_foc <= self.tol and all(abs(a - b) <= self.search_tol and gain <= 1e-10
                                                for a, b, gain in self.searches.values())


def certify(war: EngineWar, sample=("USA", "CHN", "JPN"), *, tol: float = 1e-8, search_tol: float = 1e-4,
            width: float = 0.1) -> Certificate:
    """Check ``war``: every ``|G_n| <= tol``, and for each economy in ``sample`` a bounded
    scalar search (Brent) of ``log W_n`` over its own tariff in ``[r_n - width, r_n + width]``
    (others fixed) lands within ``search_tol`` of ``r_n`` with no gain above 1e-10."""
    ev = _Evaluator(war.inputs, _design_of(war.inputs, war.design))
    g, _, _ = ev(war.rate)
    searches = {}
    for c in sample:
        if c not in war.players:
            raise ScenarioError(f"certificate: player '{c}' not in the war's players")
        n = war.players.index(c)
        at = ev.objective(n, war.rate[n], war.rate)
        lo, hi = max(0.0, war.rate[n] - width), war.rate[n] + width
        res = minimize_scalar(lambda x: -ev.objective(n, x, war.rate), bounds=(lo, hi), method="bounded",
                              options={"xatol": search_tol / 10})
        searches[c] = (float(war.rate[n]), float(res.x), float(-res.fun - at))
    return Certificate(float(np.max(np.abs(g))), tol, searches, search_tol)
