"""Shared fixtures: the shipped CP2015 baseline, its NAFTA solution, and a
small random baseline reconciled into an exact equilibrium for fast identities."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import tradesim
from tradesim.data.baseline import Baseline
from tradesim.model.inputs import reconcile

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SCENARIOS = ROOT / "scenarios"


def needs_shared():
    return pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not beside the repo")


def random_dataset(n: int = 4, j: int = 3, seed: int = 0, deficits: bool = True) -> xr.Dataset:
    """A raw random world (not yet an equilibrium): positive flows, tariffs up to 30%."""
    rng = np.random.default_rng(seed)
    countries = [f"C{k}" for k in range(n)]
    sectors = [f"S{k}" for k in range(j)]
    trade = rng.uniform(1.0, 10.0, (n, n, j))
    trade[np.arange(n), np.arange(n), :] *= 8.0  # home bias
    if not deficits:
        trade = (trade + trade.transpose(1, 0, 2)) / 2
    tariff = rng.uniform(0.0, 0.3, (n, n, j))
    tariff[np.arange(n), np.arange(n), :] = 0.0
    va = rng.uniform(0.3, 0.6, (n, j))
    io = rng.uniform(0.1, 1.0, (n, j, j))
    io = io / io.sum(axis=1, keepdims=True) * (1 - va)[:, None, :]
    alpha = rng.uniform(0.2, 1.0, (n, j))
    alpha /= alpha.sum(axis=1, keepdims=True)
    deficit = trade.sum(axis=(1, 2)) - trade.sum(axis=(0, 2))
    bil = ("importer", "exporter", "sector")
    return xr.Dataset(
        {"trade": (bil, trade, {"units": "USD"}), "tariff": (bil, tariff),
         "value_added_share": (("country", "sector"), va),
         "io_share": (("country", "input_sector", "sector"), io),
         "final_demand_share": (("country", "sector"), alpha),
         "trade_elasticity": (("sector",), rng.uniform(3.0, 8.0, j)),
         "deficit": (("country",), deficit)},
        coords={"importer": countries, "exporter": countries, "country": countries,
                "sector": sectors, "input_sector": sectors},
        attrs={"version": f"toy-{seed}", "units": "USD"},
    )


@pytest.fixture(scope="session", autouse=True)
def _throwaway_store(tmp_path_factory):
    """Runs solved by the tests go to a store of their own, never the user's."""
    import os

    old = os.environ.get("TRADESIM_STORE")
    os.environ["TRADESIM_STORE"] = str(tmp_path_factory.mktemp("store") / "runs.duckdb")
    yield
    if old is None:
        os.environ.pop("TRADESIM_STORE", None)
    else:
        os.environ["TRADESIM_STORE"] = old


@pytest.fixture(scope="session")
def toy() -> Baseline:
    ds, _ = reconcile(random_dataset())
    return Baseline(ds, "toy")


@pytest.fixture(scope="session")
def cp2015() -> Baseline:
    return tradesim.load_baseline("cp2015")


@pytest.fixture(scope="session")
def nafta(cp2015):
    return tradesim.run(SCENARIOS / "cp2015_nafta.toml")


@pytest.fixture(scope="session")
def nafta_fixed(cp2015):
    return tradesim.run(SCENARIOS / "cp2015_nafta.toml", closure="fixed_deficit")


@pytest.fixture(scope="module", autouse=True)
def _release_compiled_programs():
    """Drop JAX's in-memory compiled programs after each test module.

    XLA keeps every compiled program mapped in memory; the whole suite in one process
    otherwise passes the kernel's default limit of 65,530 memory maps (vm.max_map_count), and
    XLA's compiler then crashes the process instead of raising. Programs come back from the
    on-disk compilation cache when a later module needs them.
    """
    yield
    import gc

    import jax

    jax.clear_caches()
    gc.collect()
