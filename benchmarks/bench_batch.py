"""Batch throughput: 1,000 tariff scenarios on the 2022 default baseline (81 x 28),
solved as compiled batches in one process and on a 2-worker Dask LocalCluster,
against one-by-one solves measured in the same run.

    .venv/bin/python benchmarks/bench_batch.py [SCENARIOS] [CHUNK] [ELASTICITY_SETS]

Then times ``solve_batch`` alone on 40 of the scenarios at each ``width`` (scenarios
vmapped side by side; the default is 1, one after another in the compiled loop).

The scenarios are a sweep: a US tariff on China in every sector from 0 to 150%,
with and without Chinese retaliation (500 rates x 2 = 1,000; a third argument
adds published elasticity sets as a third grid dimension), through :func:`tradesim.experiments.sweep.run_sweep`, the code
``tradesim sweep`` runs. Peak memory is the maximum resident set size of this
process (single process) and of the workers (cluster), read from
``getrusage``. Prints the time per scenario and the ratios.
"""

from __future__ import annotations

import sys
import time

import numpy as np

SPEC = """
name = "US tariff on China, 0-150%"
baseline = "icio2022"
closure = "fixed_deficit"

[grid]
rate = {{ start = 0.0, stop = 1.5, step = {step} }}
retaliation = [false, true]
elasticity_set = {sets}

[[measures]]
kind = "tariff"
importer = "USA"
exporter = "CHN"
add = "{{rate}}"

[[measures]]
when = "retaliation"
kind = "tariff"
importer = "CHN"
exporter = "USA"
add = "{{rate}}"
"""


def peak_mb() -> float:
    """This process's peak resident set size (VmHWM), MB."""
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024


def worker_peak_mb() -> float:
    return peak_mb()


def main(total: int = 1000, chunk: int = 25, n_sets: int = 1) -> None:
    import tradesim
    from tradesim.experiments.sweep import parse_sweep, run_sweep

    base = tradesim.load_baseline("icio2022")
    sets = [str(s) for s in base.ds["elasticity_set"].values][:n_sets]
    rates = max(total // (2 * len(sets)), 1)
    spec = parse_sweep(SPEC.format(step=1.5 / (rates - 1) if rates > 1 else 1.5, sets=sets))
    count = len(spec.points())
    print(f"icio2022 (81 x 28): {count} scenarios ({rates} rates x 2 x {len(sets)} elasticity sets), "
          f"chunks of {chunk}", flush=True)

    # One-by-one (the previous path), on a sample, for the ratio.
    from tradesim.api import run
    from tradesim.scenario.spec import scenario_from_dict
    from tradesim.experiments.sweep import scenario_table

    sample = spec.points()[:: max(count // 10, 1)][:10]
    run(scenario_from_dict(scenario_table(spec, sample[0])), store=False)   # warm up (Jacobian, compile)
    t = time.perf_counter()
    for point in sample:
        run(scenario_from_dict(scenario_table(spec, point)), store=False)
    one_by_one = (time.perf_counter() - t) / len(sample)

    # Warm-up on one chunk, so that both runs below find compiled code (as a long sweep does).
    from dataclasses import replace

    run_sweep(replace(spec, grid={k: v[:1] for k, v in spec.grid.items()}), chunk_size=chunk)
    t = time.perf_counter()
    single = run_sweep(spec, chunk_size=chunk)
    t_single = time.perf_counter() - t
    rss_single = peak_mb()

    from dask.distributed import Client

    from tradesim.distributed import local_cluster

    t = time.perf_counter()
    with local_cluster(2) as cluster:
        t_start = time.perf_counter() - t
        dask = run_sweep(spec, scheduler=cluster.scheduler_address, chunk_size=chunk)
        t_dask = time.perf_counter() - t
        with Client(cluster) as client:
            rss_workers = client.run(worker_peak_mb)
    same = single.equals(dask)
    ok = single.drop_duplicates("point")["converged"].sum()
    print(f"  one by one (api.run)   : {one_by_one * 1e3:8.0f} ms/scenario  (sample of {len(sample)}; "
          f"{one_by_one * count:.0f} s for all)")
    print(f"  batched, 1 process     : {t_single:8.1f} s  = {t_single / count * 1e3:6.0f} ms/scenario   "
          f"({one_by_one * count / t_single:.1f}x one by one)   peak RSS {rss_single:.0f} MB")
    print(f"  batched, 2 Dask workers: {t_dask:8.1f} s  = {t_dask / count * 1e3:6.0f} ms/scenario   "
          f"({t_single / t_dask:.2f}x single process; incl. {t_start:.1f} s cluster start and each worker's "
          f"baseline set-up)   peak RSS per worker "
          f"{', '.join(f'{v:.0f}' for v in rss_workers.values())} MB")
    print(f"  converged {ok}/{count}; Dask table identical to single process: {same}")
    per_1000 = (t_single * 1000 / count, t_dask * 1000 / count)   # scaled when fewer were run
    print(f"  target: 1,000 scenarios <= 120 s -> single {per_1000[0]:.0f} s "
          f"{'met' if per_1000[0] <= 120 else 'NOT met'}, Dask {per_1000[1]:.0f} s "
          f"{'met' if per_1000[1] <= 120 else 'NOT met'}" + ("" if count == 1000 else f" (scaled from {count})"))
    welfare = single[(single.country == "USA") & (~single.retaliation)]
    assert np.isfinite(welfare["welfare_pct"]).all()


def widths(count: int = 40, tried=(1, 2, 4, 8)) -> None:
    """``solve_batch`` alone on ``count`` of the sweep's scenarios, with ``width`` of them side
    by side (vmapped) in each group: time per scenario and ratio to width 1."""
    import jax.numpy as jnp

    import tradesim
    from tradesim.model.batch import solve_batch
    from tradesim.model.counterfactual import reference_world
    from tradesim.model.solve import Shock

    base = tradesim.load_baseline("icio2022")
    before, _, jac = reference_world(base, "fixed_deficit")
    names = [str(c) for c in base.ds["country"].values]
    us, cn = names.index("USA"), names.index("CHN")
    shocks = []
    for rate in np.linspace(0.0, 1.5, count // 2):
        for retaliation in (False, True):
            t = np.asarray(before.tariff).copy()
            t[us, cn] += rate
            if retaliation:
                t[cn, us] += rate
            shocks.append(Shock(jnp.asarray(t), jnp.ones_like(before.tariff), before.deficit))
    print(f"  solve_batch alone, {len(shocks)} scenarios, width = scenarios side by side (vmapped):")
    first = None
    for width in tried:
        solve_batch(before, shocks, jacobian=jac, width=width)            # compile
        t = time.perf_counter()
        batch = solve_batch(before, shocks, jacobian=jac, width=width)
        per = (time.perf_counter() - t) / len(shocks)
        first = first or per
        print(f"    width {width}: {per * 1e3:6.1f} ms/scenario  ({first / per:.2f}x width 1; "
              f"converged {int(batch.converged.sum())}/{len(shocks)})", flush=True)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
    widths()
