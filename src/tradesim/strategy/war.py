"""The global tariff war on the 2022 world: every economy sets its best-response uniform
tariff against all others at once (Lashkaripour 2021, "The cost of a global tariff war").

Two models:

``tariffwar``
    the literature's model as the authors' public code solves it (no input-output links;
    :mod:`tradesim.model.tariffwar`), on its own ICIO 2022 dataset and eight elasticity sets;
``cp2015``
    Caliendo-Parro with input-output links, the engine on the shipped ``icio2022`` baseline
    (:mod:`tradesim.strategy.engine_war`): each economy maximises its exact real income, the
    Nash point found by Broyden's method on the first-order conditions and certified.

:func:`global_war` returns a :class:`GlobalWar` with a tidy per-economy table (Nash tariff,
welfare = exact real-income change against the war's reference world, equivalent variation in
USD million) and the fall in world trade; :func:`all_sets` runs the eight sets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

import numpy as np
import pandas as pd

from tradesim.errors import ScenarioError

Model = Literal["tariffwar", "cp2015"]
MODELS = ("tariffwar", "cp2015")
CLOSURES = ("zero_deficit", "fixed_deficit")


@dataclass(frozen=True)
class GlobalWar:
    """One solved war: ``table`` has one row per economy (``country``, ``nash_tariff_pct``,
    ``welfare_pct``, ``ev_usd_million``); ``world_trade_change_pct`` is the change in world
    trade (foreign sales before tariffs, relative to world income); ``max_foc`` the largest
    first-order-condition residual at the returned point; ``certificate`` (cp2015 only) the
    one-dimensional search checks."""

    model: str
    elasticity_set: str
    closure: str
    table: pd.DataFrame
    world_trade_change_pct: float
    max_foc: float
    residuals: dict[str, float] = field(default_factory=dict)
    certificate: object | None = None
    iterations: int = 0

    def records(self) -> list[dict]:
        """Tidy records ``{country, nash_tariff_pct, welfare_pct}``."""
        return self.table[["country", "nash_tariff_pct", "welfare_pct"]].to_dict("records")

    def row(self, country: str) -> pd.Series:
        hit = self.table[self.table["country"] == country]
        if hit.empty:
            raise ScenarioError(f"country '{country}' is not in the war's economies")
        return hit.iloc[0]


def _tariffwar(elasticity_set: str) -> GlobalWar:
    from tradesim.model.tariffwar import nash_war

    war = nash_war(elasticity_set)
    res = war.solution.residuals
    return GlobalWar("tariffwar", elasticity_set, "balanced", war.table(), war.world_trade_change_pct(),
                     res["nash_first_order_condition"], res, None, war.solution.iterations)


def _engine_trade(inputs, equilibrium) -> float:
    """World trade (foreign sales before tariffs) after over before, in percent."""
    n = inputs.shape[0]
    off = (1 - np.eye(n))[:, :, None]
    before = np.asarray(inputs.trade_share) * np.asarray(inputs.expenditure)[:, None, :] / (1 + np.asarray(inputs.tariff))
    v = equilibrium.values
    after = v["trade_share"] * v["expenditure"][:, None, :] / (1 + v["tariff"])
    return float(100 * ((after * off).sum() / (before * off).sum() - 1))


def _cp2015(elasticity_set: str, closure: str, baseline: str, start, certify_sample, progress,
            tol: float) -> GlobalWar:
    from tradesim.data.registry import load_baseline
    from tradesim.model import equations as eq
    from tradesim.strategy import engine_war as ew

    base = load_baseline(baseline)
    inputs = ew.war_inputs(base, elasticity_set, closure)
    countries = [str(c) for c in base.ds["country"].values]
    if start is None:
        start = _tariffwar_start(elasticity_set, countries)
    # solved ten times tighter than certified, so the certificate has room to spare
    war = ew.solve_nash(inputs, countries, start, tol=tol / 10, progress=progress, closure=closure,
                        elasticity_set=elasticity_set)
    cert = ew.certify(war, certify_sample, tol=tol) if certify_sample else None
    income = np.asarray(eq.income(1.0, inputs.value_added, inputs.trade_share, inputs.expenditure, inputs.tariff,
                                  inputs.deficit))
    table = pd.DataFrame({"country": countries, "nash_tariff_pct": 100 * war.rate,
                          "welfare_pct": war.real_income_pct, "ev_usd_million": war.real_income_pct / 100 * income})
    return GlobalWar("cp2015", elasticity_set, closure, table, _engine_trade(inputs, war.equilibrium),
                     float(np.max(np.abs(war.foc))), dict(war.equilibrium.residuals), cert, war.iterations)


def _tariffwar_start(elasticity_set: str, countries) -> np.ndarray:
    """The war without input-output links as the start (same economies, same order), 25% else."""
    from tradesim.model.tariffwar import ELASTICITY_SETS, nash_war

    if elasticity_set not in ELASTICITY_SETS:
        return np.full(len(countries), 0.25)
    war = nash_war(elasticity_set)
    by = dict(zip(war.countries, war.solution.tariff))
    return np.array([by.get(c, 0.25) for c in countries])


def global_war(model: Model = "tariffwar", elasticity_set: str = "IS", *, closure: str = "zero_deficit",
               baseline: str = "icio2022", start=None, certify_sample=("USA", "CHN", "JPN"),
               progress: Callable | None = None, tol: float = 1e-8) -> GlobalWar:
    """Solve the global tariff war.

    Parameters
    ----------
    model : ``"tariffwar"`` (no input-output links, the literature's code) or ``"cp2015"``
        (the engine with input-output links, on ``baseline``).
    elasticity_set : one of the eight sets (IS, U4, CP, BSY, GYY, Shap, FGO, LL).
    closure : cp2015 only: ``"zero_deficit"`` (deficits removed first, as the tariff-war
        model's balanced baseline; default) or ``"fixed_deficit"``.
    start : cp2015 only: starting tariffs (N); default the tariff-war model's Nash tariffs.
    certify_sample : cp2015 only: economies whose best response a 1-D search confirms.
    tol : cp2015 only: tolerance on every first-order condition ``|d log W_n / d t_n|``.
    """
    if model not in MODELS:
        raise ScenarioError(f"model: '{model}' is not one of {', '.join(MODELS)}")
    if closure not in CLOSURES:
        raise ScenarioError(f"closure: '{closure}' is not one of {', '.join(CLOSURES)}")
    if model == "tariffwar":
        return _tariffwar(elasticity_set)
    return _cp2015(elasticity_set, closure, baseline, start, certify_sample, progress, tol)


def all_sets(model: Model = "tariffwar", sets=None, **options) -> tuple[dict[str, GlobalWar], pd.DataFrame]:
    """The war under every elasticity set: the wars by set and a summary table (mean, US and
    Japanese Nash tariff and welfare, world trade) with the spread across sets (min, max) in its
    last rows."""
    from tradesim.model.tariffwar import ELASTICITY_SETS

    wars = {s: global_war(model, s, **options) for s in (sets or ELASTICITY_SETS)}
    rows = []
    for s, w in wars.items():
        t = w.table.set_index("country")
        row = {"elasticity_set": s, "mean_nash_tariff_pct": t["nash_tariff_pct"].mean(),
               "mean_welfare_pct": t["welfare_pct"].mean(), "world_trade_change_pct": w.world_trade_change_pct}
        for c in ("USA", "JPN"):
            row[f"{c.lower()}_nash_tariff_pct"] = t["nash_tariff_pct"].get(c, np.nan)
            row[f"{c.lower()}_welfare_pct"] = t["welfare_pct"].get(c, np.nan)
        rows.append(row)
    summary = pd.DataFrame(rows).set_index("elasticity_set")
    summary.loc["min"] = summary.min()
    summary.loc["max"] = summary.max()
    return wars, summary


@dataclass(frozen=True)
class CoalitionWar:
    """A coalition's tariff war on one target, the rest of the world passive: ``players`` (one
    row per player: ``player``, ``importer``, ``on``, ``nash_tariff_pct``), ``welfare`` (every
    economy: ``country``, ``welfare_pct``, ``ev_usd_million``), the largest first-order
    condition and the certificate."""

    players: pd.DataFrame
    welfare: pd.DataFrame
    max_foc: float
    certificate: object | None
    iterations: int


def coalition_war(coalition=("USA", "JPN", "KOR", "GBR", "CAN", "AUS"), target: str = "CHN",
                  elasticity_set: str = "IS", *, closure: str = "zero_deficit", baseline="icio2022",
                  start: float = 0.1, certify: bool = True, tol: float = 1e-8) -> CoalitionWar:
    """Partner-specific Nash tariffs: each coalition member sets one tariff on ``target``
    (every sector), ``target`` one tariff on every member, all other tariffs stay at the
    reference world's (the engine with input-output links, :mod:`tradesim.strategy.engine_war`).
    ``baseline``: a shipped baseline's name or a :class:`~tradesim.data.baseline.Baseline`."""
    import jax.numpy as jnp

    from tradesim.data.registry import load_baseline
    from tradesim.model import equations as eq
    from tradesim.strategy import engine_war as ew

    if closure not in CLOSURES:
        raise ScenarioError(f"closure: '{closure}' is not one of {', '.join(CLOSURES)}")
    base = load_baseline(baseline) if isinstance(baseline, str) else baseline
    countries = [str(c) for c in base.ds["country"].values]
    unknown = [c for c in (*coalition, target) if c not in countries]
    if unknown or target in coalition or not coalition:
        raise ScenarioError(f"coalition: unknown or repeated economies {unknown or [target]}; known: "
                            f"{', '.join(countries)}")
    inputs = ew.war_inputs(base, elasticity_set, closure)
    n = len(countries)
    ti, members = countries.index(target), [countries.index(c) for c in coalition]
    mask = np.zeros((len(members) + 1, n, n))
    for k, m in enumerate(members):
        mask[k, m, ti] = 1.0
    mask[-1, ti, members] = 1.0
    design = ew.Design(jnp.asarray(inputs.tariff), jnp.asarray(mask), jnp.asarray(members + [ti]))
    labels = [f"{c} on {target}" for c in coalition] + [f"{target} on coalition"]
    war = ew.solve_nash(inputs, countries, np.full(len(labels), start), tol=tol / 10, design=design,
                        players=labels, closure=closure, elasticity_set=elasticity_set)
    cert = ew.certify(war, (labels[0], labels[-1]), tol=tol) if certify else None
    income = np.asarray(eq.income(1.0, inputs.value_added, inputs.trade_share, inputs.expenditure, inputs.tariff,
                                  inputs.deficit))
    players = pd.DataFrame({"player": labels, "importer": list(coalition) + [target],
                            "on": [target] * len(coalition) + ["+".join(coalition)], "nash_tariff_pct": 100 * war.rate})
    welfare = pd.DataFrame({"country": countries, "welfare_pct": war.real_income_pct,
                            "ev_usd_million": war.real_income_pct / 100 * income})
    return CoalitionWar(players, welfare, float(np.max(np.abs(war.foc))), cert, war.iterations)


def chart(war: GlobalWar, highlight: str = "JPN"):
    """Plotly scatter: each economy's Nash tariff (x) against its welfare change (y), the
    ``highlight`` economy marked; marker size by the equivalent variation
    (:func:`tradesim.results.war_figures.war_chart`)."""
    from tradesim.results.war_figures import war_chart

    return war_chart(war, highlight)
