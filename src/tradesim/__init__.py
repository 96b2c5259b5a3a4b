"""tradesim: general-equilibrium trade policy simulation on real data.

Public API::

    tradesim.run(scenario, baseline=None, closure=None)  -> Result
    tradesim.load_baseline(name)                         -> Baseline
    tradesim.load_scenario(path) / tradesim.parse_scenario(text) -> Scenario
"""

from importlib import import_module

from tradesim.errors import DataError, NonConvergenceError, ScenarioError, TradesimError

__version__ = "0.1.0"

# Imported on first use, so that `tradesim serve` and `--help` start without loading JAX.
_LAZY = {
    "run": "tradesim.api", "Baseline": "tradesim.data.baseline", "available_baselines": "tradesim.data.registry",
    "load_baseline": "tradesim.data.registry", "SolverOptions": "tradesim.model.solve",
    "Result": "tradesim.results.result", "Scenario": "tradesim.scenario.spec",
    "load_scenario": "tradesim.scenario.spec", "parse_scenario": "tradesim.scenario.spec",
}

__all__ = [
    "run", "Baseline", "load_baseline", "available_baselines", "Scenario", "load_scenario",
    "parse_scenario", "Result", "SolverOptions", "TradesimError", "DataError", "ScenarioError",
    "NonConvergenceError", "__version__",
]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tradesim' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
