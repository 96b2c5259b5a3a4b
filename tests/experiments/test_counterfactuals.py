"""The one batch counterfactual function (tradesim.model.counterfactual.counterfactuals) that
the sweeps, Monte Carlo and the timeline run on, checked against the single-scenario path
(:func:`counterfactual`, a separate solver program) and against exact hat algebra's identities;
and the one list of outcome columns (tradesim.results.columns) that their tables carry."""

from __future__ import annotations

import numpy as np
import pytest

import tradesim
from tradesim.data.baseline import Baseline
from tradesim.errors import ScenarioError
from tradesim.model.counterfactual import counterfactual, counterfactuals
from tradesim.model.solve import SolverOptions
from tradesim.scenario.apply import policy_from_scenario

TOL = 1e-10  # both paths solve to residuals near machine precision; the welfare numbers agree far below this


def _policy(baseline, rate: float, importer: str = "C0"):
    text = f'name = "t"\n[[measures]]\nkind = "tariff"\nimporter = "{importer}"\nadd = {rate}\n'
    return policy_from_scenario(tradesim.parse_scenario(text), baseline)


def _welfare(baseline, solution):
    from tradesim.results.result import Result

    return Result(tradesim.parse_scenario('name = "t"\n'), baseline, solution).welfare()


@pytest.mark.parametrize("closure", ["fixed_deficit", "zero_deficit"])
def test_a_batch_equals_one_solve_per_policy(toy, closure):
    policies = [_policy(toy, r) for r in (0.0, 0.1, 0.4)] + [_policy(toy, 0.2, "C2")]
    solved = counterfactuals(toy, policies, closure, pad_to=6)
    assert len(solved) == 4 and solved.converged.all() and (solved.residuals < 1e-8).all()
    for policy, batch in zip(policies, solved.solutions):
        one = counterfactual(toy, policy, closure)
        for key in ("wage_hat", "price_index_hat", "trade_share", "income"):
            np.testing.assert_allclose(batch.equilibrium.values[key], one.equilibrium.values[key], rtol=0, atol=TOL)
        np.testing.assert_allclose(_welfare(toy, batch)["welfare_pct"], _welfare(toy, one)["welfare_pct"], atol=TOL)
        assert (batch.deficit_step is None) == (closure == "fixed_deficit")
    # zero shock, zero change (exact hat algebra: the no-change equilibrium is all ones)
    np.testing.assert_allclose(solved.solutions[0].equilibrium.values["wage_hat"], 1.0, atol=1e-12)
    assert list(solved.batch.names) == ["0", "1", "2", "3"]


def test_against_a_reference_policy(toy):
    """Measured against a reference world: equal to the single path with ``reference``, and
    measuring the reference against itself changes nothing."""
    ref = _policy(toy, 0.3)
    policies = [_policy(toy, 0.0), _policy(toy, 0.3), _policy(toy, 0.5)]
    solved = counterfactuals(toy, policies, "zero_deficit", reference=ref)
    assert solved.converged.all()
    for policy, batch in zip(policies, solved.solutions):
        one = counterfactual(toy, policy, "zero_deficit", reference=ref)
        np.testing.assert_allclose(batch.equilibrium.values["wage_hat"], one.equilibrium.values["wage_hat"], atol=TOL)
        np.testing.assert_allclose(_welfare(toy, batch)["welfare_pct"], _welfare(toy, one)["welfare_pct"], atol=TOL)
    np.testing.assert_allclose(_welfare(toy, solved.solutions[1])["welfare_pct"], 0.0, atol=1e-9)


@pytest.mark.parametrize("closure, with_reference", [("fixed_deficit", False), ("zero_deficit", False),
                                                     ("zero_deficit", True)])
def test_one_world_per_scenario_equals_each_world_solved_alone(toy, closure, with_reference):
    """``elasticities``: scenario k on the baseline with row k's trade elasticities (each
    world's zero-deficit step and reference world solved as batches too) equals the single
    path on a Baseline carrying those elasticities."""
    theta0 = toy.ds.trade_elasticity.values
    thetas = np.stack([theta0, theta0 * 0.5, theta0 * 1.7])
    policy, ref = _policy(toy, 0.4), (_policy(toy, 0.1, "C1") if with_reference else None)
    solved = counterfactuals(toy, [policy] * 3, closure, reference=ref, elasticities=thetas,
                             jacobian=[None, None, None], pad_to=4)
    assert solved.converged.all()
    for k, theta in enumerate(thetas):
        ds = toy.ds.copy()
        ds["trade_elasticity"] = ("sector", theta)
        world = Baseline(ds, f"toy#theta{k}")
        one = counterfactual(world, policy, closure, reference=ref)
        np.testing.assert_allclose(_welfare(world, solved.solutions[k])["welfare_pct"],
                                   _welfare(world, one)["welfare_pct"], atol=TOL)
    # the elasticities matter: the three worlds give three answers
    w = [_welfare(toy, s)["welfare_pct"].to_numpy() for s in solved.solutions]
    assert np.abs(w[0] - w[1]).max() > 1e-3 and np.abs(w[0] - w[2]).max() > 1e-3


def test_a_failing_scenario_is_reported_and_spoils_nothing(toy):
    policies = [_policy(toy, 0.0), _policy(toy, 3.0)]
    solved = counterfactuals(toy, policies, options=SolverOptions(max_newton=1))
    assert list(solved.converged) == [True, False]
    assert solved.solutions[1] is None and solved.residuals[1] > 1e-8
    np.testing.assert_allclose(solved.solutions[0].equilibrium.values["wage_hat"], 1.0, atol=1e-12)


def test_bad_batches_name_the_field(toy):
    with pytest.raises(ScenarioError, match="policies: give at least one"):
        counterfactuals(toy, [])
    with pytest.raises(ScenarioError, match=r"elasticities: need one row of 3 sector elasticities per policy \(2\)"):
        counterfactuals(toy, [_policy(toy, 0.1)] * 2, elasticities=np.ones((3, 3)))
    with pytest.raises(ScenarioError, match=r"jacobian: need one per scenario \(2\), got 1"):
        counterfactuals(toy, [_policy(toy, 0.1)] * 2, elasticities=np.full((2, 3), 4.0), jacobian=[None])
    with pytest.raises(ScenarioError, match=r"jacobian: on one world give one \(N, N\) starting Jacobian"):
        counterfactuals(toy, [_policy(toy, 0.1)] * 2, jacobian=[None, None])


def test_one_list_of_outcome_columns(toy):
    """The sweep and Monte Carlo tables, the timeline and a run's summary carry the columns
    of tradesim.results.columns, in its order."""
    from tradesim.experiments import montecarlo, sweep, timeline
    from tradesim.results import columns, result

    assert sweep.OUTCOMES is columns.OUTCOMES is montecarlo.OUTCOMES
    assert result.SUMMARY_KEYS == columns.OUTCOMES + ("tech_first_order_pct",)
    assert timeline.OUTCOMES == columns.HEADLINE + ("trade_us_pct", "trade_cn_pct")
    scn = tradesim.parse_scenario('name = "t"\n[[measures]]\nkind = "tariff"\nimporter = "C0"\nadd = 0.3\n')
    samples, summary = montecarlo.run_montecarlo(scn, toy, draws=2, source="lognormal", cv=0.1)
    assert list(samples.columns[-len(columns.OUTCOMES):]) == list(columns.OUTCOMES)
    assert [c.rsplit("_", 1)[0] for c in summary.columns[::4]] == list(columns.OUTCOMES)
    welfare = tradesim.run(scn, toy, store=False).welfare()
    assert set(columns.SUMMARY_KEYS) <= set(welfare.columns) and set(columns.LABELS) == set(columns.SUMMARY_KEYS)
    # the sweep table's columns: tests/experiments/test_cli.py (tradesim sweep)
