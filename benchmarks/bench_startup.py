"""Benchmark: a whole-process ``tradesim run`` against the JAX floor (issue 15, item 5).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_startup.py [--repeat 5] [--cold-repeat 3]

Times, as whole processes (interpreter start to exit, wall clock, median of repeats):

- the floor: ``python -c "import jax.numpy as jnp; jnp.ones(3)"``;
- ``tradesim run scenarios/cp2015_nafta.toml --no-save`` (Caliendo-Parro's NAFTA, 31 x 40);
- ``tradesim run scenarios/us_reciprocal_2025_04.toml --no-save`` (the 2022 world, 81 x 28,
  measured against the 2018 status quo: two solves);

each with warm caches (``$TRADESIM_CACHE`` as it is, after one untimed run of each) and
with empty ones (a fresh temporary ``TRADESIM_CACHE`` per run: the first run on a fresh
machine, JAX compiling everything), the results store off. The three commands of a
round run one after the other and rounds repeat, so a load that drifts during the
benchmark weighs on the floor and the runs alike; each ratio is the median of the rounds'
run / floor ratios. Wall clock and CPU time (the child's user + sys) are both printed: on a
shared machine the wall clock counts the waits for a core too, the CPU time much less.
Target: warm runs at most 2.0x the floor (wall clock). The load average is printed before
and after.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0
FLOOR = [sys.executable, "-c", "import jax.numpy as jnp; jnp.ones(3)"]
SCENARIOS = {"NAFTA (cp2015)": "scenarios/cp2015_nafta.toml",
             "2022 world (us_reciprocal_2025_04)": "scenarios/us_reciprocal_2025_04.toml"}


def tradesim_command(scenario: str) -> list[str]:
    """The installed ``tradesim`` script beside this interpreter (what a user runs), else ``-c``."""
    script = Path(sys.executable).parent / "tradesim"
    head = [str(script)] if script.exists() else [sys.executable, "-c", "from tradesim.cli.main import main; main()"]
    return [*head, "run", scenario, "--no-save"]


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall-clock and CPU seconds (the child's user + sys) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr[-3000:]}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def rounds(env: dict, repeat: int, fresh_cache: bool) -> dict[str, list[tuple[tuple, tuple]]]:
    """``{case: [((wall, cpu), (floor wall, floor cpu) of the same round), ...]}``."""
    out: dict[str, list[tuple[tuple, tuple]]] = {"floor": [], **{name: [] for name in SCENARIOS}}
    for _ in range(repeat):
        floor = timed(FLOOR, env)
        out["floor"].append((floor, floor))
        for name, scenario in SCENARIOS.items():
            run_env = dict(env)
            tmp = tempfile.mkdtemp(prefix="tradesim-cold-") if fresh_cache else None
            if tmp:
                run_env["TRADESIM_CACHE"] = tmp
            try:
                out[name].append((timed(tradesim_command(scenario), run_env), floor))
            finally:
                if tmp:
                    shutil.rmtree(tmp, ignore_errors=True)
    return out


def summary(results: dict) -> dict[str, tuple[float, float, float, float]]:
    """``{case: (median wall s, median wall ratio to the round's floor, median CPU s, CPU ratio)}``."""
    med = statistics.median
    return {name: (med(s[0] for s, _ in pairs), med(s[0] / f[0] for s, f in pairs),
                   med(s[1] for s, _ in pairs), med(s[1] / f[1] for s, f in pairs))
            for name, pairs in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds with warm caches (default 5)")
    parser.add_argument("--cold-repeat", type=int, default=3, help="rounds with empty caches (default 3; 0: skip)")
    args = parser.parse_args()
    env = {**os.environ, "TRADESIM_STORE": "off", "PYTHONPATH": str(ROOT / "src")}
    env.pop("TRADESIM_CACHE", None) if env.get("TRADESIM_CACHE", "").lower() == "off" else None
    load_before = os.getloadavg()
    for scenario in SCENARIOS.values():  # fill the caches the warm rounds use
        timed(tradesim_command(scenario), env)
    warm = summary(rounds(env, args.repeat, fresh_cache=False))
    cold = summary(rounds(env, args.cold_repeat, fresh_cache=True)) if args.cold_repeat else {}
    load_after = os.getloadavg()

    print(f"startup: whole processes, wall clock, median of {args.repeat} warm / {args.cold_repeat} cold rounds; "
          f"{os.cpu_count()} CPUs, load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    print(f"{'case':36s} {'warm s':>7s} {'x floor':>8s} {'cpu s':>6s} {'x floor':>8s}   "
          f"{'cold s':>7s} {'x floor':>8s} {'cpu s':>6s} {'x floor':>8s}")
    for name in ["floor", *SCENARIOS]:
        w, c = warm[name], cold.get(name)
        cold_text = f"{c[0]:7.2f} {c[1]:7.2f}x {c[2]:6.2f} {c[3]:7.2f}x" if c else "      -"
        print(f"{name:36s} {w[0]:7.2f} {w[1]:7.2f}x {w[2]:6.2f} {w[3]:7.2f}x   {cold_text}")
    for name in SCENARIOS:
        ratio = warm[name][1]
        print(f"target warm {name} <= {TARGET:.1f}x the floor (wall clock): {'met' if ratio <= TARGET else 'missed'} "
              f"({ratio:.2f}x; CPU time {warm[name][3]:.2f}x)")
    if load_before[0] > 1.0 or load_after[0] > 1.0:
        print("note: the machine was busy (load average above 1): absolute times are inflated, ratios less so")


if __name__ == "__main__":
    main()
