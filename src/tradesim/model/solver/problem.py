"""The problem and the method's records: what a Caliendo-Parro counterfactual asks, how
the solver is set, and what it returns.

:class:`ModelInputs` (the baseline's arrays) and :class:`Shock` (the policy change and the
numeraire the changes are measured in) are the problem; :class:`SolverOptions` is the
method; :class:`Equilibrium` the answer with its convergence record.

The numeraire belongs to the problem (it says in which units the counterfactual's nominal
changes are measured; no real outcome depends on it): ``Shock(..., numeraire=k)``. The old
spelling ``SolverOptions(numeraire=k)`` still works and warns (``DeprecationWarning``); where
both are given they must agree, except that the option overrides a shock left at the default
``"world"`` (so code written for the option keeps its numbers). :func:`numeraire_of` is that
rule; :func:`tradesim.literals.check_numeraire` the one check of the value.

Example
-------
>>> import jax.numpy as jnp
>>> shock = Shock(jnp.zeros((2, 2, 1)), jnp.ones((2, 2, 1)), jnp.zeros(2), numeraire=1)
>>> numeraire_of(shock, SolverOptions())
1
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import jax.numpy as jnp
import numpy as np

from tradesim.errors import ScenarioError
from tradesim.literals import check_numeraire
from tradesim.model.pytree import pytree_dataclass


@pytree_dataclass
@dataclass(frozen=True)
class ModelInputs:
    """Baseline arrays the equilibrium needs (shapes: N countries, J sectors).

    trade_share (N, N, J): expenditure shares ``pi_ni^j`` incl. tariffs, rows sum to 1.
    tariff (N, N, J): baseline ad valorem tariffs (fractions).
    value_added_share (N, J), io_share (N, J, J) as (country, input, sector),
    final_demand_share (N, J), trade_elasticity (J,).
    value_added (N): ``w_n L_n`` in the baseline's currency units.
    deficit (N): baseline trade deficit. expenditure (N, J): ``X_n^j``.
    """

    trade_share: Any
    tariff: Any
    value_added_share: Any
    io_share: Any
    final_demand_share: Any
    trade_elasticity: Any
    value_added: Any
    deficit: Any
    expenditure: Any

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.final_demand_share.shape)


def _numeraire_value(numeraire):
    """A numpy integer index is an index too; everything else as :func:`check_numeraire` says."""
    return check_numeraire(int(numeraire) if isinstance(numeraire, np.integer) else numeraire)


@pytree_dataclass(static=("numeraire",))
@dataclass(frozen=True)
class Shock:
    """Counterfactual policy: new tariffs (N, N, J), iceberg-cost changes ``d_hat``
    (N, N, J) and deficits (N) in units of world value added; and the numeraire,
    ``"world"`` (world value added is fixed, the default) or the index of the country
    whose wage is held fixed.

    The numeraire is static (part of the tree's structure, not an array): a compiled
    solve is traced once per numeraire, and the shocks of one batch share it.
    """

    tariff: Any
    iceberg_hat: Any
    deficit: Any
    numeraire: str | int = "world"

    def __post_init__(self):
        object.__setattr__(self, "numeraire", _numeraire_value(self.numeraire))


def no_shock(inputs: ModelInputs, numeraire: str | int = "world") -> Shock:
    """The shock that changes nothing: returns the baseline itself."""
    return Shock(inputs.tariff, jnp.ones_like(inputs.tariff), inputs.deficit, numeraire)


@dataclass(frozen=True)
class SolverOptions:
    """Settings of :func:`tradesim.model.solve.solve_equilibrium`.

    tol: Newton stops when every labour-market residual (relative to the
        country's value added) is below it.
    check_tol: largest residual of any equilibrium condition accepted at the
        end; above it the solve raises :class:`NonConvergenceError`.
    max_newton: Newton iterations before giving up.
    inner_tol / max_inner: stopping rule of the price and expenditure blocks at a
        solution (and for derivatives).
    forcing / loosest_inner: during the iteration the inner blocks are solved to
        ``forcing`` times the current residual, but never looser than
        ``loosest_inner`` (inexact Newton: far from the solution a step needs no
        machine precision).
    anderson: memory of the Anderson acceleration of the price block (0: the
        plain fixed-point iteration).
    numeraire: deprecated, ``None`` by default: the numeraire is part of the problem,
        :attr:`Shock.numeraire`. Setting it here still works (it overrides a shock at the
        default ``"world"``, see :func:`numeraire_of`) and raises a ``DeprecationWarning``.
    """

    tol: float = 1e-12
    check_tol: float = 1e-8
    max_newton: int = 60
    inner_tol: float = 1e-14
    max_inner: int = 20_000
    numeraire: str | int | None = None
    forcing: float = 1e-4
    loosest_inner: float = 1e-6
    anderson: int = 5

    def __post_init__(self):
        if self.numeraire is not None:
            warnings.warn("SolverOptions(numeraire=...) is deprecated: the numeraire is part of the problem, "
                          "Shock(..., numeraire=...)", DeprecationWarning, stacklevel=3)
            object.__setattr__(self, "numeraire", _numeraire_value(self.numeraire))


def numeraire_of(shock: Shock, opts: SolverOptions):
    """The numeraire a solve uses: the shock's, or the deprecated option where it is set
    (it overrides a shock at the default ``"world"``; two different choices are an error)."""
    if opts.numeraire is None or opts.numeraire == shock.numeraire:
        return shock.numeraire
    if shock.numeraire != "world":
        raise ScenarioError(f"numeraire: the shock says {shock.numeraire!r} and SolverOptions (deprecated) "
                            f"says {opts.numeraire!r}; set it on the shock only")
    return opts.numeraire


@dataclass(frozen=True)
class Equilibrium:
    """A solved counterfactual: values, convergence record and residuals.

    Values (numpy, float64): ``wage_hat`` (N), ``cost_hat`` (N, J),
    ``price_hat`` (N, J), ``trade_share`` (N, N, J), ``expenditure`` (N, J),
    ``income`` (N), ``gross_output`` (N, J), ``tariff_revenue`` (N),
    ``deficit`` (N), ``price_index_hat`` (N), ``tariff`` (N, N, J).
    """

    values: dict[str, np.ndarray]
    iterations: int
    residuals: dict[str, float]
    converged: bool = True
    options: SolverOptions = field(default_factory=SolverOptions)

    def __getitem__(self, key: str) -> np.ndarray:
        return self.values[key]

    @property
    def max_residual(self) -> float:
        return max(self.residuals.values())
