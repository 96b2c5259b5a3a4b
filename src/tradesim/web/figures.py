"""The dashboard's charts: Plotly figures built from a stored run's tables.

Each function takes tidy tables (as :class:`~tradesim.results.store.RunStore`
gives them: the same columns as :meth:`Result.welfare` and friends) and
returns a ``plotly.graph_objects.Figure``; values are percent changes (welfare:
the exact real-income change), shown with fixed decimals per chart.
"""

from __future__ import annotations

import pandas as pd

# The welfare map is drawn where the HTML reports draw it too (offline outlines).
from tradesim.results.maps import DIVERGING, plain, welfare_map  # noqa: E402,F401


def scenario_bars(table: pd.DataFrame, countries: list[str], elasticity_set: str | None = None,
                  adhoc: bool = False):
    """Grouped bars: welfare (exact real income, %) of ``countries`` in each scenario.

    ``table`` has columns ``scenario``, ``country``, ``welfare_pct`` (one row
    per scenario and country), runs on one baseline and elasticity set.
    """
    import plotly.graph_objects as go

    from tradesim.results.units import pct_decimals

    table = table.assign(scenario=table["scenario"].map(plain))
    scenarios = list(dict.fromkeys(table["scenario"]))
    d = pct_decimals(table["welfare_pct"])
    fig = go.Figure()
    for c in countries:
        rows = table[table["country"] == c].set_index("scenario").reindex(scenarios)
        fig.add_bar(name=c, x=scenarios, y=list(rows["welfare_pct"]),
                    hovertemplate=c + " %{x}: %{y:+." + str(d) + "f}%<extra></extra>")
    which = "library and ad-hoc runs" if adhoc else "library scenarios"
    fig.update_layout(title=f"Welfare by scenario (exact, %): {which}, elasticities {elasticity_set or 'baseline'}",
                      barmode="group", height=420, yaxis_title="% of income", yaxis_tickformat=f".{d}f",
                      legend_title="country")
    return fig


def sector_output(output: pd.DataFrame, country: str, labels: dict[str, str] | None = None,
                  usd_per_unit: float | None = None):
    """Horizontal bars: % change of ``country``'s gross output by sector, "name (code)",
    sorted; the level and the change in USD in the hover (``usd_per_unit`` converts the
    baseline's units)."""
    import plotly.graph_objects as go

    from tradesim.results.units import fmt_pct, fmt_usd, pct_decimals

    o = output[output["country"] == country].sort_values("change_pct")
    labels = labels or {}
    d = pct_decimals(o["change_pct"].dropna())
    usd = usd_per_unit or float("nan")
    text = [f"{labels.get(s, s)}: {fmt_pct(p, d)}; output {fmt_usd(b * usd)}, change {fmt_usd((a - b) * usd)}"
            for s, p, b, a in zip(o["sector"], o["change_pct"], o["before"], o["after"])]
    fig = go.Figure(go.Bar(y=[labels.get(s, s) for s in o["sector"]], x=list(o["change_pct"]), orientation="h",
                           marker_color=["#b2182b" if v < 0 else "#2166ac" for v in o["change_pct"].fillna(0)],
                           hovertext=text, hoverinfo="text"))
    fig.update_layout(title=f"{country}: gross output by sector (% change)", height=max(420, 22 * len(o) + 80),
                      xaxis_title="%", xaxis_tickformat=f".{d}f", yaxis={"automargin": True},
                      margin={"l": 10, "r": 10, "t": 40, "b": 40})
    return fig


def trade_matrix(bilateral: pd.DataFrame, countries: list[str]):
    """Heatmap: % change of trade, importer (rows) by exporter (columns), all sectors."""
    import plotly.graph_objects as go

    b = bilateral[bilateral["importer"].isin(countries) & bilateral["exporter"].isin(countries)]
    m = b.pivot(index="importer", columns="exporter", values="change_pct").reindex(index=countries, columns=countries)
    lim = float(m.abs().max().max()) if m.notna().any().any() else 1.0
    fig = go.Figure(go.Heatmap(z=m.values.tolist(), x=countries, y=countries, colorscale=DIVERGING,
                               zmin=-lim, zmax=lim, colorbar={"title": "%"},
                               hovertemplate="%{y} imports from %{x}: %{z:+.3f}%<extra></extra>"))
    fig.update_layout(title="Bilateral trade change (%), importer × exporter", height=560,
                      xaxis_title="exporter", yaxis_title="importer", yaxis_autorange="reversed")
    return fig


def matrix_countries(bilateral: pd.DataFrame, country: str, k: int = 15) -> list[str]:
    """The ``k`` largest traders (baseline flows) plus ``country``, in that order."""
    size = bilateral.groupby("importer")["before"].sum() + bilateral.groupby("exporter")["before"].sum()
    top = list(size.sort_values(ascending=False).index[:k])
    return top if country in top or country not in size.index else [country] + top[:k - 1]


def compare_bars(table: pd.DataFrame, a: str, b: str, k: int = 20):
    """Side-by-side welfare of two runs for the ``k`` countries that differ most."""
    import plotly.graph_objects as go

    t = table.reindex(table["difference"].abs().sort_values(ascending=False).index).head(k)
    fig = go.Figure([go.Bar(name=a, x=list(t.index), y=list(t[a])), go.Bar(name=b, x=list(t.index), y=list(t[b]))])
    fig.update_layout(title="Welfare (exact real income, %): two runs side by side", barmode="group", height=420)
    return fig
