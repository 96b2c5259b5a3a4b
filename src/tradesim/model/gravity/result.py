"""Results of a structural-gravity counterfactual (:func:`tradesim.model.gravity.ge.simulate`):
the country table in percent changes, as gegravity reports them, the bilateral flows and trade
shares. :class:`GravityResult` is a family result (:class:`tradesim.model.family.FamilyResult`):
``welfare_pct()`` (the exact change of real expenditure ``E/P``), ``tables()``, ``summary()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tradesim.errors import ScenarioError
from tradesim.gravity.experiment import Experiment
from tradesim.gravity.literals import Compat

if TYPE_CHECKING:
    from tradesim.model.gravity.ge import GEBaseline


@dataclass(frozen=True)
class GravityResult:
    """A solved counterfactual. Arrays (importer, exporter) or (N,), float64.

    values: ``p_hat``, ``imr_hat`` (P'/P), ``omr_hat`` (Pi'/Pi), ``output0``,
    ``output1``, ``expenditure0``, ``expenditure1``, ``trade0``, ``trade1``.
    """

    baseline: GEBaseline
    experiment: Experiment
    compat: Compat
    values: dict
    iterations: int
    residuals: dict

    @property
    def countries(self):
        return self.baseline.countries

    @property
    def max_residual(self) -> float:
        return max(self.residuals.values())

    def table(self) -> pd.DataFrame:
        """Country-level results in percent changes, as gegravity reports them."""
        return country_table(self)

    def bilateral(self) -> pd.DataFrame:
        v, c = self.values, self.countries
        n = len(c)
        return pd.DataFrame({"exporter": np.tile(c, n), "importer": np.repeat(c, n),
                             "baseline": v["trade0"].ravel(), "experiment": v["trade1"].ravel(),
                             "change_pct": 100 * (v["trade1"] / v["trade0"] - 1).ravel()})

    def trade_share(self, importers, exporters) -> pd.DataFrame:
        """Share (%) of ``importers``' total purchases (domestic included) bought from
        ``exporters``, and of ``exporters``' total sales going to ``importers``."""
        idx = {k: i for i, k in enumerate(self.countries)}
        unknown = [x for x in (*importers, *exporters) if x not in idx]
        if unknown:
            raise ScenarioError(f"unknown country code(s) {', '.join(unknown)}")
        im, ex = [idx[x] for x in importers], [idx[x] for x in exporters]
        rows = []
        for key in ("trade0", "trade1"):
            t = self.values[key]
            rows.append((100 * t[np.ix_(im, ex)].sum() / t[im, :].sum(), 100 * t[np.ix_(im, ex)].sum() / t[:, ex].sum()))
        out = pd.DataFrame({"description": [f"% of {', '.join(importers)} imports from {', '.join(exporters)}",
                                            f"% of {', '.join(exporters)} exports to {', '.join(importers)}"],
                            "baseline": [rows[0][0], rows[0][1]], "experiment": [rows[1][0], rows[1][1]]})
        out["change_pp"] = out["experiment"] - out["baseline"]
        out["change_pct"] = 100 * (out["experiment"] / out["baseline"] - 1)
        return out

    # -- the family-result protocol (tradesim.model.family.FamilyResult) ----------------------
    def welfare_pct(self) -> pd.Series:
        """Per country, the exact welfare change in percent: real expenditure ``E'/P' / (E/P)``."""
        return self.table()["welfare_pct"]

    def tables(self) -> dict[str, pd.DataFrame]:
        """``countries`` (:meth:`table`) and ``bilateral`` (:meth:`bilateral`), tidy."""
        return {"countries": self.table().reset_index(), "bilateral": self.bilateral()}

    def summary(self) -> dict:
        """JSON-ready: experiment, model, mode, solver record, and per country the table's columns."""
        t = self.table()
        return {"scenario": self.experiment.name, "model": "gravity", "compat": self.compat,
                "iterations": int(self.iterations), "max_residual": float(self.max_residual),
                "countries": {c: {k: float(v) for k, v in row.items()} for c, row in t.iterrows()}}


def _pct(new, old):
    return 100.0 * (np.asarray(new) / np.asarray(old) - 1.0)


def country_table(r: GravityResult) -> pd.DataFrame:
    """Percent changes per country: factory-gate price, multilateral resistances,
    terms of trade, real GDP (Y/P), welfare (E/P), output, expenditure, foreign
    exports and imports, shipments, consumption, intranational trade."""
    v = r.values
    t0, t1 = v["trade0"], v["trade1"]
    off = ~np.eye(len(r.countries), dtype=bool)

    def fx(t):  # foreign exports (by exporter), foreign imports (by importer)
        return (t * off).sum(axis=0), (t * off).sum(axis=1)

    ex0, im0 = fx(t0)
    ex1, im1 = fx(t1)
    p, P = v["p_hat"], v["imr_hat"]
    out = pd.DataFrame({
        "factory_gate_price_pct": _pct(p, 1.0),
        "imr_pct": _pct(P, 1.0), "omr_pct": _pct(v["omr_hat"], 1.0),
        "terms_of_trade_pct": _pct(p / P, 1.0),
        "gdp_pct": _pct(v["output1"] / P, v["output0"]),
        "welfare_pct": _pct(v["expenditure1"] / P, v["expenditure0"]),
        "output_pct": _pct(v["output1"], v["output0"]),
        "expenditure_pct": _pct(v["expenditure1"], v["expenditure0"]),
        "exports_pct": _pct(ex1, ex0), "imports_pct": _pct(im1, im0),
        "shipments_pct": _pct(t1.sum(axis=0), t0.sum(axis=0)),
        "consumption_pct": _pct(t1.sum(axis=1), t0.sum(axis=1)),
        "intranational_pct": _pct(np.diag(t1), np.diag(t0)),
    }, index=pd.Index(r.countries, name="country"))
    if r.compat == "gegravity":
        out["welfare_statistic"] = (v["expenditure0"] / 1.0) / (v["expenditure1"] / P)
    return out
