"""The tables ``tradesim run``, ``demo`` and ``replicate`` print: the briefing.

Welfare is the exact real-income change (``welfare_pct``) with its equivalent
variation in US dollars; percentages keep fixed decimals per column, enough for
the column's largest figure to show three significant figures (a small scenario is
not a column of +0.00); money is in USD with a unit word.
"""

from __future__ import annotations

import numpy as np
from rich.table import Table

from tradesim.errors import ScenarioError
from tradesim.results.briefing import diversion_blocks, gainers_losers, named_countries
from tradesim.results.units import fmt_pct, fmt_usd, pct_decimals

EXACT = "welfare = exact change in real income I'/I / P^ (Caliendo-Parro's welfare measure); EV = equivalent " \
        "variation at the reference world's prices, USD"


def check_countries(result, countries: list[str] | None) -> list[str] | None:
    """The ``--countries`` list, checked against the baseline: unknown codes are a :class:`ScenarioError`."""
    if not countries:
        return None
    unknown = [c for c in countries if c not in result.countries]
    if unknown:
        raise ScenarioError(f"--countries: unknown country code(s) {', '.join(unknown)}; baseline "
                            f"{result.baseline.name} has {', '.join(result.countries[:12])}, ...")
    return countries


def welfare_table(result, countries: list[str] | None = None, top: int = 5) -> Table:
    """Welfare (exact, %), EV (USD) and real wage (%) of the chosen countries and the
    ``top`` others with the largest EV in absolute value, and the world."""
    w = result.welfare()
    shown = [c for c in (countries or named_countries(result.scenario)) if c in w.index]
    rest = w.drop(index=shown)
    shown += list(rest["ev_usd"].abs().sort_values(ascending=False).index[:top])
    table = Table(title=f"{result.scenario.name} — welfare, {result.solution.closure.replace('_', ' ')}",
                  caption=f"baseline {result.baseline.name} ({result.baseline.version}); {EXACT}")
    for col, justify in (("Country", "left"), ("Welfare", "right"), ("EV", "right"), ("Real wage", "right")):
        table.add_column(col, justify=justify)
    dw = pct_decimals(w.loc[shown, "welfare_pct"])
    dr = pct_decimals(w.loc[shown, "real_wage_pct"])
    for c in shown:
        table.add_row(c, fmt_pct(w.loc[c, "welfare_pct"], dw), fmt_usd(w.loc[c, "ev_usd"]),
                      fmt_pct(w.loc[c, "real_wage_pct"], dr))
    world = result.world()
    table.add_row("World", fmt_pct(world["welfare_pct"], dw), fmt_usd(world["ev_usd"]), "", style="bold")
    return table


def gainers_losers_table(result, k: int = 5) -> Table:
    """Who gains and who loses: the top and bottom ``k`` countries by EV and by %."""
    by_ev, by_pct = gainers_losers(result, k, "ev_usd"), gainers_losers(result, k, "welfare_pct")
    table = Table(title="Who gains and who loses", caption="ranked by equivalent variation (USD) and by welfare (%)")
    for col in ("Gains most (EV)", "Loses most (EV)", "Gains most (%)", "Loses most (%)"):
        table.add_column(col)
    d = pct_decimals(by_pct["welfare_pct"])
    cols = [[f"{r.country} {fmt_usd(r.ev_usd)}" for r in by_ev[by_ev.side == side].itertuples()]
            for side in ("gain", "loss")]
    cols += [[f"{r.country} {fmt_pct(r.welfare_pct, d)}" for r in by_pct[by_pct.side == side].itertuples()]
             for side in ("gain", "loss")]
    for i in range(max(len(c) for c in cols) if cols else 0):
        table.add_row(*[c[i] if i < len(c) else "" for c in cols])
    return table


def sectors_table(result, country: str, k: int = 4, compare=None) -> Table:
    """``country``'s sectors that gain and lose most, by the change in gross output in
    USD; a sector with an extreme trade elasticity is flagged (!) with its change under
    the uniform set beside it when ``compare`` (the same scenario under U4) is given."""
    from tradesim.results.sectors import COMPARISON_SET, ELASTICITY_RANGE, most_affected_sectors

    df = most_affected_sectors(result, country, k, compare)
    other = f"change_pct_{compare.baseline.ds.attrs.get('elasticity_set')}" if compare is not None else None
    lo, hi = ELASTICITY_RANGE
    table = Table(title=f"{country}: sectors by change in gross output (USD)",
                  caption=f"! trade elasticity outside {lo:g}-{hi:g}"
                          + (f"; the figure under the uniform set {COMPARISON_SET} beside it" if other else ""))
    for col, justify in (("", "left"), ("Sector", "left"), ("Output", "right"), ("Change", "right"),
                         ("Change %", "right"), ("θ", "right")):
        table.add_column(col, justify=justify)
    if other:
        table.add_column(f"% under {COMPARISON_SET}", justify="right")
    d = pct_decimals(df["change_pct"])
    for r in df.to_dict("records"):
        flag = "!" if r["extreme_elasticity"] else ""
        row = ["gains" if r["side"] == "gain" else "loses", f"{flag}{r['label']}", fmt_usd(r["before_usd"]),
               fmt_usd(r["change_usd"]), fmt_pct(r["change_pct"], d), f"{r['trade_elasticity']:.3g}"]
        if other:
            row.append(fmt_pct(r[other]) if r["extreme_elasticity"] else "")
        table.add_row(*row)
    return table


def diversion_tables(result, top: int = 5, max_tables: int = 4) -> list[Table]:
    """One table per (measure, importer): the importer's purchases in the touched sectors
    by source, USD (own production, targeted exporters, the ``top`` third countries)."""
    tables = []
    for b in diversion_blocks(result, top, max_tables, more="more"):
        g, dp = b["rows"], b["decimals"]
        t = Table(title=f"Trade diversion — {b['measure']}: {b['importer']}'s purchases of {b['sectors']}",
                  caption="at basic prices (before tariffs), USD; sources add up to the total")
        for col, justify in (("Source", "left"), ("Role", "left"), ("Before", "right"), ("Change", "right"),
                             ("Change %", "right")):
            t.add_column(col, justify=justify)
        for r in g.to_dict("records"):
            t.add_row(r["source"], r["role"], fmt_usd(r["before_usd"]), fmt_usd(r["change_usd"]),
                      fmt_pct(r["change_pct"], dp) if np.isfinite(r["change_pct"]) else "n/a",
                      style="bold" if r["role"] == "total" else None)
        tables.append(t)
    return tables


def briefing(result, countries: list[str] | None = None, top: int = 5, sector_countries: int = 2) -> list:
    """Everything ``tradesim run`` prints, in order: welfare, gainers and losers, the first
    ``sector_countries`` chosen countries' sectors, the diversion of each measure."""
    out = [welfare_table(result, countries, top), gainers_losers_table(result, top)]
    chosen = [c for c in (countries or named_countries(result.scenario)) if c in result.countries]
    compare = None
    if chosen and "trade_elasticity_sets" in result.baseline.ds:
        from tradesim.results.sectors import COMPARISON_SET, most_affected_sectors, rerun

        flagged = any(most_affected_sectors(result, c, 4)["extreme_elasticity"].any()
                      for c in chosen[:sector_countries])
        if flagged and result.baseline.ds.attrs.get("elasticity_set") != COMPARISON_SET:
            compare = rerun(result, COMPARISON_SET)  # one more solve, only where a listed sector is flagged
    for c in chosen[:sector_countries]:
        out.append(sectors_table(result, c, 4, compare))
    out += diversion_tables(result, top)
    return out


def demo_tables(results, focus=("JPN", "CHN", "USA")) -> list[Table]:
    """The demo's printed tables: welfare (exact, % and EV) per scenario, trade among the
    focus countries, and the first focus country's sectors that gain and lose most (USD)."""
    from tradesim.results.report import partner_trade, welfare_matrix
    from tradesim.results.sectors import most_affected_sectors

    wel, ev = welfare_matrix(results), welfare_matrix(results, "ev_usd")
    cols = [c for c in focus if c in wel]
    d = pct_decimals(wel[cols].to_numpy().ravel())
    t1 = Table(title="Welfare change per scenario: exact real income (%) and EV (USD)", caption=EXACT)
    t1.add_column("Scenario")
    for c in cols:
        t1.add_column(f"{c} %", justify="right")
        t1.add_column(f"{c} EV", justify="right")
    for name in wel.index:
        t1.add_row(name, *[x for c in cols for x in (fmt_pct(wel.loc[name, c], d), fmt_usd(ev.loc[name, c]))])
    country, partners = focus[0], list(focus[1:])
    pt = partner_trade(results, country, partners)
    t2 = Table(title=f"{country}'s trade with {' and '.join(partners)}, % change (all sectors)")
    t2.add_column("Scenario")
    for p in partners:
        t2.add_column(f"exports to {p}", justify="right")
        t2.add_column(f"imports from {p}", justify="right")
    for name, grp in pt.groupby("scenario", sort=False):
        g = grp.set_index("partner")
        t2.add_row(name, *[fmt_pct(g.loc[p, k]) for p in partners for k in ("exports_pct", "imports_pct")])
    t3 = Table(title=f"{country}'s sectors that gain and lose most (gross output, USD change)",
               caption="! trade elasticity outside 1.5-20 (see tradesim run for the figure under U4)")
    t3.add_column("Scenario")
    t3.add_column("gains most")
    t3.add_column("loses most")
    for r in results:
        top = most_affected_sectors(r, country, 2)
        cells = []
        for side in ("gain", "loss"):
            rows = top[top.side == side]
            cells.append("; ".join(f"{'!' if x.extreme_elasticity else ''}{x.label} {fmt_usd(x.change_usd)} "
                                   f"({fmt_pct(x.change_pct)})" for x in rows.itertuples()) or "—")
        t3.add_row(r.scenario.key, *cells)
    return [t1, t2, t3]
