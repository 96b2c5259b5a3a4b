"""Monte Carlo over the Liberation Day model's elasticities: epsilon and kappa.

Each draw takes ``epsilon ~ epsilon_mean * exp(cv z - cv^2/2)`` (lognormal, mean kept) and
``kappa ~ U(kappa_low, kappa_high)``, re-solves the scenario (its tariff schedule recomputed:
optimal rates depend on epsilon) and keeps every economy's outcomes; a draw that fails to
converge is reported (``converged`` False), never averaged. Seeded.

>>> samples, summary = montecarlo("scenarios/liberation_day/ustr_tax_relief.toml", draws=50)  # doctest: +SKIP
>>> summary.loc["USA"]                                                                          # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tradesim.errors import NonConvergenceError, ScenarioError
from tradesim.model.liberation_day.family import FAMILY
from tradesim.model.liberation_day.outcomes import COLUMNS
from tradesim.model.liberation_day.scenario import LDScenario, load_ld_scenario


def draw_parameters(draws: int, epsilon_mean: float, epsilon_cv: float, kappa_low: float, kappa_high: float,
                    seed: int) -> pd.DataFrame:
    """The (epsilon, kappa) draws, one row per draw."""
    if draws < 1 or epsilon_mean <= 0 or epsilon_cv < 0 or not 0 <= kappa_low <= kappa_high:
        raise ScenarioError("montecarlo: need draws >= 1, epsilon_mean > 0, epsilon_cv >= 0, 0 <= kappa_low <= kappa_high")
    rng = np.random.default_rng(seed)
    eps = epsilon_mean * np.exp(epsilon_cv * rng.standard_normal(draws) - epsilon_cv ** 2 / 2)
    return pd.DataFrame({"draw": np.arange(draws), "epsilon": eps, "kappa": rng.uniform(kappa_low, kappa_high, draws)})


def montecarlo(scenario: LDScenario | str | Path, draws: int = 100, *, epsilon_mean: float = 4.0,
               epsilon_cv: float = 0.25, kappa_low: float = 0.0, kappa_high: float = 1.0,
               seed: int = 0, progress=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(samples: one row per draw and economy, summary: mean, sd, p5, p95 of every outcome per economy);
    ``progress(done, total)`` is called after each draw."""
    sc = scenario if isinstance(scenario, LDScenario) else load_ld_scenario(scenario)
    params = draw_parameters(draws, epsilon_mean, epsilon_cv, kappa_low, kappa_high, seed)
    frames = []
    for row in params.itertuples():
        try:
            t = FAMILY.run(sc, epsilon=float(row.epsilon), kappa=float(row.kappa)).table
            frames.append(t.rename_axis("country").reset_index().assign(draw=row.draw, epsilon=row.epsilon,
                                                                        kappa=row.kappa, converged=True))
        except NonConvergenceError:
            frames.append(pd.DataFrame({"draw": [row.draw], "epsilon": [row.epsilon], "kappa": [row.kappa],
                                        "converged": [False]}))
        if progress is not None:
            progress(row.draw + 1, draws)
    samples = pd.concat(frames, ignore_index=True)
    ok = samples[samples["converged"]]
    g = ok.groupby("country")[list(COLUMNS)]
    summary = pd.concat({"mean": g.mean(), "sd": g.std(), "p5": g.quantile(0.05), "p95": g.quantile(0.95)}, axis=1)
    return samples, summary
