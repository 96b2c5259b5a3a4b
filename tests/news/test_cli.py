"""``tradesim news``: table, JSON and draft from the example article."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tradesim.cli.main import app

pytestmark = pytest.mark.shared
runner = CliRunner()


def test_table_json_and_scenario(example_text, tmp_path):
    out = tmp_path / "draft.toml"
    r = runner.invoke(app, ["news", "-", "--published", "2025-04-21", "--scenario", str(out)], input=example_text)
    assert r.exit_code == 0, r.output
    assert "Trade measures" in r.output and "REQUEST (exemption)" in r.output and "import_ban" in r.output
    assert "share of trade of JPN with CHN: 20%" in r.output
    assert out.read_text().count("[[measures]]") == 3
    r = runner.invoke(app, ["news", "--json", "--published", "2025-04-21"], input=example_text)
    d = json.loads(r.stdout)
    assert [(m["implementer"], m["instrument"], m["hs_chapters"]) for m in d["measures"]] == \
        [("USA", "tariff", []), ("CHN", "import_ban", ["03", "16"]), ("CHN", "import_ban", ["02"])]
    ev = d["measures"][1]["evidence"]["motive"]
    assert example_text.replace("\u2019", "'")[ev["start"]:ev["end"]] == ev["text"] == "Fukushima"


def test_drafted_placeholder_stops_the_run(example_text, tmp_path):
    out = tmp_path / "draft.toml"
    runner.invoke(app, ["news", "-", "--published", "2025-04-21", "--scenario", str(out)], input=example_text)
    r = runner.invoke(app, ["run", str(out)])
    assert r.exit_code == 2 and "'add' is a placeholder" in r.output
