"""String options of the gravity tools, in one place and checked once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

from tradesim.errors import ScenarioError

FixedEffect = Literal["exporter", "importer", "pair", "exporter-year", "importer-year"]
Compat = Literal["consistent", "gegravity"]

FIXED_EFFECTS: tuple[str, ...] = get_args(FixedEffect)
COMPAT: tuple[str, ...] = get_args(Compat)


def check_fixed_effects(fixed_effects: Sequence[str]) -> tuple[FixedEffect, ...]:
    """Validate fixed-effect names; unknown or repeated names are errors."""
    fes = tuple(fixed_effects)
    unknown = [fe for fe in fes if fe not in FIXED_EFFECTS]
    if unknown:
        raise ScenarioError(f"unknown fixed effect(s) {', '.join(map(repr, unknown))}; "
                            f"choose from {', '.join(FIXED_EFFECTS)}")
    if len(set(fes)) != len(fes):
        raise ScenarioError(f"fixed effects repeat a name: {', '.join(fes)}")
    return fes  # type: ignore[return-value]


def check_compat(compat: str | None) -> Compat:
    value = "consistent" if compat is None else compat
    if value not in COMPAT:
        raise ScenarioError(f"compat must be one of {', '.join(COMPAT)}, not {compat!r}")
    return value  # type: ignore[return-value]
