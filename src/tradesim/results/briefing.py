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

from tradesim.errors import OptionError
from tradesim.literals import check_choice
from tradesim.results.result import Result
from tradesim.results.units import pct_decimals


def title(result: Result) -> str:
    """The briefing's title: the scenario's own name and the world it runs on."""
    return f"{result.scenario.name} — {result.baseline.name}"


def gainers_losers(result: Result, k: int = 5, by: str = "ev_usd") -> pd.DataFrame:
    """The ``k`` countries that gain most and the ``k`` that lose most, ranked by ``by``
    (``"ev_usd"`` or ``"welfare_pct"``); columns ``country``, ``country_name``,
    ``side`` (``"gain"``/``"loss"``), ``welfare_pct``, ``ev_usd``. Countries whose
    welfare does not move are in neither list."""
    check_choice("by", by, ("ev_usd", "welfare_pct"), OptionError)
    w = result.welfare()
    names = dict(zip(result.countries, (str(x) for x in result.baseline.ds["country_name"].values))) \
        if "country_name" in result.baseline.ds.coords else {}
    w = w.assign(country_name=[names.get(c, c) for c in w.index])[["country_name", "welfare_pct", "ev_usd"]]
    gain = w[w[by] > 0].sort_values(by, ascending=False).head(k).assign(side="gain")
    loss = w[w[by] < 0].sort_values(by).head(k).assign(side="loss")
    return pd.concat([gain, loss]).reset_index()[["country", "country_name", "side", "welfare_pct", "ev_usd"]]


def diversion_blocks(result: Result, top: int = 5, max_tables: int = 3, more: str = "more sectors") -> list[dict]:
    """The diversion every front end shows: per (measure, importer), at most ``max_tables``,
    ``sectors`` (the touched sectors in words, the first three named, then "and N ``more``"),
    ``decimals`` for its % column and ``rows`` (its part of :meth:`Result.diversion`)."""
    blocks = []
    for (measure, importer), g in list(result.diversion(top=top).groupby(["measure", "importer"],
                                                                         sort=False))[:max_tables]:
        codes = g["sectors"].iloc[0].split(",")
        sectors = ", ".join(result.sector_labels[s] for s in codes[:3]) + (
            f" and {len(codes) - 3} {more}" if len(codes) > 3 else "")
        blocks.append({"measure": measure, "importer": importer, "sectors": sectors,
                       "decimals": pct_decimals(g.loc[g.role != "total", "change_pct"].dropna()), "rows": g})
    return blocks


def named_countries(scenario) -> list[str]:
    """Countries the scenario's measures name (importers and exporters), in order."""
    named: list[str] = []
    for m in scenario.measures:
        for key in ("importer", "exporter"):
            sel = m.selectors.get(key)
            if sel != "all" and sel is not None:
                named += [c for c in sel if c not in named]
    return named


def sector_bars(sectors: pd.DataFrame, country: str, title: str | None = None):
    """Horizontal bars of a country's sectors that gain and lose most (rows of
    :func:`tradesim.results.sectors.most_affected_sectors`): change in gross output,
    USD bn, labelled "name (code)", the % change and level in the hover; a sector
    with an extreme trade elasticity is marked "!" (and its U4 figure in the hover)."""
    import plotly.graph_objects as go

    from tradesim.results.units import fmt_pct, fmt_usd

    df = sectors.sort_values("change_usd")
    u4 = [c for c in df.columns if c.startswith("change_pct_")]
    labels = [("! " if r.extreme_elasticity else "") + r.label for r in df.itertuples()]
    hover = []
    for r in df.to_dict("records"):
        text = (f"{r['label']}<br>output {fmt_usd(r['before_usd'])}, change {fmt_usd(r['change_usd'])} "
                f"({fmt_pct(r['change_pct'])})<br>trade elasticity {r['trade_elasticity']:.3g}")
        if r["extreme_elasticity"]:
            text += " (outside 1.5-20)" + "".join(f"<br>under {c.removeprefix('change_pct_')}: {fmt_pct(r[c])}"
                                                  for c in u4)
        hover.append(text)
    fig = go.Figure(go.Bar(y=labels, x=list(df["change_usd"] / 1e9), orientation="h",
                           marker_color=["#b2182b" if v < 0 else "#2166ac" for v in df["change_usd"]],
                           text=[fmt_usd(r["change_usd"]) + "".join(
                               f" ({fmt_pct(r['change_pct'])}; {c.removeprefix('change_pct_')}: {fmt_pct(r[c])})"
                               for c in u4 if r["extreme_elasticity"]) for r in df.to_dict("records")],
                           textposition="auto",
                           hovertext=hover, hoverinfo="text"))
    fig.update_layout(title=title or f"{country}: sectors that gain and lose most (gross output, USD bn)",
                      xaxis_title="change in gross output, USD bn", height=140 + 34 * len(df),
                      margin={"l": 10, "r": 10, "t": 50, "b": 40}, yaxis={"automargin": True})
    return fig
