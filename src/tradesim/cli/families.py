"""``tradesim run`` printing a run of any scenario family other than Caliendo-Parro and the
Liberation Day model (whose tables are the paper's, :mod:`tradesim.cli.liberation_day`): the
family's headline ``welfare_pct`` first, then its other outcomes, for the countries the scenario
shows (``show``), else the largest welfare changes."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from tradesim.model.family import scenario_family

SHOWN = 8  # rows when the scenario names none
COLUMNS = 6  # outcome columns printed (the JSON summary and the saved files have all)


def print_family_run(result, family: str, console: Console, saved=None) -> None:
    """The welfare table of a solved family run, then its solver record."""
    fam = scenario_family(family)
    table = result.table
    outcomes = [o for o in fam.outcomes if o in table.columns][:COLUMNS]
    show = [c for c in getattr(getattr(result.scenario, "spec", None), "show", ()) if c in table.index]
    rows = show or list(table["welfare_pct"].abs().sort_values(ascending=False).index[:SHOWN])
    t = Table(title=f"{result.scenario.name} — {family} model (%), baseline {result.scenario.baseline}",
              caption=fam.welfare_note)
    t.add_column("Country")
    for o in outcomes:
        t.add_column(o.removesuffix("_pct").replace("_", " "), justify="right")
    for c in rows:
        t.add_row(c, *[f"{table.loc[c, o]:+.6f}" for o in outcomes])
    console.print(t)
    steps = getattr(result.solution, "iterations", None)  # Ossa's compiled Newton does not count its steps
    console.print((f"{steps} Newton steps, l" if steps is not None else "L") +
                  f"argest equilibrium residual {result.max_residual:.1e}"
                  + (f"; results in {saved}/" if saved else ""))
