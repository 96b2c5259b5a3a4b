"""The results store: every solved run, kept in one DuckDB file, small.

A run is recorded once and never changed: its resolved scenario
(:mod:`tradesim.scenario.resolve`: includes and reference inlined, baseline
version, elasticity set and closure explicit) and its hash, the baseline and its
version, the elasticity set, the closure, the solver settings, diagnostics and
timing, the tradesim version, and its ``welfare`` table (one row per country, the
columns of :meth:`Result.welfare` at record time; new columns are added to the
table as they appear). That is a few kilobytes per run (about 30 KB on the 2022
world, ``benchmarks/bench_store.py``), not the megabytes of every table.

Every other table (``output``, ``trade``, ``bilateral_trade``, ...) and the
:class:`Result` itself are rebuilt on demand: the resolved scenario is solved
again, from the same start with the same settings, which gives the same bits; the
stored wages, price indices and incomes (``equilibria``, compressed ``.npz``, no
pickle) check that it did (a rebuild that differs raises :class:`StoreError`).
So ``store.table(run, "trade")`` is bit for bit ``result.trade()`` of the run.

Runs of another model family (``runs.model``, null for Caliendo-Parro) are kept the same way
through the family's own record (:mod:`tradesim.results.family_runs`); their tables are the
family's (:meth:`RunStore.table_names`).

Where the file lives: the ``path`` argument, else ``$TRADESIM_STORE``, else
``$XDG_DATA_HOME/tradesim/runs.duckdb`` (``~/.local/share/...``).
``TRADESIM_STORE=off`` turns recording off.

DuckDB lets one process write a file at a time, so every access takes an
exclusive ``flock`` on ``<file>.lock`` (and retries while another program
holds DuckDB's own lock): concurrent writers, threads or processes, queue
instead of failing, and "look up, else insert" is atomic, so one scenario on
one baseline version is stored once however many clients submit it at once.
A run is written in one transaction: a writer killed mid-write leaves the runs
committed before it intact (a test kills writers five times in a row).

The parts: the file, its schema and its lock in :mod:`tradesim.results.store_schema`, every SQL
statement in :mod:`tradesim.results.store_queries`, family runs in
:mod:`tradesim.results.family_runs`; :class:`RunStore` here is the one way in for every caller
(the CLI, the API and the dashboard run no SQL of their own).

>>> store = RunStore("/tmp/runs.duckdb")                   # doctest: +SKIP
>>> store.runs()[["run_id", "scenario_key", "baseline"]]   # doctest: +SKIP
>>> store.gc(keep=100)                                     # doctest: +SKIP
"""

from __future__ import annotations

import json
import uuid
from collections import OrderedDict
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
import pandas as pd

from tradesim.errors import StoreError
from tradesim.results import family_runs as fam
from tradesim.results import store_queries as queries
from tradesim.results.identity import (in_library, key_of, resolved_of, result_key, run_key,  # noqa: F401
                                       scenario_hash, solve_again)
from tradesim.results.store_schema import OFF, StoreFile, default_path, npz, tradesim_version, unnpz  # noqa: F401

if TYPE_CHECKING:  # the heavy model imports are only needed to rebuild a Result
    from tradesim.data.baseline import Baseline
    from tradesim.results.result import Result
    from tradesim.scenario.spec import Scenario

__all__ = ["CHECKED", "OFF", "TABLES", "TABLE_OF", "RunStore", "StoreError", "default_path", "in_library", "key_of",
           "open_store", "resolved_of", "result_key", "run_key", "scenario_hash", "solve_again"]

#: The tables of a run, each rebuilt from its :class:`Result` (``welfare`` is also kept in SQL).
TABLE_OF: dict[str, Callable] = {
    "welfare": lambda r: r.welfare().reset_index(),
    "output": lambda r: r.output(),
    "bilateral_trade": lambda r: r.bilateral_trade(),
    "trade": lambda r: r.trade(),
    "tariff_revenue": lambda r: r.tariff_revenue(),
    "welfare_by_partner": lambda r: r.welfare_by("partner"),
    "welfare_by_sector": lambda r: r.welfare_by("sector"),
}
TABLES = tuple(TABLE_OF)
#: Arrays kept per run to check that a rebuild gives the run's own numbers.
CHECKED = ("wage_hat", "price_index_hat", "income")


def checked_arrays(result: Result) -> dict[str, np.ndarray]:
    """The arrays of a solved result that a rebuild must give bit for bit (:data:`CHECKED`,
    and the zero-deficit step's wages when the run has one)."""
    out = {k: np.asarray(result.solution.equilibrium.values[k]) for k in CHECKED}
    if result.solution.deficit_step is not None:
        out["step.wage_hat"] = np.asarray(result.solution.deficit_step.values["wage_hat"])
    return out


def run_row(result: Result, origin: str, options=None) -> dict:
    """The ``runs`` row of a solved Caliendo-Parro result (a new ``run_id``)."""
    diag = result.diagnostics()
    scn = resolved_of(result)
    s_hash = scenario_hash(scn)
    b = result.baseline
    elasticity = b.ds.attrs.get("elasticity_set")
    return {"run_id": uuid.uuid4().hex[:12], "run_key": run_key(s_hash, b.name, b.version, elasticity,
                                                                result.solution.closure),
            "created_at": datetime.now(timezone.utc), "origin": origin, "scenario_key": scn.key,
            "scenario_name": scn.name, "scenario_hash": s_hash, "scenario_text": scn.text, "baseline": b.name,
            "baseline_version": b.version, "elasticity_set": elasticity, "closure": result.solution.closure,
            "converged": bool(diag["converged"]), "iterations": int(diag["iterations"]),
            "max_residual": float(max(diag["residuals"].values())), "solve_seconds": float(diag["seconds"]),
            "diagnostics": json.dumps(diag, default=float), "notes": json.dumps(list(result.notes)),
            "tradesim_version": tradesim_version(), "n_countries": len(result.countries),
            "n_sectors": len(result.sectors), "library": in_library(scn),
            "options": json.dumps(asdict(options)) if options is not None else None}


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
        self._file = StoreFile(chosen, timeout)
        self._rebuilt: OrderedDict[str, Result] = OrderedDict()  # a few rebuilt results, newest last

    def __repr__(self) -> str:
        return f"RunStore({str(self.path)!r})"

    def _connect(self):
        """One connection under the file lock (:meth:`StoreFile.connect`): the only way in."""
        self._file.timeout = self.timeout
        return self._file.connect()

    # -- writing ------------------------------------------------------------
    def find(self, key: str) -> str | None:
        """The first stored run with this :func:`run_key`, or ``None``."""
        with self._connect() as con:
            return queries.first_of_key(con, key)

    def record(self, result: Result, *, reference: Scenario | None = None, origin: str = "api",
               reuse: bool = True, options=None) -> str:
        """Store ``result`` and return its ``run_id``.

        With ``reuse`` (the default) a run with the same key that is already
        stored wins and its id is returned; nothing is written twice. The check
        and the insert happen under one lock, in one transaction (callers that
        may skip the solve ask :meth:`find` first). ``options``: the solver
        settings the run was solved with (``None``: the defaults), kept to rebuild it.
        ``reference`` is accepted for older callers: the resolved scenario holds it.
        """
        row = run_row(result, origin, options)
        return self.insert(row, npz(checked_arrays(result)), result.welfare().reset_index(), reuse=reuse)

    def record_family(self, run, family: str, *, origin: str = "api", reuse: bool = True) -> str:
        """Store a run of another model family (:mod:`tradesim.results.family_runs`); returns its
        ``run_id`` (with ``reuse``, that of a stored run of the same key)."""
        row, arrays, welfare = fam.family_row(run, family, origin, uuid.uuid4().hex[:12], tradesim_version())
        return self.insert(row, npz(arrays), welfare, reuse=reuse)

    def insert(self, row: dict, arrays: bytes, welfare: pd.DataFrame, *, reuse: bool = True) -> str:
        """Write one run (its ``runs`` row, its checked arrays as ``.npz`` bytes and its
        welfare table) in one transaction; with ``reuse`` a stored run of the same
        ``run_key`` wins. Returns the run id. (:meth:`record` builds the three from a Result.)"""
        with self._connect() as con:
            if reuse and (found := queries.first_of_key(con, row["run_key"])) is not None:
                return found
            queries.insert_run(con, row, arrays, welfare)
        return row["run_id"]

    def delete(self, run_ids) -> list[str]:
        """Delete runs (ids or unambiguous prefixes); returns the full ids deleted."""
        full = sorted({self.resolve(r) for r in ([run_ids] if isinstance(run_ids, str) else run_ids)})
        self._delete(full)
        return full

    def _delete(self, ids: list[str]) -> None:
        if not ids:
            return
        with self._connect() as con:
            queries.delete_runs(con, ids)
        for i in ids:
            self._rebuilt.pop(i, None)

    def gc(self, keep: int, *, dry_run: bool = False) -> list[str]:
        """Delete all but the newest ``keep`` runs; runs of library scenarios are always
        kept (and do not count against ``keep``). Returns the ids deleted (or, with
        ``dry_run``, that would be)."""
        if keep < 0:
            raise StoreError(f"keep must be at least 0, not {keep}")
        with self._connect() as con:
            ids = queries.beyond_newest(con, keep)
        if not dry_run:
            self._delete(ids)
        return ids

    # -- reading ------------------------------------------------------------
    def runs(self, baseline: str | None = None) -> pd.DataFrame:
        """Every run, newest first (no tables, no scenario text)."""
        with self._connect() as con:
            return queries.list_runs(con, baseline)

    def resolve(self, run_id: str) -> str:
        """The full id of a run given its id or an unambiguous prefix of it."""
        if not run_id or not all(c in "0123456789abcdef" for c in run_id):
            raise StoreError(f"run id must be hexadecimal, not {run_id!r}")
        with self._connect() as con:
            ids = queries.ids_starting(con, run_id)
        if len(ids) != 1:
            raise StoreError(f"no run {run_id!r} in {self.path}" if not ids else
                             f"run id {run_id!r} is ambiguous: {', '.join(sorted(ids)[:5])}")
        return ids[0]

    def run(self, run_id: str) -> dict:
        """One run's record (scenario text, diagnostics, timing, versions)."""
        full = self.resolve(run_id)
        with self._connect() as con:
            df = queries.run_row(con, full)
        rec = df.iloc[0].to_dict()
        for k in ("diagnostics", "notes", "options"):
            rec[k] = json.loads(rec[k]) if isinstance(rec.get(k), str) else None
        return rec

    def table(self, run_id: str, name: str) -> pd.DataFrame:
        """One result table of a run, as :meth:`Result.welfare` etc. give it (rebuilt,
        bit for bit, from the run's resolved scenario: see the module docstring)."""
        names = self.table_names(run_id)
        if name not in names:
            raise StoreError(f"table must be one of {', '.join(names)}, not {name!r}")
        if names is not TABLES:  # another model family's tables
            return self._family_tables(run_id)[name]
        return TABLE_OF[name](self.result(run_id))

    def table_names(self, run_id: str) -> tuple[str, ...]:
        """The tables a run has: :data:`TABLES`, or those of its model family."""
        model = self.run(run_id).get("model")
        if fam.default_family(model):
            return TABLES
        return tuple(self._family_tables(run_id))

    def _family_tables(self, run_id: str) -> dict[str, pd.DataFrame]:
        return {"welfare": self.welfare(run_id), **fam.tables(self.run(run_id), self.result(run_id))}

    def compare(self, a: str, b: str, column: str = "welfare_pct") -> pd.DataFrame:
        """Two runs' welfare side by side, per country, with the difference b - a."""
        a, b = self.resolve(a), self.resolve(b)
        if a == b:
            raise StoreError(f"compare needs two different runs, not {a} twice")
        with self._connect() as con:
            cols = queries.welfare_columns(con) - {"run_id", "country"}
            if column not in cols:
                raise StoreError(f"column must be one of {', '.join(sorted(cols))}, not {column!r}")
            df = queries.welfare_pair(con, a, b, column)
        wide = df.pivot(index="country", columns="run_id", values="v")
        order = self.welfare(a)["country"]
        out = pd.DataFrame({a: wide[a].reindex(order).to_numpy(), b: wide[b].reindex(order).to_numpy()},
                           index=pd.Index(order, name="country"))
        out["difference"] = out.iloc[:, 1] - out.iloc[:, 0]
        return out

    def welfare(self, run_id: str) -> pd.DataFrame:
        """A run's welfare table as stored in SQL (no rebuild; the columns it had when recorded)."""
        full = self.resolve(run_id)
        with self._connect() as con:
            df = queries.welfare_of(con, full)
        return df.dropna(axis=1, how="all")

    def latest_by_scenario(self, baseline: str, version: str, elasticity_set: str | None = None) -> pd.DataFrame:
        """Welfare by scenario: the latest run of each scenario on ``baseline`` (its ``version``)
        with ``elasticity_set`` (``None``: the baseline's own), columns ``scenario``, ``country``,
        ``welfare_pct``, scenarios in the order they were first run (the dashboard's chart)."""
        with self._connect() as con:
            return queries.latest_by_scenario(con, baseline, version, elasticity_set)

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Any SQL over the store (tables: ``runs``, ``welfare``, ``equilibria``)."""
        with self._connect() as con:
            return con.execute(sql, params or []).df()

    def export(self, run_id: str, folder: str | Path, fmt: str = "parquet") -> Path:
        """Write a run's tables (``csv`` or ``parquet``), its resolved ``scenario.toml``
        (``tradesim run`` on it gives the same numbers) and ``run.json`` to ``folder``."""
        if fmt not in ("csv", "parquet"):
            raise StoreError(f"format must be csv or parquet, not {fmt!r}")
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name in self.table_names(run_id):
            df = self.table(run_id, name)
            df.to_csv(folder / f"{name}.csv", index=False) if fmt == "csv" else df.to_parquet(
                folder / f"{name}.parquet", index=False)
        rec = self.run(run_id)
        (folder / "scenario.toml").write_text(rec.pop("scenario_text") or "")
        (folder / "run.json").write_text(json.dumps(rec, indent=2, default=str))
        return folder

    def result(self, run_id: str, scenario: Scenario | None = None, baseline: Baseline | None = None) -> Result:
        """Rebuild the :class:`Result` of a stored run: its resolved scenario solved
        again with the run's settings, checked bit for bit against the stored wages,
        price indices and incomes (:class:`StoreError` if they differ).

        ``scenario``/``baseline`` default to the stored scenario and the shipped
        baseline of the stored name (with the stored elasticity set); a baseline
        whose version differs from the stored one is refused.
        """
        full = self.resolve(run_id)
        if full in self._rebuilt and scenario is None and baseline is None:
            self._rebuilt.move_to_end(full)
            return self._rebuilt[full]
        rec = self.run(full)
        if not fam.default_family(rec.get("model")):
            return self._family_result(rec)
        if baseline is None:
            from tradesim.data.registry import load_baseline

            baseline = load_baseline(rec["baseline"])
            if rec["elasticity_set"] and baseline.ds.attrs.get("elasticity_set") != rec["elasticity_set"]:
                baseline = baseline.with_elasticities(rec["elasticity_set"])
        if baseline.version != rec["baseline_version"]:
            raise StoreError(f"run {rec['run_id']} was solved on {rec['baseline']} version {rec['baseline_version']}, "
                             f"not {baseline.version}")
        with self._connect() as con:
            blob = queries.arrays_of(con, full)
        if blob is None:
            raise StoreError(f"run {full} holds no equilibrium (recorded by an older tradesim); solve its "
                             "scenario again (tradesim runs show --scenario)")
        result = solve_again(rec, scenario, baseline)
        stored, again = unnpz(blob), checked_arrays(result)
        bad = [k for k in stored if k not in again or stored[k].tobytes() != again[k].tobytes()]
        if bad:
            raise StoreError(f"run {full}: solved again, {', '.join(bad)} differ from the stored run "
                             f"(other tradesim, JAX or machine?); its recorded welfare table is intact")
        if scenario is None:
            self._keep(full, result)
        return result

    def _family_result(self, rec: dict):
        full = rec["run_id"]
        with self._connect() as con:
            blob = queries.arrays_of(con, full)
        run, bad = fam.rebuild(rec, unnpz(blob))
        if bad:
            raise StoreError(f"run {full}: solved again, {', '.join(bad)} differ from the stored run "
                             f"(other tradesim, JAX or machine?); its recorded welfare table is intact")
        self._keep(full, run)
        return run

    def _keep(self, run_id: str, rebuilt) -> None:
        """Keep a rebuilt run for the next table of it (the four newest)."""
        self._rebuilt[run_id] = rebuilt
        while len(self._rebuilt) > 4:
            self._rebuilt.popitem(last=False)


def open_store(store: RunStore | str | Path | bool | None = None) -> RunStore | None:
    """The store a run is recorded in: ``None``/``True`` the default (or none when
    ``TRADESIM_STORE=off``), ``False`` none, a path, or a :class:`RunStore` itself (or an
    object that stands for one, such as a dashboard job's view of it,
    :class:`tradesim.web.jobs.JobStore`)."""
    if store is False:
        return None
    if store is None or store is True:
        path = default_path()
        return _shared(path) if path is not None else None
    if isinstance(store, (str, Path)):
        return _shared(Path(store).expanduser())
    return store


_STORES: dict[Path, RunStore] = {}


def _shared(path: Path) -> RunStore:
    """One RunStore per file and process, so its thread lock serialises threads."""
    key = path.resolve()
    if key not in _STORES:
        _STORES[key] = RunStore(path)
    return _STORES[key]
