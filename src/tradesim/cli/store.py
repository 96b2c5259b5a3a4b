"""``tradesim runs`` (list, show, compare, export, delete, gc stored runs), ``tradesim serve``,
and where ``tradesim run`` saves a run's files (:func:`save_run`).

Errors from :mod:`tradesim.errors` are printed as one line with exit status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from tradesim.cli.output import err_console, fail, stdout_console
from tradesim.errors import TradesimError

app = typer.Typer(help="The results store: every solved run, in DuckDB (see docs/dashboard.md for SQL).",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
console = stdout_console(160)

STORE_OPTION = typer.Option(None, "--store", "-s", help="Store file (default: $TRADESIM_STORE, else "
                                                          "$XDG_DATA_HOME/tradesim/runs.duckdb).")


def _store(path: Optional[Path]):
    from tradesim.results.store import RunStore

    return RunStore(path)


def save_run(result, out: Optional[Path], stem: str, overwrite: bool = False) -> Path:
    """Save a run's files (``Result.save`` and ``run.json``, its key) to ``out``, by default
    ``results/<stem>/<first 12 digits of the run key>``: one folder per run (scenario hash,
    baseline version, closure, elasticity set). A folder holding another run's files is
    refused unless ``overwrite``."""
    import json

    from tradesim.results.store import result_key, resolved_of, scenario_hash

    key = result_key(result)
    folder = Path(out) if out is not None else Path("results") / stem / key[:12]
    marker = folder / "run.json"
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        try:
            held = json.loads(marker.read_text()).get("run_key")
        except (OSError, ValueError):
            held = None
        if held != key:
            raise TradesimError(f"{folder} holds the results of another run ({'key ' + held[:12] if held else 'no run.json'}"
                                f"); choose another --out, or pass --overwrite to replace them")
    result.save(folder)
    b = result.baseline
    marker.write_text(json.dumps({"run_key": key, "scenario_hash": scenario_hash(resolved_of(result)),
                                  "baseline": b.name, "baseline_version": b.version,
                                  "elasticity_set": b.ds.attrs.get("elasticity_set"),
                                  "closure": result.solution.closure}, indent=2))
    return folder


@app.command("list")
def list_runs(store: Optional[Path] = STORE_OPTION,
              baseline: Optional[str] = typer.Option(None, "--baseline", "-b", help="Only runs on this baseline."),
              limit: int = typer.Option(50, "--limit", "-n", help="Newest runs to show.")) -> None:
    """List stored runs, newest first."""
    try:
        s = _store(store)
        df = s.runs(baseline)
    except TradesimError as err:
        fail(err)
    table = Table(title=f"{len(df)} runs in {s.path}")
    for col in ("run", "created (UTC)", "scenario", "baseline", "elasticities", "closure", "s", "origin"):
        table.add_column(col)
    for r in df.head(limit).itertuples():
        elasticities = r.elasticity_set if isinstance(r.elasticity_set, str) else "-"
        table.add_row(r.run_id, str(r.created_at)[:19], r.scenario_key + (" (library)" if r.library else ""),
                      f"{r.baseline} ({r.baseline_version})", elasticities, r.closure, f"{r.solve_seconds:.2f}",
                      str(r.origin))
    console.print(table)


@app.command()
def show(run_id: str = typer.Argument(..., help="Run id (or a unique prefix)."),
         store: Optional[Path] = STORE_OPTION,
         top: int = typer.Option(10, "--top", help="Countries to show, largest welfare change first."),
         scenario: bool = typer.Option(False, "--scenario", help="Print the scenario TOML too.")) -> None:
    """Show one run: its record and welfare table."""
    try:
        s = _store(store)
        rec = s.run(run_id)
        w = s.welfare(rec["run_id"]).set_index("country")
    except TradesimError as err:
        fail(err)
    d = rec["diagnostics"]
    console.print(f"[bold]{rec['scenario_name']}[/] — run {rec['run_id']} ({rec['origin']}, {rec['created_at']})",
                  highlight=False)
    console.print(f"baseline {rec['baseline']} ({rec['baseline_version']}), elasticities "
                  f"{rec['elasticity_set'] or 'baseline'}, {rec['closure'].replace('_', ' ')}; scenario hash "
                  f"{rec['scenario_hash'][:16]}; tradesim {rec['tradesim_version']}", highlight=False)
    console.print(f"solved in {rec['solve_seconds']:.2f} s, {d['iterations']} Newton iterations, converged "
                  f"{d['converged']}, largest equilibrium residual {rec['max_residual']:.1e}", highlight=False)
    table = Table(title="Welfare effects (welfare: exact real-income change, %; ev: USD)")
    cols = [k for k in ("welfare_pct", "ev_usd", "real_wage_pct", "welfare_first_order_pct") if k in w]
    table.add_column("Country")
    for c in cols:
        table.add_column(c.removesuffix("_pct"), justify="right")
    for c in w["welfare_pct"].abs().sort_values(ascending=False).index[:top]:
        table.add_row(c, *[f"{w.loc[c, k] / 1e9:,.3f} bn" if k == "ev_usd" else f"{w.loc[c, k]:.4f}" for k in cols])
    console.print(table)
    if scenario:
        console.print(rec["scenario_text"], highlight=False, markup=False)


@app.command()
def compare(a: str = typer.Argument(..., help="First run id."), b: str = typer.Argument(..., help="Second run id."),
            store: Optional[Path] = STORE_OPTION,
            column: str = typer.Option("welfare_pct", "--column", help="Welfare column to compare."),
            top: int = typer.Option(15, "--top", help="Countries to show, largest difference first.")) -> None:
    """Two runs' welfare side by side, with the difference (b - a)."""
    from tradesim.results.result import SUMMARY_KEYS

    try:
        if column not in SUMMARY_KEYS + ("real_income_pct",):
            raise TradesimError(f"--column must be one of {', '.join(SUMMARY_KEYS)}, real_income_pct")
        s = _store(store)
        ra, rb = s.run(a), s.run(b)
        t = s.compare(ra["run_id"], rb["run_id"], column)
    except TradesimError as err:
        fail(err)
    table = Table(title=f"{column}: A = {ra['scenario_name']} ({ra['run_id']}), B = {rb['scenario_name']} "
                        f"({rb['run_id']})")
    for col in ("Country", "A", "B", "B - A"):
        table.add_column(col, justify="right")
    for c in t["difference"].abs().sort_values(ascending=False).index[:top]:
        table.add_row(c, *[f"{v:.4g}" for v in t.loc[c]])
    console.print(table)


@app.command()
def export(run_id: str = typer.Argument(..., help="Run id (or a unique prefix)."),
           out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder (default results/run_<id>)."),
           fmt: str = typer.Option("parquet", "--format", "-f", help="parquet or csv."),
           store: Optional[Path] = STORE_OPTION) -> None:
    """Write a run's tables, its scenario and run.json to a folder."""
    try:
        s = _store(store)
        full = s.resolve(run_id)
        folder = s.export(full, out or Path("results") / f"run_{full}", fmt)
    except TradesimError as err:
        fail(err)
    console.print(f"run {full}: tables in {folder}/")


@app.command()
def delete(run_ids: list[str] = typer.Argument(..., help="Run ids (or unique prefixes)."),
           store: Optional[Path] = STORE_OPTION) -> None:
    """Delete runs from the store."""
    try:
        gone = _store(store).delete(run_ids)
    except TradesimError as err:
        fail(err)
    console.print(f"deleted {len(gone)} run(s): {', '.join(gone)}", highlight=False)


@app.command()
def gc(keep: int = typer.Option(..., "--keep", "-k", help="Newest runs to keep (runs of library scenarios are "
                                                             "always kept, on top of these)."),
       dry_run: bool = typer.Option(False, "--dry-run", help="Only list what would be deleted."),
       store: Optional[Path] = STORE_OPTION) -> None:
    """Delete all but the newest N runs, always keeping the runs of library scenarios."""
    try:
        gone = _store(store).gc(keep, dry_run=dry_run)
    except TradesimError as err:
        fail(err)
    verb = "would delete" if dry_run else "deleted"
    console.print(f"{verb} {len(gone)} run(s)" + (f": {', '.join(gone[:20])}" + (" ..." if len(gone) > 20 else "")
                                                 if gone else ""), highlight=False)


def serve(host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default loopback only)."),
          port: int = typer.Option(8765, "--port", "-p", help="Port."),
          store: Optional[Path] = STORE_OPTION,
          timeout: float = typer.Option(300.0, "--timeout", help="Seconds a solve may take before it is abandoned."),
          workers: int = typer.Option(2, "--workers", help="Solves that run at once."),
          open_browser: bool = typer.Option(False, "--open", help="Open the dashboard in a browser.")) -> None:
    """Start the web dashboard (FastAPI) on http://127.0.0.1:8765/."""
    import uvicorn

    from tradesim.web.app import create_app

    try:
        application = create_app(store, solve_timeout=timeout, workers=workers)
    except TradesimError as err:
        fail(err)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]warning:[/] binding {host}: the dashboard has no authentication", highlight=False)
    err_console.print(f"tradesim dashboard on http://{host}:{port}/ (store {application.state.store.path})",
                      highlight=False)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, [f"http://{host}:{port}/"]).start()
    uvicorn.run(application, host=host, port=port, log_level="warning")
