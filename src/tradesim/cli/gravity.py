"""``tradesim gravity``: estimate a PPML gravity equation and simulate GE experiments.

Errors from :mod:`tradesim.errors` are printed as one line with exit status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from tradesim.cli.output import err_console, fail, stdout_console
from tradesim.errors import TradesimError

app = typer.Typer(help="Structural gravity: PPML estimation (pyfixest) and one-sector GE counterfactuals.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
console = stdout_console(160)

SHOWN = [("factory_gate_price_pct", "Factory-gate price"), ("gdp_pct", "Real GDP"), ("welfare_pct", "Welfare"),
         ("exports_pct", "Exports"), ("imports_pct", "Imports"), ("intranational_pct", "Intranational")]


def _read(data: Path, year: Optional[str]):
    from tradesim.gravity import GravityData

    d = GravityData.read(data)
    return d.select_year(year) if year is not None else d


def coefficient_table(est) -> Table:
    t = Table(title=f"PPML: {est.formula} | {' + '.join(est.fixed_effects) or 'no FE'}",
              caption=f"N = {est.nobs}; standard errors: {est.vcov_type}"
                      f"{' (clustered by pair)' if est.vcov_type == 'pair' else ''}")
    for col in ("variable", "estimate", "std. error", "z", "p", "95% CI"):
        t.add_column(col, justify="left" if col == "variable" else "right")
    for name, r in est.table().iterrows():
        t.add_row(name, f"{r.estimate:.6f}", f"{r.std_error:.6f}", f"{r.z:.2f}", f"{r.p_value:.3g}",
                  f"[{r.ci_low:.4f}, {r.ci_high:.4f}]")
    return t


@app.command()
def estimate(
    data: Path = typer.Argument(..., help="Bilateral panel (.csv/.dlm/.parquet): exporter, importer, year, trade, ..."),
    formula: str = typer.Option(..., "--formula", "-f", help="'trade ~ lndist + contiguity + pta' (column names)."),
    fe: str = typer.Option("exporter,importer", "--fe",
                           help="Comma-separated fixed effects: exporter, importer, pair, exporter-year, importer-year."),
    vcov: str = typer.Option("pair", "--vcov", help="pair (cluster by pair), hetero or iid."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the coefficient table (CSV)."),
    vcov_out: Optional[Path] = typer.Option(None, "--vcov-out", help="Write the covariance matrix (CSV)."),
) -> None:
    """Fit a PPML gravity equation with fixed effects and print the coefficient table."""
    from tradesim.gravity.estimate import estimate_ppml

    try:
        est = estimate_ppml(_read(data, None), formula, tuple(x.strip() for x in fe.split(",") if x.strip()),
                            vcov=vcov)
        if out:
            est.table().to_csv(out)
        if vcov_out:
            est.vcov.to_csv(vcov_out)
    except TradesimError as err:
        fail(err)
    console.print(coefficient_table(est))
    if out:
        console.print(f"coefficients in {out}")


@app.command()
def simulate(
    data: Path = typer.Argument(..., help="Bilateral panel with output (Y) and expenditure (E) columns."),
    experiment: Path = typer.Option(..., "--experiment", "-x", help="Experiment TOML (see scenarios/gravity_can_jpn.toml)."),
    compat: Optional[str] = typer.Option(None, "--compat", help="consistent or gegravity; overrides the file's."),
    draws: Optional[int] = typer.Option(None, "--draws", "-n", help="Coefficient draws for uncertainty bands."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed of the draws."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for countries.csv, bilateral.csv (and draws)."),
    workers: int = typer.Option(0, "--workers", help="Solve the draws on a Dask LocalCluster with this many workers."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of an existing Dask scheduler."),
) -> None:
    """Estimate (or take) trade-cost coefficients, solve the GE experiment, print country results (%)."""
    from tradesim.gravity.estimate import estimate_ppml
    from tradesim.gravity.experiment import load_experiment
    from tradesim.model.gravity.ge import build_baseline, simulate as solve
    from tradesim.gravity.uncertainty import simulate_draws, summarize_draws

    try:
        spec = load_experiment(experiment)
        mode = compat or spec.compat
        n_draws = spec.draws if draws is None else draws
        panel = _read(data, None)
        est = None
        if spec.coefficients is not None:
            coefs = spec.coefficients
        else:
            est = estimate_ppml(panel.select_year(spec.year), spec.formula, spec.fixed_effects, vcov=spec.vcov)
            coefs = est.coef
        base = build_baseline(panel, coefs, sigma=spec.sigma, reference=spec.reference_importer, year=spec.year)
        result = solve(base, spec.experiment, compat=mode)
        table = result.table()
        summary = None
        if n_draws:
            if est is None:
                raise TradesimError("uncertainty draws need estimated coefficients (a 'formula'), not fixed ones")
            from rich.progress import Progress

            with Progress(console=err_console, transient=True) as bar:
                task = bar.add_task(f"{n_draws} coefficient draws", total=None)
                samples = simulate_draws(base, est, spec.experiment, draws=n_draws,
                                         seed=spec.seed if seed is None else seed, compat=mode,
                                         workers=workers, scheduler=scheduler,
                                         progress=lambda done, total: bar.update(task, completed=done, total=total))
            summary = summarize_draws(samples)
        if out:
            out.mkdir(parents=True, exist_ok=True)
            table.to_csv(out / "countries.csv")
            result.bilateral().to_csv(out / "bilateral.csv", index=False)
            if summary is not None:
                samples.to_csv(out / "draws.csv", index=False)
                summary.to_csv(out / "draws_summary.csv")
    except TradesimError as err:
        fail(err)
    if est is not None:
        console.print(coefficient_table(est))
    changed = base.cost_change(spec.experiment)
    shown = [c for c in spec.show if c in table.index] or list(
        table["welfare_pct"].abs().sort_values(ascending=False).index[:8])
    t = Table(title=f"{spec.experiment.name}: GE effects (%), sigma = {spec.sigma:g}, reference {spec.reference_importer}, "
                    f"{mode}",
              caption=f"{len(changed)} pair(s) with changed trade costs (t^(1-sigma) "
                      f"{changed['cost_change_pct'].min():+.4f}% .. {changed['cost_change_pct'].max():+.4f}%); "
                      f"Newton {result.iterations} iterations, largest residual {result.max_residual:.1e}")
    t.add_column("Country")
    for _, title in SHOWN:
        t.add_column(title, justify="right")
    if mode == "gegravity":
        t.add_column("welfare stat.", justify="right")
    for c in shown:
        row = [f"{table.loc[c, k]:+.6f}" for k, _ in SHOWN]
        if mode == "gegravity":
            row.append(f"{table.loc[c, 'welfare_statistic']:.6f}")
        t.add_row(c, *row)
    console.print(t)
    if summary is not None:
        b = Table(title=f"Welfare (%) over {n_draws} coefficient draws")
        for col in ("Country", "mean", "sd", "5%", "95%"):
            b.add_column(col, justify="right")
        for c in shown:
            r = summary.loc[c]
            b.add_row(c, *[f"{r[f'welfare_pct_{k}']:+.5f}" for k in ("mean", "sd", "p5", "p95")])
        console.print(b)
    if out:
        console.print(f"results in {out}/")
