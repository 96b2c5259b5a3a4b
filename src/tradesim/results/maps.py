"""World maps of a result: a choropleth of welfare by country, drawn offline.

plotly.js draws ``locationmode="ISO-3"`` maps from a TopoJSON file it would fetch
from a CDN; tradesim ships that file (``data/builtin/world_110m.json``, provenance in
``data/builtin/PROVENANCE.md``). The dashboard serves it; a standalone HTML page
inlines it with :func:`geo_assets_script`, which plotly.js reads before fetching.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd

from tradesim.results.units import fmt_pct, fmt_usd, pct_decimals

DIVERGING = "RdBu"


def plain(text: str) -> str:
    """User text (scenario names) for a chart: Plotly reads a little HTML in labels, so no tags."""
    return str(text).replace("<", "‹").replace(">", "›")


def topojson_path():
    """The shipped world outlines (TopoJSON, ISO3 ids)."""
    return resources.files("tradesim.data") / "builtin" / "world_110m.json"


@lru_cache(maxsize=1)
def geo_assets_script() -> str:
    """``<script>`` that hands plotly.js the world outlines, for an HTML page that must draw
    maps offline (put it before the figures; about 140 kB)."""
    text = topojson_path().read_text(encoding="utf-8")
    return f"<script>window.PlotlyGeoAssets = {{topojson: {{world_110m: {text}}}}};</script>"


def welfare_map(welfare: pd.DataFrame, title: str = "Welfare change (exact real income, %)",
                names: dict[str, str] | None = None):
    """Choropleth of ``welfare_pct`` (the exact real-income change) by ISO3 country, the
    country's name, the % and the EV in USD in the hover (aggregates such as ROW are not
    on the map; they stay in the table). ``welfare`` is tidy: columns ``country``,
    ``welfare_pct`` and optionally ``ev_usd``."""
    import plotly.graph_objects as go

    w = welfare[welfare["country"].str.fullmatch(r"[A-Z]{3}") & (welfare["country"] != "ROW")]
    lim = float(w["welfare_pct"].abs().max()) or 1.0
    d = pct_decimals(w["welfare_pct"])
    names = names or {}
    ev = w["ev_usd"] if "ev_usd" in w else [float("nan")] * len(w)
    text = [f"{names.get(c, c)} ({c}): {fmt_pct(v, d)}, EV {fmt_usd(e)}" for c, v, e in zip(w["country"], w["welfare_pct"], ev)]
    fig = go.Figure(go.Choropleth(locations=list(w["country"]), z=list(w["welfare_pct"]), locationmode="ISO-3",
                                  colorscale=DIVERGING, zmin=-lim, zmax=lim, marker_line_width=0.3,
                                  colorbar={"title": "%", "tickformat": f".{d}f"}, text=text,
                                  hovertemplate="%{text}<extra></extra>"))
    fig.update_layout(title=plain(title), height=460, margin={"l": 0, "r": 0, "t": 40, "b": 0},
                      geo={"showframe": False, "showcoastlines": True, "center": {"lon": 0, "lat": 10},
                           "projection": {"type": "natural earth", "rotation": {"lon": 0}},
                           "lonaxis": {"range": [-180, 180]}})
    return fig
