"""tradesim: general-equilibrium trade policy simulation on real data.

Public API::

    tradesim.run(scenario, baseline=None, closure=None)  -> Result
    tradesim.load_baseline(name)                         -> Baseline
    tradesim.load_scenario(path) / tradesim.parse_scenario(text) -> Scenario
"""

from tradesim.api import run
from tradesim.data.baseline import Baseline
from tradesim.data.registry import available_baselines, load_baseline
from tradesim.errors import DataError, NonConvergenceError, ScenarioError, TradesimError
from tradesim.model.solve import SolverOptions
from tradesim.results.result import Result
from tradesim.scenario.spec import Scenario, load_scenario, parse_scenario

__version__ = "0.1.0"

__all__ = [
    "run", "Baseline", "load_baseline", "available_baselines", "Scenario", "load_scenario",
    "parse_scenario", "Result", "SolverOptions", "TradesimError", "DataError", "ScenarioError",
    "NonConvergenceError", "__version__",
]
