"""The measure-kind registry: one declaration per kind, read by the parser, the
applier and retaliation alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tradesim.errors import ScenarioError
from tradesim.scenario import kinds
from tradesim.scenario.apply import policy_from_scenario
from tradesim.scenario.kinds import KINDS, MeasureKind, register_kind
from tradesim.scenario.spec import parse_scenario


def scn(body: str):
    return parse_scenario('name = "t"\n' + body)


def test_every_kind_resolves_to_a_documented_applier():
    for kind in KINDS.values():
        fn = kinds._load(kind.applier)
        assert callable(fn) and fn.__doc__, kind.name
        assert kind.summary and isinstance(kind.fields, frozenset)


def test_every_kind_is_in_the_documented_table():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scenarios.md").read_text()
    table = doc.split("Measure kinds:", 1)[1].split("\n\n")[1]  # the table after the heading line
    rows = {line.split("|")[1].strip().split()[0].strip("`") for line in table.splitlines()[2:]}
    assert rows == set(KINDS)


def test_parser_takes_fields_from_the_registry():
    # the tariff's product fields are known without importing the appliers first
    m = scn('[[measures]]\nkind = "tariff"\nimporter = "USA"\nhs = "8703"\nshare = 0.5\nadd = 0.25\n').measures[0]
    assert m.params == {"hs": "8703", "share": 0.5, "add": 0.25}
    with pytest.raises(ScenarioError, match=r"unknown field\(s\) cut"):
        scn('[[measures]]\nkind = "tariff"\nadd = 0.1\ncut = 0.5\n')
    with pytest.raises(ScenarioError, match="known kinds: curb, export_control, iceberg, import_ban, "
                                            "retaliation, tariff"):
        scn('[[measures]]\nkind = "quota"\n')


def test_parsing_loads_no_applier():
    """Parsing a scenario reads only the declarations (the appliers import numerics)."""
    code = ("import sys; from tradesim.scenario.spec import parse_scenario; "
            "parse_scenario('name = \"t\"\\n[[measures]]\\nkind = \"curb\"\\ncut = 0.1\\n'); "
            "print('tradesim.scenario.measures' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_registered_kind_parses_and_applies(toy):
    def apply_double_cost(measure, baseline, policy):
        """Double the iceberg cost of every flow (a test kind)."""
        policy.iceberg_hat = policy.iceberg_hat * 2.0

    register_kind(MeasureKind("double_cost", frozenset({"why"}), apply_double_cost, summary="test"))
    try:
        policy = policy_from_scenario(scn('[[measures]]\nkind = "double_cost"\nwhy = "test"\n'), toy)
        assert np.all(policy.iceberg_hat == 2.0)
    finally:
        del KINDS["double_cost"]


def test_retaliation_mirrors_only_mirrorable_kinds(toy):
    with pytest.raises(ScenarioError, match=r"measure 2 \(retaliation\): 'mirror' = 'cost' names a measure of "
                                            r"kind 'iceberg'; a retaliation mirrors only a curb, export_control, "
                                            r"import_ban or "
                                            r"tariff measure"):
        policy_from_scenario(scn('[[measures]]\nkind = "iceberg"\nlabel = "cost"\nimporter = "C0"\nexporter = "C1"\n'
                                 'change = -0.1\n[[measures]]\nkind = "retaliation"\nmirror = "cost"\n'), toy)
