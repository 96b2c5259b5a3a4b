"""Waterfall chart of an attribution: the reference world, each group's contribution, the total."""

from __future__ import annotations


def waterfall(att, country: str, result: str = "welfare_pct"):
    """A Plotly waterfall of ``country``'s ``result`` (a country column of
    :meth:`tradesim.results.attribution.Attribution.table`, default welfare in %): from the
    reference world (0) through each group's contribution to the exact total."""
    import plotly.graph_objects as go

    df = att.table([country]).set_index("group")[result]
    groups = list(att.groups)
    unit = "%" if result.endswith("_pct") else att.units
    fmt = (lambda v: f"{v:+.3f}") if result.endswith("_pct") else (lambda v: f"{v:+,.0f}")  # noqa: E731
    fig = go.Figure(go.Waterfall(
        x=["reference"] + groups + ["total"], measure=["absolute"] + ["relative"] * len(groups) + ["total"],
        y=[0.0] + [float(df[g]) for g in groups] + [0.0],
        text=[""] + [fmt(float(df[g])) for g in groups] + [fmt(float(df["total"]))], textposition="outside",
        connector={"line": {"color": "#999"}}))
    label = {"welfare_pct": "welfare (real income)", "ev": "equivalent variation"}.get(result, result)
    quadrature = att.quadrature_error.get(result, 0.0) if att.method == "path" else 0.0
    accuracy = f"; each share within about {quadrature:.0e}" if quadrature else ""
    fig.update_layout(title=f"{country}: {label} in {att.scenario}, by {att.by} ({att.method}; contributions add "
                            f"up within {att.accuracy.get(result, float('nan')):.0e}{accuracy})",
                      yaxis_title=unit, height=480, showlegend=False)
    return fig
