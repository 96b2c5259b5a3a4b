"""Scenario layer: scenario files, measures, and their policy arrays on a baseline.

The measure kinds, their fields and their appliers are declared once in
:mod:`tradesim.scenario.kinds`; nothing needs registering before a scenario is parsed.
"""
