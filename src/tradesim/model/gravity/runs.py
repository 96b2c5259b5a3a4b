"""A solved gravity scenario (:class:`GravityRun`) and the solve of a scenario whose coefficients
are pinned (:func:`run_pinned`; estimating a formula's coefficients is above the model, in
:mod:`tradesim.gravity.family`).

The run's ``table`` is the country table of :func:`tradesim.model.gravity.result.country_table`
with the headline first: ``welfare_pct``, the exact change of real expenditure ``E/P`` in percent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tradesim.errors import ScenarioError
from tradesim.model.gravity.data import load_gegravity2006, version
from tradesim.model.gravity.ge import GEBaseline, build_baseline, simulate
from tradesim.model.gravity.result import GravityResult
from tradesim.model.gravity.scenario import GravityScenario

#: per country, the headline first; ``welfare_statistic`` (gegravity compat only) is in ``tables()``
OUTCOMES = ("welfare_pct", "gdp_pct", "factory_gate_price_pct", "terms_of_trade_pct", "imr_pct", "omr_pct",
            "output_pct", "expenditure_pct", "exports_pct", "imports_pct", "shipments_pct", "consumption_pct",
            "intranational_pct")


@dataclass(frozen=True)
class GravityRun:
    """One solved gravity scenario: the resolved scenario (coefficients and version pinned), the
    solved baseline (``inputs``), the counterfactual (``solution``) and the country table."""

    scenario: GravityScenario
    inputs: GEBaseline
    solution: GravityResult
    table: pd.DataFrame  # index country; OUTCOMES first
    seconds: float = float("nan")
    estimated: bool = False  # the coefficients were estimated by this run (PPML of the file's formula)

    @property
    def max_residual(self) -> float:
        return self.solution.max_residual

    def spending(self) -> np.ndarray:
        """Each country's observed expenditure ``E`` (the weights of the dashboard's world aggregate)."""
        return np.asarray(self.inputs.expenditure)

    def welfare_pct(self) -> pd.Series:
        """Per country, the exact welfare change in percent (real expenditure ``E/P``)."""
        return self.table["welfare_pct"]

    def tables(self) -> dict[str, pd.DataFrame]:
        """``countries`` (the outcomes, headline first) and ``bilateral`` (flows before and after)."""
        return {"countries": self.table.reset_index(), "bilateral": self.solution.bilateral()}

    def summary(self) -> dict:
        """JSON-ready: scenario, model, options, coefficients, solver record, per country the outcomes."""
        s = self.scenario.spec
        return {"scenario": self.scenario.name, "model": "gravity", "baseline": self.scenario.baseline,
                "baseline_version": self.scenario.baseline_version,
                "options": {"sigma": s.sigma, "reference_importer": s.reference_importer, "compat": s.compat,
                            "year": s.year},
                "coefficients": dict(s.coefficients or {}), "coefficients_estimated": self.estimated,
                "iterations": int(self.solution.iterations), "max_residual": float(self.max_residual),
                "countries": {c: {k: float(v) for k, v in row.items()} for c, row in self.table.iterrows()}}

    def save(self, folder: str | Path) -> Path:
        """Write ``countries.csv``, ``bilateral.csv`` and ``summary.json``."""
        import json

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.table.to_csv(folder / "countries.csv")
        self.solution.bilateral().to_csv(folder / "bilateral.csv", index=False)
        (folder / "summary.json").write_text(json.dumps(self.summary(), indent=2, default=str))
        return folder


def check_version(sc: GravityScenario) -> str:
    """The shipped panel's version; a :class:`ScenarioError` if the scenario pins another."""
    now = version()
    if sc.baseline_version is not None and sc.baseline_version != now:
        raise ScenarioError(f"baseline_version: the scenario pins {sc.baseline_version!r}, but {sc.baseline} is "
                            f"version {now!r} (the numbers would differ)")
    return now


def run_pinned(sc: GravityScenario, *, estimated: bool = False, started: float | None = None) -> GravityRun:
    """Solve a scenario whose coefficients are fixed (``[coefficients]``): the baseline
    multilateral resistances, then the counterfactual (:func:`~tradesim.model.gravity.ge.simulate`);
    each raises :class:`~tradesim.errors.NonConvergenceError` above tolerance."""
    s = sc.spec
    if s.coefficients is None:
        raise ScenarioError("coefficients: this scenario gives a formula to estimate; run it with "
                            "tradesim.run (the gravity family estimates and pins them)")
    start = time.perf_counter() if started is None else started
    sc = sc.pinned(s.coefficients, check_version(sc))
    base = build_baseline(load_gegravity2006(), s.coefficients, sigma=s.sigma, reference=s.reference_importer,
                          year=s.year)
    res = simulate(base, s.experiment, compat=s.compat)
    t = res.table()
    table = t[list(OUTCOMES) + [c for c in t.columns if c not in OUTCOMES]]
    return GravityRun(sc, base, res, table, time.perf_counter() - start, estimated)


def arrays(run: GravityRun) -> dict[str, np.ndarray]:
    """The unknowns of the solve and the new resistances, kept by the store to check a rebuild bit for bit."""
    v = run.solution.values
    return {k: np.asarray(v[k]) for k in ("p_hat", "imr_hat", "omr_hat")}
