"""String options the library takes, in one place, each checked once with one message.

Fixed choices are ``Literal`` types with their tuple of values; choices that come
from the shipped data (baseline names, a baseline's elasticity sets) are checked here
too (:func:`check_baseline`, :func:`check_elasticity_set`) against the list the data
gives. Every message names
the option and lists the allowed values::

    >>> check_closure("zero-deficit")                      # doctest: +SKIP
    ScenarioError: closure 'zero-deficit' is not one of zero_deficit, fixed_deficit

Only :mod:`tradesim.errors` is imported, so every layer may use this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

from tradesim.errors import DataError, ScenarioError, TradesimError

Closure = Literal["zero_deficit", "fixed_deficit"]
#: Monte Carlo elasticity draws: published sets, lognormal around the baseline, a user table.
DrawSource = Literal["published", "lognormal", "table"]
#: Distributions of a user's elasticity table (:func:`tradesim.experiments.montecarlo.read_distribution`).
DrawLaw = Literal["normal", "lognormal"]
#: The numeraire of a counterfactual (:class:`tradesim.model.solve.Shock`): world value added (or a country index).
Numeraire = Literal["world"]

CLOSURES: tuple[str, ...] = get_args(Closure)
DRAW_SOURCES: tuple[str, ...] = get_args(DrawSource)
DRAW_LAWS: tuple[str, ...] = get_args(DrawLaw)
NUMERAIRES: tuple[str, ...] = get_args(Numeraire)


def check_choice(option: str, value, allowed: Iterable[str], error: type[TradesimError] = ScenarioError):
    """``value`` if it is one of ``allowed``, else ``error`` naming ``option`` and the allowed values."""
    allowed = tuple(allowed)
    if not isinstance(value, str) or value not in allowed:
        shown = ", ".join(allowed[:30]) + (f", ... ({len(allowed)} in all)" if len(allowed) > 30 else "")
        raise error(f"{option} {value!r} is not one of {shown or '(none)'}")
    return value


def check_baseline(name, shipped: Iterable[str]) -> str:
    """A shipped baseline name (the list is the data's: ``available_baselines()``)."""
    shipped = tuple(shipped)
    if not isinstance(name, str) or name not in shipped:
        raise DataError(f"unknown baseline {name!r}; shipped baselines: {', '.join(shipped) or 'none'}")
    return name


def check_elasticity_set(name, sets: Iterable[str], baseline: str) -> str:
    """One of a baseline's published elasticity sets (the list is the baseline's)."""
    sets = tuple(sets)
    if not isinstance(name, str) or name not in sets:
        raise DataError(f"unknown elasticity set {name!r}; baseline '{baseline}' has {', '.join(sets) or 'none'}")
    return name


def check_closure(closure, option: str = "closure") -> Closure:
    """A trade-balance closure (``zero_deficit`` or ``fixed_deficit``)."""
    return check_choice(option, closure, CLOSURES)


def check_draw_source(source, option: str = "draw source") -> DrawSource:
    """A Monte Carlo draw source (``published``, ``lognormal`` or ``table``)."""
    return check_choice(option, source, DRAW_SOURCES)


def check_draw_law(law, option: str = "distribution") -> DrawLaw:
    """A distribution of a user's elasticity table (``normal`` or ``lognormal``)."""
    return check_choice(option, law, DRAW_LAWS)


def check_numeraire(numeraire, n_countries: int | None = None):
    """``"world"`` or the index of a country (``0 <= k < n_countries``)."""
    if isinstance(numeraire, int) and not isinstance(numeraire, bool):
        if n_countries is not None and not 0 <= numeraire < n_countries:
            raise ScenarioError(f"numeraire index {numeraire} is not a country index 0..{n_countries - 1}")
        return numeraire
    if numeraire not in NUMERAIRES:
        raise ScenarioError(f"numeraire {numeraire!r} is not one of {', '.join(NUMERAIRES)} or a country index")
    return numeraire
