"""Moved to :mod:`tradesim.model.newton` (issue 15); this re-export is for code not yet updated."""
from tradesim.model.newton import NewtonOptions, NewtonResult, newton  # noqa: F401
