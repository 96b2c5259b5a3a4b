"""Attribution of the April 2025 story (scenarios/japan_world_2025_04.toml: 4 groups) on the
2022 world, path method and Shapley values, against one single solve of the same scenario
measured in the same run. Target (issue 18): the path attribution in <= 20 single solves' time.
Also times the path-integrated welfare decomposition (``Result.decomposition``: the same path,
one tangent per node) and prints the work the path method does: Broyden steps per node solve
and GMRES steps per tangent system.

    .venv/bin/python benchmarks/bench_attribution.py [NODES]

Every figure is the best of three warm repeats (the single solve: of ten) (compilation excluded: the first call of each
compiles, and JAX keeps the programs in its disk cache). Prints the times, the ratios and
what the contributions add up to.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import tradesim
from tradesim.model.counterfactual import counterfactual
from tradesim.model.path import DEFAULT_NODES, path_derivatives
from tradesim.results.attribution import attribute, shock_parts
from tradesim.results.decomposition import path_of
from tradesim.scenario.apply import policy_from_scenario
from tradesim.scenario.spec import load_scenario, resolve_reference

STORY = Path(__file__).resolve().parents[1] / "scenarios" / "japan_world_2025_04.toml"


def best(fn, repeats: int = 3) -> float:
    fn()                                         # compile / warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    nodes = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_NODES
    scn = load_scenario(STORY)
    result = tradesim.run(scn, store=False)
    base = result.baseline
    policy, ref = policy_from_scenario(scn, base), policy_from_scenario(resolve_reference(scn), base)
    # the single solve: the scenario against its (cached) reference world, as tradesim.run does
    # best of ten: the single solve is short, so one slow repeat on a shared machine would skew every ratio
    single = best(lambda: counterfactual(base, policy, scn.closure, None, ref), repeats=10)
    path = best(lambda: attribute(result, by="group", method="path", nodes=nodes))
    shapley = best(lambda: attribute(result, by="group", method="shapley"))
    decomposition = best(lambda: result.decomposition(nodes=nodes))
    a = attribute(result, by="group", nodes=nodes)
    names, tar, dlog = shock_parts(result, "group")
    inputs, solved_path, jac = path_of(result, nodes)
    d = path_derivatives(inputs, solved_path, tar, dlog, options=result.solution.equilibrium.options, jacobian=jac)
    print(f"story: {len(a.groups)} groups: {', '.join(a.groups)}")
    print(f"single solve            {single * 1e3:8.1f} ms")
    print(f"path attribution        {path * 1e3:8.1f} ms  = {path / single:6.1f} single solves "
          f"({nodes} nodes; target <= 20: {'met' if path / single <= 20 else 'NOT met'})")
    print(f"welfare decomposition   {decomposition * 1e3:8.1f} ms  = {decomposition / single:6.1f} single solves")
    print(f"work: {solved_path.batch.iterations.mean():.1f} Broyden steps per node solve, "
          f"{d.krylov_steps.mean():.1f} GMRES steps per tangent system ({nodes} nodes x {len(names)} groups)")
    print(f"Shapley attribution     {shapley * 1e3:8.1f} ms  = {shapley / single:6.1f} single solves (16 solves)")
    print(f"path contributions add up within {a.accuracy['welfare_pct']:.1e} pp (welfare), "
          f"{a.accuracy['flows']:.1e} {a.units} (flows)")


if __name__ == "__main__":
    main()
