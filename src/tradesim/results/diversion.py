"""Trade diversion: where the importer's purchases go when a measure hits a flow.

For every bilateral measure of a scenario and every importer it hits, the
importer's purchases in the sectors the measure touches, by source, before and
after, in US dollars at basic prices (before tariffs, the exporters' sales):
its own production, each exporter the measure targets, and each third country.
The sources add up, by construction, to the change in the importer's total
purchases in those sectors (an identity the tests check against the
equilibrium's expenditure and trade shares).

>>> import tradesim                                              # doctest: +SKIP
>>> r = tradesim.run("scenarios/japan_chip_equipment_controls.toml")
>>> r.diversion().query("role != 'total'").head()               # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tradesim.results.result import Result
from tradesim.scenario.apply import Policy, apply_measure

ROLES = ("own production", "targeted", "third country")


def measure_masks(result: Result) -> dict[str, np.ndarray]:
    """Each measure of the scenario -> the (importer, exporter, sector) cells whose tariff
    or trade cost it changed (a product measure changes only its product's sectors, and
    a measure whose flows are all zero changes none: it is left out)."""
    base = result.baseline
    tariff = base.ds["tariff"].values.copy()
    policy = Policy(tariff=tariff, iceberg_hat=np.ones_like(tariff))
    masks = {}
    for measure in result.scenario.measures:
        t0, d0 = policy.tariff.copy(), policy.iceberg_hat.copy()
        apply_measure(measure, base, policy)
        changed = (policy.tariff != t0) | (policy.iceberg_hat != d0)
        if changed.any():
            masks[measure.where] = changed
    return masks


def diversion(result: Result, max_importers: int = 3) -> pd.DataFrame:
    """The diversion table (tidy), one row per measure, importer and source.

    Columns: ``measure``, ``importer``, ``sectors`` (codes, comma-separated),
    ``source`` (ISO3), ``role`` (one of :data:`ROLES`), ``before_usd``,
    ``after_usd``, ``change_usd``, ``change_pct``. Every source country appears
    (own production, every exporter), so the rows of a (measure, importer) add up
    exactly to the importer's change in purchases in those sectors. Measures that
    hit more than ``max_importers`` importers are shown for the ``max_importers``
    whose targeted purchases fall (or rise) most in US dollars.
    """
    flows = result.flow_arrays
    f0, f1 = flows["before"], flows["after"]
    usd = result.usd_per_unit
    countries = result.countries
    names = np.asarray(countries, dtype=object)
    frames = []
    for where, mask in measure_masks(result).items():
        importers = np.nonzero(mask.any(axis=(1, 2)))[0]
        hit = {n: np.abs(((f1 - f0)[n] * mask[n]).sum()) for n in importers}
        for n in sorted(importers, key=lambda n: -hit[n])[:max_importers]:
            sectors = np.nonzero(mask[n].any(axis=0))[0]
            targeted = mask[n][:, sectors].any(axis=1)
            role = np.where(np.arange(len(countries)) == n, ROLES[0], np.where(targeted, ROLES[1], ROLES[2]))
            frames.append(pd.DataFrame({
                "measure": where, "importer": countries[n],
                "sectors": ",".join(result.sectors[j] for j in sectors), "source": names, "role": role,
                "before_usd": f0[n][:, sectors].sum(axis=1) * usd, "after_usd": f1[n][:, sectors].sum(axis=1) * usd}))
    columns = ["measure", "importer", "sectors", "source", "role", "before_usd", "after_usd"]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    df["change_usd"] = df["after_usd"] - df["before_usd"]
    with np.errstate(divide="ignore", invalid="ignore"):
        df["change_pct"] = np.where(df["before_usd"] > 0, df["change_usd"] / df["before_usd"] * 100, np.nan)
    return df


def diversion_summary(table: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """Per (measure, importer): own production, each targeted exporter, the ``top``
    third countries by absolute change (named), the other third countries together,
    and the ``total``; ``role`` says which. The rows still add up to the total."""
    out = []
    for (measure, importer), g in table.groupby(["measure", "importer"], sort=False):
        keep = [g[g["role"] == ROLES[0]], g[g["role"] == ROLES[1]].sort_values("change_usd")]
        third = g[g["role"] == ROLES[2]]
        order = third["change_usd"].abs().sort_values(ascending=False).index
        keep.append(third.loc[order[:top]])
        rest = third.loc[order[top:]]
        if len(rest):
            keep.append(pd.DataFrame([{**rest.iloc[0].to_dict(), "source": f"{len(rest)} other countries",
                                       "before_usd": rest["before_usd"].sum(), "after_usd": rest["after_usd"].sum(),
                                       "change_usd": rest["change_usd"].sum()}]))
        keep.append(pd.DataFrame([{**g.iloc[0].to_dict(), "source": "total", "role": "total",
                                   "before_usd": g["before_usd"].sum(), "after_usd": g["after_usd"].sum(),
                                   "change_usd": g["change_usd"].sum()}]))
        out.append(pd.concat(keep, ignore_index=True))
    if not out:
        return table.iloc[0:0]
    df = pd.concat(out, ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        df["change_pct"] = np.where(df["before_usd"] > 0, df["change_usd"] / df["before_usd"] * 100, np.nan)
    return df
