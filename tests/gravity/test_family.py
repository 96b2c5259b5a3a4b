"""The gravity GE as the model family ``"gravity"`` (tradesim.model.gravity): the family's solve is
``simulate``'s, its residual is zero at the solution and its welfare is the country table's
``welfare_pct``; on gegravity's sample the family reproduces the CLI path's numbers exactly."""

from __future__ import annotations

import numpy as np
import pytest

from tests.gravity import GEGRAVITY_COEFS, can_jpn, gegravity_baseline
from tests.model.test_families import small_panel
from tradesim.errors import ScenarioError
from tradesim.gravity import CostChange, Experiment
from tradesim.model.family import FamilyResult, ModelFamily, get_family


def test_family_on_a_small_panel():
    fam = get_family("gravity")
    assert isinstance(fam, ModelFamily)
    base = fam.inputs(small_panel(), coefficients={"lndist": -1.0}, sigma=4.0, reference="C1")
    assert fam.inputs(base) is base
    shock = Experiment("C0-C2 closer", (CostChange("lndist", 0.0, ("C0",), ("C2",)),))
    res = fam.solve(base, shock)
    assert isinstance(res, FamilyResult)
    assert np.abs(fam.residual(base, np.log(res.values["p_hat"]), shock)).max() < 1e-12
    w = fam.welfare(base, res)
    assert w.loc["C0"] > 0 and w.loc["C2"] > 0  # a trade-cost cut between them raises both's real spending
    np.testing.assert_array_equal(w.to_numpy(), res.table()["welfare_pct"].to_numpy())
    assert set(fam.tables(base, res)) == {"countries", "bilateral"}
    with pytest.raises(ScenarioError, match="coefficients"):
        fam.inputs(small_panel())
    with pytest.raises(ScenarioError, match="Experiment"):
        fam.solve(base, {"pta": 1})


def test_family_is_simulate_on_the_sample():
    from tradesim.model.gravity.ge import simulate

    base = gegravity_baseline()
    fam = get_family("gravity")
    for compat in ("consistent", "gegravity"):
        direct = simulate(base, can_jpn(), compat=compat)
        via = fam.solve(fam.inputs(base), can_jpn(), compat=compat)
        assert via.table().equals(direct.table())
    assert set(GEGRAVITY_COEFS) == set(base.variables)
