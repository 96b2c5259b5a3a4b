"""JAX's compilation cache persists on disk: a second process solving the same
problem loads the solver's compiled programs instead of compiling them again."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

SCRIPT = """
import json, jax
counts = {}
jax.monitoring.register_event_listener(lambda name, **kw: counts.__setitem__(name, counts.get(name, 0) + 1))
import tradesim
result = tradesim.run("scenarios/cp2015_nafta.toml", closure="fixed_deficit", store=False)
assert result.solution.equilibrium.converged
print(json.dumps({"hits": counts.get("/jax/compilation_cache/cache_hits", 0),
                  "writes": counts.get("/jax/compilation_cache/cache_misses", 0)}))
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
    second = run()
    assert second["writes"] == 0 and second["hits"] >= first["writes"]  # everything worth caching was loaded
