"""``tradesim war``: the global tariff war (every economy's Nash tariff against all others).

Errors from :mod:`tradesim.errors` are printed as one line with exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from tradesim.cli.output import err_console, fail, stdout_console
from tradesim.errors import TradesimError

console = stdout_console(160)
HIGHLIGHT = "JPN"


def _print_war(w) -> None:
    t = Table(title=f"Global tariff war, {w.model}, elasticity set {w.elasticity_set}"
                    + (f", {w.closure}" if w.model == "cp2015" else "")
                    + " — welfare = exact real income change; EV in USD million")
    for col, just in (("economy", "left"), ("Nash tariff %", "right"), ("welfare %", "right"),
                      ("EV, USD million", "right")):
        t.add_column(col, justify=just)
    for _, r in w.table.iterrows():
        style = "bold yellow" if r["country"] == HIGHLIGHT else None
        t.add_row(("▶ " if r["country"] == HIGHLIGHT else "") + r["country"], f"{r['nash_tariff_pct']:.2f}",
                  f"{r['welfare_pct']:+.3f}", f"{r['ev_usd_million']:+,.0f}", style=style)
    console.print(t)
    tab = w.table
    console.print(f"mean Nash tariff {tab['nash_tariff_pct'].mean():.2f}%, mean welfare "
                  f"{tab['welfare_pct'].mean():+.3f}%, world EV {tab['ev_usd_million'].sum() / 1e3:+,.0f} USD bn; "
                  f"world trade {w.world_trade_change_pct:+.1f}%; largest first-order condition "
                  f"{w.max_foc:.1e}", highlight=False)
    if HIGHLIGHT in set(tab["country"]):
        j = w.row(HIGHLIGHT)
        console.print(f"[bold yellow]Japan[/]: Nash tariff {j['nash_tariff_pct']:.2f}%, welfare "
                      f"{j['welfare_pct']:+.3f}% ({j['ev_usd_million'] / 1e3:+,.1f} USD bn)", highlight=False)
    if w.certificate is not None:
        c = w.certificate
        console.print(f"certificate: max |dlogW/dt| = {c.max_foc:.1e} (tolerance {c.tol:g}); 1-D searches "
                      + ", ".join(f"{k} {100 * a:.3f}% vs {100 * b:.3f}%" for k, (a, b, _) in c.searches.items())
                      + (" — holds" if c.holds else " — FAILS"), highlight=False)


def _write_html(w, path: Path) -> None:
    """A standalone page: the welfare map and the tariff-welfare chart."""
    from tradesim.results.maps import geo_assets_script
    from tradesim.results.war_figures import war_chart, war_map

    parts = [war_map(w).to_html(full_html=False, include_plotlyjs=True),
             war_chart(w).to_html(full_html=False, include_plotlyjs=False)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<!doctype html><meta charset='utf-8'><title>Global tariff war</title>" + geo_assets_script()
                    + "".join(parts),
                    encoding="utf-8")
    console.print(f"wrote {path}", highlight=False)


def _coalition(gw, members, target, elasticity_set, closure, as_json) -> None:
    try:
        w = gw.coalition_war(tuple(members), target, elasticity_set, closure=closure)
    except TradesimError as err:
        fail(err)
    if as_json:
        print(json.dumps({"players": w.players.to_dict("records"), "welfare": w.welfare.to_dict("records")}, indent=1))
        return
    t = Table(title=f"Coalition tariff war: {'+'.join(members)} against {target} (engine, set {elasticity_set}, "
                    f"{closure}); the rest of the world passive")
    for col in ("player", "Nash tariff %"):
        t.add_column(col, justify="right")
    for _, r in w.players.iterrows():
        t.add_row(r["player"], f"{r['nash_tariff_pct']:.2f}")
    console.print(t)
    wf = w.welfare.set_index("country")
    show = list(dict.fromkeys([*members, target, HIGHLIGHT]))
    console.print("welfare (exact real income), %: " + ", ".join(f"{c} {wf.loc[c, 'welfare_pct']:+.3f}"
                                                                 for c in show if c in wf.index), highlight=False)
    if w.certificate is not None:
        c = w.certificate
        console.print(f"certificate: max |dlogW/dt| = {c.max_foc:.1e} (tolerance {c.tol:g}); "
                      + ("holds" if c.holds else "FAILS"), highlight=False)


def war(
    model: str = typer.Option("tariffwar", "--model", help="tariffwar (no input-output links, the literature's "
                              "code) or cp2015 (the engine with input-output links, icio2022)."),
    elasticity_set: str = typer.Option("IS", "--elasticity-set", "-e", help="IS, U4, CP, BSY, GYY, Shap, FGO, LL."),
    closure: str = typer.Option("zero_deficit", "--closure", help="cp2015 only: zero_deficit or fixed_deficit."),
    all_sets: bool = typer.Option(False, "--all-sets", help="Run the eight elasticity sets; print their spread."),
    as_json: bool = typer.Option(False, "--json", help="Print tidy JSON records {country, nash_tariff_pct, "
                                 "welfare_pct} (with --all-sets: one list per set)."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write a map and a chart of the war (one set) "
                                        "to this HTML file."),
    coalition: Optional[str] = typer.Option(None, "--coalition", help="cp2015 only: comma-separated economies "
                                            "that each set a Nash tariff on --target, which answers them; the "
                                            "rest of the world passive (e.g. USA,JPN,KOR,GBR,CAN,AUS)."),
    target: str = typer.Option("CHN", "--target", help="The coalition's target (with --coalition)."),
) -> None:
    """Solve the global tariff war: each economy's uniform Nash tariff against all others, and
    its welfare change (exact real income, EV in USD), the fall in world trade, Japan highlighted."""
    from tradesim.strategy import war as gw

    if coalition:
        _coalition(gw, [c.strip() for c in coalition.split(",") if c.strip()], target, elasticity_set, closure,
                   as_json)
        return

    def progress(k, foc):  # the engine war's Broyden iterations, on stderr
        err_console.print(f"  evaluation {k}: largest first-order condition {foc:.1e}", highlight=False)

    opts = dict(closure=closure, progress=progress) if model == "cp2015" else {}
    try:
        if all_sets:
            wars, summary = gw.all_sets(model, **opts)
        else:
            w = gw.global_war(model, elasticity_set, **opts)
    except TradesimError as err:
        fail(err)
    if as_json:
        out = {s: v.records() for s, v in wars.items()} if all_sets else w.records()
        print(json.dumps(out, indent=1))
        return
    if not all_sets:
        _print_war(w)
        if html is not None:
            _write_html(w, html)
        return
    t = Table(title=f"Global tariff war, {model}: the eight elasticity sets and their spread")
    for col in ("set", "mean tariff %", "US tariff %", "US welfare %", "mean welfare %", "world trade %",
                "JPN tariff %", "JPN welfare %"):
        t.add_column(col, justify="right")
    for s, row in summary.iterrows():
        t.add_row(str(s), f"{row['mean_nash_tariff_pct']:.2f}", f"{row['usa_nash_tariff_pct']:.2f}",
                  f"{row['usa_welfare_pct']:+.3f}", f"{row['mean_welfare_pct']:+.3f}",
                  f"{row['world_trade_change_pct']:+.1f}", f"{row['jpn_nash_tariff_pct']:.2f}",
                  f"{row['jpn_welfare_pct']:+.3f}", style="bold" if s in ("min", "max") else None)
    console.print(t)
