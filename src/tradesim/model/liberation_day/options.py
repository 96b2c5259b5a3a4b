"""The options of the Liberation Day model: one frozen record, checked once.

Every switch of the authors' code (``main_baseline.m``) is a field; the defaults are
their benchmark (Table 1, case 1).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Literal, get_args

from tradesim.errors import ScenarioError

Revenue = Literal["tax_relief", "lump_sum"]
Deficits = Literal["world_income_share", "fixed"]

NU_TARGETS = (0.12, 0.26)  # local-factor share of absorption: rest of the world, US (paper, sec. 3)
SCALE_SHARE = 0.67  # psi = 0.67 / epsilon and theta = epsilon / 0.67 in the authors' code


@dataclass(frozen=True)
class LDOptions:
    """Settings of one Liberation Day solve.

    revenue: ``"tax_relief"`` (tariff revenue replaces an income tax; the code's
        ``lump_sum = 0``, the headline case) or ``"lump_sum"`` (rebated lump-sum).
    epsilon: trade elasticity in the equilibrium system (4 in the benchmark).
    kappa: labour-supply elasticity (0.5; 0 = inelastic labour).
    psi: scale elasticity; ``None`` = ``0.67 / calibration_epsilon`` (0 = no scale economies).
    passthrough: the level of the tariff pass-through, phi_i = passthrough + phi~_i
        (1 in the benchmark, 0.25 in the appendix's incomplete pass-through case).
    phi: a given tariff elasticity of prices (the same for every importer); ``None`` =
        computed from nu as above (1 in the Eaton-Kortum case).
    nu: share of absorption paid to local factors; ``"calibrated"`` (fitted to
        :data:`NU_TARGETS`, as ``solveNu``), one number for every economy, or a pair
        ``(rest of the world, US)``. Domestic sales are always built with the calibrated nu.
    calibration_epsilon: the epsilon in psi and phi~ (``None`` = ``epsilon``; the code's
        epsilon = 8 case keeps both at their epsilon = 4 values).
    deficits: ``"world_income_share"`` (each deficit a constant share of world nominal
        income, as coded) or ``"fixed"`` (constant in nominal terms).
    """

    revenue: Revenue = "tax_relief"
    epsilon: float = 4.0
    kappa: float = 0.5
    psi: float | None = None
    passthrough: float = 1.0
    phi: float | None = None
    nu: Any = "calibrated"
    calibration_epsilon: float | None = None
    deficits: Deficits = "world_income_share"

    def __post_init__(self):
        for name, lit in (("revenue", Revenue), ("deficits", Deficits)):
            if getattr(self, name) not in get_args(lit):
                raise ScenarioError(f"options.{name}: '{getattr(self, name)}' is not one of {', '.join(get_args(lit))}")
        for name in ("epsilon", "kappa", "psi", "passthrough", "phi", "calibration_epsilon"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                raise ScenarioError(f"options.{name}: expected a number, got {v!r}")
        if self.epsilon <= 0:
            raise ScenarioError(f"options.epsilon: must be positive, got {self.epsilon}")
        if self.kappa < 0:
            raise ScenarioError(f"options.kappa: must be non-negative, got {self.kappa}")
        nu = self.nu
        if isinstance(nu, list):
            object.__setattr__(self, "nu", tuple(nu))
            nu = self.nu
        ok = nu == "calibrated" or (isinstance(nu, (int, float)) and not isinstance(nu, bool) and 0 <= nu < 1) or (
            isinstance(nu, tuple) and len(nu) == 2 and all(isinstance(v, (int, float)) and 0 <= v < 1 for v in nu))
        if not ok:
            raise ScenarioError(f"options.nu: expected 'calibrated', a share in [0, 1) or a pair of them, got {nu!r}")

    @property
    def theta_epsilon(self) -> float:
        return float(self.calibration_epsilon if self.calibration_epsilon is not None else self.epsilon)

    @property
    def scale_elasticity(self) -> float:
        """psi: given, or 0.67 / calibration epsilon (the code's ``psi = 0.67/eps``)."""
        return float(self.psi) if self.psi is not None else SCALE_SHARE / self.theta_epsilon

    def with_(self, **changes) -> "LDOptions":
        return replace(self, **changes)


def options_from_dict(raw: dict[str, Any] | None) -> LDOptions:
    """An :class:`LDOptions` from a scenario's ``[options]`` table; unknown keys are errors."""
    raw = dict(raw or {})
    known = {f.name for f in fields(LDOptions)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ScenarioError(f"options: unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return LDOptions(**raw)
