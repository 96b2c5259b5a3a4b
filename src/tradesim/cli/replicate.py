"""``tradesim replicate``: published tables, next to what the model says exactly.

Each entry of :data:`REPLICATIONS` solves what a paper solved and returns the lines
to print; ``tradesim replicate NAME`` runs one (default ``cp2015``). A new paper is
one function and one entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from rich.table import Table

from tradesim.results.units import fmt_usd

#: Caliendo and Parro (2015, REStud), Table 2 (zero aggregate deficits): welfare, terms of
#: trade, volume of trade, real wage, % (the paper's one-step decomposition).
CP2015_TABLE_2 = {"MEX": (1.31, -0.41, 1.72, 1.72), "CAN": (-0.06, -0.11, 0.04, 0.32),
                  "USA": (0.08, 0.04, 0.04, 0.11)}
CP2015_COLUMNS = ("welfare_first_order_pct", "tot_first_order_pct", "vot_first_order_pct", "real_wage_pct")


def cp2015_table(result) -> Table:
    """Table 2 to two decimals: ours (the one-step figures, as published), the paper's, and
    the exact welfare change (real income) beside them."""
    w = result.welfare()
    table = Table(title="Caliendo and Parro (2015), Table 2: NAFTA's tariff reductions, welfare effects (%)",
                  caption="one-step = the paper's decomposition evaluated in one discrete step (first order); "
                          "exact = the change in real income I'/I / P^")
    for col in ("Country", "Welfare (one-step)", "ToT", "VoT", "Real wage", "Published", "Exact welfare",
                "EV (USD)"):
        table.add_column(col, justify="left" if col == "Country" else "right")
    for c, published in CP2015_TABLE_2.items():
        ours = [f"{w.loc[c, k]:.2f}" for k in CP2015_COLUMNS]
        table.add_row(c, *ours, " / ".join(f"{v:.2f}" for v in published), f"{w.loc[c, 'welfare_pct']:.2f}",
                      fmt_usd(w.loc[c, "ev_usd"]))
    return table


def cp2015_sentence(result) -> str:
    """One sentence on why the paper's figure and the exact one differ."""
    w = result.welfare()
    mex = w.loc["MEX"]
    rev = result.tariff_revenue().set_index("country").loc["MEX", "change"] * result.usd_per_unit
    return (f"The paper's welfare is its decomposition evaluated in one step at 1993 flows (first order): Mexico's "
            f"{mex['welfare_first_order_pct']:.2f}% values the volume-of-trade gain of a large tariff cut at the "
            f"old flows and tariffs, while the exact change in Mexico's real income is {mex['welfare_pct']:.2f}%: "
            f"its real wage rises {mex['real_wage_pct']:.2f}%, but the tariff revenue it gives up "
            f"({fmt_usd(rev)}, {100 * rev / mex['income_usd']:.2f}% of its income) offsets almost all of it "
            "(docs/model.md).")


def replicate_cp2015(scenarios: Path, out: Path | None) -> list:
    """Solve ``cp2015_nafta`` on the CP 1993 world and give the lines to print."""
    from tradesim.api import run as run_scenario

    out = out or Path("results") / "cp2015_nafta"
    result = run_scenario(scenarios / "cp2015_nafta.toml", origin="cli")
    result.save(out)
    return [cp2015_table(result), cp2015_sentence(result), f"results in {out}/"]


REPLICATIONS: dict[str, Callable[[Path, Path | None], list]] = {"cp2015": replicate_cp2015}
