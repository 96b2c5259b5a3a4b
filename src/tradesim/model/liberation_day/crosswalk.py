"""A Liberation Day tariff schedule on another model's economies (for ``tradesim compare-models``).

The schedule is the (importer, exporter) tariff matrix of a Liberation Day scenario on the
194 BACI economies, from zero baseline tariffs. On a baseline with other economies (the
81 of ``icio2022``) each named economy keeps its own rates; an aggregate (``ROW``) gets
the trade-weighted mean rate over the BACI economies it stands for (weights: the BACI
flows they pay or charge it on); an economy missing from BACI (``TWN``, ``STP``: the
authors' data have no Taiwan) is charged the schedule's floor, 10%, and charges nothing.
The rates are *added* to the other baseline's applied tariffs (the Liberation Day
duties came on top of existing ones; the Liberation Day model starts from zero).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tradesim.model.liberation_day.inputs import LDInputs
from tradesim.model.liberation_day.tariffs import USTR_FLOOR


def map_schedule(inputs: LDInputs, tariff: np.ndarray, economies: list[str], rest: str = "ROW",
                 floor: float = USTR_FLOOR) -> pd.DataFrame:
    """Tidy ``(importer, exporter, rate, note)`` of the nonzero rates on ``economies``."""
    own = {c: i for i, c in enumerate(inputs.countries)}
    named = [c for c in economies if c != rest]
    rest_members = [i for c, i in own.items() if c not in named]
    groups = {c: ([own[c]] if c in own else []) for c in named}
    if rest in economies:
        groups[rest] = rest_members
    flows = inputs.flows
    rows = []
    for imp, ii in groups.items():
        for exp, jj in groups.items():
            if imp == exp:
                continue
            note = ""
            if ii and jj:
                w = flows[np.ix_(ii, jj)]
                t = tariff[np.ix_(ii, jj)]
                rate = float((w * t).sum() / w.sum()) if w.sum() > 0 else float(t.mean())
                if len(ii) > 1 or len(jj) > 1:
                    note = f"trade-weighted mean over {max(len(ii), len(jj))} BACI economies"
            elif ii and not jj and _universal(tariff, ii, floor):
                rate, note = floor, "not in the BACI data: the schedule's floor"
            else:
                rate = 0.0
            if rate > 0:
                rows.append((imp, exp, rate, note))
    return pd.DataFrame(rows, columns=["importer", "exporter", "rate", "note"])


def _universal(tariff: np.ndarray, importers: list[int], floor: float) -> bool:
    """Whether the importers charge every other economy at least ``floor`` (a floored schedule)."""
    others = [k for k in range(tariff.shape[0]) if k not in importers]
    return bool(tariff[np.ix_(importers, others)].min() >= floor - 1e-12)


def cp_scenario_dict(rates: pd.DataFrame, name: str, source: str, baseline: str = "icio2022") -> dict:
    """A tradesim (Caliendo-Parro) scenario table adding ``rates`` on every goods sector."""
    measures = [{"kind": "tariff", "label": f"{r.importer} on {r.exporter}", "importer": r.importer,
                 "exporter": r.exporter, "sector": "goods", "add": float(r.rate),
                 "source": f"Liberation Day schedule ({r.note or 'same economy'})"} for r in rates.itertuples()]
    return {"name": name, "baseline": baseline, "source": source,
            "description": "the Liberation Day model's tariff schedule mapped onto this baseline's economies",
            "measures": measures}
