"""The independent reference algorithm checks its own convergence like every solve."""

from __future__ import annotations

import numpy as np
import pytest

from tradesim.errors import NonConvergenceError
from tradesim.model.inputs import inputs_from_dataset
from tradesim.model.reference import solve_reference


def test_reference_loop_raises_when_it_runs_out_of_iterations(toy):
    i = inputs_from_dataset(toy.ds)
    tariff = np.asarray(i.tariff) + 0.3 * (1 - np.eye(i.shape[0]))[:, :, None]
    args = (i.trade_share, i.tariff, tariff, np.ones_like(tariff), i.trade_elasticity, i.value_added_share,
            i.io_share, i.final_demand_share, i.value_added, np.asarray(i.deficit))
    with pytest.raises(NonConvergenceError, match="reference wage loop did not converge after 3 iterations"):
        solve_reference(*args, maxit=3)
    last = solve_reference(*args, maxit=3, throw=False)
    assert last.iterations == 3 and last.wage_change > 1e-10
    assert solve_reference(*args).wage_change < 1e-10
