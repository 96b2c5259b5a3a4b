"""Measures do what is written, and bad input is refused in the library with a message
that names the measure, the field and the flow by their labels (docs/scenarios.md,
"Bad input and its message")."""

from __future__ import annotations

import numpy as np
import pytest

import tradesim
from tradesim.errors import ScenarioError
from tradesim.scenario.apply import policy_from_scenario
from tradesim.scenario.measures import sector_cost_change
from tradesim.scenario.spec import MAX_SCENARIO_BYTES, load_scenario, parse_scenario

from ..conftest import SCENARIOS


def scn(body: str) -> tradesim.Scenario:
    return parse_scenario('name = "t"\nclosure = "fixed_deficit"\n' + body)


SOYBEANS = """[[measures]]
kind = "tariff"
label = "China on US soybeans"
importer = "CHN"
exporter = "USA"
sector = "A01"
hs = "1201"
share = 0.84
add = "25%"
"""


@pytest.fixture(scope="module")
def icio():
    return tradesim.load_baseline("icio2022")


def test_soybean_retaliation_touches_only_the_soybean_share(icio):
    """The US answers China's soybean tariff: the mirrored flow is China's soybeans to the
    US (a share of CHN->USA A01 the retaliation states), not 84% of China's farm exports."""
    usa, chn, a01 = icio.countries.index("USA"), icio.countries.index("CHN"), icio.sectors.index("A01")
    t0 = icio.ds["tariff"].values
    answer = '[[measures]]\nkind = "retaliation"\nlabel = "US answer"\nmirror = "China on US soybeans"\n'
    policy = policy_from_scenario(scn(SOYBEANS + answer + 'share = 0.01\n'), icio)
    changed = np.argwhere(policy.tariff != t0)
    assert {tuple(c) for c in changed} == {(chn, usa, a01), (usa, chn, a01)}
    theta = icio.ds["trade_elasticity"].values[a01]
    old = t0[usa, chn, a01]
    expected = (1 + old) * sector_cost_change(0.01, (1 + old + 0.25) / (1 + old), theta) - 1
    assert policy.tariff[usa, chn, a01] == pytest.approx(expected, rel=1e-12)
    assert policy.tariff[usa, chn, a01] - old < 0.01  # the soybean share, not +15.5 points on all of A01
    # The answered measure's own share (0.84 of USA->CHN) is not silently reused for CHN->USA.
    with pytest.raises(ScenarioError, match=r"measure 2 'US answer' \(retaliation\): the answered measure 'China on US "
                                            r"soybeans' states share = 0.84 .* mirrored flow"):
        policy_from_scenario(scn(SOYBEANS + answer), icio)
    # Its own sector, without products: the whole sector.
    whole = policy_from_scenario(scn(SOYBEANS + answer + 'sector = "A01"\n'), icio)
    assert whole.tariff[usa, chn, a01] == pytest.approx(old + 0.25, abs=1e-15)
    # Its own products: its own HS codes and share.
    beef = policy_from_scenario(scn(SOYBEANS + answer + 'hs = "0201"\nsector = "C10T12"\nshare = 0.05\n'), icio)
    assert np.argwhere(beef.tariff[usa] != t0[usa]).tolist() == [[chn, icio.sectors.index("C10T12")]]


def test_a_later_set_overrides_only_when_it_says_so(toy):
    body = ('[[measures]]\nkind = "tariff"\nlabel = "deal"\nimporter = "C0"\nexporter = "C1"\nset = 0.15\n'
            '[[measures]]\nkind = "tariff"\nlabel = "cars"\nimporter = "C0"\nexporter = "C1"\nsector = "S2"\n'
            'set = 0.25\n')
    with pytest.raises(ScenarioError, match=r"measure 2 'cars' \(tariff\) contradicts measure 1 'deal' \(tariff\) "
                                            r"on the same flow \(importer C0, exporter C1, sector S2\): 'set' = "
                                            r"0.25 here, 0.15 there; say override = true"):
        policy_from_scenario(scn(body), toy)
    policy = policy_from_scenario(scn(body + "override = true\n"), toy)
    assert policy.tariff[0, 1].tolist() == [0.15, 0.15, 0.25]


def test_override_of_an_included_measure(tmp_path):
    """The US-Japan deal with cars at 25%: an included scenario's rate, overridden explicitly."""
    text = (f'name = "cars at 25%"\ninclude = ["{SCENARIOS / "us_japan_deal_2025_07"}"]\n'
            '[[measures]]\nkind = "tariff"\nlabel = "US 25% on Japanese cars"\nimporter = "USA"\n'
            'exporter = "JPN"\nsector = "C29"\nset = "25%"\n')
    (tmp_path / "cars.toml").write_text(text)
    icio = tradesim.load_baseline("icio2022")
    with pytest.raises(ScenarioError, match=r"'US 25% on Japanese cars' \(tariff\) contradicts measure \d+ 'US 15% "
                                            r"all-in on Japan' .*\(importer USA, exporter JPN, sector C29\)"):
        policy_from_scenario(load_scenario(tmp_path / "cars.toml"), icio)
    (tmp_path / "cars.toml").write_text(text + "override = true\n")
    policy = policy_from_scenario(load_scenario(tmp_path / "cars.toml"), icio)
    assert policy.tariff[icio.countries.index("USA"), icio.countries.index("JPN"), icio.sectors.index("C29")] == 0.25


@pytest.mark.parametrize("rate, message", [
    ('"-50%"', r"measure 1 'x' \(tariff\): 'add' drives the tariff on importer C0, exporter C1, sector S0 below "
               r"zero \(.*an import subsidy\); say subsidy = true"),
    ('"10000%"', r"measure 1 'x' \(tariff\): 'add' takes the tariff on importer C0, exporter C1, sector S0 to "
                 r"\d+%, above 1000%; .*import_ban"),
])
def test_rates_below_zero_and_above_1000_percent_are_refused(toy, rate, message):
    body = f'[[measures]]\nkind = "tariff"\nlabel = "x"\nimporter = "C0"\nexporter = "C1"\nsector = "S0"\nadd = {rate}\n'
    with pytest.raises(ScenarioError, match=message):
        policy_from_scenario(scn(body), toy)


def test_a_declared_subsidy_is_accepted(toy):
    body = '[[measures]]\nkind = "tariff"\nimporter = "C0"\nexporter = "C1"\nsector = "S0"\nset = -0.1\nsubsidy = true\n'
    assert policy_from_scenario(scn(body), toy).tariff[0, 1, 0] == -0.1
    with pytest.raises(ScenarioError, match="'subsidy' must be true or false"):
        policy_from_scenario(scn(body.replace("subsidy = true", 'subsidy = "yes"')), toy)


def test_closure_typo_is_refused_by_the_library():
    with pytest.raises(ScenarioError, match=r"closure 'zero-deficit' is not one of zero_deficit, fixed_deficit"):
        tradesim.run(SCENARIOS / "cp2015_nafta.toml", closure="zero-deficit", store=False)
    from tradesim import literals

    with pytest.raises(ScenarioError, match=r"draw source 'normal' is not one of published, lognormal, table"):
        literals.check_draw_source("normal")
    with pytest.raises(ScenarioError, match=r"numeraire 'usa' is not one of world or a country index"):
        literals.check_numeraire("usa")


@pytest.mark.parametrize("content, message", [
    (b"", r"empty; a scenario needs a name and \[\[measures\]\]"),
    (b"   \n# nothing\n", r"empty|no \[\[measures\]\]"),
    (b'name = "x"\n', r"scenario 'x': no \[\[measures\]\] \(and no reference\): it changes nothing"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", r"binary data \(NUL bytes\)"),
    (b"\xff\xfe\xfd", r"is not UTF-8 text"),
    (b"# " + b"x" * (MAX_SCENARIO_BYTES + 10), r"larger than 2048 KiB"),
])
def test_files_that_are_no_scenario_are_refused(tmp_path, content, message):
    from typer.testing import CliRunner

    from tradesim.cli.main import app

    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(ScenarioError, match=message):
        tradesim.run(path, "cp2015", store=False)
    res = CliRunner().invoke(app, ["run", str(path), "-b", "cp2015", "--no-save"])
    assert res.exit_code == 2 and "error:" in res.output and "Traceback" not in res.output
