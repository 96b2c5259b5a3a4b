"""Every registered model family satisfies the protocol (tradesim.model.family.ModelFamily), and a
zero shock solved by each family changes no one's welfare (the exact hat algebra's identity: with
nothing changed every hat is one). Each family's run satisfies FamilyResult (welfare_pct, tables,
summary), so the CLI, the API and the dashboard can print any of them the same way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tests.model.test_tariffwar as tariffwar_tests
from tradesim.errors import ScenarioError
from tradesim.gravity import GravityData
from tradesim.model.family import (FAMILIES, DEFAULT_FAMILY, FamilyResult, ModelFamily, family_names, get_family,
                                   is_default)


def small_panel(n: int = 4, seed: int = 0) -> GravityData:
    """A cross-section of ``n`` countries: distances, output and expenditure (deficits included)."""
    rng = np.random.default_rng(seed)
    names = [f"C{k}" for k in range(n)]
    dist = rng.uniform(1.0, 3.0, (n, n))
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.1)
    y = rng.uniform(5.0, 20.0, n)
    e = y * rng.uniform(0.9, 1.1, n)
    rows = [{"exporter": names[i], "importer": names[j], "trade": 1.0, "lndist": np.log(dist[j, i]),
             "Y": y[i], "E": e[j]} for i in range(n) for j in range(n)]
    return GravityData(pd.DataFrame(rows), year=None)


_SOLVED: dict = {}


def zero_shock(name: str, toy):
    """``(family, inputs, solution)`` of a zero shock in family ``name`` (solved once per session)."""
    if name not in _SOLVED:
        _SOLVED[name] = _zero_shock(name, toy)
    return _SOLVED[name]


def _zero_shock(name: str, toy):
    fam = get_family(name)
    if name == "cp2015":
        inputs = fam.inputs(toy)
        return fam, inputs, fam.solve(inputs, None)
    if name == "liberation_day":
        inputs = fam.inputs("baci2023")
        return fam, inputs, fam.solve(inputs, np.zeros((inputs.n, inputs.n)))
    if name == "ossa2014":
        inputs = fam.inputs("ossa2014")
        return fam, inputs, fam.solve(inputs, None)  # the factual tariffs
    if name == "gravity":
        inputs = fam.inputs(small_panel(), coefficients={"lndist": -1.0}, sigma=5.0, reference="C0")
        return fam, inputs, fam.solve(inputs, None)  # an experiment with no changes
    if name == "tariffwar":
        # the family solves the Nash war only; its zero shock is the deficit purge of a world
        # already balanced (factual tariffs, nothing to purge), measured by the family's welfare
        from tradesim.model.tariffwar.solve import balance

        inputs, _ = balance(tariffwar_tests.toy_world())
        _, record = balance(inputs)
        return fam, inputs, record
    raise AssertionError(f"no zero shock written for the family {name!r}: add one here")


def test_every_builtin_family_is_registered():
    names = family_names()
    assert names[0] == DEFAULT_FAMILY == "cp2015" and is_default(names[0])
    assert {"cp2015", "liberation_day", "tariffwar", "ossa2014", "gravity"} <= set(names)


@pytest.mark.parametrize("name", family_names())
def test_family_satisfies_protocol_and_zero_shock_changes_nothing(name, toy):
    fam = get_family(name)
    assert isinstance(fam, ModelFamily) and FAMILIES[name] is fam and fam.name == name
    assert isinstance(fam.baselines, tuple)
    fam, inputs, solution = zero_shock(name, toy)
    welfare = np.asarray(fam.welfare(inputs, solution), dtype=float)
    assert welfare.size > 1 and np.isfinite(welfare).all()
    np.testing.assert_allclose(welfare, 0.0, atol=1e-9)
    if name != "tariffwar":  # the purge record has no uniform tariffs; the war's tables: below
        tables = fam.tables(inputs, solution)
        assert tables and all(isinstance(t, pd.DataFrame) and len(t) for t in tables.values())


def test_residual_vanishes_at_the_solution(toy):
    """The protocol's residual is the system each family solves: zero at the answer it returns."""
    fam, inputs, sol = zero_shock("cp2015", toy)
    assert np.abs(fam.residual(inputs, np.log(sol.solution.equilibrium["wage_hat"]), None)).max() < 1e-10
    fam, inputs, sol = zero_shock("gravity", toy)
    assert np.abs(fam.residual(inputs, np.log(sol.values["p_hat"]), None)).max() < 1e-12
    fam, inputs, sol = zero_shock("ossa2014", toy)
    assert np.abs(fam.residual(inputs, sol.solution.wage_hat, None)).max() < 1e-12


def test_runs_of_every_family_are_family_results(toy):
    """CP's Result, a Liberation Day run, a tariff war, a gravity result and an Ossa result all
    give ``welfare_pct()`` (by country, the family's exact measure), ``tables()`` and ``summary()``."""
    from tradesim.model.tariffwar import TariffWar
    from tradesim.model.tariffwar.solve import balance, solve_war
    from tests.conftest import SCENARIOS

    runs = {name: zero_shock(name, toy)[2] for name in ("cp2015", "gravity", "ossa2014")}
    runs["liberation_day"] = get_family("liberation_day").run(SCENARIOS / "liberation_day" / "ustr_tax_relief.toml")
    inputs, record = balance(tariffwar_tests.toy_world())
    runs["tariffwar"] = TariffWar("toy", inputs, solve_war(inputs), record, ("A", "B", "C", "D"))
    for name, run in runs.items():
        assert isinstance(run, FamilyResult), name
        w = run.welfare_pct()
        assert isinstance(w, pd.Series) and w.index.name == "country" and w.name == "welfare_pct", name
        tables = run.tables()
        assert tables and all(isinstance(t, pd.DataFrame) for t in tables.values()), name
        summary = run.summary()
        first = w.index[0]
        assert summary["countries"][first]["welfare_pct"] == pytest.approx(float(w.iloc[0]), abs=1e-12), name
    # the headline is each family's own: CP's exact real-income change, Liberation Day's table
    assert runs["cp2015"].welfare_pct().equals(runs["cp2015"].welfare()["welfare_pct"])
    ld = runs["liberation_day"]
    assert ld.welfare_pct().loc["USA"] == ld.table.loc["USA", "welfare_pct"]
    assert len(ld.tables()["countries"]) == ld.inputs.n and len(ld.tables()["aggregates"]) >= 1


def test_cp2015_family_is_the_api_path(nafta):
    """The ``cp2015`` family solving the NAFTA scenario gives ``tradesim.run``'s numbers (the
    same counterfactual, the same reference world), and its residual vanishes at that answer."""
    from tests.conftest import SCENARIOS
    from tradesim.scenario.spec import load_scenario

    fam = get_family("cp2015")
    assert fam.baselines[0] == "icio2022" and "cp2015" in fam.baselines
    inputs = fam.inputs("cp2015", closure="zero_deficit")
    scenario = load_scenario(SCENARIOS / "cp2015_nafta.toml")
    res = fam.solve(inputs, scenario)
    np.testing.assert_allclose(fam.welfare(inputs, res).to_numpy(), nafta.welfare()["welfare_pct"].to_numpy(),
                               rtol=1e-12, atol=1e-12)
    assert set(fam.tables(inputs, res)) >= {"welfare", "output", "bilateral_trade"}
    log_w = np.log(res.solution.equilibrium["wage_hat"])
    assert np.abs(fam.residual(inputs, log_w, scenario)).max() < 1e-10
    with pytest.raises(ScenarioError, match="closure"):
        fam.inputs("cp2015", closure="no_such_closure")
