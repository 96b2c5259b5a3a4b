"""Comparison tables and an HTML report over several solved scenarios.

The report is one self-contained HTML file (Plotly charts, the library inlined
once, so it opens offline): welfare by scenario, a country's sector output,
its trade with two partners, and the tables behind them.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from tradesim.results.result import Result


def welfare_matrix(results: list[Result], column: str = "welfare_pct") -> pd.DataFrame:
    """Scenarios (rows) x countries (columns) of one welfare column, in percent."""
    return pd.DataFrame({r.scenario.key: r.welfare()[column] for r in results}).T


def partner_trade(results: list[Result], country: str, partners: list[str]) -> pd.DataFrame:
    """Per scenario: % change of ``country``'s exports to and imports from each partner."""
    rows = []
    for r in results:
        b = r.bilateral_trade().set_index(["importer", "exporter"])
        for p in partners:
            rows.append({"scenario": r.scenario.key, "partner": p,
                         "exports_pct": b.loc[(p, country), "change_pct"],
                         "imports_pct": b.loc[(country, p), "change_pct"],
                         "exports_before": b.loc[(p, country), "before"],
                         "imports_before": b.loc[(country, p), "before"]})
    return pd.DataFrame(rows)


def sector_output(results: list[Result], country: str) -> pd.DataFrame:
    """Scenarios (rows) x sectors (columns): % change of ``country``'s gross output."""
    frames = {}
    for r in results:
        out = r.output()
        frames[r.scenario.key] = out[out["country"] == country].set_index("sector")["change_pct"]
    return pd.DataFrame(frames).T


def most_affected_sectors(result: Result, country: str, k: int = 5) -> pd.DataFrame:
    """The ``k`` sectors of ``country`` whose output changes most, in either direction."""
    out = result.output()
    out = out[out["country"] == country]
    return out.reindex(out["change_pct"].abs().sort_values(ascending=False).index).head(k)


def _figure_html(fig, first: bool) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=True if first else False,
                       config={"displaylogo": False})


def write_report(results: list[Result], path: str | Path, focus: tuple[str, ...] = ("JPN", "CHN", "USA"),
                 country: str = "JPN", partners: tuple[str, str] = ("CHN", "USA"), title: str | None = None,
                 attributions=()) -> Path:
    """Write the HTML report for ``results`` to ``path`` and return the path; ``attributions``
    (:class:`~tradesim.results.attribution.Attribution`) add a waterfall chart each for ``country``."""
    import plotly.graph_objects as go

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = [r.scenario.key for r in results]
    wel = welfare_matrix(results)
    figures = []

    fig = go.Figure([go.Bar(name=c, x=names, y=wel[c], text=[f"{v:.2f}" for v in wel[c]], textposition="outside")
                     for c in focus if c in wel])
    fig.update_layout(title="Welfare change by scenario (%, Caliendo-Parro decomposition)", barmode="group",
                      yaxis_title="% of income", height=480, legend_title="country")
    figures.append(fig)

    sec = sector_output(results, country)
    fig = go.Figure(go.Heatmap(z=sec.values, x=list(sec.columns), y=list(sec.index), colorscale="RdBu",
                               zmid=0, colorbar={"title": "%"},
                               text=[[f"{v:.2f}" for v in row] for row in sec.values], texttemplate="%{text}"))
    fig.update_layout(title=f"{country}: gross output by sector (% change)", height=120 + 40 * len(results))
    figures.append(fig)

    pt = partner_trade(results, country, list(partners))
    fig = go.Figure()
    for p in partners:
        sub = pt[pt["partner"] == p]
        fig.add_bar(name=f"{country} exports to {p}", x=sub["scenario"], y=sub["exports_pct"])
        fig.add_bar(name=f"{country} imports from {p}", x=sub["scenario"], y=sub["imports_pct"])
    fig.update_layout(title=f"{country}'s trade with {' and '.join(partners)} (% change, all sectors)",
                      barmode="group", yaxis_title="%", height=480)
    figures.append(fig)

    if attributions:
        from tradesim.results.attribution_plot import waterfall

        figures += [waterfall(att, country) for att in attributions if country in att.countries]

    charts = "\n".join(_figure_html(f, i == 0) for i, f in enumerate(figures))
    cols = [c for c in focus if c in wel]
    table = pd.concat({"welfare %": wel[cols], "real wage %": welfare_matrix(results, "real_wage_pct")[cols]},
                      axis=1).round(3)
    notes = "".join(f"<li><b>{html.escape(r.scenario.name)}</b>: {html.escape(n)}</li>"
                    for r in results for n in r.notes)
    sources = "".join(
        f"<li><b>{html.escape(r.scenario.key)}</b>: {html.escape(r.scenario.name)} — "
        f"{html.escape(r.scenario.description or '')} "
        f"<i>{html.escape(str(r.scenario.source or ''))}</i>; solved in {r.seconds:.2f} s, "
        f"largest residual {r.solution.equilibrium.max_residual:.1e}</li>" for r in results)
    base = results[0].baseline
    title = title or f"tradesim: {country} between {' and '.join(partners)}"
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;font-size:0.9em}}td,th{{border:1px solid #ccc;padding:3px 8px;text-align:right}}
th{{background:#f3f3f3}}</style></head><body>
<h1>{html.escape(title)}</h1>
<p>Baseline <b>{html.escape(base.name)}</b> ({html.escape(base.version)}):
{html.escape(str(base.ds.attrs.get('source', '')))}. Model: Caliendo and Parro (2015), exact hat algebra;
closure {html.escape(results[0].solution.closure.replace('_', ' '))}. Generated
{datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}.</p>
<div id="charts">{charts}</div>
<h2>Welfare and real wages (%)</h2>{table.to_html(classes="numbers")}
<h2>Scenarios</h2><ul>{sources}</ul>
<h2>Notes from the measures</h2><ul>{notes or '<li>none</li>'}</ul>
</body></html>"""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return path
