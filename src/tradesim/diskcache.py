"""Files kept between processes under ``$TRADESIM_CACHE`` (default ``~/.cache/tradesim``).

The plumbing every layer's cache shares (the baselines' in :mod:`tradesim.data.stored`,
the reference worlds and traced programs in :mod:`tradesim.model.cache`):

- an entry is one file named by a hash of everything its content depends on, and
  starts with a line of JSON holding that name, the payload's size and its SHA-256:
  a file whose name, size or checksum does not match (truncated, corrupt, written
  by another version, copied from elsewhere) is ignored and rebuilt, never trusted;
- a write goes to a temporary file in the same folder, renamed into place
  (``os.replace``, atomic on POSIX): a reader never sees half a file, and two
  processes writing the same entry leave one whole copy;
- a folder that cannot be written means no cache (one warning per process), and
  ``TRADESIM_CACHE=off`` means none at all; each folder is kept under
  :data:`FOLDER_LIMIT_BYTES`, the entries used longest ago deleted first. Arrays are stored as ``.npz`` and read
  with ``allow_pickle=False``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np

_OFF = ("off", "0", "none")
#: Each folder is kept under this size: after a write, the entries used longest ago go first.
FOLDER_LIMIT_BYTES = 1 << 30
_warned: set[str] = set()


def cache_root() -> Path:
    """The cache folder: ``$TRADESIM_CACHE``, else ``~/.cache/tradesim``."""
    value = os.environ.get("TRADESIM_CACHE", "").strip()
    return Path(value) if value and value.lower() not in _OFF else Path.home() / ".cache" / "tradesim"


def enabled() -> bool:
    """False when ``TRADESIM_CACHE=off`` (nothing is read or written)."""
    return os.environ.get("TRADESIM_CACHE", "").strip().lower() not in _OFF


@lru_cache(maxsize=4)
def source_hash(*packages: str) -> str:
    """Hash of the source files of the named sub-packages of ``tradesim`` (``"model"``,
    ``"data"``): any edit to them gives every entry that depends on them a new name."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for sub in packages:
        for path in sorted((root / sub).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def tradesim_version() -> str:
    """The installed tradesim's version (read from its metadata: the package itself is a
    higher layer than the ones that cache)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tradesim")
    except PackageNotFoundError:
        return "unknown"


def key_of(kind: str, **parts) -> str:
    """An entry name: a hash of ``kind`` and ``parts`` (JSON, anything else by ``str``)."""
    text = json.dumps({"kind": kind, **parts}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def array_hash(*arrays) -> str:
    """Content hash of arrays (shape, dtype and bytes)."""
    digest = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(np.asarray(a))
        digest.update(f"{a.shape}{a.dtype.str}".encode())
        digest.update(a.tobytes())
    return digest.hexdigest()


def _warn_once(folder: Path, err: Exception) -> None:
    if str(folder) not in _warned:
        _warned.add(str(folder))
        warnings.warn(f"tradesim cache off: cannot write {folder} ({err}); set TRADESIM_CACHE to a writable "
                      "folder (or to off)", RuntimeWarning, stacklevel=4)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename; False (and one
    warning per folder) when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    except OSError as err:
        _warn_once(path.parent, err)
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as err:
        _warn_once(path.parent, err)
        Path(tmp).unlink(missing_ok=True)
        return False
    _prune(path.parent, keep=path)
    return True


def _prune(folder: Path, keep: Path, limit: int | None = None) -> None:
    """Delete the least recently used entries of ``folder`` until it is under ``limit`` bytes."""
    limit = FOLDER_LIMIT_BYTES if limit is None else limit
    try:
        entries = [(p.stat(), p) for p in folder.glob("*.bin")]
    except OSError:
        return
    total = sum(st.st_size for st, _ in entries)
    for st, p in sorted(entries, key=lambda e: e[0].st_mtime):
        if total <= limit:
            break
        if p != keep:
            p.unlink(missing_ok=True)
            total -= st.st_size


def seal(key: str, payload: bytes) -> bytes:
    """``payload`` behind a header line naming ``key``, its size and its SHA-256."""
    head = json.dumps({"key": key, "sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)})
    return head.encode() + b"\n" + payload


def unseal(key: str, data: bytes) -> bytes | None:
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


def entry_path(folder: str, key: str) -> Path:
    """Where entry ``key`` of ``folder`` lives."""
    return cache_root() / folder / f"{key}.bin"


def read_sealed(folder: str, key: str) -> bytes | None:
    """The payload of entry ``key`` of ``folder``; None if absent, unreadable or not whole."""
    if not enabled():
        return None
    path = entry_path(folder, key)
    try:
        payload = unseal(key, path.read_bytes())
    except OSError:
        return None
    if payload is not None:
        try:
            os.utime(path)  # recently used: pruned last
        except OSError:  # a read-only cache is still read
            pass
    return payload


def write_sealed(folder: str, key: str, payload: bytes) -> bool:
    """Store ``payload`` as entry ``key`` of ``folder`` (atomically)."""
    return enabled() and write_atomic(entry_path(folder, key), seal(key, payload))


def save_arrays(folder: str, key: str, arrays: dict[str, np.ndarray], meta: dict) -> bool:
    """Store named arrays and JSON metadata as entry ``key`` of ``folder``."""
    if not enabled():
        return False
    buffer = io.BytesIO()
    np.savez(buffer, **{k: np.asarray(v) for k, v in arrays.items()})
    return write_sealed(folder, key, json.dumps(meta).encode() + b"\n" + buffer.getvalue())


def load_arrays(folder: str, key: str) -> tuple[dict[str, np.ndarray], dict] | None:
    """The arrays and metadata of entry ``key`` of ``folder``; None if absent or not whole."""
    payload = read_sealed(folder, key)
    if payload is None:
        return None
    head, _, body = payload.partition(b"\n")
    try:
        meta = json.loads(head)
        with np.load(io.BytesIO(body), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except Exception:  # noqa: BLE001 - whatever cannot be read is rebuilt, never trusted
        return None
    return arrays, meta
