"""``tradesim regime`` (the tariffs in force on a date, as a scenario file) and
``tradesim timeline`` (every tracker date solved as one batch, charted).

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
BASE_SCENARIO = "status_quo_2018"


def library_dir() -> Path:
    """The scenario library (``scenarios/`` of the working copy or the current folder:
    :func:`tradesim.scenario.library.find_folder`, the lookup of ``tradesim run`` and the dashboard)."""
    from tradesim.scenario.library import find_folder

    if (folder := find_folder()) is not None:
        return folder
    raise TradesimError("cannot find scenarios/library.toml (the 2024 base, status_quo_2018.toml, lives there); "
                        "run from the tradesim repository root")


def base_reference(out: Optional[Path]) -> str:
    """How a written regime file names the 2024 base: by name beside it in the library, else by path."""
    base = library_dir() / f"{BASE_SCENARIO}.toml"
    if out is not None and out.resolve().parent == base.parent.resolve():
        return BASE_SCENARIO
    return str(base.resolve())


def regime(
    date: str = typer.Option(..., "--date", "-d", help="Date (YYYY-MM-DD); the tracker's state on or before it."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the scenario file here (else print it)."),
) -> None:
    """The US tariffs and China's retaliation in force on a date, as a scenario file to read and change."""
    from tradesim.scenario.regime import regime_toml

    try:
        text = regime_toml(date, base_reference(out))
    except TradesimError as err:
        fail(err)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {out}")


def timeline(
    start: str = typer.Option("2025-02-04", "--from", help="First date (YYYY-MM-DD)."),
    end: str = typer.Option("2026-08-19", "--to", help="Last date (YYYY-MM-DD)."),
    countries: str = typer.Option("USA,CHN,JPN,DEU,CAN,MEX,VNM", "--countries", "-c",
                                  help="Countries to show (comma-separated ISO3)."),
    as_json: bool = typer.Option(False, "--json", help="Print tidy records {date, country, welfare_pct, ev_usd, "
                                                       "real_wage_pct} as JSON."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the chart (HTML) here."),
) -> None:
    """Solve the regime of every tracker date as one batch; print, chart or dump the path."""
    from tradesim.experiments.timeline import plot_timeline, records, solve_timeline, tracker_dates
    from tradesim.scenario.spec import load_scenario

    chosen = [c.strip() for c in countries.split(",") if c.strip()]
    try:
        base = load_scenario(library_dir() / f"{BASE_SCENARIO}.toml")
        table, _ = solve_timeline(tracker_dates(start, end), base=base)
        unknown = sorted(set(chosen) - set(table["country"]))
        if unknown:
            raise TradesimError(f"--countries: {', '.join(unknown)} not in the baseline")
    except TradesimError as err:
        fail(err)
    if out is not None:
        plot_timeline(table, chosen, out)
        err_console.print(f"wrote {out}")
    if as_json:
        typer.echo(json.dumps(records(table, chosen), indent=1))
        return
    grid = Table(title="Welfare (exact real income, %) against the 2024 base, by tracker date",
                 caption="EV and real wage: tradesim timeline --json; chart: -o chart.html")
    grid.add_column("date")
    for c in chosen:
        grid.add_column(c, justify="right")
    wide = table.pivot(index="date", columns="country", values="welfare_pct")
    for date, row in wide.iterrows():
        grid.add_row(date, *[f"{row[c]:+.3f}" for c in chosen])
    console.print(grid)


#: The countries of the timeline in the demo's report.
REPORT_COUNTRIES = ("JPN", "CHN", "USA")


def timeline_figure(countries=REPORT_COUNTRIES):
    """The timeline chart of every tracker date for ``countries`` (for the demo's HTML report;
    one batch, about 5 s on 2 cores)."""
    from tradesim.experiments.timeline import plot_timeline, solve_timeline
    from tradesim.scenario.spec import load_scenario

    table, _ = solve_timeline(base=load_scenario(library_dir() / f"{BASE_SCENARIO}.toml"))
    return plot_timeline(table, list(countries))
