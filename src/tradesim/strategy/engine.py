"""Best-response tariffs and a two-player tariff war in the engine's model
(Caliendo-Parro 2015 with input-output links, fixed deficits).

Player n chooses one ad valorem tariff per tradable sector on all its partners
(MFN), others' tariffs fixed, to maximise its real income ``I_n' / (I_n P_n_hat)``
(CP2015 eq. for income: ``I_n = w_n L_n + R_n + D_n``). The gradient goes through the
solved equilibrium by the implicit function theorem on the engine's own Newton
residual ``F(log w, t) = 0`` (labour markets, numeraire = world value added):

    dO/dt = dO/dt|_w - dO/dw (dF/dw)^-1 dF/dt,

all partial derivatives by forward-mode JAX (the engine's inner price and
goods-market blocks are themselves implicit, ``custom_root`` and
``custom_linear_solve``). Optimiser: scipy L-BFGS-B, bounds ``[0, upper]``; start at
the current tariffs (simple mean over partners).

Meant for small aggregated baselines (:func:`tradesim.data.aggregate`): each
objective evaluation is one full solve.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np
from scipy.optimize import minimize

from tradesim.data.baseline import Baseline
from tradesim.errors import NonConvergenceError, ScenarioError
from tradesim.model import equations as eq
from tradesim.model.inputs import inputs_from_dataset
from tradesim.model.solve import (Shock, SolverOptions, equilibrium_given_wages, equilibrium_residual,
                                  solve_equilibrium)


def small_world(name: str = "icio2022", keep=("USA", "CHN", "JPN")) -> Baseline:
    """A shipped baseline aggregated for games: the ``keep`` economies, EU27 (if
    present), ROW; sectors PRIM (agriculture, mining), TECH (C26-C28 electronics,
    electrical, machinery), MANU (other manufacturing), SERV."""
    from importlib import resources

    from tradesim.data.aggregate import aggregate, read_mapping
    from tradesim.data.registry import load_baseline

    b = load_baseline(name)
    eu = read_mapping(str(resources.files("tradesim.data") / "builtin" / "eu27.csv"))
    cmap = {c: (c if c in keep else eu.get(c, "ROW")) for c in map(str, b.ds.country.values)}
    smap = {s: ("PRIM" if s[0] in "AB" else "SERV" if s == "SERV" else "TECH" if s in ("C26", "C27", "C28")
                else "MANU") for s in map(str, b.ds.sector.values)}
    return Baseline(aggregate(b.ds, cmap, smap), f"{name}_small")


@dataclass(frozen=True)
class EngineGame:
    """A baseline's model arrays and labels for tariff games (fixed-deficit closure)."""

    inputs: object
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    tradable: np.ndarray   # (J,) bool: sectors whose tariffs are choice variables

    @classmethod
    def from_baseline(cls, baseline: Baseline) -> "EngineGame":
        ds = baseline.ds
        sectors = tuple(str(s) for s in ds["sector"].values)
        tradable = (np.asarray(ds["tradable"].values, bool) if "tradable" in ds
                    else np.array([s != "SERV" for s in sectors]))
        return cls(inputs_from_dataset(ds), tuple(str(c) for c in ds["country"].values), sectors, tradable)

    def index(self, country: str) -> int:
        if country not in self.countries:
            raise ScenarioError(f"country '{country}' not in {list(self.countries)}")
        return self.countries.index(country)


def _partners(nn: int, n: int, on: int | None) -> np.ndarray:
    mask = np.zeros(nn, bool)
    if on is None:
        mask[:] = True
        mask[n] = False
    else:
        mask[on] = True
    return mask


def _set_row(tariff, x, n: int, tradable, partners):
    """Country n's tariffs on ``partners`` := x (per tradable sector); the rest kept."""
    nn, _, j = tariff.shape
    full = jnp.zeros(j).at[jnp.asarray(np.where(tradable)[0])].set(x)
    row = jnp.broadcast_to(full, (nn, j))
    mask = jnp.asarray(partners)[:, None] & jnp.asarray(tradable)[None, :]
    return tariff.at[n].set(jnp.where(mask, row, tariff[n]))


def _real_income_log(log_w, inputs, tariff, n: int, opts):
    shock = Shock(tariff, jnp.ones_like(tariff), inputs.deficit)
    s = equilibrium_given_wages(log_w, inputs, shock, opts)
    income = eq.income(s["wage_hat"], inputs.value_added, s["trade_share"], s["expenditure"], tariff, s["deficit"])
    log_p = eq.aggregate_price_index(s["log_price_hat"], inputs.final_demand_share)
    return jnp.log(income[n]) - log_p[n]


@partial(jax.jit, static_argnames=("n", "opts"))
def _total_gradient(log_w, x, base_tariff, tradable_idx, partners, inputs, n: int, opts):
    def tariff_of(x):
        nn, _, j = base_tariff.shape
        full = jnp.zeros(j).at[tradable_idx].set(x)
        row = jnp.broadcast_to(full, (nn, j))
        mask = partners[:, None] & jnp.zeros(j, bool).at[tradable_idx].set(True)[None, :]
        return base_tariff.at[n].set(jnp.where(mask, row, base_tariff[n]))

    def resid(lw, x):
        t = tariff_of(x)
        return equilibrium_residual(lw, inputs, Shock(t, jnp.ones_like(t), inputs.deficit), opts)[0]

    def obj(lw, x):
        return _real_income_log(lw, inputs, tariff_of(x), n, opts)

    f_w = jax.jacfwd(resid, 0)(log_w, x)
    f_x = jax.jacfwd(resid, 1)(log_w, x)
    o_w = jax.jacfwd(obj, 0)(log_w, x)
    o_x = jax.jacfwd(obj, 1)(log_w, x)
    dw_dx = -jnp.linalg.solve(f_w, f_x)
    return obj(log_w, x), o_x + o_w @ dw_dx


def real_income_and_gradient(game: EngineGame, tariff, country: str, x=None, opts: SolverOptions | None = None,
                             on: str | None = None):
    """(log real income of ``country``, its gradient in the country's tariffs ``x`` per
    tradable sector on every partner -- or only on partner ``on``) with the rest at
    ``tariff``."""
    opts = opts or SolverOptions()
    n = game.index(country)
    partners = _partners(len(game.countries), n, None if on is None else game.index(on))
    idx = np.where(game.tradable)[0]
    base = jnp.asarray(tariff, float)
    if x is None:
        x = np.asarray(tariff)[n][partners].mean(axis=0)[idx]
    t = _set_row(base, jnp.asarray(x, float), n, game.tradable, partners)
    sol = solve_equilibrium(game.inputs, Shock(t, jnp.ones_like(t), game.inputs.deficit), opts)
    log_w = jnp.log(jnp.asarray(sol["wage_hat"]))
    val, grad = _total_gradient(log_w, jnp.asarray(x, float), base, jnp.asarray(idx), jnp.asarray(partners),
                                game.inputs, n, opts)
    return float(val), np.asarray(grad), sol


@dataclass(frozen=True)
class EngineBestResponse:
    country: str
    tariff: np.ndarray       # (N, N, J) with the best response in place
    own: np.ndarray          # (tradable J,) chosen MFN tariffs
    real_income_pct: float   # at the optimum, against the baseline
    iterations: int
    gradient_norm: float = 0.0  # projected gradient (inf-norm) at the optimum
    converged: bool = True      # always True: an optimisation that did not converge raises


def best_response(game: EngineGame, tariff, country: str, *, on: str | None = None, upper: float = 2.0,
                  opts: SolverOptions | None = None, maxiter: int = 300) -> EngineBestResponse:
    """Country's real-income-maximising tariffs per tradable sector, on all partners
    (MFN) or only on ``on``, given ``tariff`` for everything else. Raises
    :class:`NonConvergenceError` (naming the country and the projected-gradient norm)
    when L-BFGS-B reaches ``maxiter`` without meeting its tolerance or ends with a
    projected gradient above 1e-6."""
    n = game.index(country)
    partners = _partners(len(game.countries), n, None if on is None else game.index(on))
    idx = np.where(game.tradable)[0]
    base = np.asarray(tariff, float)
    x0 = np.clip(base[n][partners].mean(axis=0)[idx], 0, upper)
    ref_val = _baseline_log_real_income(game, n, opts)

    def fun(x):
        val, grad, _ = real_income_and_gradient(game, base, country, x, opts, on)
        return -(val - ref_val), -grad

    r = minimize(fun, x0, jac=True, method="L-BFGS-B", bounds=[(0.0, upper)] * len(idx),
                 options={"maxiter": maxiter, "gtol": 1e-10, "ftol": 1e-15})
    val, grad = fun(r.x)
    proj = np.where((r.x <= 1e-12) & (grad > 0) | (r.x >= upper - 1e-12) & (grad < 0), 0.0, grad)
    norm = float(np.max(np.abs(proj)))
    capped = r.status == 1 and norm > 1e-10  # stopped by the iteration cap, not by a tolerance
    if capped or norm > 1e-6:
        raise NonConvergenceError(f"engine best response of {country}: projected gradient norm {norm:.1e} after "
                                  f"{r.nit} iterations{' (the iteration cap)' if capped else ''}: {r.message}",
                                  residual=norm, iterations=int(r.nit))
    t = np.asarray(_set_row(jnp.asarray(base), jnp.asarray(r.x), n, game.tradable, partners))
    return EngineBestResponse(country, t, r.x, float(np.expm1(-val) * 100), int(r.nit), norm)


def _baseline_log_real_income(game: EngineGame, n: int, opts) -> float:
    inputs = game.inputs
    t = jnp.asarray(inputs.tariff)
    return float(_real_income_log(jnp.zeros(len(game.countries)), inputs, t, n, opts or SolverOptions()))


def real_income_pct(game: EngineGame, tariff) -> dict[str, float]:
    """Real income change (%) of every country when tariffs are ``tariff`` (N, N, J)."""
    opts = SolverOptions()
    t = jnp.asarray(tariff, float)
    sol = solve_equilibrium(game.inputs, Shock(t, jnp.ones_like(t), game.inputs.deficit), opts)
    log_w = jnp.log(jnp.asarray(sol["wage_hat"]))
    return {c: float(np.expm1(float(_real_income_log(log_w, game.inputs, t, k, opts))
                              - _baseline_log_real_income(game, k, opts)) * 100)
            for k, c in enumerate(game.countries)}


@dataclass(frozen=True)
class TariffWar:
    tariff: np.ndarray
    rounds: int
    max_change: float
    real_income_pct: dict[str, float]
    converged: bool = True  # always True: rounds that run out raise NonConvergenceError


def tariff_war(game: EngineGame, players=("USA", "CHN"), *, upper: float = 2.0, tol: float = 1e-4,
               max_rounds: int = 30, progress: Callable | None = None) -> TariffWar:
    """Nash equilibrium between two ``players`` (others passive), each choosing its
    tariffs on the other per tradable sector, by iterated best responses until no
    tariff moves more than ``tol``."""
    if len(players) != 2:
        raise ScenarioError("tariff war: exactly two players")
    t = np.asarray(game.inputs.tariff, float).copy()
    for k in range(1, max_rounds + 1):
        prev = t.copy()
        for p in players:
            other = players[1] if p == players[0] else players[0]
            t = best_response(game, t, p, on=other, upper=upper).tariff
            if progress:
                progress(k, p)
        change = float(np.max(np.abs(t - prev)))
        if change < tol:
            return TariffWar(t, k, change, real_income_pct(game, t))
    raise NonConvergenceError(f"tariff war {players[0]}-{players[1]}: largest tariff change {change:.1e} > {tol:g} "
                              f"after {max_rounds} rounds (the round cap)", residual=change, iterations=max_rounds)
