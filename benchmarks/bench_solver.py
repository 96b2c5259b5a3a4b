"""Solver speed: tradesim's Newton solver against the original Caliendo-Parro
iterative algorithm (numpy), measured in the same process.

    .venv/bin/python benchmarks/bench_solver.py

Prints, for the NAFTA scenario on the CP2015 data (31 x 40): the reference
algorithm's time, tradesim's cold (first call, includes compilation) and warm
solve times, their ratio, and the largest difference between the two answers;
then tradesim alone on the 2022 default baseline (the reference algorithm needs
per-country wage damping there; tests/model/test_reference_2022.py compares them). Peak memory is
the process's maximum resident set size after each part.
"""

from __future__ import annotations

import resource
import time

import numpy as np

import tradesim
from tradesim.model.counterfactual import reference_world
from tradesim.model.reference import solve_reference
from tradesim.model.solve import Shock, solve_equilibrium
from tradesim.scenario.apply import policy_from_scenario


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(baseline_name: str, scenario_path: str, closure: str, tol: float = 1e-10, reference: bool = True) -> None:
    import jax.numpy as jnp

    baseline = tradesim.load_baseline(baseline_name)
    scenario = tradesim.load_scenario(scenario_path)
    policy = policy_from_scenario(scenario, baseline)
    t = time.perf_counter()
    before, _, jac = reference_world(baseline, closure)
    t_setup = time.perf_counter() - t
    shock = Shock(jnp.asarray(policy.tariff), jnp.asarray(policy.iceberg_hat), before.deficit)
    t = time.perf_counter()
    cold = solve_equilibrium(before, shock, jacobian=jac)
    t_cold = time.perf_counter() - t
    times = []
    for _ in range(5):
        t = time.perf_counter()
        warm = solve_equilibrium(before, shock, jacobian=jac)
        times.append(time.perf_counter() - t)
    t_warm = min(times)
    n, j = before.shape
    print(f"{baseline_name} ({n} x {j}), {scenario.name}:", flush=True)
    if reference:
        t = time.perf_counter()
        ref = solve_reference(before.trade_share, before.tariff, policy.tariff, policy.iceberg_hat,
                              before.trade_elasticity, before.value_added_share, before.io_share,
                              before.final_demand_share, before.value_added, np.asarray(before.deficit), tol=tol)
        t_ref = time.perf_counter() - t
        diff = float(np.abs(ref.wage_hat - warm["wage_hat"]).max())
        print(f"  reference CP algorithm : {t_ref * 1e3:9.1f} ms  ({ref.iterations} wage iterations)")
    print(f"  tradesim cold          : {t_cold * 1e3:9.1f} ms  (+ {t_setup * 1e3:.0f} ms reference world and Jacobian)")
    print(f"  tradesim warm          : {t_warm * 1e3:9.1f} ms  ({warm.iterations} iterations)")
    if reference:
        print(f"  speed-up warm vs ref   : {t_ref / t_warm:9.1f}x   largest wage difference {diff:.1e}")
    print(f"  peak memory (RSS)      : {peak_mb():9.0f} MB")
    assert cold.converged


if __name__ == "__main__":
    bench("cp2015", "scenarios/cp2015_nafta.toml", "zero_deficit")
    if "icio2022" in tradesim.available_baselines():
        # CP's scalar wage damping does not converge on 81 countries (see
        # benchmarks/README.md): only tradesim is timed here.
        bench("icio2022", "scenarios/geneva_truce_2025_05.toml", "fixed_deficit", reference=False)
