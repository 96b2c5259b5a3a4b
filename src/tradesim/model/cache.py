"""What every process would otherwise rebuild, kept on disk under ``$TRADESIM_CACHE``.

Three things live under the cache folder (``$TRADESIM_CACHE``, default
``~/.cache/tradesim``; ``TRADESIM_CACHE=off`` keeps nothing):

``worlds/``
    The reference world of a baseline under a closure and solver settings, the
    zero-deficit step that made it and the exact Jacobian there
    (:func:`tradesim.model.counterfactual.reference_world`), as ``.npz`` files.
``programs/``
    The solver's traced programs, serialized with :mod:`jax.export`
    (:func:`persistent_jit`): a process that finds one skips tracing and lowering,
    and its compile is a hit of JAX's own compilation cache (``jax/``).
``jax/``
    JAX's persistent compilation cache (set in :mod:`tradesim.model`).

Invalidation. Every entry's name is a hash of everything its content depends on:
the tradesim version, a hash of the source files of ``tradesim.model`` and
``tradesim.data``, the JAX and jaxlib versions, the x64 flag and the backend, and
the entry's own inputs (for a world: a content hash of the model arrays, the
closure and the solver settings). An entry also stores that key and a checksum;
one whose key or checksum does not match (corrupt, truncated, foreign) is ignored
and rebuilt, never trusted. Writes go to a temporary file in the same folder and
are renamed into place (atomic on POSIX), so a reader never sees half a file and
two writers of the same entry leave one whole copy. A folder that cannot be
written means no cache, with one warning per process. ``tradesim cache clear``
(or deleting the folder) empties it.

>>> from tradesim.model import cache
>>> cache.cache_root().name in ("tradesim", "off") or True
True
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import shutil
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

#: Bump when the layout of an entry changes.
FORMAT = 1
_SOURCES = ("model", "data")  # packages whose code decides the numbers a world holds
_warned: set[str] = set()


def cache_root() -> Path:
    """The cache folder: ``$TRADESIM_CACHE``, else ``~/.cache/tradesim``."""
    value = os.environ.get("TRADESIM_CACHE")
    return Path(value) if value else Path.home() / ".cache" / "tradesim"


def enabled() -> bool:
    """False when ``TRADESIM_CACHE=off`` (nothing is read or written)."""
    return os.environ.get("TRADESIM_CACHE", "").strip().lower() not in ("off", "0", "none")


def clear() -> list[Path]:
    """Delete the worlds, programs and JAX's compiled programs; return the folders removed."""
    removed = []
    for name in ("worlds", "programs", "jax"):
        folder = cache_root() / name
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of the source files of ``tradesim.model`` and ``tradesim.data`` (any edit
    to the equations, the solver or the loaders gives every entry a new name)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for sub in _SOURCES:
        for path in sorted((package / sub).rglob("*.py")):
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def environment() -> dict:
    """What every entry depends on besides its own inputs."""
    import jaxlib

    from tradesim import __version__

    return {"format": FORMAT, "tradesim": __version__, "code": code_hash(), "jax": jax.__version__,
            "jaxlib": jaxlib.__version__, "x64": bool(jax.config.jax_enable_x64),
            "backend": jax.default_backend()}


def entry_key(kind: str, **parts) -> str:
    """The name of an entry: a hash of :func:`environment` and ``parts`` (JSON-able or str-able)."""
    text = json.dumps({"kind": kind, **environment(), **parts}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def array_hash(*arrays) -> str:
    """Content hash of arrays (shape, dtype and bytes)."""
    digest = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(np.asarray(a))
        digest.update(f"{a.shape}{a.dtype.str}".encode())
        digest.update(a.tobytes())
    return digest.hexdigest()


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return True
    except OSError as err:
        _warn_once(folder, err)
        return False


def _warn_once(folder: Path, err: Exception) -> None:
    if str(folder) not in _warned:
        _warned.add(str(folder))
        warnings.warn(f"tradesim cache off: cannot write {folder} ({err}); set TRADESIM_CACHE to a writable "
                      "folder (or off)", RuntimeWarning, stacklevel=3)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename; False (and one
    warning) when the folder cannot be written."""
    if not _writable(path.parent):
        return False
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    except OSError as err:
        _warn_once(path.parent, err)
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        return True
    except OSError as err:
        _warn_once(path.parent, err)
        Path(tmp).unlink(missing_ok=True)
        return False


def _sealed(key: str, payload: bytes) -> bytes:
    head = json.dumps({"key": key, "sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)})
    return head.encode() + b"\n" + payload


def _unsealed(key: str, data: bytes) -> bytes | None:
    """The payload of a sealed file, or None if its key, size or checksum do not match."""
    head, sep, payload = data.partition(b"\n")
    if not sep:
        return None
    try:
        meta = json.loads(head)
    except ValueError:
        return None
    if not isinstance(meta, dict) or meta.get("key") != key or meta.get("size") != len(payload):
        return None
    return payload if meta.get("sha256") == hashlib.sha256(payload).hexdigest() else None


def save_entry(folder: str, key: str, arrays: dict[str, np.ndarray], meta: dict) -> bool:
    """Store named arrays and JSON metadata as entry ``key`` of ``folder`` (atomically)."""
    if not enabled():
        return False
    import io

    buffer = io.BytesIO()
    np.savez(buffer, **{k: np.asarray(v) for k, v in arrays.items()})
    payload = json.dumps(meta).encode() + b"\n" + buffer.getvalue()
    return write_atomic(cache_root() / folder / f"{key}.bin", _sealed(key, payload))


def load_entry(folder: str, key: str) -> tuple[dict[str, np.ndarray], dict] | None:
    """The arrays and metadata of entry ``key``; None if absent, corrupt or foreign."""
    if not enabled():
        return None
    path = cache_root() / folder / f"{key}.bin"
    try:
        payload = _unsealed(key, path.read_bytes())
    except OSError:
        return None
    if payload is None:
        return None
    import io

    head, _, body = payload.partition(b"\n")
    try:
        meta = json.loads(head)
        with np.load(io.BytesIO(body), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except Exception:  # noqa: BLE001 - any unreadable entry is rebuilt, never trusted
        return None
    return arrays, meta


# --- traced programs --------------------------------------------------------------------------


class PersistentJit:
    """``jax.jit(fn, static_argnames=...)`` whose traced program outlives the process.

    On a call with concrete arrays the function is exported once per argument
    signature (:func:`jax.export.export`, flat array arguments) and the serialized
    program is stored under ``programs/``; a later process deserializes it instead
    of tracing and lowering ``fn``, and compiling it is a hit of JAX's compilation
    cache. The program is the one ``jax.jit`` would run, so the numbers are the same
    to the bit. Inside a transformation (tracers), with the cache off or when a
    program cannot be exported, it is plain ``jax.jit``.
    """

    def __init__(self, fn, static_argnames: tuple[str, ...] = ()):
        self.fn = fn
        self.static = tuple(static_argnames)
        self.jitted = jax.jit(fn, static_argnames=self.static)
        self.signature = inspect.signature(fn)
        self.name = f"{fn.__module__}.{fn.__qualname__}"
        self.programs: dict[tuple, object] = {}  # this process's deserialized programs, by signature
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
        leaves = [jnp.asarray(x) for x in leaves]
        avals = tuple((x.shape, str(x.dtype), bool(getattr(x, "weak_type", False))) for x in leaves)
        sig = (str(tree), avals, repr(sorted(static.items())))
        program = self.programs.get(sig)
        if program is None:
            program = self.programs[sig] = self._program(sig, names, tree, static, leaves)
        if program is False:
            return self.jitted(*args, **kwargs)
        return program.call(*leaves)

    def _program(self, sig, names, tree, static, leaves):
        key = entry_key("program", name=self.name, signature=sig)
        path = cache_root() / "programs" / f"{key}.bin"
        try:
            payload = _unsealed(key, path.read_bytes())
        except OSError:
            payload = None
        if payload is not None:
            try:
                program = jax.export.deserialize(bytearray(payload))
                if [(tuple(a.shape), str(a.dtype)) for a in program.in_avals] == [(x.shape, str(x.dtype))
                                                                                   for x in leaves]:
                    return program
            except Exception:  # noqa: BLE001 - a foreign or stale program is rebuilt
                pass

        def flat(*flat_leaves):
            values = jax.tree_util.tree_unflatten(tree, flat_leaves)
            return self.fn(**dict(zip(names, values)), **static)

        try:
            program = jax.export.export(jax.jit(flat))(*leaves)
            blob = program.serialize()
        except Exception:  # noqa: BLE001 - e.g. flatbuffers missing, or outputs export cannot name
            return False
        write_atomic(path, _sealed(key, bytes(blob)))
        return program


def persistent_jit(fn=None, *, static_argnames=()):
    """Decorator form of :class:`PersistentJit` (``@persistent_jit(static_argnames="opts")``)."""
    names = (static_argnames,) if isinstance(static_argnames, str) else tuple(static_argnames)
    if fn is None:
        return lambda f: PersistentJit(f, names)
    return PersistentJit(fn, names)
