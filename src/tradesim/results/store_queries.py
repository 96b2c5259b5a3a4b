"""The results store's SQL: every statement :class:`tradesim.results.store.RunStore` runs.

Each function takes an open DuckDB connection (from
:meth:`tradesim.results.store_schema.StoreFile.connect`, under the store's lock) and returns
plain values or a DataFrame; none opens, locks or caches anything. Tables: ``runs`` (one row per
run), ``welfare`` (one row per run and country, a column per welfare measure recorded) and
``equilibria`` (the checked arrays of a run, compressed ``.npz``).
"""

from __future__ import annotations

import pandas as pd

#: The columns :func:`list_runs` gives (no tables, no scenario text).
LISTED = ("run_id, created_at, origin, scenario_key, scenario_name, baseline, baseline_version, elasticity_set, "
          "closure, converged, iterations, max_residual, solve_seconds, tradesim_version, scenario_hash, "
          "coalesce(library, false) AS library, coalesce(model, 'cp2015') AS model")


def tables(con) -> set[str]:
    """The store's table names."""
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                      "WHERE table_schema = 'main'").fetchall()}


def welfare_columns(con) -> set[str]:
    """The columns of the ``welfare`` table (``run_id``, ``country`` and every measure recorded)."""
    return {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = 'welfare'").fetchall()}


def first_of_key(con, key: str) -> str | None:
    """The id of the first run stored with this run key, or ``None``."""
    row = con.execute("SELECT run_id FROM runs WHERE run_key = ? ORDER BY created_at LIMIT 1", [key]).fetchone()
    return row[0] if row else None


def insert_run(con, row: dict, arrays: bytes, welfare: pd.DataFrame) -> None:
    """Write one run's ``runs`` row, checked arrays and welfare table in one transaction
    (welfare columns the table lacks are added first)."""
    have = welfare_columns(con)
    con.execute("BEGIN TRANSACTION")
    try:
        for col, dtype in welfare.dtypes.items():  # the columns Result.welfare() has today
            if col not in have:
                sql_type = "DOUBLE" if pd.api.types.is_float_dtype(dtype) else (
                    "BIGINT" if pd.api.types.is_integer_dtype(dtype) else "VARCHAR")
                con.execute(f'ALTER TABLE welfare ADD COLUMN "{col}" {sql_type}')
        cols = ", ".join(f'"{c}"' for c in row)
        con.execute(f"INSERT INTO runs ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        con.execute("INSERT INTO equilibria VALUES (?, ?)", [row["run_id"], arrays])
        con.register("_frame", welfare)
        con.execute("INSERT INTO welfare BY NAME SELECT ? AS run_id, * FROM _frame", [row["run_id"]])
        con.unregister("_frame")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def delete_runs(con, ids: list[str]) -> None:
    """Delete runs from every table keyed by ``run_id`` (the ``runs`` record last), in one
    transaction, then checkpoint so the file shrinks."""
    keyed = [t for t in tables(con) if con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = 'run_id'",
        [t]).fetchone()[0]]
    con.execute("BEGIN TRANSACTION")
    try:
        for t in sorted(keyed, key=lambda t: t == "runs"):  # the run's record last
            con.execute(f"DELETE FROM {t} WHERE list_contains(?, run_id)", [ids])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    con.execute("CHECKPOINT")


def beyond_newest(con, keep: int) -> list[str]:
    """Ids of the runs older than the newest ``keep``, runs of library scenarios left out."""
    return [r[0] for r in con.execute(
        "SELECT run_id FROM runs WHERE NOT coalesce(library, false) ORDER BY created_at DESC "
        "OFFSET ?", [keep]).fetchall()]


def list_runs(con, baseline: str | None = None) -> pd.DataFrame:
    """Every run (the :data:`LISTED` columns), newest first; only ``baseline``'s if given."""
    return con.execute(f"SELECT {LISTED} FROM runs WHERE ? IS NULL OR baseline = ? ORDER BY created_at DESC",
                       [baseline, baseline]).df()


def ids_starting(con, prefix: str) -> list[str]:
    """The run ids that start with ``prefix``."""
    return [r[0] for r in con.execute("SELECT run_id FROM runs WHERE starts_with(run_id, ?)", [prefix]).fetchall()]


def run_row(con, run_id: str) -> pd.DataFrame:
    """One run's ``runs`` row (every column)."""
    return con.execute("SELECT * FROM runs WHERE run_id = ?", [run_id]).df()


def welfare_of(con, run_id: str) -> pd.DataFrame:
    """One run's welfare rows in recorded order, without ``run_id``."""
    return con.execute("SELECT * EXCLUDE (run_id) FROM welfare WHERE run_id = ? ORDER BY rowid", [run_id]).df()


def welfare_pair(con, a: str, b: str, column: str) -> pd.DataFrame:
    """Two runs' ``column`` of welfare, long: ``run_id``, ``country``, ``v``."""
    return con.execute(f'SELECT run_id, country, "{column}" AS v FROM welfare WHERE run_id IN (?, ?)', [a, b]).df()


def arrays_of(con, run_id: str) -> bytes | None:
    """A run's checked arrays (``.npz`` bytes), or ``None`` for a run recorded without them."""
    row = con.execute("SELECT arrays FROM equilibria WHERE run_id = ?", [run_id]).fetchone()
    return row[0] if row is not None else None


def latest_by_scenario(con, baseline: str, version: str, elasticity_set: str | None) -> pd.DataFrame:
    """The welfare of the latest run of each scenario on one baseline version and elasticity set
    (``scenario``, ``country``, ``welfare_pct``), scenarios in the order they were first run."""
    return con.execute(
        "WITH latest AS (SELECT scenario_key, arg_max(run_id, created_at) AS run_id, min(created_at) AS first "
        "FROM runs WHERE baseline = ? AND baseline_version = ? AND elasticity_set IS NOT DISTINCT FROM ? "
        "GROUP BY scenario_key) "
        "SELECT l.scenario_key AS scenario, w.country, w.welfare_pct FROM latest l JOIN welfare w "
        "USING (run_id) ORDER BY l.first, w.country", [baseline, version, elasticity_set]).df()
