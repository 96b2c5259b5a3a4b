"""``tradesim replicate liberation-day``: Tables 1-3 of Ignatenko, Lashkaripour, Macedoni and
Simonovska (2025), solved from the library scenarios ``scenarios/liberation_day/*.toml``.

The cells are formatted as the authors' ``print_tables_baseline.m`` prints them (``%1.2f`` for
welfare and employment, ``%1.1f`` for the rest, Table 3 ``%1.2f``), so that a test can hold
them against the published tables character by character.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from tradesim.model.liberation_day.family import FAMILY, LDRun
from tradesim.model.liberation_day.outcomes import COLUMNS

SCENARIOS = next((b / "scenarios" / "liberation_day" for b in (Path.cwd(), Path(__file__).resolve().parents[3])
                  if (b / "scenarios" / "liberation_day").is_dir()), Path("scenarios") / "liberation_day")
CASES = ("ustr_tax_relief", "ustr_lump_sum", "optimal_us", "reciprocal_retaliation", "optimal_retaliation",
         "optimal_both", "partial_passthrough", "epsilon_8", "eaton_kortum")
TABLE1 = (("Case 1: USTR tariffs + income tax relief + no retaliation", "ustr_tax_relief"),
          ("Case 2: USTR tariffs + lump-sum rebate + no retaliation", "ustr_lump_sum"),
          ("Case 3: optimal US tariffs + income tax relief + no retaliation", "optimal_us"))
TABLE1_COLUMNS = (("welfare_pct", "Δ welfare", 2), ("deficit_change_pct", "Δ deficit", 1),
                  ("exports_to_gdp_change_pct", "Δ exports/GDP", 1), ("imports_to_gdp_change_pct", "Δ imports/GDP", 1),
                  ("employment_change_pct", "Δ employment", 2), ("price_change_pct", "Δ prices", 1))
TABLE2 = (("(1) USTR tariff + reciprocal retaliation", "reciprocal_retaliation"),
          ("(3) USTR tariff + optimal retaliation", "optimal_retaliation"),
          ("(4) optimal tariff + optimal retaliation", "optimal_both"))
TABLE2_COLUMNS = (("welfare_pct", "Δ welfare", 2), ("deficit_change_pct", "Δ deficit", 1),
                  ("employment_change_pct", "Δ employment", 2), ("price_change_pct", "Δ real prices", 1))
TABLE3 = (("USTR tariff", "ustr_tax_relief"), ("optimal tariff", "optimal_us"),
          ("optimal retaliation", "optimal_retaliation"), ("reciprocal retaliation", "reciprocal_retaliation"))
FEDERAL_BUDGET_SHARE = 0.23  # the code divides revenue/GDP by 0.23 for "% of Federal Budget"
ROW_NAMES = {"non-US": "non-US (average)"}


def solve_cases(cases=CASES, folder: Path = SCENARIOS) -> dict[str, LDRun]:
    """Every case solved (each raises NonConvergenceError if its residual stays above tolerance)."""
    return {name: FAMILY.run(folder / f"{name}.toml") for name in cases}


def cell(value: float, digits: int) -> str:
    """A cell as the authors print it: ``%1.{digits}f%``."""
    return f"{value:.{digits}f}%"


def table1_rows(runs) -> list[tuple[str, str, list[str]]]:
    """(panel, row label, cells) of Table 1."""
    return [(panel, ROW_NAMES.get(c, c), [cell(runs[case].table.loc[c, k], d) for k, _, d in TABLE1_COLUMNS])
            for panel, case in TABLE1 for c in ("USA", "non-US")]


def table2_rows(runs) -> list[tuple[str, str, list[str]]]:
    return [(panel, ROW_NAMES.get(c, c), [cell(runs[case].table.loc[c, k], d) for k, _, d in TABLE2_COLUMNS])
            for panel, case in TABLE2 for c in ("USA", "CHN", "EU", "non-US")]


def table3_rows(runs) -> list[tuple[str, list[str]]]:
    """Table 3: US tariff revenue as % of GDP (the code's R/E) and of the federal budget."""
    rev = [runs[case].table.loc["USA", "revenue_pct"] for _, case in TABLE3]
    return [("% of GDP", [cell(r, 2) for r in rev]),
            ("% of Federal Budget", [cell(r / FEDERAL_BUDGET_SHARE, 2) for r in rev])]


def records(runs) -> list[dict]:
    """Tidy records: every case x every economy (ISO3) and the aggregates non-US and EU."""
    out = []
    for case, run in runs.items():
        for country, row in run.table.iterrows():
            out.append({"case": case, "country": country, **{k: float(row[k]) for k in COLUMNS}})
    return out


def _panel_table(title, rows, columns) -> Table:
    t = Table(title=title)
    t.add_column("Country")
    for _, name, _ in columns:
        t.add_column(name, justify="right")
    for _, label, cells in rows:
        t.add_row(label, *cells)
    return t


def print_tables(runs, console: Console) -> None:
    """Tables 1-3 in the paper's layout, then each solve's residual."""
    console.print("[bold]Table 1[/] (Ignatenko, Lashkaripour, Macedoni & Simonovska 2025)")
    for panel, _ in TABLE1:
        console.print(_panel_table(panel, [r for r in table1_rows(runs) if r[0] == panel], TABLE1_COLUMNS))
    console.print("[bold]Table 2[/] (EU = the authors' 25 members: EU-27 without Czechia and Slovakia)")
    for panel, _ in TABLE2:
        console.print(_panel_table(panel, [r for r in table2_rows(runs) if r[0] == panel], TABLE2_COLUMNS))
    t3 = Table(title="Table 3: US tariff revenue")
    t3.add_column("")
    for name, _ in TABLE3:
        t3.add_column(name, justify="right")
    for label, cells in table3_rows(runs):
        t3.add_row(label, *cells)
    console.print(t3)
    console.print("Appendix (Table 9 of the package): " + "; ".join(
        f"{c} USA welfare {runs[c].table.loc['USA', 'welfare_pct']:.2f}%" for c in CASES[6:] if c in runs))
    console.print("max residual per case: " + ", ".join(f"{c} {r.max_residual:.1e} ({r.solution.iterations} it)"
                                                     for c, r in runs.items()))


def replicate(console: Console, as_json: bool = False) -> None:
    """Solve the nine cases and print the tables (or the tidy records as JSON)."""
    runs = solve_cases()
    if as_json:
        print(json.dumps(records(runs), indent=None))
    else:
        print_tables(runs, console)


def replicate_paper(paper: str, console: Console, as_json: bool = False) -> None:
    """``tradesim replicate PAPER`` for the papers other than CP2015."""
    from tradesim.errors import ScenarioError

    if paper not in ("liberation-day", "liberation_day"):
        raise ScenarioError(f"replicate: unknown paper '{paper}'; known: cp2015, liberation-day")
    replicate(console, as_json)


def family_dataset_rows() -> list[tuple[str, ...]]:
    """Rows for ``tradesim baselines``: the datasets of the other model families (name, family in the sectors column)."""
    from tradesim.data.baci2023 import load_baci2023
    from tradesim.data.registry import FAMILY_DATASETS

    from tradesim.model.tariffwar.data import load_world

    rows = []
    for name, family in FAMILY_DATASETS.items():
        if family in ("liberation_day", "tariffwar"):
            ds = load_baci2023() if name == "baci2023" else load_world(name)
        else:  # another family's baseline (gravity, ossa2014): the family's own listing of it
            from tradesim.model.family import scenario_family

            ds = scenario_family(family).dataset(name)
        countries = ds.sizes.get("country", ds.sizes.get("importer", 0))
        sectors = ds.sizes.get("sector", 1)
        rows.append((f"{name} ({family})", str(countries), str(sectors), str(ds.attrs.get("version", "")),
                     str(ds.attrs.get("source", ""))[:70]))
    return rows


def run_other_family(scenario: Path, console: Console, as_json: bool, folder: Path | None,
                     reuse: bool = True) -> bool:
    """``tradesim run`` on a scenario of another model family (``model = "liberation_day"``):
    solve, print the US, China, Japan, EU and non-US rows (or the JSON summary), save; ``False``
    if the scenario is a Caliendo-Parro one."""
    from tradesim.model.family import is_default, model_of

    if is_default(model_of(scenario)):
        return False
    from tradesim.api import run as run_scenario

    # recorded in the results store like any run (not with --no-save, which gives no folder)
    result = run_scenario(scenario, store=None if folder is not None else False, origin="cli", reuse=reuse)
    saved = result.save(folder) if folder is not None else None
    if as_json:
        print(json.dumps(result.summary(), indent=2, default=float))
        return True
    if not isinstance(result, LDRun):  # another family (gravity, ossa2014): its own outcomes
        from tradesim.cli.families import print_family_run

        print_family_run(result, model_of(scenario), console, saved)
        return True
    t = Table(title=f"{result.scenario.name} — Liberation Day model (%), baseline {result.scenario.baseline}")
    t.add_column("Economy")
    for _, name, _ in TABLE1_COLUMNS:
        t.add_column(name, justify="right")
    for c in ("USA", "CHN", "JPN", "EU", "non-US"):
        t.add_row(ROW_NAMES.get(c, c), *[cell(result.table.loc[c, k], d) for k, _, d in TABLE1_COLUMNS])
    console.print(t)
    console.print(f"{result.solution.iterations} Newton steps, largest equilibrium residual {result.max_residual:.1e}"
                  + (f"; results in {saved}/" if saved else ""))
    return True
