"""Model layer: equilibrium equations (pure JAX functions) and their solvers.

JAX's compilation cache is kept on disk (``$TRADESIM_CACHE/jax``, default
``~/.cache/tradesim/jax``; ``TRADESIM_CACHE=off`` for none) so that a second
``tradesim run`` does not compile the solver again; :mod:`tradesim.model.cache`
keeps the reference worlds and the traced programs beside it.
"""

import os
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)
if os.environ.get("TRADESIM_CACHE", "").strip().lower() not in ("off", "0", "none"):
    _cache = Path(os.environ.get("TRADESIM_CACHE") or Path.home() / ".cache" / "tradesim") / "jax"
    try:
        _cache.mkdir(parents=True, exist_ok=True)
        jax.config.update("jax_compilation_cache_dir", str(_cache))
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)
    except OSError:  # a read-only home: compile every time rather than fail
        pass
