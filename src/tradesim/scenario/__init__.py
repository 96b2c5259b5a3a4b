"""Scenario layer: scenario files, measures, and their policy arrays on a baseline."""

# Registers the measure kinds beyond the core ones (product tariffs, bans, export
# controls, curbs, retaliation) before any scenario is parsed.
from tradesim.scenario import measures as _measures  # noqa: F401
