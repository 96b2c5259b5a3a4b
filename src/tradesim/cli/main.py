"""The ``tradesim`` command line.

Every :class:`~tradesim.errors.TradesimError` is printed as one line
(``error: ...``) with exit status 2; no traceback reaches the user.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from tradesim.cli.lazy import LazyGroup, lazy
from tradesim.cli.output import err_console, fail, stdout_console
from tradesim.errors import TradesimError

app = typer.Typer(
    cls=LazyGroup,
    help="tradesim: general-equilibrium trade policy simulation (Caliendo-Parro 2015) on real data.\n\n"
         "Scenarios are TOML files (see scenarios/); results are tables (Parquet) and a JSON summary.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped or captured output gets room for wide tables instead of rich's 80 columns.
console = stdout_console(160)


def welfare_table(result, countries: list[str] | None = None, top: int = 5) -> Table:
    """A rich table of the headline welfare numbers (see :mod:`tradesim.cli.briefing`)."""
    from tradesim.cli.briefing import welfare_table as table

    return table(result, countries, top)


@app.command()
def run(
    scenario: Path = typer.Argument(..., help="Scenario TOML file (e.g. scenarios/cp2015_nafta.toml), or a library "
                                              "scenario's name (cp2015_nafta, liberation_day/ustr_tax_relief)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="Folder for results (Parquet tables, summary.json, run.json). "
                                            "Default: results/<scenario file name>/<run key>, one per run."),
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
    top: int = typer.Option(5, "--top", help="How many other countries to show, largest EV first (and how many "
                                             "gainers, losers and third-country suppliers)."),
    json_only: bool = typer.Option(False, "--json", help="Print the JSON summary instead of the table."),
    no_save: bool = typer.Option(False, "--no-save", help="Print only; write no result files, record no run."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Let --out replace another run's results."),
    fresh: bool = typer.Option(False, "--fresh",
                               help="Solve again even if the results store holds this run (see tradesim runs)."),
) -> None:
    """Solve a scenario; print welfare (exact, % and USD), who gains and who loses, the chosen
    countries' sectors, the trade diversion of each measure; save the results."""
    import json

    from tradesim.api import run as run_scenario
    from tradesim.cli.store import save_run
    from tradesim.literals import check_closure

    try:
        from tradesim.model.family import is_default, model_of
        from tradesim.scenario.library import Library

        scenario = Library.find().file_or_name(scenario)  # a library name: the dashboard's lookup
        if not is_default(model_of(scenario)):  # another model family: its command module only then
            from tradesim.cli.liberation_day import run_other_family

            if run_other_family(scenario, console, json_only,
                                None if no_save else out or Path("results") / scenario.stem, reuse=not fresh):
                return
        if closure is not None:
            check_closure(closure, "--closure")
        result = run_scenario(scenario, baseline, closure=closure, elasticity_set=elasticity_set,
                              reuse=not fresh, origin="cli", store=False if no_save else None)
        from tradesim.cli.briefing import check_countries

        chosen = check_countries(result, countries.split(",") if countries else None)
        folder = None
        if not no_save:
            folder = save_run(result, out, scenario.stem, overwrite)
    except TradesimError as err:
        fail(err)
    if json_only:
        print(json.dumps(result.summary(), indent=2, default=float))
        return
    from tradesim.cli.briefing import briefing

    for table in briefing(result, chosen, top):
        console.print(table)
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
        from tradesim.cli.liberation_day import family_dataset_rows

        for row in family_dataset_rows():
            table.add_row(*row)
    except TradesimError as err:
        fail(err)
    console.print(table)


def _scenario_dir() -> Path:
    """The scenario library: ``scenarios/`` of the working copy (or the current folder)."""
    from tradesim.scenario.library import Library

    return Library.find().required()


def demo_tables(results, focus=("JPN", "CHN", "USA")) -> list[Table]:
    """The demo's printed tables (see :func:`tradesim.cli.briefing.demo_tables`)."""
    from tradesim.cli.briefing import demo_tables as tables

    return tables(results, focus)


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
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from tradesim.api import run as run_scenario
    from tradesim.results.report import write_report

    try:
        folder = _scenario_dir()
        from tradesim.scenario.library import Library

        names = Library.find(folder).demo()
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
        from tradesim.cli.attribute import attribution_table, story_attribution

        story = story_attribution(folder, baseline)
        from tradesim.cli.regime import timeline_figure

        timeline = timeline_figure() if baseline in (None, "icio2022") else None  # the regime is on icio2022
        from tradesim.strategy.war import global_war

        war = global_war("tariffwar") if baseline in (None, "icio2022") else None  # the default set, ~4 s
        report = write_report(results, out / "report.html", attributions=[story], timeline=timeline, war=war)
    except TradesimError as err:
        fail(err)
    for table in demo_tables(results):
        console.print(table)
    console.print(attribution_table(story, "JPN"))
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
    paper: str = typer.Argument("cp2015", help="What to replicate: cp2015 (Caliendo and Parro 2015, Table 2) "
                                               "or liberation-day (Ignatenko et al. 2025, Tables 1-3)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for the results "
                                                                 "(default results/cp2015_nafta)."),
    as_json: bool = typer.Option(False, "--json", help="liberation-day: tidy JSON records instead of the tables."),
) -> None:
    """Replicate a published table: Caliendo and Parro (2015), Table 2 (NAFTA's tariff
    reductions), the paper's one-step figures next to the exact welfare change; or the
    Liberation Day paper's Tables 1-3."""
    from tradesim.cli.replicate import REPLICATIONS

    try:
        if paper == "liberation-day":
            from tradesim.cli.liberation_day import replicate_paper

            return replicate_paper(paper, console, as_json)
        if paper not in REPLICATIONS:
            raise TradesimError(f"replicate: unknown paper {paper!r}; choose one of "
                                f"{', '.join([*REPLICATIONS, 'liberation-day'])}")
        for line in REPLICATIONS[paper](_scenario_dir(), out):
            console.print(line)
    except TradesimError as err:
        fail(err)


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
                                help="Outcome to plot: welfare_pct (exact real income), ev_usd, real_wage_pct, "
                                     "welfare_first_order_pct, tot_first_order_pct, vot_first_order_pct."),
) -> None:
    """Solve every point of a parameter grid and write one tidy table (Parquet) and a plot."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from tradesim.experiments.sweep import OUTCOMES, failed_points, family_outcomes, parse_sweep, plot_sweep, run_sweep

    try:
        if outcome not in OUTCOMES and outcome not in family_outcomes():  # other families' outcomes too
            raise TradesimError(f"--outcome must be one of {', '.join(OUTCOMES)} (or another family's: "
                                f"{', '.join(family_outcomes())})")
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
        fail(err)
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

    from tradesim.experiments.montecarlo import run_montecarlo

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
        fail(err)
    table = Table(title=f"{scenario.stem}: welfare (exact real-income change) over {draws} elasticity draws "
                        f"({summary.attrs.get('source', source)}), %")
    for col in ("Country", "mean", "sd", "5%", "95%"):
        table.add_column(col, justify="right")
    for c in countries.split(","):
        if c in summary.index:
            r = summary.loc[c]
            table.add_row(c, *[f"{r[f'welfare_pct_{k}']:+.3f}" for k in ("mean", "sd", "p5", "p95")])
    console.print(table)
    failed = int((~samples["converged"]).sum())
    console.print(f"{draws - failed} of {draws} draws converged; tables in {folder}/")


@app.command("compare-models")
def compare_models(scenario: Path = typer.Argument(..., help="A Liberation Day scenario (scenarios/liberation_day/)."),
                   ) -> None:
    """One tariff schedule under every model family that can take it, side by side (welfare %)."""
    from tradesim.cli.compare import print_comparison

    try:
        print_comparison(scenario, console)
    except TradesimError as err:
        fail(err)


# --- sub-command groups (one line each; their modules live beside this one and are imported
# only when the command is called or listed: tradesim.cli.lazy) ---
lazy("gravity", "tradesim.cli.gravity:app", help="Structural gravity: PPML estimation and GE counterfactuals.")
lazy("runs", "tradesim.cli.store:app", help="Stored runs (DuckDB): list, show, compare, export, delete, gc.")
lazy("serve", "tradesim.cli.store:serve")
lazy("news", "tradesim.cli.news:news")
lazy("strategy", "tradesim.cli.strategy:app", help="Tariff games: Ossa (2014) optimal/Nash tariffs, talks.")
lazy("game", "tradesim.cli.strategy:game")
lazy("regime", "tradesim.cli.regime:regime")
lazy("timeline", "tradesim.cli.regime:timeline")
lazy("attribute", "tradesim.cli.attribute:attribute")
lazy("war", "tradesim.cli.war:war")
lazy("cache", "tradesim.cli.cache:app", help="The on-disk cache ($TRADESIM_CACHE): info, clear.")
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
