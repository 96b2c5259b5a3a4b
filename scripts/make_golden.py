"""Write the golden outputs that the issue-15 refactor must leave unchanged (to 1e-12).

Every library scenario (``scenarios/*.toml`` and ``scenarios/liberation_day/*.toml``): its
welfare, sector-output and bilateral-trade tables (Caliendo-Parro) or the family's own tables;
Ossa (2014)'s headline figures (the purged factual world, the US optimal MFN tariffs); and
the gravity example (gegravity's Canada-Japan agreement, both compatibility modes).

    python scripts/make_golden.py            # writes tests/golden/golden.npz

The file holds one float64 array per table column and one string array per table index,
keyed ``<case>|<table>|<column>`` and ``<case>|<table>|#index``; tests/test_golden.py
recomputes every entry and compares.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "golden" / "golden.npz"
SHARED = ROOT.parent / "shared" / "data"


def library_cases() -> list[Path]:
    files = sorted((ROOT / "scenarios").glob("*.toml")) + sorted((ROOT / "scenarios" / "liberation_day").glob("*.toml"))
    return [f for f in files if f.name not in {"library.toml", "gravity_can_jpn.toml"}]


def scenario_tables(path: Path) -> dict[str, pd.DataFrame]:
    """The tables of one library scenario, by name."""
    import tradesim
    from tradesim.results.result import Result

    out = tradesim.run(path, store=False)
    if isinstance(out, Result):
        return {"welfare": out.welfare(), "output": out.output(), "bilateral": out.bilateral_trade()}
    from tradesim.model.family import model_of, scenario_family

    fam = scenario_family(model_of(path))
    tables = {k: v for k, v in fam.run_tables(out).items() if isinstance(v, pd.DataFrame)}
    tables["welfare"] = fam.record(out).welfare
    return tables


def ossa_tables() -> dict[str, pd.DataFrame]:
    from tradesim.model.ossa import OssaModel, load_ossa2014
    from tradesim.strategy.tariffs import best_response

    m = OssaModel.from_dataset(load_ossa2014()).purged()
    br = best_response(m, m.tariff, "USA")
    return {"purged_trade": pd.DataFrame({"trade": np.asarray(m.trade).ravel()}),
            "usa_optimal": pd.DataFrame({"tariff": np.asarray(br.own), "gov_hat": np.full(len(br.own), br.gov_hat)})}


def gravity_tables(coefficients: pd.Series | None = None) -> dict[str, pd.DataFrame]:
    """The CLI's path (``tradesim gravity simulate``): PPML estimate, baseline, both modes;
    the country table and the bilateral flows of each. PPML (pyfixest's iterations) repeats
    only to about 1e-7, so the GE runs on ``coefficients`` when given (the golden ones)."""
    from tradesim.gravity import GravityData
    from tradesim.gravity.estimate import estimate_ppml
    from tradesim.gravity.experiment import load_experiment
    from tradesim.model.gravity.ge import build_baseline, simulate

    spec = load_experiment(ROOT / "scenarios" / "gravity_can_jpn.toml")
    panel = GravityData.read(SHARED / "gegravity" / "sample_data_set.dlm")
    est = estimate_ppml(panel.select_year(spec.year), spec.formula, spec.fixed_effects, vcov=spec.vcov)
    coefs = est.coef if coefficients is None else coefficients
    base = build_baseline(panel, coefs, sigma=spec.sigma, reference=spec.reference_importer, year=spec.year)
    out = {"coefficients": pd.DataFrame({"coef": est.coef})}
    for mode in ("consistent", "gegravity"):
        r = simulate(base, spec.experiment, compat=mode)
        out[f"{mode}_countries"] = r.table()
        out[f"{mode}_bilateral"] = r.bilateral()
    return out


def cases():
    """``(case name, callable giving its tables)`` of every golden case."""
    for path in library_cases():
        yield path.relative_to(ROOT).as_posix(), (lambda p=path: scenario_tables(p))
    yield "ossa2014", ossa_tables
    yield "gravity_can_jpn", gravity_tables


def flatten(case: str, tables: dict[str, pd.DataFrame]) -> dict[str, np.ndarray]:
    arrays = {}
    for name, df in tables.items():
        df = df.reset_index() if not isinstance(df.index, pd.RangeIndex) else df
        for col in df.columns:
            values = df[col].to_numpy()
            key = f"{case}|{name}|{col}"
            if np.issubdtype(values.dtype, np.number) or values.dtype == bool:
                arrays[key] = values.astype(np.float64)
            else:
                arrays[key] = values.astype(str)
    return arrays


def main() -> None:
    arrays = {}
    for case, make in cases():
        print(case, file=sys.stderr)
        arrays.update(flatten(case, make()))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT} ({len(arrays)} arrays, {OUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
