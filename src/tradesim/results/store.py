"""The results store: every solved run, kept in one DuckDB file.

A run is recorded once and never changed: its scenario text and hash, the
baseline and its version, the elasticity set, the closure, the solver's
diagnostics and timing, the tradesim version, and the result tables
(``welfare``, ``output``, ``bilateral_trade``, ``trade``, ``tariff_revenue``,
``welfare_by_partner``, ``welfare_by_sector``; each row keyed by ``run_id``).
The solved arrays are kept too (``solutions``, NumPy ``.npz`` bytes, no
pickle), so a stored run is given back as the same :class:`Result`.

Where the file lives: the ``path`` argument, else ``$TRADESIM_STORE``, else
``$XDG_DATA_HOME/tradesim/runs.duckdb`` (``~/.local/share/...``).
``TRADESIM_STORE=off`` turns recording off.

DuckDB lets one process write a file at a time, so every access takes an
exclusive ``flock`` on ``<file>.lock`` (and retries while another program
holds DuckDB's own lock): concurrent writers, threads or processes, queue
instead of failing, and "look up, else insert" is atomic, so one scenario on
one baseline version is stored once however many clients submit it at once.

>>> store = RunStore("/tmp/runs.duckdb")                   # doctest: +SKIP
>>> store.runs()[["run_id", "scenario_key", "baseline"]]   # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import threading
import time
import uuid
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np
import pandas as pd

from tradesim.errors import TradesimError

if TYPE_CHECKING:  # the heavy model imports are only needed to rebuild a Result
    from tradesim.data.baseline import Baseline
    from tradesim.results.result import Result
    from tradesim.scenario.spec import Scenario

TABLES = ("welfare", "output", "bilateral_trade", "trade", "tariff_revenue", "welfare_by_partner",
          "welfare_by_sector")
OFF = ("off", "none", "0", "false")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    run_key VARCHAR NOT NULL,          -- scenario hash + baseline + version + elasticity set + closure
    created_at TIMESTAMPTZ NOT NULL,
    origin VARCHAR,                    -- api, cli or web
    scenario_key VARCHAR,
    scenario_name VARCHAR,
    scenario_hash VARCHAR NOT NULL,
    scenario_text VARCHAR,
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
CREATE TABLE IF NOT EXISTS solutions (run_id VARCHAR PRIMARY KEY, arrays BLOB NOT NULL);
"""


class StoreError(TradesimError):
    """The results store cannot be opened, is busy for too long, or has no such run."""


def default_path() -> Path | None:
    """The store file used when none is given (``None`` when recording is off)."""
    env = os.environ.get("TRADESIM_STORE")
    if env is not None:
        return None if env.strip().lower() in OFF or not env.strip() else Path(env).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "tradesim" / "runs.duckdb"


def scenario_hash(scenario: Scenario, reference: Scenario | None = None) -> str:
    """SHA-256 of what a scenario does: its text and its parsed measures (which
    include the measures of included files) and those of its reference."""
    parts = [scenario.text, scenario.name, scenario.closure, str(scenario.elasticity_set),
             repr(scenario.measures), repr(reference.measures) if reference is not None else ""]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def run_key(scn_hash: str, baseline: str, version: str, elasticity_set: str | None, closure: str) -> str:
    """The identity of a run: same key, same numbers."""
    return hashlib.sha256(f"{scn_hash}|{baseline}|{version}|{elasticity_set}|{closure}".encode()).hexdigest()


def key_of(scenario: Scenario, reference: Scenario | None, baseline: Baseline, closure: str) -> str:
    """The :func:`run_key` of ``scenario`` (against ``reference``) on ``baseline`` under ``closure``."""
    return run_key(scenario_hash(scenario, reference), baseline.name, baseline.version,
                   baseline.ds.attrs.get("elasticity_set"), closure)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tradesim")
    except PackageNotFoundError:  # running from a source tree
        return "unknown"


def _pack(result: Result) -> bytes:
    """The solved arrays as ``.npz`` bytes (``allow_pickle`` never needed)."""
    sol = result.solution
    arrays = {f"before.{k}": np.asarray(getattr(sol.before, k)) for k in sol.before.__dataclass_fields__}
    arrays |= {f"eq.{k}": np.asarray(v) for k, v in sol.equilibrium.values.items()}
    arrays["iceberg_hat"] = np.asarray(sol.iceberg_hat)
    if sol.deficit_step is not None:
        arrays |= {f"step.{k}": np.asarray(v) for k, v in sol.deficit_step.values.items()}
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


class RunStore:
    """A DuckDB file of immutable runs (see the module docstring).

    Parameters
    ----------
    path : the DuckDB file; default :func:`default_path`. Its folder is created.
    timeout : seconds to wait for another writer before raising :class:`StoreError`.
    """

    def __init__(self, path: str | Path | None = None, timeout: float = 120.0):
        chosen = Path(path).expanduser() if path is not None else default_path()
        if chosen is None:
            raise StoreError("no store: TRADESIM_STORE is 'off'; pass a path")
        self.path = chosen
        self.timeout = timeout
        self._thread_lock = threading.Lock()
        self._ready = False

    def __repr__(self) -> str:
        return f"RunStore({str(self.path)!r})"

    # -- access -------------------------------------------------------------
    @contextlib.contextmanager
    def _connect(self) -> Iterator:
        """One connection, held under the file lock: the only way in."""
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
                        con.execute(_SCHEMA)
                        self._ready = True
                    yield con
                finally:
                    con.close()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _tables(self, con) -> set[str]:
        return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                          "WHERE table_schema = 'main'").fetchall()}

    # -- writing ------------------------------------------------------------
    @staticmethod
    def _first(con, key: str) -> str | None:
        row = con.execute("SELECT run_id FROM runs WHERE run_key = ? ORDER BY created_at LIMIT 1", [key]).fetchone()
        return row[0] if row else None

    def find(self, key: str) -> str | None:
        """The first stored run with this :func:`run_key`, or ``None``."""
        with self._connect() as con:
            return self._first(con, key)

    def record(self, result: Result, *, reference: Scenario | None = None, origin: str = "api",
               reuse: bool = True) -> str:
        """Store ``result`` and return its ``run_id``.

        With ``reuse`` (the default) a run with the same key that is already
        stored wins and its id is returned; nothing is written twice. The check
        and the insert happen under one lock, in one transaction (callers that
        may skip the solve ask :meth:`find` first).
        """
        diag = result.diagnostics()
        scn = result.scenario
        s_hash = scenario_hash(scn, reference)
        elasticity = result.baseline.ds.attrs.get("elasticity_set")
        key = run_key(s_hash, result.baseline.name, result.baseline.version, elasticity, result.solution.closure)
        # Build everything before taking the lock: the lock is held only to write.
        tables = {"welfare": result.welfare().reset_index(), "output": result.output(),
                  "bilateral_trade": result.bilateral_trade(), "trade": result.trade(),
                  "tariff_revenue": result.tariff_revenue(),
                  "welfare_by_partner": result.welfare_by("partner"), "welfare_by_sector": result.welfare_by("sector")}
        blob = _pack(result)
        run_id = uuid.uuid4().hex[:12]
        row = [run_id, key, datetime.now(timezone.utc), origin, scn.key, scn.name, s_hash, scn.text,
               result.baseline.name, result.baseline.version, elasticity, result.solution.closure,
               bool(diag["converged"]), int(diag["iterations"]), float(max(diag["residuals"].values())),
               float(diag["seconds"]), json.dumps(diag, default=float), json.dumps(list(result.notes)), _version(),
               len(result.countries), len(result.sectors)]
        with self._connect() as con:
            if reuse and (found := self._first(con, key)) is not None:
                return found
            existing = self._tables(con)
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f"INSERT INTO runs VALUES ({', '.join('?' * len(row))})", row)
                con.execute("INSERT INTO solutions VALUES (?, ?)", [run_id, blob])
                for name, df in tables.items():
                    con.register("_frame", df)
                    if name not in existing:
                        con.execute(f"CREATE TABLE {name} AS SELECT ''::VARCHAR AS run_id, * FROM _frame LIMIT 0")
                    con.execute(f"INSERT INTO {name} BY NAME SELECT ? AS run_id, * FROM _frame", [run_id])
                    con.unregister("_frame")
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
        return run_id

    # -- reading ------------------------------------------------------------
    def runs(self, baseline: str | None = None) -> pd.DataFrame:
        """Every run, newest first (no tables, no scenario text)."""
        with self._connect() as con:
            return con.execute(
                "SELECT run_id, created_at, origin, scenario_key, scenario_name, baseline, baseline_version, "
                "elasticity_set, closure, converged, iterations, max_residual, solve_seconds, tradesim_version, "
                "scenario_hash FROM runs WHERE ? IS NULL OR baseline = ? ORDER BY created_at DESC",
                [baseline, baseline]).df()

    def resolve(self, run_id: str) -> str:
        """The full id of a run given its id or an unambiguous prefix of it."""
        if not run_id or not all(c in "0123456789abcdef" for c in run_id):
            raise StoreError(f"run id must be hexadecimal, not {run_id!r}")
        with self._connect() as con:
            ids = [r[0] for r in con.execute("SELECT run_id FROM runs WHERE starts_with(run_id, ?)",
                                             [run_id]).fetchall()]
        if len(ids) != 1:
            raise StoreError(f"no run {run_id!r} in {self.path}" if not ids else
                             f"run id {run_id!r} is ambiguous: {', '.join(sorted(ids)[:5])}")
        return ids[0]

    def run(self, run_id: str) -> dict:
        """One run's record (scenario text, diagnostics, timing, versions)."""
        full = self.resolve(run_id)
        with self._connect() as con:
            df = con.execute("SELECT * FROM runs WHERE run_id = ?", [full]).df()
        rec = df.iloc[0].to_dict()
        rec["diagnostics"] = json.loads(rec["diagnostics"])
        rec["notes"] = json.loads(rec["notes"])
        return rec

    def table(self, run_id: str, name: str) -> pd.DataFrame:
        """One result table of a run (as :meth:`Result.welfare` etc. give it)."""
        if name not in TABLES:
            raise StoreError(f"table must be one of {', '.join(TABLES)}, not {name!r}")
        full = self.resolve(run_id)
        with self._connect() as con:
            df = con.execute(f"SELECT * EXCLUDE (run_id) FROM {name} WHERE run_id = ?", [full]).df()
        return df

    def compare(self, a: str, b: str, column: str = "welfare_pct") -> pd.DataFrame:
        """Two runs' welfare side by side, per country, with the difference b - a."""
        a, b = self.resolve(a), self.resolve(b)
        if a == b:
            raise StoreError(f"compare needs two different runs, not {a} twice")
        wa = self.table(a, "welfare").set_index("country")[column]
        wb = self.table(b, "welfare").set_index("country")[column]
        out = pd.DataFrame({a: wa, b: wb})
        out["difference"] = out.iloc[:, 1] - out.iloc[:, 0]
        return out

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Any SQL over the store (tables: ``runs``, ``solutions`` and the result tables)."""
        with self._connect() as con:
            return con.execute(sql, params or []).df()

    def export(self, run_id: str, folder: str | Path, fmt: str = "parquet") -> Path:
        """Write a run's tables (``csv`` or ``parquet``) and ``run.json`` to ``folder``."""
        if fmt not in ("csv", "parquet"):
            raise StoreError(f"format must be csv or parquet, not {fmt!r}")
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            df = self.table(run_id, name)
            df.to_csv(folder / f"{name}.csv", index=False) if fmt == "csv" else df.to_parquet(
                folder / f"{name}.parquet", index=False)
        rec = self.run(run_id)
        (folder / "scenario.toml").write_text(rec.pop("scenario_text") or "")
        (folder / "run.json").write_text(json.dumps(rec, indent=2, default=str))
        return folder

    def result(self, run_id: str, scenario: Scenario | None = None, baseline: Baseline | None = None) -> Result:
        """Rebuild the :class:`Result` of a stored run from its arrays (exactly: float64 round trip).

        ``scenario``/``baseline`` default to the stored text and the shipped
        baseline of the stored name (with the stored elasticity set); a
        baseline whose version differs from the stored one is refused.
        """
        from tradesim.model.counterfactual import Counterfactual
        from tradesim.model.solve import Equilibrium, ModelInputs
        from tradesim.results.result import Result

        rec = self.run(run_id)
        if baseline is None:
            from tradesim.data.registry import load_baseline

            baseline = load_baseline(rec["baseline"])
            if rec["elasticity_set"] and baseline.ds.attrs.get("elasticity_set") != rec["elasticity_set"]:
                baseline = baseline.with_elasticities(rec["elasticity_set"])
        if baseline.version != rec["baseline_version"]:
            raise StoreError(f"run {rec['run_id']} was solved on {rec['baseline']} version {rec['baseline_version']}, "
                             f"not {baseline.version}")
        if scenario is None:
            from tradesim.scenario.spec import parse_scenario

            scenario = parse_scenario(rec["scenario_text"] or 'name = ""', name=rec["scenario_name"],
                                      path=Path(f"{rec['scenario_key']}.toml"))
            scenario = replace(scenario, name=rec["scenario_name"])
        with self._connect() as con:
            blob = con.execute("SELECT arrays FROM solutions WHERE run_id = ?", [rec["run_id"]]).fetchone()[0]
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        diag = rec["diagnostics"]

        def part(prefix):
            return {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}

        step = None
        if "zero_deficit_step" in diag:
            step = Equilibrium(part("step."), diag["zero_deficit_step"]["iterations"],
                               diag["zero_deficit_step"]["residuals"])
        solution = Counterfactual(ModelInputs(**part("before.")),
                                  Equilibrium(part("eq."), diag["iterations"], diag["residuals"], diag["converged"]),
                                  arrays["iceberg_hat"], rec["closure"], step)
        return Result(scenario, baseline, solution, diag["seconds"], tuple(diag["notes"]))


def open_store(store: RunStore | str | Path | bool | None = None) -> RunStore | None:
    """The store a run is recorded in: ``None``/``True`` the default (or none when
    ``TRADESIM_STORE=off``), ``False`` none, a path or a :class:`RunStore` itself."""
    if store is False:
        return None
    if isinstance(store, RunStore):
        return store
    if store is None or store is True:
        path = default_path()
        return _shared(path) if path is not None else None
    return _shared(Path(store).expanduser())


_STORES: dict[Path, RunStore] = {}


def _shared(path: Path) -> RunStore:
    """One RunStore per file and process, so its thread lock serialises threads."""
    key = path.resolve()
    if key not in _STORES:
        _STORES[key] = RunStore(path)
    return _STORES[key]
