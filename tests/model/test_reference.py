"""The Newton solver agrees with an independent numpy implementation of
Caliendo and Parro's own wage-adjustment algorithm."""

from __future__ import annotations

import numpy as np
import pytest

from tradesim.model.counterfactual import reference_world
from tradesim.model.reference import solve_reference
from tradesim.scenario.apply import policy_from_scenario

pytestmark = pytest.mark.reference


def test_newton_matches_cp_iterative_algorithm_on_nafta(cp2015, nafta):
    before, _, _ = reference_world(cp2015, "zero_deficit")
    policy = policy_from_scenario(nafta.scenario, cp2015)
    ref = solve_reference(before.trade_share, before.tariff, policy.tariff, policy.iceberg_hat,
                          before.trade_elasticity, before.value_added_share, before.io_share,
                          before.final_demand_share, before.value_added, np.asarray(before.deficit), tol=1e-12)
    ours = nafta.solution.equilibrium
    assert ref.iterations > 20  # the reference really iterates (and is slow)
    for key in ("wage_hat", "price_hat", "trade_share", "cost_hat"):
        np.testing.assert_allclose(ours[key], getattr(ref, key), atol=1e-8, err_msg=key)
    np.testing.assert_allclose(ours["expenditure"], ref.expenditure, rtol=1e-8)
