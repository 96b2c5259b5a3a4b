"""Model families behind one small protocol.

A *family* is one equilibrium model (Caliendo–Parro, the Liberation Day model of
Ignatenko et al. 2025, the tariff-war model of Lashkaripour 2021, ...). Each says
how it builds its inputs from a baseline, what its equilibrium residual is and how
it is solved, what its welfare measure is, and which result tables it gives. The
CLI, the API and the experiments find a family by its name in :data:`FAMILIES`.

Adding a family is a folder under ``tradesim/model/`` with an object that
satisfies :class:`ModelFamily` and one call to :func:`register` on import; the
folder's modules are named in :data:`_BUILTIN` so that a name resolves without
importing every family up front.

Dimension order, everywhere: bilateral arrays are (importer, exporter[, sector]).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Callable, Protocol, runtime_checkable

from tradesim.errors import ScenarioError

DEFAULT_FAMILY = "cp2015"


@runtime_checkable
class ModelFamily(Protocol):
    """What every model family provides.

    ``name``: the label a scenario's ``model = "..."`` field uses.
    ``baselines``: the shipped baselines the family can run on (first is its default).
    """

    name: str
    baselines: tuple[str, ...]

    def inputs(self, baseline: Any, **options: Any) -> Any:
        """The family's model inputs (a record of arrays) from a baseline."""

    def residual(self, inputs: Any, unknowns: Any, shock: Any) -> Any:
        """The equilibrium conditions at ``unknowns``; zero at the solution."""

    def solve(self, inputs: Any, shock: Any, **options: Any) -> Any:
        """The equilibrium under ``shock``; raises
        :class:`~tradesim.errors.NonConvergenceError` when a residual stays above tolerance."""

    def welfare(self, inputs: Any, solution: Any) -> Any:
        """Per-country welfare change in percent (the family's own exact measure)."""

    def tables(self, inputs: Any, solution: Any) -> dict[str, Any]:
        """The family's result tables (tidy ``pandas.DataFrame`` by name)."""


@runtime_checkable
class FamilyResult(Protocol):
    """What a solved run of any family gives, so that the CLI, the API and the dashboard print
    every family the same way: Caliendo-Parro's :class:`~tradesim.results.result.Result`, the
    Liberation Day run, the tariff war, the gravity result and Ossa's result.

    ``welfare_pct()``: per economy (index ``country``), the family's own exact welfare change in
    percent, the headline. ``tables()``: the family's result tables (tidy ``pandas.DataFrame``)
    by name. ``summary()``: JSON-ready headline numbers and the solver's record.
    """

    def welfare_pct(self) -> Any: ...

    def tables(self) -> dict[str, Any]: ...

    def summary(self) -> dict: ...


@dataclass(frozen=True)
class FamilyRecord:
    """What the results store keeps of one run of a family (:meth:`ScenarioFamily.record`).

    ``scenario_text`` is the *resolved* scenario (every option explicit, the baseline version
    pinned): ``family.run(scenario_text)`` gives the same numbers, and ``arrays`` (the
    equilibrium's unknowns) are what a rebuild is checked against, bit for bit. ``welfare``
    has one row per economy: ``country``, the headline ``welfare_pct`` (the family's own exact
    measure), ``ev_usd`` where the model gives one, then the family's other outcomes.
    ``variant`` fills the store's ``closure`` column (e.g. how the family treats deficits).
    """

    scenario_key: str
    scenario_name: str
    scenario_text: str
    baseline: str
    baseline_version: str
    variant: str
    welfare: Any  # pandas.DataFrame
    arrays: dict[str, Any]
    iterations: int
    max_residual: float
    seconds: float
    n_countries: int
    n_sectors: int = 1
    notes: tuple[str, ...] = ()
    diagnostics: dict = field(default_factory=dict)


@runtime_checkable
class ScenarioFamily(ModelFamily, Protocol):
    """A family that runs scenario files wherever a scenario runs: the API and the CLI, the
    results store, the dashboard, sweeps and Monte Carlo.

    ``run(scenario, **overrides)`` solves a scenario file, TOML text or parsed scenario
    (``overrides`` replace its options) and returns a run with ``inputs``, ``solution``,
    ``table`` and ``max_residual``; ``record(run)`` is its :class:`FamilyRecord`;
    ``run_tables(run)`` the result tables by name; ``sweep(scenario, points)`` solves a
    list of option points (tidy rows: ``point``, the options, ``country``, ``converged``,
    ``residual``, :attr:`outcomes`); ``montecarlo(scenario, draws, ...)`` gives ``(samples,
    summary)`` with summary columns ``<outcome>_{mean,sd,p5,p95}``, as
    :func:`tradesim.experiments.montecarlo.run_montecarlo`.
    """

    outcomes: tuple[str, ...]
    uncertain: tuple[str, ...]  # the parameters the Monte Carlo draws
    welfare_note: str  # what the headline welfare_pct is (shown under the dashboard's briefing)

    def dataset(self, baseline: str) -> Any:
        """The family's baseline data (an ``xarray.Dataset`` with a ``country_name`` coordinate)."""

    def run(self, scenario: Any, **overrides: Any) -> Any: ...

    def record(self, run: Any) -> FamilyRecord: ...

    def run_tables(self, run: Any) -> dict[str, Any]: ...

    def sweep(self, scenario: Any, points: list[dict]) -> Any: ...

    def montecarlo(self, scenario: Any, draws: int, *, cv: float = 0.25, seed: int = 0,
                   progress: Callable[[int, int], None] | None = None) -> tuple[Any, Any]: ...


FAMILIES: dict[str, ModelFamily] = {}

# Families shipped with tradesim: name -> module that registers it on import.
_BUILTIN: dict[str, str] = {}
_BUILTIN["liberation_day"] = "tradesim.model.liberation_day"

_BUILTIN["tariffwar"] = "tradesim.model.tariffwar"
_BUILTIN["ossa2014"] = "tradesim.model.ossa"
# the gravity family runs scenario files whose coefficients PPML estimates (above the model): its
# ScenarioFamily object sits beside the estimation, as CP's does in results/ (docs/architecture.md)
_BUILTIN["gravity"] = "tradesim.gravity.family"
# Caliendo-Parro's family object sits in the results layer: its tables are the Result's (the
# registry names modules, so the model layer imports nothing above it; docs/architecture.md)
_BUILTIN["cp2015"] = "tradesim.results.cp2015"


def register(family: ModelFamily) -> ModelFamily:
    """Add ``family`` to :data:`FAMILIES` under its ``name`` (returns it)."""
    if not isinstance(family, ModelFamily):
        raise TypeError(f"{family!r} does not implement the ModelFamily protocol")
    FAMILIES[family.name] = family
    return family


def family_names() -> list[str]:
    """Every known family name, the default first."""
    names = set(FAMILIES) | set(_BUILTIN) | {DEFAULT_FAMILY}
    return [DEFAULT_FAMILY] + sorted(names - {DEFAULT_FAMILY})


def get_family(name: str) -> ModelFamily:
    """The family called ``name``; a :class:`ScenarioError` listing the known ones otherwise."""
    if name not in FAMILIES and name in _BUILTIN:
        import_module(_BUILTIN[name])
    if name not in FAMILIES:
        raise ScenarioError(f"model: unknown model family '{name}'; known: {', '.join(family_names())}")
    return FAMILIES[name]


def scenario_family(name: str) -> ScenarioFamily:
    """The family ``name`` if it runs scenario files (:class:`ScenarioFamily`); a
    :class:`ScenarioError` naming it otherwise."""
    family = get_family(name)
    if not isinstance(family, ScenarioFamily):
        runs = [n for n in family_names() if n == DEFAULT_FAMILY or isinstance(get_family(n), ScenarioFamily)]
        raise ScenarioError(f"model: the '{name}' family cannot run scenario files yet (tradesim run, sweep and "
                            f"montecarlo take the families {', '.join(runs)})")
    return family


def is_default(name: str | None) -> bool:
    """Whether ``name`` (a scenario's ``model`` field) is the default family (Caliendo-Parro)."""
    return name in (None, DEFAULT_FAMILY)


def scenario_family_baselines() -> dict[str, str]:
    """Baseline name -> the family that runs on it, for every family that runs scenario files
    (the dashboard's baseline picker lists them beside the shipped Caliendo-Parro baselines)."""
    out: dict[str, str] = {}
    for name in family_names():
        if not is_default(name) and isinstance(fam := get_family(name), ScenarioFamily):
            out.update({b: name for b in fam.baselines})
    return out


def model_of(scenario: Any) -> str | None:
    """The ``model`` a scenario file or TOML text names (``None`` if none, or not TOML)."""
    import tomllib

    text = None
    if isinstance(scenario, Path) or (isinstance(scenario, str) and "\n" not in scenario and scenario.endswith(".toml")):
        from tradesim.scenario.spec import read_scenario_text

        try:  # a bad file gets the scenario reader's own message
            text = read_scenario_text(scenario)
        except ScenarioError as err:
            if "not found" in str(err):
                return None
            raise
    elif isinstance(scenario, str):
        text = scenario
    if text is None:
        return getattr(scenario, "model", None)
    try:
        return tomllib.loads(text).get("model")
    except tomllib.TOMLDecodeError:
        return None
