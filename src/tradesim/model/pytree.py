"""Frozen dataclasses of arrays as JAX pytrees: the records the model families pass to
compiled functions (inputs, shocks, game designs)."""

from __future__ import annotations

from dataclasses import fields

import jax


def pytree_dataclass(cls=None, *, static: tuple[str, ...] = ()):
    """Register a frozen dataclass of arrays as a JAX pytree (its fields, in order, are the
    leaves) and return it, so that it can decorate the class.

    ``static`` names fields that are hashable settings, not arrays (e.g. a shock's
    numeraire): they travel in the tree's structure, so a compiled function is traced once
    per value and trees whose settings differ do not combine (``tree_map``, stacking).
    Used as ``@pytree_dataclass`` or ``@pytree_dataclass(static=("name",))``.
    """
    if cls is None:
        return lambda c: pytree_dataclass(c, static=static)
    static = tuple(static)
    names = [f.name for f in fields(cls) if f.name not in static]
    jax.tree_util.register_pytree_node(
        cls,
        lambda obj: ([getattr(obj, n) for n in names], tuple(getattr(obj, s) for s in static) or None),
        lambda meta, children: cls(**dict(zip(names, children)), **dict(zip(static, meta or ()))),
    )
    return cls
