"""The global tariff war: the tariff-war model (no input-output links) for all eight
elasticity sets, and the war with input-output links in the engine (icio2022, 81 x 28) for
one set, in one run.

    .venv/bin/python benchmarks/bench_war.py [--skip-engine] [--set IS]

Targets (issue 17): the tariff-war model's war for all eight sets <= 60 s on 2 cores (the
authors' code under GNU Octave takes 30-90 s per set); the war with input-output links for one
set <= 5 minutes (solve + certificate). Times include each set's deficit purge; the first set
also pays JAX compilation (unless the persistent cache has it), printed separately. Prints
each figure against its target. On a shared machine (other jobs on the same cores) the times
are inflated: the load average is printed alongside.
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-engine", action="store_true")
    parser.add_argument("--set", default="IS")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    from tradesim.model.tariffwar import ELASTICITY_SETS, balanced_inputs, nash_war

    t_all = time.perf_counter()
    times = {}
    for name in ELASTICITY_SETS:
        t0 = time.perf_counter()
        war = nash_war(name)
        times[name] = time.perf_counter() - t0
        print(f"  {name:5s} {times[name]:6.1f} s  mean Nash tariff {100 * war.solution.tariff.mean():.2f}%  "
              f"mean welfare {war.welfare().mean():+.3f}%  Newton steps {war.solution.iterations}  "
              f"max residual {war.solution.max_residual:.1e}")
    total = time.perf_counter() - t_all
    print(f"tariff-war model, eight sets: {total:.1f} s (target 60 s: {total / 60:.2f} of it; first set incl. "
          f"compilation {times[ELASTICITY_SETS[0]]:.1f} s, the other seven {total - times[ELASTICITY_SETS[0]]:.1f} s)")
    balanced_inputs.cache_clear()

    if args.skip_engine:
        return
    from tradesim.strategy.war import global_war

    t0 = time.perf_counter()
    w = global_war("cp2015", args.set, closure="zero_deficit")
    total = time.perf_counter() - t0
    c = w.certificate
    print(f"engine war with input-output links, set {args.set}: {total:.1f} s incl. certificate "
          f"(target 300 s: {total / 300:.2f} of it); {w.iterations} evaluations of the first-order conditions, "
          f"max |dlogW/dt| {w.max_foc:.1e}, certificate holds: {c.holds}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
