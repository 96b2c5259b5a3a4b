r"""Structural gravity sector by sector (Yotov et al. 2016, ch. 1 sect. "sectoral gravity").

With a ``sector`` column the panel holds one gravity system per sector. Each sector
is its own endowment economy: its own PPML estimate, elasticity ``sigma_s``,
multilateral resistances, factory-gate prices and output ``Y_is`` / expenditure
``E_js`` (the columns named by :class:`GravityData`, per sector). Sectors are linked
by nothing in this model (no input-output links, no labour moving between them:
that is the Caliendo-Parro engine, :mod:`tradesim.model`), so each sector's
counterfactual is the one-sector model of :mod:`tradesim.model.gravity.ge`, solved with
the same checks. Each sector's prices are relative to its reference importer's
price index in that sector; the cross-sector totals of flows are therefore sums of
values in the sectors' own numeraires (documented in ``docs/gravity.md``).

Example
-------
>>> panels = split_sectors(data)                                                    # doctest: +SKIP
>>> ests = {s: estimate_ppml(d, "trade ~ lndist + pta") for s, d in panels.items()}  # doctest: +SKIP
>>> bases = build_sector_baselines(panels, ests, sigma={"agri": 6, "manuf": 4})      # doctest: +SKIP
>>> res = simulate_sectors(bases, experiment)                                        # doctest: +SKIP
>>> res.table().loc["agri"]                                                          # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tradesim.errors import DataError, ScenarioError
from tradesim.gravity.data import GravityData
from tradesim.gravity.experiment import Experiment
from tradesim.model.gravity.ge import GEBaseline, GravityResult, build_baseline, simulate
from tradesim.model.newton import NewtonOptions


def split_sectors(data: GravityData, sector: str = "sector") -> dict[str, GravityData]:
    """One panel per value of the ``sector`` column, in sorted order."""
    if sector not in data.frame.columns:
        raise DataError(f"gravity data lacks the sector column {sector!r}")
    if data.frame[sector].isna().any():
        raise DataError(f"sector column {sector!r} has missing values")
    out = {}
    for name, rows in data.frame.groupby(sector, sort=True):
        out[str(name)] = GravityData(rows.drop(columns=[sector]).reset_index(drop=True), data.exporter,
                                     data.importer, data.year, data.trade, data.output, data.expenditure)
    return out


def _per_sector(value, sectors, what: str) -> dict:
    if isinstance(value, Mapping) and not hasattr(value, "coef"):
        # a mapping of coefficient names would also be a Mapping: per-sector ones are keyed by sector
        if set(value) & set(sectors):
            missing = [s for s in sectors if s not in value]
            if missing:
                raise ScenarioError(f"{what} missing for sector(s) {', '.join(missing)}")
            return {s: value[s] for s in sectors}
    return {s: value for s in sectors}


def build_sector_baselines(panels: Mapping[str, GravityData], coefficients, *, sigma=5.0, reference: str = "DEU",
                           year=None, options: NewtonOptions | None = None) -> dict[str, GEBaseline]:
    """Solve each sector's baseline resistances.

    coefficients : one set for all sectors, or ``{sector: coefficients}`` (estimates,
        Series or dicts). sigma : one value or ``{sector: sigma}``.
    """
    sectors = list(panels)
    if not sectors:
        raise DataError("no sectors to build")
    coefs = _per_sector(coefficients, sectors, "coefficients")
    sigmas = _per_sector(sigma, sectors, "sigma")
    out = {}
    for s in sectors:
        try:
            out[s] = build_baseline(panels[s], coefs[s], sigma=sigmas[s], reference=reference, year=year,
                                    options=options)
        except (DataError, ScenarioError) as err:
            raise type(err)(f"sector {s!r}: {err}") from err
    return out


@dataclass(frozen=True)
class SectoralResult:
    """Counterfactuals of every sector: ``results[sector]`` is a :class:`GravityResult`."""

    results: dict[str, GravityResult]

    def table(self) -> pd.DataFrame:
        """Country results in percent, indexed by (sector, country)."""
        return pd.concat({s: r.table() for s, r in self.results.items()}, names=["sector"])

    def totals(self) -> pd.DataFrame:
        """Per country, the percent change of flows summed over sectors: foreign exports,
        foreign imports, intranational trade (values in each sector's own numeraire)."""
        first = next(iter(self.results.values()))
        n = len(first.countries)
        off = ~np.eye(n, dtype=bool)
        acc = {k: np.zeros(n) for k in ("ex0", "ex1", "im0", "im1", "in0", "in1")}
        for r in self.results.values():
            if r.countries != first.countries:
                raise DataError("sectors have different country sets; totals need the same countries")
            for t, tag in ((r.values["trade0"], "0"), (r.values["trade1"], "1")):
                acc["ex" + tag] += (t * off).sum(axis=0)
                acc["im" + tag] += (t * off).sum(axis=1)
                acc["in" + tag] += np.diag(t)
        pct = lambda a, b: 100.0 * (a / b - 1.0)  # noqa: E731
        return pd.DataFrame({"exports_pct": pct(acc["ex1"], acc["ex0"]), "imports_pct": pct(acc["im1"], acc["im0"]),
                             "intranational_pct": pct(acc["in1"], acc["in0"])},
                            index=pd.Index(first.countries, name="country"))


def simulate_sectors(bases: Mapping[str, GEBaseline], experiment: Experiment | Mapping[str, Experiment], *,
                     compat: str | None = None, options: NewtonOptions | None = None) -> SectoralResult:
    """Solve every sector's counterfactual.

    experiment : one experiment for all sectors, or ``{sector: experiment}``; a sector
        left out of the mapping keeps its baseline costs (and so does not move: sectors
        are independent endowment economies).
    """
    if isinstance(experiment, Mapping):
        unknown = [s for s in experiment if s not in bases]
        if unknown:
            raise ScenarioError(f"experiment names unknown sector(s) {', '.join(map(str, unknown))}; "
                                f"sectors are {', '.join(bases)}")
        per = {s: experiment.get(s, Experiment(f"{s}: no change", ())) for s in bases}
    else:
        per = {s: experiment for s in bases}
    return SectoralResult({s: simulate(bases[s], per[s], compat=compat, options=options) for s in bases})
