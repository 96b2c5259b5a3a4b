"""``tradesim compare-models SCENARIO``: one tariff schedule under every family that can take it.

Today: a Liberation Day scenario (``scenarios/liberation_day/*.toml``) solved by the
Liberation Day model on BACI 2023, and its schedule mapped onto the 81 economies of the 2022
world (:mod:`tradesim.model.liberation_day.crosswalk`) and solved by Caliendo-Parro under
both closures. One table: welfare (each family's own measure, %) for USA, CHN, JPN, the EU
and the world; then the Liberation Day model with each of its features switched off in turn.

Aggregates: expenditure-weighted in the Liberation Day model (its EU is the authors' 25
members: EU-27 without Czechia and Slovakia), income-weighted in Caliendo-Parro (EU-27,
``data/builtin/eu27.csv``).
"""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table

from tradesim.model.liberation_day import calibrate, load_ld_scenario, solve, tariff_matrix
from tradesim.model.liberation_day.crosswalk import cp_scenario_dict, map_schedule
from tradesim.model.liberation_day.outcomes import EU_AUTHORS

ROWS = ("USA", "CHN", "JPN", "EU", "World")
FEATURES = (  # (label, options changed from the scenario's)
    ("as the scenario", {}),
    ("revenue rebated lump-sum", {"revenue": "lump_sum"}),
    ("inelastic labour (kappa = 0)", {"kappa": 0.0}),
    ("no scale economies (psi = 0)", {"psi": 0.0}),
    ("no local-factor share, full pass-through (nu = 0, phi = 1)", {"nu": 0.0, "phi": 1.0}),
    ("deficits fixed in nominal terms", {"deficits": "fixed"}),
    ("all of these off", {"revenue": "lump_sum", "kappa": 0.0, "psi": 0.0, "nu": 0.0, "phi": 1.0}),
)


def _weighted(values: pd.Series, weights: pd.Series, members) -> float:
    m = [c for c in members if c in values.index]
    return float((values[m] * weights[m]).sum() / weights[m].sum())


def ld_rows(inputs, sol) -> dict[str, float]:
    w = pd.Series(sol.welfare_pct, index=list(inputs.countries))
    e = pd.Series(inputs.expenditure, index=list(inputs.countries))
    out = {c: float(w[c]) for c in ROWS[:3]}
    out["EU"] = _weighted(w, e, EU_AUTHORS)
    out["World"] = _weighted(w, e, w.index)
    return out


def cp_rows(result) -> dict[str, float]:
    from tradesim.data import baseline as bl
    from tradesim.data.aggregate import read_mapping
    from tradesim.data.registry import BUILTIN

    w = result.welfare()["welfare_pct"]
    income = bl.income(result.baseline.ds).to_series()
    eu = [c for c, g in read_mapping(BUILTIN / "eu27.csv").items() if g == "EU27"]
    out = {c: float(w[c]) for c in ROWS[:3]}
    out["EU"] = _weighted(w, income, eu)
    out["World"] = _weighted(w, income, w.index)
    return out


def compare(path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """(side-by-side welfare table, feature table, the mapped schedule, notes)."""
    from tradesim.api import run as run_cp
    from tradesim.data.baci2023 import load_baci2023
    from tradesim.scenario.spec import scenario_from_dict

    sc = load_ld_scenario(path)
    ds = load_baci2023()
    inputs = calibrate(ds, sc.options)
    t = tariff_matrix(sc, inputs, ds)
    sol = solve(inputs, t)
    cols = {"Liberation Day (baci2023)": ld_rows(inputs, sol)}
    notes = [f"Liberation Day: residual {sol.max_residual:.1e} after {sol.iterations} Newton steps"]
    from tradesim.data.registry import load_baseline

    icio = load_baseline("icio2022")
    rates = map_schedule(inputs, t, list(icio.countries))
    cp = scenario_from_dict(cp_scenario_dict(rates, f"{sc.name} (mapped onto icio2022)", sc.source or ""))
    for closure in ("fixed_deficit", "zero_deficit"):
        res = run_cp(cp, icio, closure=closure, store=False)
        eq = res.solution.equilibrium
        cols[f"Caliendo-Parro {closure.replace('_', ' ')} (icio2022)"] = cp_rows(res)
        notes.append(f"Caliendo-Parro {closure}: max residual {eq.max_residual:.1e}")
    features = {}
    for label, change in FEATURES:
        o = sc.options.with_(**change)
        inp = calibrate(ds, o)
        features[label] = ld_rows(inp, solve(inp, t))
    return pd.DataFrame(cols).loc[list(ROWS)], pd.DataFrame(features).T[list(ROWS)], rates, notes


def _table(title: str, df: pd.DataFrame, first: str) -> Table:
    t = Table(title=title)
    t.add_column(first)
    for c in df.columns:
        t.add_column(str(c), justify="right")
    for idx, row in df.iterrows():
        t.add_row(str(idx), *[f"{v:.2f}" for v in row])
    return t


def print_comparison(path, console: Console) -> None:
    side, features, rates, notes = compare(path)
    console.print(_table("Welfare change (%) under one tariff schedule, by model", side, "Economy"))
    console.print(_table("Liberation Day model, one feature off at a time (welfare %, same schedule)",
                         features, "Feature"))
    mapped = rates[rates.note != ""]
    console.print(f"schedule on icio2022: {len(rates)} rates; " + "; ".join(
        f"{r.importer} on {r.exporter} {100 * r.rate:.1f}% ({r.note})" for r in mapped.itertuples()))
    console.print("; ".join(notes))
    console.print("EU: the authors' 25 members (EU-27 without CZE, SVK) in the Liberation Day model, EU-27 in "
                  "Caliendo-Parro; EU and World weighted by expenditure (LD) or income (CP).")
