"""Typed errors: one module of error classes, and bad options named in them."""

from __future__ import annotations

import inspect

import pytest

import tradesim
from tradesim import errors
from tradesim.errors import OptionError, TradesimError
from tradesim.results.briefing import gainers_losers
from tradesim.results.decomposition import decomposition


def test_every_error_class_is_a_documented_tradesim_error():
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__]
    assert {c.__name__ for c in classes} >= {"TradesimError", "DataError", "ScenarioError", "NonConvergenceError",
                                              "OptionError"}
    for c in classes:
        assert issubclass(c, TradesimError) and c.__doc__, c.__name__


def test_bad_result_options_are_option_errors_naming_the_values(toy):
    result = tradesim.run(tradesim.parse_scenario('name = "t"\n[[measures]]\nkind = "tariff"\nimporter = "C0"\n'
                                                  'add = 0.1\n'), toy)
    with pytest.raises(OptionError, match="by 'country' is not one of partner, sector"):
        result.welfare_by("country")
    with pytest.raises(OptionError, match="by 'gdp' is not one of ev_usd, welfare_pct"):
        gainers_losers(result, by="gdp")
    with pytest.raises(OptionError, match="by 'country' is not one of None, partner, sector"):
        decomposition(result, by="country")
    with pytest.raises(ValueError):  # what these raised before: callers catching ValueError still do
        result.welfare_by("country")


def test_unknown_countries_of_the_report_tables_are_scenario_errors(toy):
    from tradesim.errors import ScenarioError
    from tradesim.results.report import partner_trade, sector_output, sector_usd

    result = tradesim.run(tradesim.parse_scenario('name = "t"\n[[measures]]\nkind = "tariff"\nimporter = "C0"\n'
                                                  'add = 0.1\n'), toy)
    with pytest.raises(ScenarioError, match=r"partners: unknown country code\(s\) JPN; baseline .* has C0, C1"):
        partner_trade([result], "C0", ["C1", "JPN"])
    for table in (sector_output, sector_usd):  # these returned empty tables before
        with pytest.raises(ScenarioError, match=r"country: unknown country code\(s\) USA"):
            table([result], "USA")
    assert set(partner_trade([result], "C0", ["C1"])["partner"]) == {"C1"}
