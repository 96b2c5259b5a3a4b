"""The timeline: the 23 tracker dates' tariff regimes on the 2022 world solved as one batch.

    .venv/bin/python benchmarks/bench_timeline.py

Target (issue 20): <= 60 s on 2 cores for the whole timeline (building the 23 regimes,
compiling and solving the batch of the 2024 base and the 23 dates), every date converged.
JAX keeps compiled programs on disk (``$TRADESIM_CACHE``): set ``TRADESIM_CACHE`` to an empty
folder for the cold figure (compilation included), leave it for the warm one. Prints the
wall time of each stage, the ratio to the target, and a second run in the same process
(the compiled program and the regimes cached) for what a repeated call costs. Timings
taken while other jobs share the machine are inflated: run it alone for the figure of
record.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

TARGET_S = 60.0
ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    t0 = time.perf_counter()
    from tradesim.data.tariffs2025 import dates
    from tradesim.scenario.regime import build_regime
    from tradesim.scenario.spec import load_scenario
    from tradesim.experiments.timeline import solve_timeline

    base = load_scenario(ROOT / "scenarios" / "status_quo_2018.toml")
    t1 = time.perf_counter()
    for d in dates():
        build_regime(d)
    t2 = time.perf_counter()
    table, batch = solve_timeline(list(dates()), base=base)
    t3 = time.perf_counter()
    _, again = solve_timeline(list(dates()), base=base)
    t4 = time.perf_counter()
    total = t3 - t0
    print(f"cores visible: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}; scenarios: the 2024 base + "
          f"{len(batch) - 1} dates; converged: {int(batch.converged.sum())}/{len(batch)}"
          f" (fallback re-solves: {int(batch.fallback.sum())}); iterations {batch.iterations.min()}-"
          f"{batch.iterations.max()}; largest residual {float(batch.max_residual().max()):.2e}")
    print(f"imports {t1 - t0:.1f} s, 23 regimes {t2 - t1:.1f} s, base world + compile + batch solve {t3 - t2:.1f} s")
    print(f"timeline, first call: {total:.1f} s = {total / TARGET_S:.2f} x the {TARGET_S:.0f} s target "
          f"({'met' if total <= TARGET_S and batch.converged.all() else 'NOT met'})")
    print(f"timeline, second call in the same process: {t4 - t3:.1f} s ({(t4 - t3) / total:.2f} x the first)")


if __name__ == "__main__":
    main()
