"""Typed errors. Every message names the field and the labels at fault.

The command line prints ``str(error)`` as one line and exits with status 2; it
never shows a traceback for a :class:`TradesimError`.
"""

from __future__ import annotations


class TradesimError(Exception):
    """Base class of every error tradesim raises on purpose."""


class DataError(TradesimError):
    """A baseline dataset is malformed: negative or missing flows, shares that do
    not sum to one, mismatched labels, or inconsistent market clearing."""


class ScenarioError(TradesimError):
    """A scenario file or measure is malformed or refers to unknown labels."""


class OptionError(TradesimError, ValueError):
    """An option of a function or command is not one of the values it takes
    (e.g. ``Result.welfare_by(by=...)``); the message names the option and the allowed
    values. Also a :class:`ValueError`, which these options raised before."""


class NonConvergenceError(TradesimError):
    """An equilibrium solve did not reach its tolerance.

    Attributes
    ----------
    residual : float
        The largest equilibrium residual at the last iterate.
    iterations : int
        Iterations spent.
    """

    def __init__(self, message: str, *, residual: float = float("nan"), iterations: int = 0):
        super().__init__(message)
        self.residual = residual
        self.iterations = iterations


class StoreError(TradesimError):
    """The results store cannot be opened, is busy for too long, or has no such run
    (:mod:`tradesim.results.store`)."""


# -- news (tradesim.news re-exports these) -----------------------------------------------------------------------
class NewsInputError(TradesimError):
    """The input is not an article the news extractor can read (binary, too long, unreadable, bad date)."""


class NewsEvaluationError(TradesimError):
    """A frozen evaluation set of the news extractor does not match the SHA-256 recorded when it was frozen."""
