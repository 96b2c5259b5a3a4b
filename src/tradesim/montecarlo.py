"""Monte Carlo over trade elasticities: how sure is the answer?

Each draw replaces the baseline's sectoral trade elasticities and re-solves the
scenario; the summary gives every outcome's mean, standard deviation and 5-95%
band per country, as gegravity's ``MonteCarloGE`` does for its model.

Draws come from

* ``"published"``: for each sector independently, one of the baseline's published
  elasticity sets (``trade_elasticity_sets``: 8 sets for the 2022 world), uniformly;
* ``"lognormal"``: ``theta * exp(cv * z - cv^2 / 2)`` around the baseline's own
  elasticities (mean preserved), ``z`` standard normal, for a user-given ``cv``.

Every draw starts the solver from the Jacobian of the baseline's own elasticities;
solutions are exact all the same (each solve checks its residuals), and a draw that
fails to converge is reported, not averaged.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from tradesim.data.baseline import Baseline
from tradesim.errors import DataError, NonConvergenceError

OUTCOMES = ("welfare_pct", "real_wage_pct", "real_income_pct", "tot_pct", "vot_pct")


def draw_elasticities(baseline: Baseline, draws: int, source: str = "published", cv: float = 0.25,
                      seed: int = 0) -> np.ndarray:
    """``draws`` x sectors array of trade elasticities (seeded)."""
    rng = np.random.default_rng(seed)
    theta = baseline.ds["trade_elasticity"].values
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
    raise DataError(f"unknown draw source {source!r}; use 'published' or 'lognormal'")


def run_montecarlo(scenario, baseline: Baseline | str | None = None, *, draws: int = 100,
                   source: str = "published", cv: float = 0.25, seed: int = 0,
                   progress: Callable[[int, int], None] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Solve ``scenario`` under ``draws`` elasticity draws.

    Returns ``(samples, summary)``: samples has one row per draw and country
    (outcomes, ``converged``); summary has per country and outcome the mean,
    standard deviation and 5th/95th percentiles over converged draws.
    """
    from tradesim.api import as_scenario, baseline_for, run
    from tradesim.model.counterfactual import reference_world

    scn = as_scenario(scenario)
    base = baseline_for(scn, baseline)
    thetas = draw_elasticities(base, draws, source, cv, seed)
    _, _, seed_jacobian = reference_world(base, scn.closure)
    rows = []
    for k, theta in enumerate(thetas):
        ds = base.ds.copy()
        ds["trade_elasticity"] = ("sector", theta)
        world = Baseline(ds, f"{base.name}#draw{k}")
        try:
            welfare = run(scn, world, jacobian=seed_jacobian, store=False).welfare()  # draws are not runs of record
            for country, row in welfare.iterrows():
                rows.append({"draw": k, "country": country, "converged": True,
                             **{o: float(row[o]) for o in OUTCOMES}})
        except NonConvergenceError as err:
            rows.append({"draw": k, "country": None, "converged": False, "residual": err.residual})
        if progress:
            progress(k + 1, draws)
    samples = pd.DataFrame(rows)
    ok = samples[samples["converged"]]
    summary = ok.groupby("country")[list(OUTCOMES)].agg(
        ["mean", "std", lambda x: x.quantile(0.05), lambda x: x.quantile(0.95)])
    summary.columns = [f"{o}_{s}" for o, s in
                       ((o, {"mean": "mean", "std": "sd", "<lambda_0>": "p5", "<lambda_1>": "p95"}[s])
                        for o, s in summary.columns)]
    return samples, summary
