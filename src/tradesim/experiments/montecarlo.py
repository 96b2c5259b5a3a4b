"""Monte Carlo over trade elasticities: how sure is the answer?

Each draw replaces the baseline's sectoral trade elasticities and re-solves the
scenario; the summary gives every outcome's mean, standard deviation and 5-95%
band per country, as gegravity's ``MonteCarloGE`` does for its model.

Draws come from

* ``"published"``: for each sector independently, one of the baseline's published
  elasticity sets (``trade_elasticity_sets``: 8 sets for the 2022 world), uniformly;
* ``"lognormal"``: ``theta * exp(cv * z - cv^2 / 2)`` around the baseline's own
  elasticities (mean preserved), ``z`` standard normal, for a user-given ``cv``;
* ``"table"``: the user's own distribution per sector (:func:`read_distribution`), e.g.
  a paper's estimates and standard errors: a table with columns ``sector``, ``mean``,
  ``sd`` and optionally ``distribution`` (``normal``, truncated to positive values, the
  default; or ``lognormal`` with that mean and sd). Sectors not in the table keep the
  baseline's elasticity.

With more draws than sectors that vary, every draw starts the solver from its own
exact Jacobian at the baseline, which is affine in the elasticities
(:func:`tradesim.model.solve.elasticity_jacobians`: one Jacobian per varying sector
serves all draws); with fewer, from the Jacobian of the baseline's own elasticities,
refreshed where progress is slow. Solutions are exact either way (each solve checks
its residuals), and a draw that fails to converge is reported, not averaged.
"""

from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np
import pandas as pd

from tradesim.data.baseline import Baseline
from tradesim.distributed import map_chunks
from tradesim.errors import DataError, NonConvergenceError
from tradesim.literals import DRAW_LAWS, DRAW_SOURCES, check_choice
from tradesim.results.columns import OUTCOMES


LAWS = DRAW_LAWS  # tradesim.literals: the one list


def read_distribution(table, baseline: Baseline) -> pd.DataFrame:
    """A user's elasticity distribution, checked: a CSV path or a DataFrame with columns
    ``sector``, ``mean``, ``sd`` (and optionally ``distribution``, one of :data:`LAWS`).
    Returns it indexed by sector; errors name the row and field."""
    if not isinstance(table, pd.DataFrame):
        try:
            table = pd.read_csv(table)
        except (OSError, ValueError) as err:
            raise DataError(f"elasticity distribution: cannot read {table}: {err}") from None
    missing = {"sector", "mean", "sd"} - set(table.columns)
    if missing:
        raise DataError(f"elasticity distribution: missing column(s) {', '.join(sorted(missing))} "
                        "(need sector, mean, sd; optionally distribution)")
    table = table.copy()
    if "distribution" not in table:
        table["distribution"] = "normal"
    table["sector"] = table["sector"].astype(str)
    sectors = [str(x) for x in baseline.ds["sector"].values]
    for row, r in table.iterrows():
        where = f"elasticity distribution, row {row + 1} (sector {r['sector']!r})"
        if r["sector"] not in sectors:
            raise DataError(f"{where}: unknown sector; the baseline has {', '.join(sectors)}")
        try:
            mean, sd = float(r["mean"]), float(r["sd"])
        except (TypeError, ValueError):
            raise DataError(f"{where}: mean and sd must be numbers") from None
        if not (np.isfinite(mean) and mean > 0):
            raise DataError(f"{where}: mean must be a positive number, not {r['mean']!r}")
        if not (np.isfinite(sd) and sd >= 0):
            raise DataError(f"{where}: sd must be a non-negative number, not {r['sd']!r}")
        if r["distribution"] not in LAWS:
            raise DataError(f"{where}: distribution {r['distribution']!r} is not one of {', '.join(LAWS)}")
    if table["sector"].duplicated().any():
        raise DataError("elasticity distribution: sector(s) listed twice: "
                        f"{', '.join(sorted(set(table['sector'][table['sector'].duplicated()])))}")
    return table.set_index("sector")[["mean", "sd", "distribution"]].astype({"mean": float, "sd": float})


def _draw_table(table: pd.DataFrame, theta: np.ndarray, sectors: list[str], draws: int, rng) -> np.ndarray:
    out = np.repeat(theta[None, :].astype(float), draws, axis=0)
    for sector, r in table.iterrows():          # in the table's order, so draws are reproducible
        j = sectors.index(sector)
        if r["distribution"] == "lognormal":
            s2 = np.log1p((r["sd"] / r["mean"]) ** 2)
            out[:, j] = r["mean"] * np.exp(np.sqrt(s2) * rng.standard_normal(draws) - s2 / 2)
            continue
        x = r["mean"] + r["sd"] * rng.standard_normal(draws)
        for _ in range(1000):                   # truncated to positive values: redraw the others
            bad = x <= 0
            if not bad.any():
                break
            x[bad] = r["mean"] + r["sd"] * rng.standard_normal(int(bad.sum()))
        else:
            raise DataError(f"elasticity distribution, sector {sector!r}: almost all normal draws are "
                            "negative; use a smaller sd or distribution = lognormal")
        out[:, j] = x
    return out


def draw_elasticities(baseline: Baseline, draws: int, source: str = "published", cv: float = 0.25,
                      seed: int = 0, distribution=None) -> np.ndarray:
    """``draws`` x sectors array of trade elasticities (seeded); ``distribution`` is the
    table for ``source="table"`` (see :func:`read_distribution`)."""
    check_choice("draw source", source, DRAW_SOURCES, DataError)
    rng = np.random.default_rng(seed)
    theta = baseline.ds["trade_elasticity"].values
    if source == "table":
        if distribution is None:
            raise DataError("source='table' needs a distribution table (sector, mean, sd)")
        return _draw_table(read_distribution(distribution, baseline), theta,
                           [str(x) for x in baseline.ds["sector"].values], draws, rng)
    if source == "published":
        if "trade_elasticity_sets" not in baseline.ds:
            raise DataError(f"baseline '{baseline.name}' ships no published elasticity sets; use source='lognormal'")
        sets = baseline.ds["trade_elasticity_sets"].values                  # (set, sector)
        pick = rng.integers(0, sets.shape[0], size=(draws, sets.shape[1]))
        return np.take_along_axis(sets.T[None, :, :].repeat(draws, 0), pick[:, :, None], axis=2)[:, :, 0]
    if source == "lognormal":
        if cv < 0:
            raise DataError("cv must be non-negative")
        z = rng.standard_normal((draws, theta.size))
        return theta[None, :] * np.exp(cv * z - cv ** 2 / 2)
    raise DataError(f"unknown draw source {source!r}; use 'published', 'lognormal' or 'table'")


def _solve_draws(scn, base: Baseline, indexed: list[tuple], pad_to: int) -> list[dict]:
    """Solve one chunk of elasticity draws ``[(draw, theta, jacobian or None)]`` as one batch
    (:func:`tradesim.model.counterfactual.counterfactuals`, one world per draw); rows of the
    samples table. Runs wherever it is called (this process or a Dask worker)."""
    from tradesim.model.counterfactual import counterfactuals
    from tradesim.results.result import Result
    from tradesim.scenario.apply import policy_from_scenario
    from tradesim.scenario.spec import resolve_reference

    policy = policy_from_scenario(scn, base)
    ref = resolve_reference(scn)            # measured against another policy's world, in every draw
    reference = policy_from_scenario(ref, base) if ref is not None else None
    thetas = np.stack([theta for _, theta, _ in indexed])
    rows = []
    try:
        solved = counterfactuals(base, [policy] * len(indexed), scn.closure, None, reference, elasticities=thetas,
                                 jacobian=[jac for _, _, jac in indexed], pad_to=pad_to)
    except NonConvergenceError as err:      # the baseline's own reference world, every draw's start
        return [{"draw": k, "country": None, "converged": False, "residual": err.residual} for k, _, _ in indexed]
    for (k, theta, _), solution, residual in zip(indexed, solved.solutions, solved.residuals):
        if solution is None:
            rows.append({"draw": k, "country": None, "converged": False, "residual": float(residual)})
            continue
        ds = base.ds.copy()
        ds["trade_elasticity"] = ("sector", theta)
        welfare = Result(scn, Baseline(ds, f"{base.name}#draw{k}"), solution, notes=policy.notes).welfare()
        for country, row in welfare.iterrows():
            rows.append({"draw": k, "country": country, "converged": True, **{o: float(row[o]) for o in OUTCOMES}})
    return rows


def _start_jacobians(base: Baseline, thetas: np.ndarray) -> list:
    """Each draw's exact Jacobian at the baseline, when that is cheaper than what a draw
    otherwise costs: starting from the baseline elasticities' Jacobian, a draw far from them
    takes the exact Jacobian mid-way (~0.4 s on the 2022 world), while
    :func:`~tradesim.model.solve.elasticity_jacobians` gives every draw's for one Jacobian
    per varying sector. ``None`` where the baseline's own is used. Made here, before any
    chunk leaves, so the start does not depend on where a draw is solved."""
    from tradesim.model.inputs import inputs_from_dataset
    from tradesim.model.solve import elasticity_jacobians

    theta0 = base.ds["trade_elasticity"].values
    varying = np.flatnonzero((thetas != theta0).any(axis=0))
    if len(thetas) <= len(varying) + 1:
        return [None] * len(thetas)
    return list(elasticity_jacobians(inputs_from_dataset(base.ds), thetas, varying))


def run_montecarlo(scenario, baseline: Baseline | str | None = None, *, draws: int = 100,
                   source: str = "published", cv: float = 0.25, seed: int = 0, chunk_size: int = 25,
                   progress: Callable[[int, int], None] | None = None, scheduler: str | None = None,
                   workers: int = 0, distribution=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Solve ``scenario`` under ``draws`` elasticity draws.

    Draws are solved ``chunk_size`` at a time as one batch over the
    elasticities (:func:`tradesim.model.counterfactual.counterfactuals`); under the
    zero-deficit closure each draw's deficit-free world, and for a scenario with a
    ``reference`` each draw's reference world, is solved the same way first. Chunks run in this process, or on Dask with ``workers`` > 0 (a
    LocalCluster) or ``scheduler`` (an existing cluster): all draws are made here
    first, so the tables are the same wherever they ran. Returns
    ``(samples, summary)``: samples has one row per draw and country (outcomes,
    ``converged``); summary has per country and outcome the mean, standard
    deviation and 5th/95th percentiles over converged draws.
    """
    from tradesim.api import as_scenario, baseline_for

    if draws < 1 or chunk_size < 1:
        raise DataError(f"draws and chunk_size must be at least 1, not {draws} and {chunk_size}")
    family = _family_of(scenario)
    if family is not None:  # another model family draws its own parameters (e.g. epsilon and kappa)
        return family_montecarlo(family, scenario, draws=draws, source=source, cv=cv, seed=seed, progress=progress,
                                 workers=workers, scheduler=scheduler, baseline=baseline)
    scn = as_scenario(scenario)
    base = baseline_for(scn, baseline)
    thetas = draw_elasticities(base, draws, source, cv, seed, distribution)
    indexed = [(k, theta, jac) for k, (theta, jac) in enumerate(zip(thetas, _start_jacobians(base, thetas)))]
    chunks = [indexed[k:k + chunk_size] for k in range(0, draws, chunk_size)]

    def report(done, total):  # progress in draws, not chunks (chunks are equal but the last)
        progress(draws if done == total else min(draws, done * chunk_size), draws)

    parts = map_chunks(partial(_solve_draws, scn, base, pad_to=min(chunk_size, draws)), chunks,
                       scheduler=scheduler, workers=workers, progress=report if progress else None)
    rows = [row for part in parts for row in part]
    samples = pd.DataFrame(rows)
    ok = samples[samples["converged"]]
    summary = ok.groupby("country")[list(OUTCOMES)].agg(
        ["mean", "std", lambda x: x.quantile(0.05), lambda x: x.quantile(0.95)])
    summary.columns = [f"{o}_{s}" for o, s in
                       ((o, {"mean": "mean", "std": "sd", "<lambda_0>": "p5", "<lambda_1>": "p95"}[s])
                        for o, s in summary.columns)]
    return samples, summary


def _family_of(scenario) -> str | None:
    """The model family a scenario names, when it is not Caliendo-Parro."""
    from tradesim.model.family import is_default, model_of

    name = model_of(scenario)
    return None if is_default(name) else name


def family_montecarlo(family: str, scenario, *, draws: int, source: str = "published", cv: float = 0.25,
                      seed: int = 0, progress=None, workers: int = 0, scheduler=None, baseline=None):
    """:func:`run_montecarlo` for a scenario of another model family: the family's own seeded
    draws of its :attr:`~tradesim.model.family.ScenarioFamily.uncertain` parameters (the
    Liberation Day model: epsilon lognormal with coefficient of variation ``cv`` around the
    scenario's own, kappa uniform on [0, 1]), solved in this process. ``summary.attrs["source"]``
    says what was drawn."""
    from tradesim.model.family import scenario_family

    if source not in ("published", "lognormal"):
        raise DataError(f"montecarlo: the '{family}' model draws its own parameters; --source {source} is for "
                        "Caliendo-Parro scenarios")
    if workers or scheduler or baseline is not None:
        raise DataError(f"montecarlo: '{family}' scenarios run in this process on their own baseline "
                        "(no --workers, --scheduler or --baseline)")
    return scenario_family(family).montecarlo(scenario, draws, cv=cv, seed=seed, progress=progress)
