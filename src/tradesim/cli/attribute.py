"""``tradesim attribute``: how much of each result each group of measures causes.

Errors from :mod:`tradesim.errors` are printed as one line with exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from tradesim.cli.output import fail, stdout_console
from tradesim.errors import ScenarioError, TradesimError

console = stdout_console(200)


def attribution_table(att, country: str) -> Table:
    """One country's welfare (% and EV), real wage and price index, split by group."""
    t = Table(title=f"{country}: {att.scenario} -- by {att.by} ({att.method})", title_justify="left")
    t.add_column("group")
    for head in ("welfare %", f"EV ({att.units})", "real wage %", "price index %"):
        t.add_column(head, justify="right")
    df = att.table([country])
    for rec in df.to_dict("records"):
        style = "bold" if rec["group"] == "total" else None
        t.add_row(rec["group"] if rec["group"] != "total" else "total (exact)", f"{rec['welfare_pct']:+.4f}",
                  f"{rec['ev']:+,.0f}", f"{rec['real_wage_pct']:+.4f}", f"{rec['price_index_pct']:+.4f}", style=style)
    return t


def sector_table(att, country: str, top: int) -> Table:
    """The country's largest gross-output changes and each group's share of them."""
    df = att.sector_table(country, top)
    t = Table(title=f"{country}: largest sector output changes ({att.units})", title_justify="left")
    t.add_column("sector")
    for g in att.groups:
        t.add_column(g[:28], justify="right")
    t.add_column("total", justify="right")
    t.add_column("total %", justify="right")
    for sector, row in df.iterrows():
        t.add_row(str(sector), *[f"{row[g]:+,.0f}" for g in att.groups], f"{row['total']:+,.0f}",
                  f"{row['total_pct']:+.2f}")
    return t


def accuracy_line(att) -> str:
    """What the contributions' sum is accurate to, in words."""
    how = (f"path integral, {att.nodes} Gauss-Legendre nodes" if att.method == "path"
           else f"Shapley values, {att.nodes} exact solves")
    line = (f"{how}: contributions add up to the exact change within {att.accuracy['welfare_pct']:.1e} pp "
            f"(welfare), {att.accuracy['ev']:.1e} (EV), {att.accuracy['flows']:.1e} (bilateral flows, {att.units})")
    q = att.quadrature_error
    if att.method == "path" and q:
        line += (f"; the quadrature's error in the sum, shared among the groups (each group's share is accurate to "
                 f"about as much): {q['welfare_pct']:.1e} pp (welfare), {q['flows']:.1e} (flows)")
    return line


def attribute(
    scenario: Path = typer.Argument(..., help="Scenario TOML file (e.g. scenarios/japan_world_2025_04.toml)."),
    by: str = typer.Option("group", "--by",
                           help="Group measures by label, implementer, kind or group (the measures' 'group' "
                                "field; included files' measures are grouped under the file's scenario name)."),
    method: str = typer.Option("path", "--method", help="path (subtotals along the path) or shapley (2^k solves)."),
    countries: Optional[str] = typer.Option(None, "--countries", "-c",
                                            help="Comma-separated ISO3 codes (default: those the measures name)."),
    nodes: Optional[int] = typer.Option(None, "--nodes",
                                        help="Gauss-Legendre nodes of the path method (default 3: "
                                             "tradesim.results.attribution.PATH_NODES)."),
    top: int = typer.Option(5, "--top", help="How many sectors to show per country."),
    json_only: bool = typer.Option(False, "--json", help="Print tidy JSON records instead of tables."),
) -> None:
    """Split a scenario's results into one additive contribution per group of measures."""
    from tradesim.api import run as run_scenario
    from tradesim.results.attribution import BY, METHODS, attribute as run_attribution

    try:
        if by not in BY:
            raise ScenarioError(f"--by must be one of {', '.join(BY)}, not {by!r}")
        if method not in METHODS:
            raise ScenarioError(f"--method must be one of {', '.join(METHODS)}, not {method!r}")
        result = run_scenario(scenario, origin="cli")
        att = run_attribution(result, by=by, method=method, **({} if nodes is None else {"nodes": nodes}))
        chosen = countries.split(",") if countries else _named(result)
        records = att.records(chosen, top)
    except TradesimError as err:
        fail(err)
    if json_only:
        print(json.dumps({**att.meta(), "records": records}, indent=2, default=float))
        return
    for c in chosen:
        console.print(attribution_table(att, c))
        console.print(sector_table(att, c, top))
    console.print(accuracy_line(att), highlight=False)


def _named(result) -> list[str]:
    """The three countries the measures name most often (as one of at most three importers or
    exporters), else the three largest losers."""
    from collections import Counter

    named: Counter = Counter()
    for m in result.scenario.measures:
        for key in ("importer", "exporter"):
            sel = m.selectors.get(key, "all")
            if sel != "all" and len(sel) <= 3:
                named.update(c for c in sel if c in result.countries)
    if named:
        return [c for c, _ in named.most_common(3)]
    w = result.welfare()["real_income_pct"]
    return list(w.sort_values().index[:3])


#: The story scenario the demo decomposes (scenarios/japan_world_2025_04.toml).
STORY = "japan_world_2025_04"


def story_attribution(folder: Path, baseline: str | None = None):
    """The demo's attribution: Japan's world in April 2025 split into its four groups (path method)."""
    from tradesim.api import run as run_scenario
    from tradesim.results.attribution import attribute as run_attribution

    return run_attribution(run_scenario(folder / f"{STORY}.toml", baseline, origin="cli"), by="group")
