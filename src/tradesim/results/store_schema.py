"""The results store's file: where it lives, its schema, and the one locked way in.

:class:`tradesim.results.store.RunStore` reads and writes through :func:`connect` only: an
exclusive ``flock`` on ``<file>.lock`` (DuckDB lets one process write a file at a time), retried
while another program (a DuckDB shell) holds DuckDB's own lock, up to a deadline, after which a
:class:`~tradesim.errors.StoreError` says the store is busy. The schema is created on the first
connection; columns added by later versions are added with ``ADD COLUMN IF NOT EXISTS``, so older
files open unchanged.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import threading
import time
from pathlib import Path
from typing import Iterator

import numpy as np

from tradesim.errors import StoreError

#: Values of ``TRADESIM_STORE`` that turn recording off.
OFF = ("off", "none", "0", "false")

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    run_key VARCHAR NOT NULL,          -- scenario hash + baseline + version + elasticity set + closure
    created_at TIMESTAMPTZ NOT NULL,
    origin VARCHAR,                    -- api, cli or web
    scenario_key VARCHAR,
    scenario_name VARCHAR,
    scenario_hash VARCHAR NOT NULL,
    scenario_text VARCHAR,             -- the resolved scenario (reruns to the same numbers)
    baseline VARCHAR NOT NULL,
    baseline_version VARCHAR NOT NULL,
    elasticity_set VARCHAR,
    closure VARCHAR NOT NULL,
    converged BOOLEAN,
    iterations INTEGER,
    max_residual DOUBLE,
    solve_seconds DOUBLE,
    diagnostics JSON,
    notes JSON,
    tradesim_version VARCHAR,
    n_countries INTEGER,
    n_sectors INTEGER
);
ALTER TABLE runs ADD COLUMN IF NOT EXISTS library BOOLEAN;   -- a scenario of the shipped library
ALTER TABLE runs ADD COLUMN IF NOT EXISTS options JSON;      -- solver settings (null: the defaults)
ALTER TABLE runs ADD COLUMN IF NOT EXISTS model VARCHAR;     -- the model family (null: cp2015)
CREATE TABLE IF NOT EXISTS equilibria (run_id VARCHAR PRIMARY KEY, arrays BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS welfare (run_id VARCHAR, country VARCHAR);
"""


def default_path() -> Path | None:
    """The store file used when none is given (``None`` when recording is off)."""
    env = os.environ.get("TRADESIM_STORE")
    if env is not None:
        return None if env.strip().lower() in OFF or not env.strip() else Path(env).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "tradesim" / "runs.duckdb"


def tradesim_version() -> str:
    """The installed tradesim's version (``unknown`` from a source tree), recorded with each run."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tradesim")
    except PackageNotFoundError:  # running from a source tree
        return "unknown"


def npz(arrays: dict[str, np.ndarray]) -> bytes:
    """Arrays as compressed ``.npz`` bytes (no pickle)."""
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def unnpz(blob: bytes) -> dict[str, np.ndarray]:
    """The arrays of :func:`npz` bytes (pickles refused)."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


class StoreFile:
    """A store file and its locks: :meth:`connect` is the only way in.

    Parameters
    ----------
    path : the DuckDB file (its folder is created on first use).
    timeout : seconds to wait for another writer before raising :class:`StoreError`.
    """

    def __init__(self, path: Path, timeout: float):
        self.path, self.timeout = path, timeout
        self._thread_lock = threading.Lock()  # threads of one process queue here, processes at the flock
        self._ready = False

    @contextlib.contextmanager
    def connect(self) -> Iterator:
        """One DuckDB connection, held under the file lock (the schema made on first use)."""
        import duckdb

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create the store's folder {self.path.parent}: {err}") from None
        deadline = time.monotonic() + self.timeout
        with self._thread_lock, open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(f"store {self.path} is busy (locked for {self.timeout:.0f} s)") from None
                    time.sleep(0.01)
            try:
                while True:  # another program (a DuckDB shell) may hold the database itself
                    try:
                        con = duckdb.connect(str(self.path))
                        break
                    except duckdb.IOException as err:
                        if "lock" not in str(err).lower() or time.monotonic() > deadline:
                            raise StoreError(f"cannot open store {self.path}: {err}") from None
                        time.sleep(0.05)
                try:
                    if not self._ready:
                        con.execute(SCHEMA)
                        self._ready = True
                    yield con
                finally:
                    con.close()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
