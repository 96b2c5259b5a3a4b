"""The Caliendo-Parro solver in parts: the problem records, the equilibrium blocks, the
accelerations of the inner solves, the Jacobians, the outer loop and the final checks.

============================  ==========================================================
:mod:`.problem`               ``ModelInputs``, ``Shock`` (with the numeraire),
                              ``no_shock``, ``SolverOptions``, ``Equilibrium``
:mod:`.blocks`                price block, expenditure block, the equilibrium given wages
                              (``EquilibriumState``), the labour-market residual
:mod:`.accelerations`         Anderson fixed point, BiCGSTAB, inexact-Newton forcing
:mod:`.jacobians`             exact and baseline Jacobians, the affine family over
                              elasticities, Broyden's update
:mod:`.loop`                  Broyden/Newton with line search and stall refresh
                              (``BroydenState``)
:mod:`.solution`              values and residuals at the solution, the acceptance rule
============================  ==========================================================

The entry point is :func:`tradesim.model.solve.solve_equilibrium`; batches are
:mod:`tradesim.model.batch`. Lower modules never import higher ones in this list's order
(problem -> accelerations -> blocks -> jacobians -> loop -> solution).
"""

from tradesim.model.solver.accelerations import anderson_fixed_point, forcing_tolerance, krylov_linear_solve
from tradesim.model.solver.blocks import (EquilibriumState, deficit_in_numeraire, equilibrium_given_wages,
                                          equilibrium_residual, expenditure_block, labour_residual, price_block,
                                          scenario_weights, state_given_wages)
from tradesim.model.solver.jacobians import (baseline_jacobian, broyden_update, elasticity_jacobians,
                                             exact_jacobian)
from tradesim.model.solver.loop import PATIENCE, BroydenState, broyden_loop, solve_loop
from tradesim.model.solver.problem import (Equilibrium, ModelInputs, Shock, SolverOptions, no_shock,
                                           numeraire_of)
from tradesim.model.solver.solution import accepted, convergence_error, solution_values, solution_values_jit

__all__ = [
    "PATIENCE", "BroydenState", "Equilibrium", "EquilibriumState", "ModelInputs", "Shock", "SolverOptions",
    "accepted", "anderson_fixed_point", "baseline_jacobian", "broyden_loop", "broyden_update",
    "convergence_error", "deficit_in_numeraire", "elasticity_jacobians", "equilibrium_given_wages",
    "equilibrium_residual", "exact_jacobian", "expenditure_block", "forcing_tolerance", "krylov_linear_solve",
    "labour_residual", "no_shock", "numeraire_of", "price_block", "scenario_weights", "solution_values",
    "solution_values_jit", "solve_loop", "state_given_wages",
]
