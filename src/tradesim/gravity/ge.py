"""Moved to :mod:`tradesim.model.gravity.ge` (issue 15); this re-export is for code not yet updated."""
from tradesim.model.gravity.ge import GEBaseline, GravityResult, build_baseline, simulate, solve_mr, with_coefficients  # noqa: F401
