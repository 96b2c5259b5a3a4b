"""Scenario files: measures as written, and clear errors for bad ones."""

from __future__ import annotations

import numpy as np
import pytest

from tradesim.errors import ScenarioError
from tradesim.scenario.apply import policy_from_scenario
from tradesim.scenario.spec import parse_rate, parse_scenario

HEAD = 'name = "t"\nbaseline = "cp2015"\n'


def measures(body: str) -> str:
    return HEAD + body


def test_rates_as_fractions_or_percent():
    assert parse_rate(0.24, "set", "m") == 0.24
    assert parse_rate("24%", "set", "m") == pytest.approx(0.24)
    assert parse_rate("145 %", "set", "m") == pytest.approx(1.45)
    with pytest.raises(ScenarioError, match="'set' = 'lots' is not a rate"):
        parse_rate("lots", "set", "m")


def test_stacking_set_then_add(cp2015):
    scn = parse_scenario(measures(
        '[[measures]]\nkind = "tariff"\nimporter = "USA"\nexporter = "CHN"\nset = "34%"\n'
        '[[measures]]\nkind = "tariff"\nimporter = "USA"\nexporter = "CHN"\nadd = "20%"\n'))
    policy = policy_from_scenario(scn, cp2015)
    usa, chn = cp2015.countries.index("USA"), cp2015.countries.index("CHN")
    assert np.allclose(policy.tariff[usa, chn], 0.54)
    assert np.allclose(np.delete(policy.tariff, usa, axis=0), np.delete(cp2015.ds.tariff.values, usa, axis=0))


def test_exclusions_and_no_domestic_tariffs(cp2015):
    scn = parse_scenario(measures('[[measures]]\nkind = "tariff"\nimporter = "all"\nexporter = "all"\n'
                                  'exclude_sector = ["Auto"]\nset = 0.1\n'))
    policy = policy_from_scenario(scn, cp2015)
    auto = cp2015.sectors.index("Auto")
    assert np.allclose(np.diagonal(policy.tariff, axis1=0, axis2=1), 0.0)
    np.testing.assert_allclose(policy.tariff[:, :, auto], cp2015.ds.tariff.values[:, :, auto])
    off = ~np.eye(31, dtype=bool)
    assert np.allclose(policy.tariff[:, :, 0][off], 0.1)


@pytest.mark.parametrize("body, message", [
    ('[[measures]]\nkind = "tariff"\nimporter = "XYZ"\nset = 0.1\n', r"measure 1 \(tariff\): unknown country 'XYZ' in 'importer'"),
    ('[[measures]]\nkind = "tariff"\nsector = "Spaceships"\nset = 0.1\n', r"unknown sector 'Spaceships' in 'sector'"),
    ('[[measures]]\nkind = "tariff"\nimporter = "USA"\nset = -1.5\n', r"tariff would fall to or below -100%"),
    ('[[measures]]\nkind = "tariff"\nimporter = "USA"\nset = 0.1\nadd = 0.1\n', r"exactly one of 'set', 'add' or 'schedule'"),
    ('[[measures]]\nkind = "tariff"\nimporter = "USA"\nschedule = "tariff_2099"\n', r"unknown tariff schedule 'tariff_2099'"),
    ('[[measures]]\nkind = "subsidy"\n', r"measure 1: unknown kind 'subsidy'"),
    ('[[measures]]\nkind = "tariff"\nimporter = "USA"\nset = 0.1\ncolour = "red"\n', r"unknown field\(s\) colour"),
    ('[[measures]]\nkind = "tariff"\nimporter = "USA"\nexporter = "USA"\nset = 0.1\n', r"selects no bilateral flow"),
    ('[[measures]]\nkind = "iceberg"\nimporter = "USA"\nchange = -1.0\n', r"'change' must be above -100%"),
])
def test_bad_measures_are_named(cp2015, body, message):
    with pytest.raises(ScenarioError, match=message):
        policy_from_scenario(parse_scenario(measures(body)), cp2015)


@pytest.mark.parametrize("text, message", [
    ('name = "x"\n[[measures]\nkind = "tariff"', r"scenario is not valid TOML"),
    ('name = "x"\nclosure = "balanced"\n', r"closure 'balanced' is not one of zero_deficit, fixed_deficit"),
    ('name = "x"\nmeasures = 3\n', r"'measures' must be an array of tables"),
    ('name = "x"\nbaselin = "cp2015"\n', r"unknown top-level field\(s\) baselin"),
])
def test_malformed_scenarios(text, message):
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(text)
