"""The Liberation Day model of Ignatenko, Lashkaripour, Macedoni and Simonovska (2025, JIE),
"Making America Great Again? The Economic Impacts of Liberation Day Tariffs", as a tradesim
model family on the BACI 2023 world (``baseline = "baci2023"``).

Modules: :mod:`.options` (every switch), :mod:`.inputs` (calibration as the authors' code),
:mod:`.equations` (the equilibrium conditions), :mod:`.solve` (Newton, exact Jacobian),
:mod:`.tariffs` (USTR, optimal and retaliatory schedules), :mod:`.outcomes` (the paper's
columns and aggregates), :mod:`.scenario` (scenario files), :mod:`.family` (the protocol).
See ``docs/liberation_day.md``.
"""

from tradesim.model.family import register
from tradesim.model.liberation_day.family import FAMILY, LDRun, LiberationDayFamily
from tradesim.model.liberation_day.inputs import LDInputs, calibrate
from tradesim.model.liberation_day.options import LDOptions
from tradesim.model.liberation_day.scenario import LDScenario, load_ld_scenario, tariff_matrix
from tradesim.model.liberation_day.solve import LDSolution, solve
from tradesim.model.liberation_day.tariffs import ustr_tariffs

register(FAMILY)

__all__ = ["FAMILY", "LDInputs", "LDOptions", "LDRun", "LDScenario", "LDSolution", "LiberationDayFamily",
           "calibrate", "load_ld_scenario", "solve", "tariff_matrix", "ustr_tariffs"]
