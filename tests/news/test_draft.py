"""Draft scenarios: evidence comments, placeholders the run refuses, and the filled draft runs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tradesim.errors import ScenarioError
from tradesim.news import draft_scenario, extract
from tradesim.scenario.spec import PLACEHOLDER, load_scenario, parse_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
FILL = 'add = "FILL-IN: rate, e.g. \\"24%\\""'


def test_placeholder_is_refused_naming_the_field():
    text = '[[measures]]\nkind = "tariff"\nimporter = "USA"\nexporter = "JPN"\nadd = "FILL-IN: rate"\n'
    with pytest.raises(ScenarioError, match=r"measure 1 \(tariff\): 'add' is a placeholder"):
        parse_scenario(text)
    table = '[[measures]]\nkind = "import_ban"\nimporter = "CHN"\nexporter = "JPN"\nhs = ["03"]\n' \
            'share = { A03 = 1.0, C10T12 = "FILL-IN: share" }\n'
    with pytest.raises(ScenarioError, match="'share' is a placeholder"):
        parse_scenario(table)
    assert PLACEHOLDER == "FILL-IN"


@pytest.mark.shared
def test_example_draft(example):
    text = draft_scenario(example)
    with pytest.raises(ScenarioError, match=r"measure 1 \(tariff\): 'add' is a placeholder"):
        parse_scenario(text)
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert [line for line in body if PLACEHOLDER in line] == [FILL]
    filled = parse_scenario(text.replace(FILL, 'add = "24%"'))
    tariff, seafood, beef = filled.measures
    assert (tariff.kind, tariff.selectors["importer"], tariff.selectors["exporter"], tariff.params["add"]) == \
        ("tariff", ("USA",), ("JPN",), "24%")
    # the drafted bans are the library's scenarios, written by hand from the public record
    for drafted, name in ((seafood, "china_seafood_ban"), (beef, "china_beef_ban")):
        [ref] = load_scenario(SCENARIOS / f"{name}.toml").measures
        assert (drafted.kind, drafted.selectors, drafted.params) == (ref.kind, ref.selectors, ref.params)
    # evidence quoted before each measure, events and the stated figure in the header
    assert '#   motive: "Fukushima"' in text and '#   implementer: "Trump"' in text
    assert "REQUEST (request) USA -> JPN products HS 8486" in text
    assert "THREATEN (warning) CHN" in text and "CONSULT (letter) JPN -> CHN" in text
    assert "share of trade CHN in JPN: 20%" in text
    tomllib.loads(text)


def test_missing_share_and_rate_become_placeholders():
    x = extract("Beijing imposed a ban on imports of Australian wine and tariffs on American lobsters.",
                published="2020-11-28")
    text = draft_scenario(x)
    assert 'share = { C10T12 = "FILL-IN: share of HS 2204 in the AUS->CHN C10T12 flow" }' in text
    assert 'add = "FILL-IN: rate' in text
    with pytest.raises(ScenarioError, match="placeholder"):
        parse_scenario(text)


def test_lifted_and_hypothetical_measures_are_not_drafted():
    x = extract("China lifted its ban on Japanese beef on Monday. Analysts say Washington could impose tariffs on "
                "Japanese cars.", published="2025-04-21")
    text = draft_scenario(x)
    assert "[[measures]]" not in text and "nothing to run" in text
    assert "[lifted, historical]" in text and "[in_force, hypothetical]" in text


@pytest.mark.slow
@pytest.mark.shared
def test_filled_example_draft_runs(example, tmp_path):
    import tradesim

    path = tmp_path / "draft.toml"
    path.write_text(draft_scenario(example).replace(FILL, 'add = "24%"'), encoding="utf-8")
    result = tradesim.run(path)
    w = result.welfare()
    assert w.loc["JPN", "welfare_first_order_pct"] < 0 < w.loc["USA", "welfare_first_order_pct"] + 1  # Japan loses from the US tariff
