"""Frozen dataclasses of arrays as JAX pytrees: the records the model families pass to
compiled functions (inputs, shocks, game designs)."""

from __future__ import annotations

from dataclasses import fields

import jax


def pytree_dataclass(cls):
    """Register a frozen dataclass of arrays as a JAX pytree (its fields, in order, are the
    leaves; no static data) and return it, so that it can decorate the class."""
    names = [f.name for f in fields(cls)]
    jax.tree_util.register_pytree_node(
        cls,
        lambda obj: ([getattr(obj, n) for n in names], None),
        lambda _, children: cls(*children),
    )
    return cls
