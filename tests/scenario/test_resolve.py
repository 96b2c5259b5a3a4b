"""The resolved scenario reads back to itself: every field and measure, whatever they hold."""

from __future__ import annotations

import tomllib

from tradesim.scenario.resolve import resolve
from tradesim.scenario.spec import load_scenario, resolve_reference

TEXT = '''name = "Tricky: quotes \\" and \\\\ backslashes, é – and a\\nnewline"
description = """two
lines"""
closure = "zero_deficit"
reference = "ref"
include = ["base"]
date = 2025-04-02

[[measures]]
kind = "tariff"
label = "US 15% all-in"
importer = "C0"
exporter = ["C1", "C2"]
sector = "all"
exclude_sector = ["S2"]
hs = ["0303.89", "1604"]
share = { S0 = 0.35, S1 = 1 }
add = "12.5%"
date = 2025-08-07
override = true

[[measures]]
kind = "retaliation"
mirror = "US 15% all-in"
sector = "S0"
add = 0.1
subsidy = false
'''


def test_resolved_toml_reads_back_to_the_same_scenario(tmp_path):
    (tmp_path / "base.toml").write_text('name = "b"\n[[measures]]\nkind = "iceberg"\nchange = -0.05\nlabel = "x"\n')
    (tmp_path / "ref.toml").write_text('name = "r"\n[[measures]]\nkind = "curb"\nimporter = "C0"\ncut = 1e-3\n')
    (tmp_path / "s.toml").write_text(TEXT)
    scn = load_scenario(tmp_path / "s.toml")
    out = resolve(scn, "toy", "toy-1", "CP", "fixed_deficit")
    assert out.measures == scn.measures and len(out.measures) == 3  # the include, inlined first
    assert (out.name, out.description, out.closure) == (scn.name, scn.description, "fixed_deficit")
    raw = tomllib.loads(out.text)
    assert "include" not in raw and raw["baseline_version"] == "toy-1" and raw["elasticity_set"] == "CP"
    assert resolve_reference(out).measures == resolve_reference(scn).measures  # the reference, inline
    assert resolve(out, "toy", "toy-1", "CP", "fixed_deficit").text == out.text  # idempotent
