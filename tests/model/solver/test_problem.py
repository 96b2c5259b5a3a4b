"""The numeraire is part of the problem (the Shock), not a solver option: the new spelling
gives the old one's numbers to the bit, the old one warns, conflicting or impossible
choices are named errors."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from tradesim.errors import ScenarioError
from tradesim.model.inputs import inputs_from_dataset
from tradesim.model.solve import Shock, SolverOptions, no_shock, solve_equilibrium
from tradesim.model.solver import numeraire_of


def _shock(inputs, rate=0.1, numeraire="world"):
    t = np.asarray(inputs.tariff) + rate * (1 - np.eye(inputs.shape[0]))[:, :, None]
    return Shock(jnp.asarray(t), jnp.ones_like(inputs.tariff), inputs.deficit, numeraire=numeraire)


def test_numeraire_on_the_shock_gives_the_deprecated_options_numbers(toy):
    inputs = inputs_from_dataset(toy.ds)
    new = solve_equilibrium(inputs, _shock(inputs, numeraire=2))
    with pytest.warns(DeprecationWarning, match=r"Shock\(\.\.\., numeraire=\.\.\.\)"):
        options = SolverOptions(numeraire=2)
    old = solve_equilibrium(inputs, _shock(inputs), options)
    assert abs(new["wage_hat"][2] - 1) < 1e-13          # country 2's wage is the unit
    for key in new.values:                               # same program, same bits
        np.testing.assert_array_equal(new[key], old[key], err_msg=key)
    assert new.iterations == old.iterations
    world = solve_equilibrium(inputs, _shock(inputs))
    assert abs(world["wage_hat"][2] - 1) > 1e-4         # the default is world value added


def test_numeraire_choices_are_checked_once_and_named(toy):
    inputs = inputs_from_dataset(toy.ds)
    with pytest.raises(ScenarioError, match=r"numeraire 'usa' is not one of world"):
        _shock(inputs, numeraire="usa")
    with pytest.raises(ScenarioError, match=r"numeraire index 7 is not a country index 0\.\.3"):
        solve_equilibrium(inputs, _shock(inputs, numeraire=7))
    assert _shock(inputs, numeraire=np.int64(1)).numeraire == 1 and no_shock(inputs).numeraire == "world"
    with pytest.warns(DeprecationWarning):
        options = SolverOptions(numeraire=1)
    assert numeraire_of(_shock(inputs), options) == 1       # the old option still overrides the default
    assert numeraire_of(_shock(inputs, numeraire=1), options) == 1
    with pytest.raises(ScenarioError, match=r"numeraire: the shock says 2 and SolverOptions"):
        numeraire_of(_shock(inputs, numeraire=2), options)
    assert SolverOptions().numeraire is None


def test_the_numeraire_is_static_structure_of_the_shock(toy):
    inputs = inputs_from_dataset(toy.ds)
    shock = _shock(inputs, numeraire=3)
    assert len(jax.tree_util.tree_leaves(shock)) == 3    # arrays only
    assert jax.tree_util.tree_map(lambda x: x * 1, shock).numeraire == 3
    with pytest.raises(ValueError):                      # differently normalised shocks do not combine
        jax.tree_util.tree_map(lambda a, b: a + b, shock, _shock(inputs))
