"""Model layer: equilibrium equations (pure JAX functions) and their solvers."""
