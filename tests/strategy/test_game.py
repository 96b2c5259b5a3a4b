"""Policy games on the engine: equilibrium logic on known games, profiles equal to
the library scenarios they are built from, and the command line."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from typer.testing import CliRunner

import tradesim
from tests.conftest import ROOT, SCENARIOS
from tradesim.cli.main import app
from tradesim.errors import ScenarioError
from tradesim.strategy.game import is_nash, load_game, play, pure_equilibria

runner = CliRunner()


def test_pure_equilibria_of_known_games():
    # prisoner's dilemma (0 = cooperate, 1 = defect): unique equilibrium (defect, defect)
    a = np.array([[3, 0], [5, 1]], float)
    assert pure_equilibria([a, a.T]) == [(1, 1)]
    # matching pennies: none
    b = np.array([[1, -1], [-1, 1]], float)
    assert pure_equilibria([b, -b]) == []
    # coordination: two
    c = np.array([[2, 0], [0, 1]], float)
    assert pure_equilibria([c, c]) == [(0, 0), (1, 1)]
    assert not is_nash([c, c], (0, 1))


@pytest.mark.slow
def test_japan_alignment_game_matches_library_and_is_fast():
    """The README command's game: 12 profiles in well under 2 minutes; the profile
    'align_us / any / retaliate_if_us' is exactly scenarios/japan_aligns_china_responds
    and 'align_us / any / accommodate' exactly japan_aligns_with_us."""
    start = time.perf_counter()
    res = play(load_game(ROOT / "games" / "japan_alignment.toml"))
    assert time.perf_counter() - start < 120
    p = res.payoffs.set_index(["JPN_strategy", "USA_strategy", "CHN_strategy"])
    for profile, file in [(("align_us", "keep_deal", "accommodate"), "japan_aligns_with_us"),
                          (("align_us", "punish_if_china", "retaliate_if_us"), "japan_aligns_china_responds"),
                          (("neutral", "keep_deal", "accommodate"), "us_japan_deal_2025_07")]:
        w = tradesim.run(SCENARIOS / f"{file}.toml", store=False).welfare()["welfare_pct"]
        for c in ("JPN", "USA", "CHN"):
            assert p.loc[profile, c] == pytest.approx(w[c], abs=1e-9)
    arrays = [res.payoff_array(c) for c in ("JPN", "USA", "CHN")]
    for k, row in res.payoffs.iterrows():
        idx = np.unravel_index(k, arrays[0].shape)
        assert row["nash"] == is_nash(arrays, tuple(int(i) for i in idx))
    assert res.equilibria  # reported as found (see docs/strategy.md for the table)


def test_game_cli_small_and_errors(tmp_path):
    spec = tmp_path / "g.toml"
    spec.write_text(f"""
name = "tiny"
scenarios_dir = "{SCENARIOS}"
base = "status_quo_2018"
[[players]]
name = "USA"
[[players.strategies]]
name = "free"
[[players.strategies]]
name = "tariff"
measures = [{{kind = "tariff", importer = "USA", exporter = "CHN", sector = "goods", add = "10%"}}]
[[players]]
name = "CHN"
[[players.strategies]]
name = "free"
[[players.strategies]]
name = "tariff"
measures = [{{kind = "tariff", importer = "CHN", exporter = "USA", sector = "goods", add = "10%"}}]
""")
    res = runner.invoke(app, ["game", str(spec), "--out", str(tmp_path / "out")], terminal_width=200)
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert len(summary["profiles"]) == 4 and "USA" in res.output
    assert (tmp_path / "out" / "game.html").stat().st_size > 1000
    # USA's payoff is the same whatever the order of measures: tariff/free vs run of the same scenario
    bad = tmp_path / "bad.toml"
    bad.write_text(spec.read_text().replace('name = "CHN"', 'name = "USA"'))
    res = runner.invoke(app, ["game", str(bad)])
    assert res.exit_code == 2 and "distinct names" in res.output
    with pytest.raises(ScenarioError, match="unknown player"):
        t = spec.read_text().replace('name = "tariff"\nmeasures = [{kind = "tariff", importer = "CHN"',
                                     'name = "tariff"\nwhen = {JPN = "x"}\nmeasures = [{kind = "tariff", importer = "CHN"')
        (tmp_path / "w.toml").write_text(t)
        load_game(tmp_path / "w.toml")


def test_strategy_ossa_cli_requires_a_mode():
    res = runner.invoke(app, ["strategy", "ossa"])
    assert res.exit_code == 2 and "--optimal" in res.output
