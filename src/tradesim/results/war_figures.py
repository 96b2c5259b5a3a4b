"""Figures of a solved global tariff war (:func:`tradesim.strategy.war.global_war`): the welfare
map and the Nash tariff-welfare chart, for the HTML report, ``tradesim war --html`` and the
dashboard.

The functions take any object with the attributes of
:class:`~tradesim.strategy.war.GlobalWar` (``model``, ``elasticity_set``, ``table`` with
``country``, ``nash_tariff_pct``, ``welfare_pct``, ``ev_usd_million``) so that this layer does
not import the strategy layer that solves the war.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tradesim.results.maps import welfare_map
from tradesim.results.units import fmt_usd

HIGHLIGHT = "JPN"


def war_welfare(war) -> pd.DataFrame:
    """The war's tidy welfare table with ``ev_usd`` (USD; the war's EV is in USD million)."""
    t = war.table[["country", "nash_tariff_pct", "welfare_pct", "ev_usd_million"]].copy()
    t["ev_usd"] = t["ev_usd_million"] * 1e6
    return t


def war_map(war):
    """Choropleth of each economy's welfare change (exact real income, %) in the war."""
    return welfare_map(war_welfare(war), f"Global tariff war ({war.model}, set {war.elasticity_set}): "
                                         "welfare change, %")


def war_chart(war, highlight: str = HIGHLIGHT):
    """Plotly scatter: each economy's Nash tariff (x) against its welfare change (y), the
    ``highlight`` economy marked (a second trace named after it); marker size by the
    equivalent variation."""
    import plotly.graph_objects as go

    t = war.table
    size = 6 + 30 * np.sqrt(t["ev_usd_million"].abs() / max(float(t["ev_usd_million"].abs().max()), 1e-12))
    fig = go.Figure(go.Scatter(x=t["nash_tariff_pct"], y=t["welfare_pct"], mode="markers+text", text=t["country"],
                               textposition="top center", marker={"size": size, "color": "#4c78a8", "opacity": 0.7},
                               hovertemplate="%{text}: tariff %{x:.2f}%, welfare %{y:.3f}%<extra></extra>",
                               name="economies"))
    hit = t[t["country"] == highlight]
    if not hit.empty:
        r = hit.iloc[0]
        fig.add_scatter(x=[r["nash_tariff_pct"]], y=[r["welfare_pct"]], mode="markers", name=highlight,
                        marker={"size": 16, "color": "#e45756", "symbol": "star"})
    fig.update_layout(title=f"Global tariff war ({war.model}, set {war.elasticity_set}): Nash tariff and welfare",
                      xaxis_title="Nash tariff, %", yaxis_title="welfare (exact real income), %", height=560)
    return fig


def war_summary(war, highlight: str = HIGHLIGHT) -> str:
    """One plain sentence: the mean Nash tariff and welfare, the fall in world trade, ``highlight``'s line."""
    t = war.table
    text = (f"Mean Nash tariff {t['nash_tariff_pct'].mean():.2f}%, mean welfare {t['welfare_pct'].mean():+.3f}% "
            f"(simple means over {len(t)} economies); world trade {war.world_trade_change_pct:+.1f}%.")
    hit = t[t["country"] == highlight]
    if not hit.empty:
        r = hit.iloc[0]
        text += (f" {highlight}: Nash tariff {r['nash_tariff_pct']:.2f}%, welfare {r['welfare_pct']:+.3f}% "
                 f"({fmt_usd(r['ev_usd_million'] * 1e6)}).")
    return text
