"""The model layer's files under ``$TRADESIM_CACHE`` (:mod:`tradesim.diskcache`).

``worlds/``
    The reference world of a baseline under a closure and solver settings, the
    zero-deficit step that made it and the exact Jacobian there
    (:mod:`tradesim.model.worlds`, used by
    :func:`tradesim.model.counterfactual.reference_world`).
``programs/``
    The solver's traced programs, serialized with :mod:`jax.export`
    (:func:`persistent_jit`): a process that finds one skips tracing and lowering,
    and its compile is a hit of JAX's own compilation cache (``jax/``, set in
    :mod:`tradesim.model`).

Every entry's name hashes :func:`environment` (the tradesim version, the source of
``tradesim.model`` and ``tradesim.data``, the JAX and jaxlib versions, the x64 flag,
the backend) with the entry's own inputs, so a changed baseline, option or version
finds no entry and builds its own. ``tradesim cache clear`` (:func:`clear`) or
deleting the folder empties it.
"""

from __future__ import annotations

import inspect
import json
import shutil
from functools import lru_cache
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from tradesim.diskcache import cache_root, enabled, key_of, read_sealed, write_sealed

#: Bump when the layout of an entry changes.
FORMAT = 2
FOLDERS = ("baselines", "worlds", "programs", "jax")


def clear() -> list[Path]:
    """Delete every tradesim cache folder (baselines, worlds, programs, JAX's compiled
    programs); return those removed."""
    removed = []
    for name in FOLDERS:
        folder = cache_root() / name
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@lru_cache(maxsize=1)
def environment() -> dict:
    """What every model entry depends on besides its own inputs."""
    import jaxlib

    from tradesim.diskcache import source_hash, tradesim_version

    return {"format": FORMAT, "tradesim": tradesim_version(), "code": source_hash("model", "data"),
            "jax": jax.__version__, "jaxlib": jaxlib.__version__, "x64": bool(jax.config.jax_enable_x64),
            "backend": jax.default_backend()}


def entry_key(kind: str, **parts) -> str:
    """The name of a model entry: a hash of :func:`environment` and ``parts``."""
    return key_of(kind, **environment(), **parts)


class PersistentJit:
    """``jax.jit(fn, static_argnames=...)`` whose traced program outlives the process.

    On a call with concrete arrays the function is exported once per argument
    signature (:func:`jax.export.export`, with flat array arguments) and the serialized
    program is stored under ``programs/``; a later process deserializes it instead of
    tracing and lowering ``fn`` again, and compiling it is a hit of JAX's compilation
    cache. Inside a transformation (tracers), with the cache off, or when a program
    cannot be exported or serialized, it is plain ``jax.jit``.
    """

    def __init__(self, fn, static_argnames: tuple[str, ...] = ()):
        self.fn = fn
        self.static = tuple(static_argnames)
        self.jitted = jax.jit(fn, static_argnames=self.static)
        self.signature = inspect.signature(fn)
        self.name = f"{fn.__module__}.{fn.__qualname__}"
        self.programs: dict[tuple, object] = {}  # this process's programs by signature (False: plain jit)
        self.__doc__, self.__wrapped__ = fn.__doc__, fn

    def __call__(self, *args, **kwargs):
        if not enabled():
            return self.jitted(*args, **kwargs)
        bound = self.signature.bind(*args, **kwargs)
        bound.apply_defaults()
        static = {k: bound.arguments[k] for k in self.static}
        names = [k for k in bound.arguments if k not in self.static]
        leaves, tree = jax.tree_util.tree_flatten(tuple(bound.arguments[k] for k in names))
        if any(isinstance(x, jax.core.Tracer) for x in leaves):
            return self.jitted(*args, **kwargs)
        # numpy arrays by device_put (jnp.asarray compiles a copy program per shape), scalars weakly typed
        leaves = [jax.device_put(x) if isinstance(x, np.ndarray) else jnp.asarray(x) for x in leaves]
        avals = tuple((x.shape, str(x.dtype), bool(getattr(x, "weak_type", False))) for x in leaves)
        sig = (str(tree), avals, repr(sorted(static.items())))
        program = self.programs.get(sig)
        if program is None:
            program = self.programs[sig] = self._program(sig, names, tree, static, leaves)
        if program is False:
            return self.jitted(*args, **kwargs)
        return program(*leaves)

    def _program(self, sig, names, tree, static, leaves):
        """The exported program of this signature, read or made, as a jitted call with every
        argument placed on the default device (so that one program is compiled whether an
        argument comes committed to the device, as a computed array, or not, as a loaded one);
        False where it cannot be exported."""
        found = self._exported(sig, names, tree, static, leaves)
        if found is False:
            return False
        program, out_tree = found
        call = jax.jit(program.call, in_shardings=jax.sharding.SingleDeviceSharding(jax.devices()[0]))
        return lambda *flat: jax.tree_util.tree_unflatten(out_tree, call(*flat))

    def _exported(self, sig, names, tree, static, leaves):
        """``(program, output structure)``: the program takes and returns flat arrays (so that
        any pytree of tradesim records goes in and out); stored as a JSON line describing the
        output structure, then ``jax.export``'s serialization."""
        key = entry_key("program", name=self.name, signature=sig)
        payload = read_sealed("programs", key)
        if payload is not None:
            try:
                head, _, blob = payload.partition(b"\n")
                out_tree = _rebuild(json.loads(head))
                program = jax.export.deserialize(bytearray(blob))
                if [(tuple(a.shape), str(a.dtype)) for a in program.in_avals] == [(x.shape, str(x.dtype))
                                                                                   for x in leaves]:
                    return program, out_tree
            except Exception:  # noqa: BLE001 - a program that does not load is rebuilt
                pass
        out = {}

        def flat(*flat_leaves):
            values = jax.tree_util.tree_unflatten(tree, flat_leaves)
            result, out["tree"] = jax.tree_util.tree_flatten(self.fn(**dict(zip(names, values)), **static))
            return result

        try:
            program = jax.export.export(jax.jit(flat))(*leaves)
            blob = program.serialize()
            head = json.dumps(_describe(out["tree"]))
            if _rebuild(json.loads(head)) != out["tree"]:
                raise TypeError("output structure does not round-trip")
        except Exception:  # noqa: BLE001 - e.g. no flatbuffers, or an output structure JSON cannot name
            return False
        write_sealed("programs", key, head.encode() + b"\n" + bytes(blob))
        return program, out["tree"]


def _describe(tree) -> object:
    """A pytree structure as JSON: ``"*"`` for a leaf, else ``[type, aux, children]``; raises
    ``TypeError`` for a node whose type or aux data JSON cannot name."""
    node = tree.node_data()
    if node is None:
        return "*"
    typ, aux = node
    if typ is not type(None) and typ.__module__ != "builtins" and not typ.__module__.startswith("tradesim."):
        raise TypeError(f"not a tradesim or builtin node: {typ}")
    return [f"{typ.__module__}:{typ.__qualname__}", _plain(aux), [_describe(c) for c in tree.children()]]


def _plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (tuple, list)):
        return {"tuple" if isinstance(value, tuple) else "list": [_plain(v) for v in value]}
    raise TypeError(f"aux data {value!r}")


def _unplain(value):
    if isinstance(value, dict):
        ((kind, items),) = value.items()
        items = [_unplain(v) for v in items]
        return tuple(items) if kind == "tuple" else items
    return value


def _rebuild(desc):
    """The structure :func:`_describe` described (only builtin and ``tradesim`` node types)."""
    from importlib import import_module

    if desc == "*":
        return jax.tree_util.tree_structure(0)
    name, aux, children = desc
    module, _, qualname = name.partition(":")
    if module != "builtins" and not module.startswith("tradesim."):
        raise TypeError(name)
    typ = type(None) if name == "builtins:NoneType" else getattr(import_module(module), qualname)
    return jax.tree_util.PyTreeDef.from_node_data_and_children(jax.tree_util.default_registry, (typ, _unplain(aux)),
                                                               [_rebuild(c) for c in children])


def persistent_jit(fn=None, *, static_argnames=()):
    """Decorator form of :class:`PersistentJit` (``@persistent_jit(static_argnames="opts")``)."""
    names = (static_argnames,) if isinstance(static_argnames, str) else tuple(static_argnames)
    if fn is None:
        return lambda f: PersistentJit(f, names)
    return PersistentJit(fn, names)
