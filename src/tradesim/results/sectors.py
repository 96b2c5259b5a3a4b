"""Sectors a briefing can quote: names, levels in US dollars, and elasticity flags.

"Most affected sectors" ranks a country's sectors by the change in gross output
in US dollars (at the reference world's prices, in the numeraire of world value
added), gainers and losers separately, so that a USD 1 bn sector growing by 10%
does not hide a USD 400 bn one shrinking by 6%.

A sector's response scales with its trade elasticity. Where that elasticity is
extreme (outside :data:`ELASTICITY_RANGE`, 1.5-20: Caliendo-Parro's set has 64.85
for petroleum, C19, and 1.115 for motor vehicles, C29, in the 2022 world) the row
is flagged and, when a comparison result under the uniform set (U4: theta = 4 in
every sector) is given, the same figure under U4 is shown beside it
(:func:`rerun` gives that result).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from tradesim.model.counterfactual import counterfactual
from tradesim.results.result import Result
from tradesim.results.units import NOISE_PCT
from tradesim.scenario.apply import policy_from_scenario
from tradesim.scenario.spec import resolve_reference

#: trade elasticities outside this range are flagged as extreme.
ELASTICITY_RANGE = (1.5, 20.0)
#: the uniform set the flagged figures are shown under.
COMPARISON_SET = "U4"


def rerun(result: Result, elasticity_set: str = COMPARISON_SET) -> Result:
    """The same scenario solved again on the same baseline with another published
    elasticity set (``Baseline.with_elasticities``); not recorded in the store."""
    base = result.baseline.with_elasticities(elasticity_set)
    scn = result.scenario
    policy = policy_from_scenario(scn, base)
    ref = resolve_reference(scn)
    reference = policy_from_scenario(ref, base) if ref is not None else None
    start = time.perf_counter()
    solution = counterfactual(base, policy, result.solution.closure, None, reference)
    return Result(scn, base, solution, time.perf_counter() - start, policy.notes)


def sector_changes(result: Result, country: str, compare: Result | None = None) -> pd.DataFrame:
    """One row per sector of ``country``: ``sector`` (code), ``label`` ("name (code)"),
    gross output ``before_usd``/``after_usd``, ``change_usd``, ``change_pct``,
    ``trade_elasticity``, ``extreme_elasticity`` (outside :data:`ELASTICITY_RANGE`),
    and, with ``compare`` (the same scenario under another elasticity set),
    ``change_pct_<set>`` and ``change_usd_<set>``."""
    if country not in result.countries:
        from tradesim.errors import ScenarioError

        raise ScenarioError(f"country {country!r} is not in baseline {result.baseline.name}")
    out = result.output()
    out = out[out["country"] == country].set_index("sector")
    usd = result.usd_per_unit
    theta = np.asarray(result.baseline.ds["trade_elasticity"].values, float)
    lo, hi = ELASTICITY_RANGE
    df = pd.DataFrame({
        "label": [result.sector_labels[s] for s in out.index],
        "before_usd": out["before"].to_numpy() * usd,
        "after_usd": out["after"].to_numpy() * usd,
    }, index=out.index)
    df["change_usd"] = df["after_usd"] - df["before_usd"]
    df["change_pct"] = out["change_pct"].to_numpy()
    df["trade_elasticity"] = theta
    df["extreme_elasticity"] = (theta < lo) | (theta > hi)
    if compare is not None:
        name = str(compare.baseline.ds.attrs.get("elasticity_set", "other"))
        other = sector_changes(compare, country)
        df[f"change_pct_{name}"] = other["change_pct"].to_numpy()
        df[f"change_usd_{name}"] = other["change_usd"].to_numpy()
    return df.reset_index()


def most_affected_sectors(result: Result, country: str, k: int = 5, compare: Result | None = None) -> pd.DataFrame:
    """The ``k`` largest gainers and the ``k`` largest losers among ``country``'s sectors
    by the change in gross output in US dollars (column ``side``: ``"gain"`` or
    ``"loss"``; gainers first, largest first), with the columns of :func:`sector_changes`.
    Sectors whose output does not move (by more than numerical noise, or has no output) are left out."""
    df = sector_changes(result, country, compare)
    df = df[np.isfinite(df["change_pct"]) & (df["change_pct"].abs() > NOISE_PCT)]
    gain = df[df["change_usd"] > 0].sort_values("change_usd", ascending=False).head(k).assign(side="gain")
    loss = df[df["change_usd"] < 0].sort_values("change_usd").head(k).assign(side="loss")
    return pd.concat([gain, loss], ignore_index=True)
