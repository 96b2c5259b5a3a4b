"""The ``tradesim`` command line.

Every :class:`~tradesim.errors.TradesimError` is printed as one line
(``error: ...``) with exit status 2; no traceback reaches the user.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from tradesim.errors import TradesimError

app = typer.Typer(
    help="tradesim: general-equilibrium trade policy simulation (Caliendo-Parro 2015) on real data.\n\n"
         "Scenarios are TOML files (see scenarios/); results are tables (Parquet) and a JSON summary.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped or captured output gets room for wide tables instead of rich's 80 columns.
console = Console() if sys.stdout.isatty() else Console(width=160)
err_console = Console(stderr=True)

HEADLINE = [("welfare_pct", "Welfare"), ("tot_pct", "ToT"), ("vot_pct", "VoT"),
            ("real_wage_pct", "Real wage"), ("real_income_pct", "Real income")]


def _countries_in(scenario) -> list[str]:
    named: list[str] = []
    for m in scenario.measures:
        for key in ("importer", "exporter"):
            sel = m.selectors.get(key)
            if sel != "all":
                named += [c for c in sel if c not in named]
    return named


def welfare_table(result, countries: list[str] | None = None, top: int = 5) -> Table:
    """A rich table of the headline welfare numbers, in percent."""
    w = result.welfare()
    shown = [c for c in (countries or _countries_in(result.scenario)) if c in w.index]
    others = w.drop(index=shown).reindex(w.drop(index=shown)["welfare_pct"].abs().sort_values(ascending=False).index)
    shown += list(others.index[:top])
    table = Table(title=f"{result.scenario.name} — welfare effects (%), {result.solution.closure.replace('_', ' ')}",
                  caption=f"baseline {result.baseline.name} ({result.baseline.version}); welfare = ToT + VoT "
                          f"(+ technical efficiency), Caliendo-Parro decomposition; real income = exact I^/P^")
    table.add_column("Country")
    for _, title in HEADLINE:
        table.add_column(title, justify="right")
    for c in shown:
        table.add_row(c, *[f"{w.loc[c, k]:.2f}" for k, _ in HEADLINE])
    return table


def _fail(err: Exception) -> None:
    err_console.print(f"[bold red]error:[/] {err}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


@app.command()
def run(
    scenario: Path = typer.Argument(..., help="Scenario TOML file (e.g. scenarios/cp2015_nafta.toml)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="Folder for results (Parquet tables, summary.json). "
                                            "Default: results/<scenario file name>."),
    baseline: Optional[str] = typer.Option(None, "--baseline", "-b",
                                           help="Baseline name; overrides the scenario's 'baseline'."),
    closure: Optional[str] = typer.Option(None, "--closure",
                                          help="Trade-balance closure: zero_deficit or fixed_deficit; "
                                               "overrides the scenario's 'closure'."),
    elasticity_set: Optional[str] = typer.Option(None, "--elasticity-set", "-e",
                                                 help="Published elasticity set of the baseline (icio2022: IS, U4, "
                                                      "CP, BSY, GYY, Shap, FGO, LL); overrides the scenario's."),
    countries: Optional[str] = typer.Option(None, "--countries", "-c",
                                            help="Comma-separated ISO3 codes to show first "
                                                 "(default: those the measures name)."),
    top: int = typer.Option(5, "--top", help="How many other countries to show, largest welfare change first."),
    json_only: bool = typer.Option(False, "--json", help="Print the JSON summary instead of the table."),
    no_save: bool = typer.Option(False, "--no-save", help="Print only; write no result files."),
    fresh: bool = typer.Option(False, "--fresh",
                               help="Solve again even if the results store holds this run (see tradesim runs)."),
) -> None:
    """Solve a scenario, print its welfare table and save the results."""
    import json

    from tradesim.api import run as run_scenario
    from tradesim.scenario.spec import CLOSURES

    try:
        if closure is not None and closure not in CLOSURES:
            raise TradesimError(f"--closure must be one of {', '.join(CLOSURES)}, not {closure!r}")
        result = run_scenario(scenario, baseline, closure=closure, elasticity_set=elasticity_set,
                              reuse=not fresh, origin="cli")
        folder = None
        if not no_save:
            folder = result.save(out or Path("results") / scenario.stem)
    except TradesimError as err:
        _fail(err)
    if json_only:
        print(json.dumps(result.summary(), indent=2, default=float))
        return
    console.print(welfare_table(result, countries.split(",") if countries else None, top))
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}", highlight=False)
    d = result.diagnostics()
    console.print(f"solved in {d['seconds']:.2f} s, {d['iterations']} Newton iterations, "
                  f"largest equilibrium residual {max(d['residuals'].values()):.1e}"
                  + (f"; results in {folder}/" if folder else ""))


@app.command()
def baselines() -> None:
    """List the shipped baselines with their size, version and source."""
    from tradesim.data.registry import available_baselines, load_baseline

    table = Table(title="Shipped baselines")
    for col in ("name", "countries", "sectors", "version", "source"):
        table.add_column(col)
    try:
        for name in available_baselines():
            b = load_baseline(name)
            table.add_row(name, str(len(b.countries)), str(len(b.sectors)), b.version,
                          str(b.ds.attrs.get("source", ""))[:70])
    except TradesimError as err:
        _fail(err)
    console.print(table)


def _scenario_dir() -> Path:
    """The scenario library: ``scenarios/`` of the working copy (or the current folder)."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        if (base / "scenarios" / "library.toml").exists():
            return base / "scenarios"
    raise TradesimError("cannot find scenarios/library.toml; run from the tradesim repository root")


def demo_tables(results, focus=("JPN", "CHN", "USA"), others: int = 3) -> list[Table]:
    """The demo's printed tables: welfare, trade among the focus countries, Japan's sectors."""
    import pandas as pd

    from tradesim.results.report import most_affected_sectors, partner_trade, welfare_matrix

    wel, rw = welfare_matrix(results), welfare_matrix(results, "real_wage_pct")
    extra = [c for c in wel.abs().max().sort_values(ascending=False).index if c not in focus][:others]
    t1 = Table(title="Welfare (and real wage) change, % — per scenario",
               caption="welfare: Caliendo-Parro decomposition (ToT + VoT + technical efficiency); real wage in brackets")
    t1.add_column("Scenario")
    for c in list(focus) + extra:
        t1.add_column(c, justify="right")
    for name in wel.index:
        t1.add_row(name, *[f"{wel.loc[name, c]:+.3f} ({rw.loc[name, c]:+.2f})" for c in list(focus) + extra])
    country, partners = focus[0], list(focus[1:])
    pt = partner_trade(results, country, partners)
    t2 = Table(title=f"{country}'s trade with {' and '.join(partners)}, % change (all sectors)")
    t2.add_column("Scenario")
    for p in partners:
        t2.add_column(f"exports to {p}", justify="right")
        t2.add_column(f"imports from {p}", justify="right")
    for name, grp in pt.groupby("scenario", sort=False):
        g = grp.set_index("partner")
        t2.add_row(name, *[f"{g.loc[p, k]:+.2f}" for p in partners for k in ("exports_pct", "imports_pct")])
    t3 = Table(title=f"{country}'s most affected sectors (gross output, % change)")
    t3.add_column("Scenario")
    t3.add_column("sectors")
    for r in results:
        top = most_affected_sectors(r, country, 4)
        t3.add_row(r.scenario.key, ", ".join(f"{row.sector} {row.change_pct:+.2f}" for row in top.itertuples()
                                              if pd.notna(row.change_pct)))
    return [t1, t2, t3]


@app.command()
def demo(
    out: Path = typer.Option(Path("results/demo"), "--out", "-o",
                             help="Folder for the report (report.html) and each scenario's tables."),
    baseline: Optional[str] = typer.Option(None, "--baseline", "-b",
                                           help="Baseline name (default: the scenarios' own, icio2022)."),
    open_browser: bool = typer.Option(False, "--open", help="Open the HTML report in a browser when done."),
) -> None:
    """Run the main job: Japan between the US and China. Solves the scenario library
    (scenarios/library.toml) on the 2022 world, prints welfare, real wages and trade
    for Japan, China and the US, and writes an HTML report with charts."""
    import tomllib

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from tradesim.api import run as run_scenario
    from tradesim.results.report import write_report

    try:
        folder = _scenario_dir()
        names = tomllib.loads((folder / "library.toml").read_text())["scenarios"]
        results = []
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=err_console, transient=False) as progress:
            task = progress.add_task("solving", total=len(names))
            for name in names:
                progress.update(task, description=f"solving {name}")
                result = run_scenario(folder / f"{name}.toml", baseline, origin="cli")
                result.save(out / name)
                results.append(result)
                progress.advance(task)
        report = write_report(results, out / "report.html")
    except TradesimError as err:
        _fail(err)
    for table in demo_tables(results):
        console.print(table)
    for r in results:
        for note in r.notes:
            if "no effect" in note:
                console.print(f"[yellow]note ({r.scenario.key}):[/] {note}", highlight=False)
    console.print(f"report: {report.resolve()}")
    if open_browser:
        import webbrowser

        webbrowser.open(report.resolve().as_uri())


@app.command()
def replicate(
    out: Path = typer.Option(Path("results/cp2015_nafta"), "--out", "-o", help="Folder for the results."),
) -> None:
    """Replicate Caliendo and Parro (2015), Table 2: NAFTA's tariff reductions."""
    from tradesim.api import run as run_scenario

    try:
        result = run_scenario(_scenario_dir() / "cp2015_nafta.toml", origin="cli")
        result.save(out)
    except TradesimError as err:
        _fail(err)
    console.print(welfare_table(result, ["MEX", "CAN", "USA"], top=0))
    console.print("Published (CP 2015, Table 2): MEX 1.31 / -0.41 / 1.72 / 1.72; "
                  "CAN -0.06 / -0.11 / 0.04 / 0.32; USA 0.08 / 0.04 / 0.04 / 0.11")
    console.print(f"results in {out}/")


@app.command()
def sweep(
    spec: Path = typer.Argument(..., help="Sweep spec TOML (a grid over a scenario template; see sweeps/)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="Folder for sweep.parquet and sweep.html. Default: results/<spec name>."),
    workers: int = typer.Option(0, "--workers", "-w",
                                help="Solve on a Dask LocalCluster with this many worker processes (0: this process)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Address of an existing Dask scheduler (tcp://host:8786) to use."),
    chunk: int = typer.Option(25, "--chunk", help="Grid points per Dask task (each worker batches a chunk)."),
    outcome: str = typer.Option("welfare_pct", "--outcome",
                                help="Outcome to plot: welfare_pct, tot_pct, vot_pct, real_wage_pct, real_income_pct."),
) -> None:
    """Solve every point of a parameter grid and write one tidy table (Parquet) and a plot."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from tradesim.sweep import OUTCOMES, failed_points, parse_sweep, plot_sweep, run_sweep

    try:
        if outcome not in OUTCOMES:
            raise TradesimError(f"--outcome must be one of {', '.join(OUTCOMES)}")
        if not spec.exists():
            raise TradesimError(f"sweep spec not found: {spec}")
        parsed = parse_sweep(spec.read_text(encoding="utf-8"))
        total = len(parsed.points())
        with Progress(TextColumn(f"[bold]{total} scenarios"), BarColumn(), TextColumn("{task.completed}/{task.total} chunks"),
                      TimeElapsedColumn(), console=err_console) as progress:
            task = progress.add_task("sweep", total=None)
            table = run_sweep(parsed, scheduler=scheduler, workers=workers, chunk_size=chunk,
                              progress=lambda done, n: progress.update(task, completed=done, total=n))
        folder = out or Path("results") / spec.stem
        folder.mkdir(parents=True, exist_ok=True)
        table.to_parquet(folder / "sweep.parquet", index=False)
        plot = plot_sweep(table, parsed, folder / "sweep.html", outcome)
    except TradesimError as err:
        _fail(err)
    failed = failed_points(table)
    for row in failed.itertuples():
        console.print(f"[red]not converged:[/] point {row.point} "
                      f"({', '.join(f'{k}={getattr(row, k)}' for k in parsed.grid)}), residual {row.residual:.2e}")
    console.print(f"{total} scenarios, {total - len(failed)} converged; table {folder / 'sweep.parquet'}, plot {plot}")


@app.command()
def montecarlo(
    scenario: Path = typer.Argument(..., help="Scenario TOML file."),
    draws: int = typer.Option(100, "--draws", "-n", help="Number of elasticity draws."),
    source: str = typer.Option("published", "--source",
                               help="'published': each sector's elasticity from one of the baseline's published "
                                    "sets; 'lognormal': around the baseline's own, with --cv; 'table': your own "
                                    "distribution, --distribution FILE."),
    cv: float = typer.Option(0.25, "--cv", help="Coefficient of variation of the lognormal draws."),
    distribution: Optional[Path] = typer.Option(
        None, "--distribution",
        help="CSV with columns sector, mean, sd [, distribution = normal|lognormal] (implies --source table); "
             "sectors not listed keep the baseline's elasticity."),
    seed: int = typer.Option(0, "--seed", help="Random seed."),
    countries: str = typer.Option("JPN,CHN,USA", "--countries", "-c", help="Countries to print."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="Folder for samples.parquet and summary.parquet "
                                            "(default results/<scenario>_mc)."),
    workers: int = typer.Option(0, "--workers", "-w", help="Solve on a Dask LocalCluster of this many workers."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of an existing Dask scheduler."),
    chunk: int = typer.Option(25, "--chunk", help="Draws per task (each solved as one batch)."),
) -> None:
    """Solve a scenario under many trade-elasticity draws; print mean, sd and the 5-95% band."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from tradesim.montecarlo import run_montecarlo

    try:
        with Progress(TextColumn("[bold]draws"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=err_console) as progress:
            task = progress.add_task("mc", total=draws)
            if distribution is not None:
                source = "table"
            samples, summary = run_montecarlo(scenario, draws=draws, source=source, cv=cv, seed=seed,
                                              distribution=distribution,
                                              chunk_size=chunk, workers=workers, scheduler=scheduler,
                                              progress=lambda d, n: progress.update(task, completed=d))
        folder = out or Path("results") / f"{scenario.stem}_mc"
        folder.mkdir(parents=True, exist_ok=True)
        samples.to_parquet(folder / "samples.parquet", index=False)
        summary.reset_index().to_parquet(folder / "summary.parquet", index=False)
    except TradesimError as err:
        _fail(err)
    table = Table(title=f"{scenario.stem}: welfare over {draws} elasticity draws ({source}), %")
    for col in ("Country", "mean", "sd", "5%", "95%"):
        table.add_column(col, justify="right")
    for c in countries.split(","):
        if c in summary.index:
            r = summary.loc[c]
            table.add_row(c, *[f"{r[f'welfare_pct_{k}']:+.3f}" for k in ("mean", "sd", "p5", "p95")])
    console.print(table)
    failed = int((~samples["converged"]).sum())
    console.print(f"{draws - failed} of {draws} draws converged; tables in {folder}/")


# --- sub-command groups (one line each; their modules live beside this one) ---
from tradesim.cli.gravity import app as _gravity_app  # noqa: E402

app.add_typer(_gravity_app, name="gravity", help="Structural gravity: PPML estimation and GE counterfactuals.")
from tradesim.cli.store import app as _runs_app, serve as _serve  # noqa: E402

app.add_typer(_runs_app, name="runs", help="Stored runs (DuckDB): list, show, compare, export.")
app.command(name="serve")(_serve)
from tradesim.cli.news import news as _news  # noqa: E402

app.command(name="news")(_news)
from tradesim.cli.strategy import app as _strategy_app, game as _game  # noqa: E402

app.add_typer(_strategy_app, name="strategy", help="Tariff games: Ossa (2014) optimal/Nash tariffs, talks.")
app.command(name="game")(_game)
from tradesim.cli.war import war as _war  # noqa: E402

app.command(name="war")(_war)
# --- end of sub-command groups ---


def main() -> None:
    """Console entry point."""
    try:
        app()
    except TradesimError as err:  # anything a command did not catch itself
        err_console.print(f"[bold red]error:[/] {err}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
