"""The optional ``group`` field of measures (tradesim attribute --by group)."""

from __future__ import annotations

import pytest

from tests.conftest import SCENARIOS
from tradesim.errors import ScenarioError
from tradesim.scenario.spec import load_scenario, parse_scenario

MEASURE = """
[[measures]]
kind = "tariff"
importer = "USA"
exporter = "CHN"
add = 0.1
"""


def test_group_is_parsed_and_must_be_text():
    s = parse_scenario(MEASURE + 'group = "US tariffs"\n')
    assert s.measures[0].group == "US tariffs"
    assert parse_scenario(MEASURE).measures[0].group is None
    with pytest.raises(ScenarioError, match="'group' must be text"):
        parse_scenario(MEASURE + "group = 3\n")


def test_included_measures_are_grouped_under_their_files_name():
    s = load_scenario(SCENARIOS / "japan_world_2025_04.toml")
    groups = [m.group for m in s.measures]
    assert groups[0] == "Status quo: 2018-19 US-China tariffs"          # nested include keeps its name
    assert "US reciprocal tariffs (April 2025)" in groups
    # measures that name a group keep it
    assert groups.count("China bans Japanese seafood and beef") == 2
    assert all(m.index == i for i, m in enumerate(s.measures))
