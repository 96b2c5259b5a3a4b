"""What a process builds persists on disk (``$TRADESIM_CACHE``): a second process solving
the same problem reads the reference world, deserializes the solver's traced programs
(``programs/``, :mod:`tradesim.model.cache`) and loads their compiled code from JAX's
compilation cache (``jax/``), instead of tracing and compiling them again."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

SCRIPT = """
import json, jax
counts, seconds = {}, {}
jax.monitoring.register_event_listener(lambda name, **kw: counts.__setitem__(name, counts.get(name, 0) + 1))
jax.monitoring.register_event_duration_secs_listener(
    lambda name, d, **kw: seconds.__setitem__(name, seconds.get(name, 0.0) + d))
import tradesim
result = tradesim.run("scenarios/cp2015_nafta.toml", closure="fixed_deficit", store=False)
assert result.solution.equilibrium.converged
print(json.dumps({"hits": counts.get("/jax/compilation_cache/cache_hits", 0),
                  "writes": counts.get("/jax/compilation_cache/cache_misses", 0),
                  "trace_s": seconds.get("/jax/core/compile/jaxpr_trace_duration", 0.0),
                  "welfare": result.welfare()["welfare_pct"].tolist()}))
"""


@pytest.mark.slow
def test_second_process_loads_compiled_solver_from_disk(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = {**os.environ, "TRADESIM_CACHE": str(tmp_path)}

    def run():
        out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=root, env=env, capture_output=True, text=True,
                             timeout=600)
        assert out.returncode == 0, out.stderr[-2000:]
        return json.loads(out.stdout.strip().splitlines()[-1])

    first = run()
    assert first["writes"] >= 1 and any((tmp_path / "jax").iterdir())   # compiled and written to disk
    assert any((tmp_path / "programs").iterdir()) and any((tmp_path / "worlds").iterdir())
    second = run()
    assert second["writes"] == 0 and second["hits"] >= 1  # nothing compiled: every program came from disk
    # the reference world and its Jacobian were read, not rebuilt: fewer programs than the first process needed
    assert second["hits"] < first["writes"]
    # tracing the solver took the first process about a second; the second traces only tiny array ops
    assert second["trace_s"] < 0.25 * first["trace_s"]
    assert second["welfare"] == first["welfare"]  # the same numbers, to the bit
