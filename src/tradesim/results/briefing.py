"""The briefing: who gains and who loses, by how much, in which sectors, who takes the trade.

One place that the CLI (``tradesim run``), the HTML report and the dashboard take
their first screen from, so that they say the same thing: countries ranked by the
equivalent variation in US dollars and by the exact welfare change in percent,
the chosen countries' sectors ranked by the change in output in US dollars
(:mod:`tradesim.results.sectors`), and the trade diversion of every bilateral
measure (:mod:`tradesim.results.diversion`).
"""

from __future__ import annotations

import pandas as pd

from tradesim.results.result import Result


def title(result: Result) -> str:
    """The briefing's title: the scenario's own name and the world it runs on."""
    return f"{result.scenario.name} — {result.baseline.name}"


def gainers_losers(result: Result, k: int = 5, by: str = "ev_usd") -> pd.DataFrame:
    """The ``k`` countries that gain most and the ``k`` that lose most, ranked by ``by``
    (``"ev_usd"`` or ``"welfare_pct"``); columns ``country``, ``country_name``,
    ``side`` (``"gain"``/``"loss"``), ``welfare_pct``, ``ev_usd``. Countries whose
    welfare does not move are in neither list."""
    if by not in ("ev_usd", "welfare_pct"):
        raise ValueError("by must be 'ev_usd' or 'welfare_pct'")
    w = result.welfare()
    names = dict(zip(result.countries, (str(x) for x in result.baseline.ds["country_name"].values))) \
        if "country_name" in result.baseline.ds.coords else {}
    w = w.assign(country_name=[names.get(c, c) for c in w.index])[["country_name", "welfare_pct", "ev_usd"]]
    gain = w[w[by] > 0].sort_values(by, ascending=False).head(k).assign(side="gain")
    loss = w[w[by] < 0].sort_values(by).head(k).assign(side="loss")
    return pd.concat([gain, loss]).reset_index()[["country", "country_name", "side", "welfare_pct", "ev_usd"]]


def named_countries(scenario) -> list[str]:
    """Countries the scenario's measures name (importers and exporters), in order."""
    named: list[str] = []
    for m in scenario.measures:
        for key in ("importer", "exporter"):
            sel = m.selectors.get(key)
            if sel != "all" and sel is not None:
                named += [c for c in sel if c not in named]
    return named
