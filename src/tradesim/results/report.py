"""Comparison tables and an HTML report over several solved scenarios.

The report is one self-contained HTML file (Plotly charts, the library inlined
once, so it opens offline). It leads with the briefing of each scenario: who
gains and who loses (exact welfare change in % and the equivalent variation in
USD), the focus country's sectors that gain and lose most (USD, by name), and
the trade diversion of each measure; then welfare by scenario, the focus
country's sector output, its trade with two partners, and the tables behind them.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from tradesim.errors import ScenarioError
from tradesim.results.briefing import diversion_blocks, gainers_losers, sector_bars
from tradesim.results.maps import geo_assets_script, welfare_map
from tradesim.results.result import Result
from tradesim.results.sectors import COMPARISON_SET, most_affected_sectors, rerun
from tradesim.results.units import fmt_pct, fmt_usd, pct_decimals

EXACT_NOTE = ("Welfare is the exact change in real income I'/I / P̂ (Caliendo and Parro's welfare measure); "
              "EV is the equivalent variation at the reference world's prices, in US dollars.")


def welfare_matrix(results: list[Result], column: str = "welfare_pct") -> pd.DataFrame:
    """Scenarios (rows) x countries (columns) of one welfare column (``welfare_pct``:
    exact, %; ``ev_usd``: USD; or any other column of :meth:`Result.welfare`)."""
    return pd.DataFrame({r.scenario.key: r.welfare()[column] for r in results}).T


def check_countries(results: list[Result], field: str, countries) -> None:
    """Refuse (:class:`ScenarioError` naming ``field``) country codes not in the results' baseline."""
    known = results[0].countries if results else []
    unknown = [c for c in countries if c not in known]
    if unknown:
        raise ScenarioError(f"{field}: unknown country code(s) {', '.join(map(str, unknown))}; baseline "
                            f"{results[0].baseline.name} has {', '.join(known[:30])}"
                            + (f", ... ({len(known)} in all)" if len(known) > 30 else ""))


def partner_trade(results: list[Result], country: str, partners: list[str]) -> pd.DataFrame:
    """Per scenario: % change of ``country``'s exports to and imports from each partner."""
    check_countries(results, "country", [country])
    check_countries(results, "partners", partners)
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
    """Scenarios (rows) x sectors (columns, "name (code)"): % change of ``country``'s gross output."""
    check_countries(results, "country", [country])
    frames = {}
    for r in results:
        out = r.output()
        out = out[out["country"] == country].set_index("sector")["change_pct"]
        frames[r.scenario.key] = out.rename(index=r.sector_labels)
    return pd.DataFrame(frames).T


def sector_usd(results: list[Result], country: str) -> dict[str, list[tuple[float, float]]]:
    """Per scenario key: ``country``'s gross output before and its change, USD, by sector."""
    check_countries(results, "country", [country])
    out = {}
    for r in results:
        o = r.output()
        o = o[o["country"] == country]
        out[r.scenario.key] = list(zip(o["before"] * r.usd_per_unit, (o["after"] - o["before"]) * r.usd_per_unit))
    return out


def report_title(results: list[Result], country: str) -> str:
    """The title from the scenarios: one scenario's own name, or how many on which baseline."""
    if len(results) == 1:
        return results[0].scenario.name
    return f"{len(results)} scenarios on {results[0].baseline.name}, seen from {country}"


def _figure_html(fig, first: bool) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=True if first else False,
                       config={"displaylogo": False})


def _table(rows: list[list[str]], head: list[str], cls: str = "numbers") -> str:
    h = "".join(f"<th>{html.escape(x)}</th>" for x in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><tr>{h}</tr>{body}</table>'


def gainers_losers_html(result: Result, k: int = 5) -> str:
    """Two small tables: the ``k`` countries that gain and lose most, by EV (USD)."""
    g = gainers_losers(result, k)
    d = pct_decimals(g["welfare_pct"])
    parts = []
    for side, head in (("gain", "Gains most"), ("loss", "Loses most")):
        rows = [[f"{r.country_name} ({r.country})", fmt_usd(r.ev_usd), fmt_pct(r.welfare_pct, d)]
                for r in g[g.side == side].itertuples()] or [["nobody", "", ""]]
        parts.append(_table(rows, [head, "EV", "welfare"], cls=f"numbers {side}"))
    world = result.world()
    return (f'<div class="gl">{"".join(parts)}</div><p>World: {fmt_usd(world["ev_usd"])} '
            f'({fmt_pct(world["welfare_pct"], d)} of world income).</p>')


def diversion_html(result: Result, top: int = 5, max_tables: int = 3) -> str:
    """The diversion table of each measure (at most ``max_tables``), sources in USD."""
    out = []
    for b in diversion_blocks(result, top, max_tables):
        g, dp, measure, importer, what = b["rows"], b["decimals"], b["measure"], b["importer"], b["sectors"]
        rows = [[r.source, r.role, fmt_usd(r.before_usd), fmt_usd(r.change_usd),
                 fmt_pct(r.change_pct, dp) if pd.notna(r.change_pct) else "n/a"] for r in g.itertuples()]
        out.append(f"<h4>{html.escape(measure)}: {importer}'s purchases of {html.escape(what)}</h4>"
                   + _table(rows, ["source", "role", "before", "change", "change %"]))
    return "".join(out) or "<p>No measure changed a flow.</p>"


def write_report(results: list[Result], path: str | Path, focus: tuple[str, ...] = ("JPN", "CHN", "USA"),
                 country: str = "JPN", partners: tuple[str, str] = ("CHN", "USA"), title: str | None = None,
                 compare_set: str | None = COMPARISON_SET, attributions=(), timeline=None, war=None) -> Path:
    """Write the HTML report for ``results`` to ``path`` and return the path.

    Where ``country``'s listed sectors include one with an extreme trade elasticity and the
    baseline ships ``compare_set`` (default U4), the scenario is solved once more under that
    set so that the flagged sectors' figure under it shows in the hover (``None``: never).
    ``attributions`` (:class:`~tradesim.results.attribution.Attribution`) add a waterfall
    chart each for ``country``; ``timeline``, a Plotly figure (from
    :func:`tradesim.experiments.timeline.plot_timeline`), adds the regime's path date by date; ``war``, a
    solved global tariff war (:func:`tradesim.strategy.war.global_war`), adds its welfare map
    and its Nash tariff-welfare chart, Japan marked (:mod:`tradesim.results.war_figures`)."""
    import plotly.graph_objects as go

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = [r.scenario.key for r in results]
    wel, ev = welfare_matrix(results), welfare_matrix(results, "ev_usd")
    figures, first = [], True

    def fig_html(fig):
        nonlocal first
        text, first = _figure_html(fig, first), False
        return text

    briefs = []
    for r in results:
        # the map comes first on the page, so it is rendered first (it carries plotly.js)
        world = fig_html(welfare_map(r.welfare().reset_index(), f"{r.scenario.name}: welfare change "
                                                                 "(exact real income, %)"))
        top = most_affected_sectors(r, country, 4) if country in r.countries else None
        if top is not None and top["extreme_elasticity"].any() and compare_set \
                and "trade_elasticity_sets" in r.baseline.ds and r.baseline.ds.attrs.get("elasticity_set") != compare_set:
            top = most_affected_sectors(r, country, 4, rerun(r, compare_set))
        bars = fig_html(sector_bars(top, country)) if top is not None and len(top) else "<p>No sector moves.</p>"
        briefs.append(f'<section class="brief"><h2>{html.escape(r.scenario.name)}</h2>'
                      f"<p>{html.escape(r.scenario.description or '')}</p>"
                      f"<h3>Who gains and who loses</h3>{gainers_losers_html(r)}"
                      f"{world}"
                      f"<h3>{country}: sectors that gain and lose most</h3>{bars}"
                      f"<h3>Who takes the trade</h3>{diversion_html(r)}</section>")

    cols = [c for c in focus if c in wel]
    d = pct_decimals(wel[cols].to_numpy().ravel())
    fig = go.Figure([go.Bar(name=c, x=names, y=wel[c], text=[fmt_pct(v, d) for v in wel[c]], textposition="outside",
                            hovertext=[f"{c} {n}: {fmt_pct(v, d)}, {fmt_usd(e)}" for n, v, e in zip(names, wel[c], ev[c])],
                            hoverinfo="text") for c in cols])
    fig.update_layout(title="Welfare change by scenario (exact real income, %)", barmode="group",
                      yaxis_title="% of income", height=480, legend_title="country")
    figures.append(fig)

    sec = sector_output(results, country)
    if len(results) > 1:
        usd = sector_usd(results, country)
        hover = [[f"{n}, {s}: {fmt_pct(v)}; output {fmt_usd(b)}, change {fmt_usd(c)}"
                  for s, v, (b, c) in zip(sec.columns, row, usd[n])] for n, row in zip(sec.index, sec.values)]
        fig = go.Figure(go.Heatmap(z=sec.values, x=list(sec.columns), y=list(sec.index), colorscale="RdBu",
                                   zmid=0, colorbar={"title": "%"}, hovertext=hover, hoverinfo="text",
                                   text=[[fmt_pct(v) for v in row] for row in sec.values], texttemplate="%{text}"))
        fig.update_layout(title=f"{country}: gross output by sector (% change)", height=160 + 40 * len(results),
                          xaxis={"tickangle": -40, "automargin": True})
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

    charts = "\n".join(fig_html(f) for f in figures)
    if timeline is not None:
        charts += ("<h2>The US tariff regime, date by date</h2><p>Every date of the tariff tracker solved as one "
                   "batch against the 2024 base on the 2022 world (tradesim timeline; docs/scenarios.md).</p>"
                   + fig_html(timeline))
    if war is not None:
        from tradesim.results.war_figures import war_chart, war_map, war_summary

        charts += (f'<h2 id="war">The global tariff war ({html.escape(war.model)}, elasticity set '
                   f"{html.escape(war.elasticity_set)})</h2><p>Every economy sets its best-response uniform tariff "
                   "against all others at once (Lashkaripour 2021; tradesim war; docs/strategy.md §5). Welfare is "
                   f"the exact real-income change against the war's reference world. {html.escape(war_summary(war))}"
                   "</p>" + fig_html(war_map(war)) + fig_html(war_chart(war)))
    rw = welfare_matrix(results, "real_wage_pct")
    rows = [[n] + [f"{fmt_pct(wel.loc[n, c], d)} ({fmt_usd(ev.loc[n, c])}); real wage {fmt_pct(rw.loc[n, c], d)}"
                   for c in cols] for n in names]
    table = _table(rows, ["scenario"] + cols)
    notes = "".join(f"<li><b>{html.escape(r.scenario.name)}</b>: {html.escape(n)}</li>"
                    for r in results for n in r.notes)
    sources = "".join(
        f"<li><b>{html.escape(r.scenario.key)}</b>: {html.escape(r.scenario.name)} — "
        f"{html.escape(r.scenario.description or '')} "
        f"<i>{html.escape(str(r.scenario.source or ''))}</i>; solved in {r.seconds:.2f} s, "
        f"largest residual {r.solution.equilibrium.max_residual:.1e}</li>" for r in results)
    base = results[0].baseline
    title = title or report_title(results, country)
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;font-size:0.9em;margin:0.3em 1em 0.3em 0}}td,th{{border:1px solid #ccc;padding:3px 8px}}
td+td{{text-align:right}}th{{background:#f3f3f3}}.gl{{display:flex;flex-wrap:wrap}}.gain th{{color:#2166ac}}
.loss th{{color:#b2182b}}section.brief{{border-top:2px solid #ddd;margin-top:1.5em}}</style>
{geo_assets_script()}</head><body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(EXACT_NOTE)} Baseline <b>{html.escape(base.name)}</b> ({html.escape(base.version)}):
{html.escape(str(base.ds.attrs.get('source', '')))}. Model: Caliendo and Parro (2015), exact hat algebra;
closure {html.escape(results[0].solution.closure.replace('_', ' '))}; elasticities
{html.escape(str(base.ds.attrs.get('elasticity_set') or 'baseline'))}. Generated
{datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}.</p>
{''.join(briefs)}
<h2>Across scenarios</h2><div id="charts">{charts}</div>
<h2>Welfare (exact, % and EV) and real wages</h2>{table}
<h2>Scenarios</h2><ul>{sources}</ul>
<h2>Notes from the measures</h2><ul>{notes or '<li>none</li>'}</ul>
</body></html>"""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return path
