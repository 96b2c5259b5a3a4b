"""Coefficient uncertainty of GE outcomes (parametric bootstrap).

Draw ``b ~ N(b_hat, V)`` from the estimated (clustered) covariance, re-solve the
baseline resistances and the counterfactual for every draw, and summarise each
outcome by mean, sd and the 5% and 95% quantiles (as gegravity's MonteCarloGE
does). Seeded (``numpy.random.default_rng(seed)``); a draw that does not
converge is kept in the samples with ``converged = False`` and left out of the
summary.

Example
-------
>>> samples = simulate_draws(base, est, experiment, draws=200, seed=0)   # doctest: +SKIP
>>> summarize_draws(samples).loc["CAN"]                                   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd

from tradesim.distributed import map_chunks
from tradesim.errors import NonConvergenceError, ScenarioError
from tradesim.gravity.experiment import Experiment
from tradesim.model.gravity.ge import GEBaseline, simulate, with_coefficients
from tradesim.model.newton import NewtonOptions

OUTCOMES = ("factory_gate_price_pct", "gdp_pct", "welfare_pct", "exports_pct", "imports_pct", "intranational_pct")


def _solve_draws(base: GEBaseline, names: list[str], indexed: list[tuple[int, np.ndarray]], experiment: Experiment,
                 compat: str | None, options: NewtonOptions | None) -> pd.DataFrame:
    """Solve a chunk of coefficient draws; one row per (draw, country). Runs on a Dask worker
    or in process, so everything it needs comes in as (picklable) arguments."""
    pos = [base.variables.index(v) for v in names]
    frames = []
    for k, b in indexed:
        coef = base.coefficients.copy()
        coef[pos] = b
        try:
            res = simulate(with_coefficients(base, coef, options), experiment, compat=compat, options=options)
            t = res.table()[list(OUTCOMES)].reset_index()
            t["converged"] = True
        except NonConvergenceError:
            t = pd.DataFrame({"country": base.countries, **{o: np.nan for o in OUTCOMES}, "converged": False})
        t.insert(0, "draw", k)
        for v, x in zip(names, b):
            t[f"coef_{v}"] = x
        frames.append(t)
    return pd.concat(frames, ignore_index=True)


def simulate_draws(base: GEBaseline, estimate, experiment: Experiment, *, draws: int = 100, seed: int = 0,
                   compat: str | None = None, options: NewtonOptions | None = None,
                   progress: Callable[[int, int], None] | None = None, scheduler: str | None = None,
                   workers: int = 0, chunk_size: int = 25) -> pd.DataFrame:
    """Solve ``experiment`` under ``draws`` coefficient draws; one row per (draw, country).

    estimate : a :class:`GravityEstimate` (``coef``, ``vcov``) whose variables are
        among the baseline's; the baseline's other coefficients (a constant) stay fixed.
    workers, scheduler : with ``workers`` > 0 the draws are solved on a Dask
        LocalCluster of that many single-threaded workers, with ``scheduler`` on an
        existing cluster, in chunks of ``chunk_size`` draws per task (the same machinery
        as :func:`tradesim.experiments.sweep.run_sweep`). All draws are made here, before any task
        goes out, so the table is identical to the single-process one.
    progress : called as ``progress(done, total)`` after each chunk.
    """
    if draws < 1:
        raise ScenarioError(f"draws must be at least 1, not {draws}")
    if chunk_size < 1:
        raise ScenarioError(f"chunk_size must be at least 1, not {chunk_size}")
    names = list(estimate.coef.index)
    missing = [v for v in names if v not in base.variables]
    if missing:
        raise ScenarioError(f"estimated variable(s) {', '.join(missing)} are not cost variables of the baseline")
    rng = np.random.default_rng(seed)
    sample = rng.multivariate_normal(estimate.coef.to_numpy(), estimate.vcov.loc[names, names].to_numpy(),
                                     size=draws, method="cholesky")
    indexed = list(enumerate(sample))
    chunks = [indexed[k:k + chunk_size] for k in range(0, draws, chunk_size)]
    frames = map_chunks(partial(_solve_draws, base, names, experiment=experiment, compat=compat, options=options),
                        chunks, scheduler=scheduler, workers=workers, progress=progress)
    return pd.concat(frames, ignore_index=True)


def summarize_draws(samples: pd.DataFrame, outcomes=OUTCOMES) -> pd.DataFrame:
    """Per country and outcome: mean, sd, p5, p95 (columns ``<outcome>_<stat>``)."""
    ok = samples[samples["converged"]]
    g = ok.groupby("country")[list(outcomes)]
    parts = {"mean": g.mean(), "sd": g.std(ddof=1), "p5": g.quantile(0.05), "p95": g.quantile(0.95)}
    out = pd.concat({s: v for s, v in parts.items()}, axis=1)
    out.columns = [f"{o}_{s}" for s, o in out.columns]
    return out[[f"{o}_{s}" for o in outcomes for s in parts]]
