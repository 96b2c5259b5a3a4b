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

from importlib import import_module
from typing import Any, Protocol, runtime_checkable

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


FAMILIES: dict[str, ModelFamily] = {}

# Families shipped with tradesim: name -> module that registers it on import.
_BUILTIN: dict[str, str] = {}
_BUILTIN["liberation_day"] = "tradesim.model.liberation_day"

_BUILTIN["tariffwar"] = "tradesim.model.tariffwar"


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
