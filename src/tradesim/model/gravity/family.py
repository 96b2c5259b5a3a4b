"""The structural-gravity GE model as a tradesim model family (:class:`tradesim.model.family.ModelFamily`).

Its inputs are a solved :class:`~tradesim.model.gravity.ge.GEBaseline` (built from a
:class:`~tradesim.gravity.data.GravityData` panel and trade-cost coefficients, e.g. a PPML
estimate); a shock is an :class:`~tradesim.gravity.experiment.Experiment`; the unknowns are the
log factory-gate price changes ``log p_hat`` (N); welfare is the exact change of real
expenditure ``E/P`` in percent. tradesim ships no gravity panel, so the family has no baseline
of its own (``baselines`` is empty).

>>> from tradesim.model.family import get_family
>>> fam = get_family("gravity")
>>> base = fam.inputs(panel, coefficients={"lndist": -0.39, "pta": 0.47}, sigma=5)   # doctest: +SKIP
>>> fam.welfare(base, fam.solve(base, experiment)).loc["CAN"]                        # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tradesim.errors import ScenarioError
from tradesim.gravity.experiment import Experiment, counterfactual_log_cost
from tradesim.model.gravity.ge import GEBaseline, build_baseline, consistent_system, simulate
from tradesim.model.gravity.result import GravityResult
from tradesim.model.newton import NewtonOptions


def _experiment(shock: Any) -> Experiment:
    if shock is None:
        return Experiment("no change", ())
    if not isinstance(shock, Experiment):
        raise ScenarioError(f"gravity: a shock is a tradesim.gravity.Experiment, not {type(shock).__name__}")
    return shock


class GravityFamily:
    """One-sector structural gravity in general equilibrium (Yotov, Piermartini, Monteiro and
    Larch 2016, ch. 2; Larch and Yotov 2016), exact hat algebra (Dekle, Eaton and Kortum 2008)."""

    name = "gravity"
    baselines: tuple[str, ...] = ()

    def inputs(self, baseline: Any, *, coefficients: Any = None, sigma: float = 5.0, reference: str = "DEU",
               year: Any = None, options: NewtonOptions | None = None) -> GEBaseline:
        """A solved baseline from a panel (:class:`~tradesim.gravity.data.GravityData`) and
        ``coefficients`` (see :func:`~tradesim.model.gravity.ge.build_baseline`); a
        :class:`GEBaseline` is returned as it is."""
        if isinstance(baseline, GEBaseline):
            return baseline
        if coefficients is None:
            raise ScenarioError("coefficients: the gravity family needs trade-cost coefficients "
                                "(e.g. {'lndist': -0.39}, or a PPML estimate)")
        return build_baseline(baseline, coefficients, sigma=sigma, reference=reference, year=year, options=options)

    def residual(self, inputs: GEBaseline, unknowns: Any, shock: Any) -> np.ndarray:
        """Market clearing of every country but the reference importer (numeraire
        ``log P_hat_ref = 0`` in its place) at ``unknowns = log p_hat`` (N), ``compat="consistent"``."""
        experiment = _experiment(shock)
        log_cost1 = counterfactual_log_cost(inputs.countries, inputs.variables, inputs.coefficients,
                                            inputs.cost_data, experiment, inputs.sigma)
        fn, args, _ = consistent_system(inputs, log_cost1)
        return np.asarray(fn(np.asarray(unknowns, dtype=float), args))

    def solve(self, inputs: GEBaseline, shock: Any, *, compat: str | None = None,
              options: NewtonOptions | None = None) -> GravityResult:
        """:func:`~tradesim.model.gravity.ge.simulate`; raises
        :class:`~tradesim.errors.NonConvergenceError` when any condition stays above tolerance."""
        return simulate(inputs, _experiment(shock), compat=compat, options=options)

    def welfare(self, inputs: GEBaseline, solution: GravityResult) -> pd.Series:
        return solution.welfare_pct()

    def tables(self, inputs: GEBaseline, solution: GravityResult) -> dict[str, pd.DataFrame]:
        return solution.tables()


FAMILY = GravityFamily()
