"""Shared pieces of the scenario families whose runs are small (the gravity GE, Ossa's model):
reading a scenario from whatever the caller holds, writing a resolved scenario's TOML values, a sweep over option points and a seeded Monte Carlo
over one elasticity, in the tidy layouts of :class:`tradesim.model.family.ScenarioFamily`.

The Monte Carlo draws an elasticity ``sigma > 1`` as ``sigma = 1 + (sigma0 - 1) exp(cv z - cv^2/2)``
(``z`` standard normal): ``sigma - 1`` is lognormal with mean ``sigma0 - 1`` and coefficient of
variation about ``cv``, so every draw is above one and the mean is the scenario's own.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from tradesim.errors import NonConvergenceError, ScenarioError


def toml_value(v: Any) -> str:
    """One TOML value: strings JSON-escaped (TOML basic strings accept them), floats by ``repr``
    (which ``tomllib`` reads back to the same bits)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if not math.isfinite(v):
            raise ScenarioError(f"scenario: cannot pin the non-finite number {v!r}")
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, str):
        return json.dumps(v)
    raise ScenarioError(f"scenario: cannot write {v!r} to TOML")


def scenario_of(scenario: Any, kind: type, parse: Callable[[str], Any], load: Callable[[Any], Any],
                family: str) -> Any:
    """A family's parsed scenario (of type ``kind``) from itself, TOML text (``parse``), a file
    path (``load``), or a parsed tradesim :class:`~tradesim.scenario.spec.Scenario` naming the
    family (read again from its path or text)."""
    if isinstance(scenario, kind):
        return scenario
    if isinstance(scenario, str) and "\n" in scenario:
        return parse(scenario)
    if not isinstance(scenario, (str, Path)):
        source = getattr(scenario, "path", None) or getattr(scenario, "text", "")
        if not source:
            raise ScenarioError(f"{family}: give the scenario as a file path, TOML text or {kind.__name__}")
        return scenario_of(source, kind, parse, load, family)
    return load(scenario)


def check_overrides(family: str, overrides: dict, known: tuple[str, ...]) -> None:
    """A :class:`ScenarioError` naming the options of ``family`` that it does not have."""
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        raise ScenarioError(f"options: the {family} model has no option(s) {', '.join(unknown)}; "
                            f"known: {', '.join(known)}")


def sweep_rows(run: Callable[[dict], tuple[pd.DataFrame, float]], points: list[dict],
               outcomes: tuple[str, ...]) -> pd.DataFrame:
    """Tidy rows ``point``, the options, ``country``, ``converged``, ``residual``, ``outcomes``:
    ``run(point)`` gives ``(table indexed by country, max residual)``; a point that does not
    converge is one row with ``converged`` False, never dropped."""
    names = list(dict.fromkeys(k for p in points for k in p))
    frames = []
    for index, point in enumerate(points):
        try:
            table, residual = run(point)
            frame = table.rename_axis("country").reset_index()[["country", *outcomes]]
            frame = frame.assign(converged=True, residual=residual)
        except NonConvergenceError as err:
            frame = pd.DataFrame({"country": [None], "converged": [False],
                                  "residual": [getattr(err, "residual", float("nan"))]})
        frames.append(frame.assign(point=index, **point))
    out = pd.concat(frames, ignore_index=True)
    return out[["point", *names, "country", "converged", "residual", *outcomes]]


def draw_elasticity(sigma0: float, cv: float, draws: int, seed: int) -> np.ndarray:
    """``draws`` seeded draws ``1 + (sigma0 - 1) exp(cv z - cv^2/2)`` (module docstring)."""
    if draws < 1 or cv < 0 or not sigma0 > 1:
        raise ScenarioError(f"montecarlo: need draws >= 1, cv >= 0 and sigma above 1 (got {draws}, {cv}, {sigma0})")
    z = np.random.default_rng(seed).standard_normal(draws)
    return 1.0 + (sigma0 - 1.0) * np.exp(cv * z - cv ** 2 / 2)


def montecarlo_rows(run: Callable[[float], pd.DataFrame], name: str, values: np.ndarray,
                    outcomes: tuple[str, ...], progress=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(samples, summary)``: ``run(value)`` gives the table (indexed by country) at one draw of
    the parameter ``name``; samples have one row per draw and country (``draw``, ``name``,
    ``converged``, the outcomes); summary per country ``<outcome>_{mean,sd,p5,p95}`` over the
    converged draws."""
    frames = []
    for k, value in enumerate(values):
        try:
            t = run(float(value)).rename_axis("country").reset_index()[["country", *outcomes]]
            frames.append(t.assign(draw=k, **{name: float(value)}, converged=True))
        except NonConvergenceError:
            frames.append(pd.DataFrame({"draw": [k], name: [float(value)], "converged": [False]}))
        if progress is not None:
            progress(k + 1, len(values))
    samples = pd.concat(frames, ignore_index=True)
    g = samples[samples["converged"]].groupby("country")[list(outcomes)]
    stats = {"mean": g.mean(), "sd": g.std(), "p5": g.quantile(0.05), "p95": g.quantile(0.95)}
    summary = pd.concat([stats[s][[o]].rename(columns={o: f"{o}_{s}"}) for o in outcomes for s in stats], axis=1)
    return samples, summary
