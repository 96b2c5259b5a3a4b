"""Model layer: equilibrium equations (pure JAX functions) and their solvers.

JAX's compilation cache is kept on disk (``$TRADESIM_CACHE`` or
``~/.cache/tradesim/jax``) so that a second ``tradesim run`` does not compile
the solver again.
"""

import os
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)
_cache = Path(os.environ.get("TRADESIM_CACHE", Path.home() / ".cache" / "tradesim")) / "jax"
try:
    _cache.mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_compilation_cache_dir", str(_cache))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)
except OSError:  # a read-only home: compile every time rather than fail
    pass
