"""Between labelled baselines (xarray) and the model's arrays (JAX pytrees)."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import xarray as xr

from tradesim.data import baseline as bl
from tradesim.model.solve import Equilibrium, ModelInputs, Shock, SolverOptions, no_shock, solve_equilibrium


def inputs_from_dataset(ds: xr.Dataset) -> ModelInputs:
    """Model arrays of a baseline dataset (validated or raw).

    Trade shares are expenditure shares gross of tariffs; a country that does not
    buy a sector at all is given a domestic share of one so shares stay defined
    (it keeps buying nothing: its spending there is zero).
    """
    trade = ds["trade"].values
    tariff = ds["tariff"].values
    gross = (1 + tariff) * trade
    spend = gross.sum(axis=1)
    share = np.divide(gross, spend[:, None, :], out=np.zeros_like(gross), where=spend[:, None, :] > 0)
    idle = spend <= 0
    n_idx, j_idx = np.nonzero(idle)
    share[n_idx, n_idx, j_idx] = 1.0
    return ModelInputs(
        trade_share=jnp.asarray(share),
        tariff=jnp.asarray(tariff),
        value_added_share=jnp.asarray(ds["value_added_share"].values),
        io_share=jnp.asarray(ds["io_share"].values),
        final_demand_share=jnp.asarray(ds["final_demand_share"].values),
        trade_elasticity=jnp.asarray(ds["trade_elasticity"].values),
        value_added=jnp.asarray(bl.value_added(ds).sum("sector").values),
        deficit=jnp.asarray(ds["deficit"].values),
        expenditure=jnp.asarray(spend),
    )


def dataset_from_equilibrium(ds: xr.Dataset, solution: Equilibrium) -> xr.Dataset:
    """``ds`` with flows, tariffs and deficits replaced by the solved equilibrium's levels."""
    v = solution.values
    trade = v["trade_share"] * v["expenditure"][:, None, :] / (1 + v["tariff"])
    out = ds.copy()
    out["trade"] = (ds["trade"].dims, trade, ds["trade"].attrs)
    out["tariff"] = (ds["tariff"].dims, v["tariff"], ds["tariff"].attrs)
    out["deficit"] = (ds["deficit"].dims, v["deficit"], ds["deficit"].attrs)
    return out


def reconcile(ds: xr.Dataset, options: SolverOptions | None = None) -> tuple[xr.Dataset, Equilibrium]:
    """Make a raw dataset a model equilibrium without changing its parameters.

    Solves the model with no policy change (the data's tariffs and deficits) and
    takes the resulting flows: shares, elasticities and deficits stay as in the
    data, flows move as little as market clearing requires. This is the
    "baseline" solve of Caliendo and Parro's code, done once, at build time.
    """
    inputs = inputs_from_dataset(ds)
    solution = solve_equilibrium(inputs, no_shock(inputs), options)
    return dataset_from_equilibrium(ds, solution), solution
