"""``tradesim game SPEC.toml`` and ``tradesim strategy ossa``: tariff games.

Errors from :mod:`tradesim.errors` are printed as one line with exit status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tradesim.cli.output import err_console, fail, stdout_console
from tradesim.errors import TradesimError

app = typer.Typer(help="Tariff games: Ossa (2014) optimal and Nash tariffs, trade talks.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
console = stdout_console(160)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), console=err_console, transient=True)


def game(
    spec: Path = typer.Argument(..., help="Game spec (TOML), e.g. games/japan_alignment.toml."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for payoffs.parquet, summary.json and "
                                       "game.html (default results/<spec name>)."),
) -> None:
    """Solve every strategy profile of a policy game; print the payoff table and its
    pure-strategy Nash equilibria; save the table and a plotly chart."""
    from tradesim.strategy.game import figure, load_game, play

    try:
        g = load_game(spec)
        with _progress() as bar:
            task = bar.add_task("profiles", total=None)
            res = play(g, progress=lambda k, n, s: bar.update(task, completed=k, total=n,
                                                                 description=f"profile {s}"))
    except TradesimError as err:
        fail(err)
    players = [p.name for p in g.players]
    from tradesim.strategy.game import payoff_label

    t = Table(title=f"{g.name}: {payoff_label(g.payoff)} (★ pure-strategy Nash equilibrium)")
    for p in players:
        t.add_column(f"{p} plays", justify="left")
    for p in players:
        t.add_column(p, justify="right")
    t.add_column("", justify="center")
    for _, r in res.payoffs.iterrows():
        t.add_row(*[r[f"{p}_strategy"] for p in players], *[f"{r[p]:+.3f}" for p in players],
                  "★" if r["nash"] else "")
    console.print(t)
    if not res.equilibria:
        console.print("no pure-strategy equilibrium")
    folder = res.save(out or Path("results") / spec.stem)
    figure(res).write_html(folder / "game.html", include_plotlyjs=True)
    console.print(f"saved {folder}/payoffs.parquet, summary.json, game.html")


@app.command()
def ossa(
    optimal: bool = typer.Option(False, "--optimal", help="Each region's optimal MFN tariffs (others at factual)."),
    nash: bool = typer.Option(False, "--nash", help="Nash equilibrium (trade war) by iterated best responses."),
    talks: bool = typer.Option(False, "--talks", help="Efficient talks from the factual: equal government gains."),
    region: Optional[str] = typer.Option(None, "--region", help="With --optimal: only this region (e.g. USA)."),
    welfare_only: bool = typer.Option(False, "--welfare", help="Governments maximise welfare (lambda = 1)."),
    tol: float = typer.Option(1e-3, "--tol", help="Nash: stop when no tariff moves more than this."),
    talks_lower: float = typer.Option(-0.5, "--talks-lower", help="Talks: lowest tariff (negative = import subsidy)."),
    out: Path = typer.Option(Path("results/ossa2014"), "--out", "-o", help="Folder for Parquet + JSON results."),
) -> None:
    """Ossa (2014) on its data (7 regions x 33 industries, 2007): optimal tariffs,
    the Nash trade war and efficient talks; per-region median tariffs and
    government-welfare changes against the factual."""
    import numpy as np

    from tradesim.model.ossa import OssaModel, load_ossa2014
    from tradesim.strategy.report import save, summary_table
    from tradesim.strategy.tariffs import best_response, nash_tariffs, trade_talks

    if not (optimal or nash or talks):
        fail(TradesimError("choose at least one of --optimal, --nash, --talks"))
    try:
        m = OssaModel.from_dataset(load_ossa2014(), political_economy=not welfare_only).purged()
        cases = {}
        with _progress() as bar:
            if optimal:
                regions = [region] if region else list(m.regions)
                task = bar.add_task("optimal tariffs", total=len(regions))
                for r in regions:
                    br = best_response(m, m.tariff, r)
                    s = m.solve(br.tariff)
                    cases[f"optimal_{br.region}"] = {"tariff": br.tariff, "gov_hat": s.gov_hat,
                                                     "welfare_hat": s.welfare_hat}
                    bar.advance(task)
            if nash:
                task = bar.add_task("Nash: best responses", total=None)
                out.mkdir(parents=True, exist_ok=True)
                res = nash_tariffs(m, tol=tol, checkpoint=str(out / "nash_checkpoint.npy"), progress=lambda k, j: bar.update(
                    task, advance=1, description=f"Nash round {k}: {m.regions[j]}"))
                cases["nash"] = {"tariff": res.tariff, "gov_hat": res.gov_hat, "welfare_hat": res.welfare_hat,
                                 "rounds": res.rounds}
            if talks:
                task = bar.add_task("talks: SLSQP", total=None)
                res = trade_talks(m, lower=talks_lower, progress=lambda k, g: bar.update(
                    task, completed=k, description=f"talks: common gain {g * 100:+.3f}%"))
                cases["talks"] = {"tariff": res.tariff, "gov_hat": res.gov_hat, "welfare_hat": res.welfare_hat,
                                  "common_gain_pct": res.common_gain * 100}
    except TradesimError as err:
        fail(err)
    t = Table(title="Ossa (2014): median tariff over industries (%) | government welfare change (%) vs factual")
    t.add_column("region")
    for name in cases:
        t.add_column(f"{name} tariff", justify="right")
        t.add_column(f"{name} ΔG", justify="right")
    tables = {k: summary_table(m, c["tariff"], c["gov_hat"], c["welfare_hat"]) for k, c in cases.items()}
    for r in m.regions:
        row = [r]
        for k, tab in tables.items():
            own = k.startswith("optimal_") and k != f"optimal_{r}"
            row += ["" if own else f"{tab.loc[r, 'median_tariff_pct']:.1f}",
                    "" if own else f"{tab.loc[r, 'gov_welfare_pct']:+.2f}"]
        t.add_row(*row)
    if optimal and len(cases) and not region:
        opt = [tables[f"optimal_{r}"].loc[r] for r in m.regions]
        t.add_row("mean", f"{np.mean([o.median_tariff_pct for o in opt]):.1f}",
                  f"{np.mean([o.gov_welfare_pct for o in opt]):+.2f}",
                  *sum([["", ""] for _ in range(len(cases) - 1)], []))
    console.print(t)
    for k, tab in tables.items():
        if not k.startswith("optimal_"):
            console.print(f"{k}: mean of medians {tab.median_tariff_pct.mean():.1f}%, mean government welfare "
                          f"{tab.gov_welfare_pct.mean():+.2f}%")
    console.print(f"saved {save(out, m, cases)}")


@app.command()
def war(
    players: str = typer.Option("USA,CHN", "--players", help="Two economies, comma-separated."),
    baseline: str = typer.Option("icio2022", "--baseline", help="Shipped baseline, aggregated to the players, "
                                 "JPN, EU27, ROW x 4 sectors."),
    tol: float = typer.Option(1e-6, "--tol", help="Stop when no tariff moves more than this."),
) -> None:
    """Two-player tariff war in the engine's model (others passive): each player's
    real-income-maximising tariffs on the other, per sector, by iterated best responses."""
    import numpy as np

    from tradesim.strategy.engine import EngineGame, small_world, tariff_war

    pair = tuple(p.strip() for p in players.split(","))
    try:
        if len(pair) != 2:
            raise TradesimError("--players: give exactly two economies, e.g. USA,CHN")
        g = EngineGame.from_baseline(small_world(baseline, keep=tuple(sorted(set(pair) | {"JPN"}))))
        with _progress() as bar:
            task = bar.add_task("best responses", total=None)
            res = tariff_war(g, pair, tol=tol, progress=lambda k, p: bar.update(
                task, advance=1, description=f"round {k}: {p}"))
    except TradesimError as err:
        fail(err)
    a, b = (g.index(p) for p in pair)
    base = np.asarray(g.inputs.tariff)
    t = Table(title=f"Tariff war {pair[0]}-{pair[1]} on {baseline} (aggregated), {res.rounds} rounds")
    t.add_column("sector")
    for lab in (f"{pair[0]} on {pair[1]} before", "war", f"{pair[1]} on {pair[0]} before", "war"):
        t.add_column(lab, justify="right")
    for k, s in enumerate(g.sectors):
        t.add_row(s, f"{base[a, b, k] * 100:.1f}%", f"{res.tariff[a, b, k] * 100:.1f}%",
                  f"{base[b, a, k] * 100:.1f}%", f"{res.tariff[b, a, k] * 100:.1f}%")
    console.print(t)
    console.print("real income change, %: " + ", ".join(f"{c} {v:+.3f}" for c, v in res.real_income_pct.items()))
