"""Results store: bytes per run on the 2022 world, and listing/querying 10,000 stored runs.

Targets (issue 14): at most 200 KB per 2022-world run with every table still available,
and listing and querying 10,000 stored runs in under 1 s.

1. The twelve library scenarios (``scenarios/library.toml``, 81 economies x 28 sectors) are
   solved and recorded in a fresh store; bytes per run = (file size after a checkpoint -
   size of the empty store) / 12, and the payload of a run (its row, welfare table and check
   arrays) is reported beside it. A table is rebuilt from the store and compared bit for bit.
2. The store is filled to 10,000 runs (copies of those twelve under new ids, written by SQL
   in one transaction: how fast runs are written is not what is measured), then
   ``RunStore.runs()``, the documented "latest run of every scenario" query, one run's
   welfare table and a two-run comparison are timed (best of three).

Run: ``.venv/bin/python benchmarks/bench_store.py`` (about a minute; a temporary folder).
"""

from __future__ import annotations

import os
import tempfile
import time
import tomllib
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TARGET_BYTES = 200 * 1024
TARGET_SECONDS = 1.0
VARIANT = """name = "US tariff on Japanese cars +{rate}"
baseline = "icio2022"
include = ["us_japan_deal_2025_07"]
reference = "status_quo_2018"

[[measures]]
kind = "tariff"
importer = "USA"
exporter = "JPN"
sector = "C29"
add = "{rate}"
"""


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    import tradesim
    from tradesim.results.store import TABLE_OF, RunStore, result_key
    from tradesim.scenario.spec import scenario_in_library

    names = tomllib.loads((ROOT / "scenarios" / "library.toml").read_text())["scenarios"]
    with tempfile.TemporaryDirectory() as tmp:
        store = RunStore(Path(tmp) / "runs.duckdb")
        store.runs()  # the schema, nothing else
        store.query("CHECKPOINT")
        empty = os.path.getsize(store.path)
        results, ids = [], []
        for name in names:
            r = tradesim.run(ROOT / "scenarios" / f"{name}.toml", store=store, reuse=False)
            results.append(r)
            ids.append(store.find(result_key(r)))
        store.query("CHECKPOINT")
        size = os.path.getsize(store.path)
        # The file grows in 256 KiB blocks, so a dozen runs mostly measure the blocks; the
        # cost of a run is the growth over many more distinct runs (each its own rate).
        extra = 100
        for k in range(extra):
            text = VARIANT.format(rate=f"{1 + k / 10:.1f}%")
            tradesim.run(scenario_in_library(text, ROOT / "scenarios"), store=store, reuse=False)
        store.query("CHECKPOINT")
        grown = os.path.getsize(store.path)
        per_run = (grown - size) / extra
        payload = store.query(
            "SELECT avg(strlen(r.scenario_text) + strlen(r.diagnostics::VARCHAR) + "
            "strlen(r.notes::VARCHAR) + octet_length(e.arrays)) AS b FROM runs r JOIN equilibria e "
            "USING (run_id)")["b"][0]
        welfare_bytes = 8 * len(results[0].countries) * (len(results[0].welfare().columns) + 1)
        start = time.perf_counter()
        rebuilt = store.table(ids[3], "trade")
        rebuild = time.perf_counter() - start
        pd.testing.assert_frame_equal(rebuilt, TABLE_OF["trade"](results[3]), check_exact=True)
        print(f"2022 world ({len(results[0].countries)} x {len(results[0].sectors)}), {len(names)} library runs:")
        print(f"  store file {size / 1e6:.2f} MB with the 12 ({empty / 1e6:.2f} MB empty), "
              f"{grown / 1e6:.2f} MB after {extra} more distinct runs")
        print(f"  bytes per run (growth over the {extra}): {per_run / 1024:.1f} KB (target <= "
              f"{TARGET_BYTES / 1024:.0f} KB: ratio {per_run / TARGET_BYTES:.3f}, "
              f"{'met' if per_run <= TARGET_BYTES else 'NOT met'}); before this store, about 11 MB per run")
        print(f"  payload per run: {payload / 1024:.1f} KB (resolved scenario, diagnostics, notes, check arrays) "
              f"+ {welfare_bytes / 1024:.1f} KB welfare table (before compression)")
        print(f"  every table still available: 'trade' ({len(rebuilt):,} rows) rebuilt bit for bit in "
              f"{rebuild:.2f} s")

        n_target = 10_000
        copies = -(-n_target // len(store.runs()))  # k = 1 .. copies - 1 copies of each, plus the originals
        import duckdb

        con = duckdb.connect(str(store.path))  # nobody else holds the file: plain SQL, one transaction
        con.execute("BEGIN TRANSACTION")
        con.execute("CREATE TEMP TABLE src AS SELECT * FROM runs")
        con.execute("INSERT INTO runs BY NAME SELECT src.* REPLACE (substr(md5(run_id || k::VARCHAR), 1, 12) AS run_id, "
                    "md5(run_key || k::VARCHAR) AS run_key, created_at - to_seconds(k) AS created_at) "
                    f"FROM src, range(1, {copies}) t(k) "
                    f"QUALIFY row_number() OVER () <= {n_target} - (SELECT count(*) FROM src)")
        con.execute("INSERT INTO welfare BY NAME SELECT welfare.* REPLACE (substr(md5(run_id || k::VARCHAR), 1, 12) AS "
                    f"run_id) FROM welfare, range(1, {copies}) t(k)")
        con.execute("INSERT INTO equilibria SELECT substr(md5(run_id || k::VARCHAR), 1, 12), arrays "
                    f"FROM equilibria, range(1, {copies}) t(k)")
        for table in ("welfare", "equilibria"):  # the copies' rows of runs cut off at 10,000
            con.execute(f"DELETE FROM {table} WHERE run_id NOT IN (SELECT run_id FROM runs)")
        con.execute("COMMIT")
        con.close()
        store.query("CHECKPOINT")
        n = len(store.runs())
        big = os.path.getsize(store.path)
        t_list = best_of(store.runs)
        latest_sql = ("SELECT r.scenario_key, w.welfare_pct, w.real_wage_pct FROM runs r JOIN welfare w USING "
                      "(run_id) WHERE r.baseline = 'icio2022' AND w.country = 'JPN' QUALIFY row_number() OVER "
                      "(PARTITION BY r.scenario_key ORDER BY r.created_at DESC) = 1 ORDER BY w.welfare_pct")
        t_query = best_of(lambda: store.query(latest_sql))
        some = store.runs()["run_id"].iloc[n // 2]
        t_one = best_of(lambda: store.welfare(some))
        t_cmp = best_of(lambda: store.compare(ids[0], ids[1]))
        t_gc = best_of(lambda: store.gc(keep=n, dry_run=True))
        print(f"{n:,} runs stored ({big / 1e6:.1f} MB, {big / n / 1024:.1f} KB per run with copies):")
        for what, t in [("list all runs (RunStore.runs)", t_list), ("latest run of every scenario, JPN welfare "
                        "(SQL of docs/dashboard.md)", t_query), ("one run's welfare table", t_one),
                        ("compare two runs", t_cmp), ("runs gc --dry-run", t_gc)]:
            print(f"  {what}: {t * 1000:.0f} ms (target < {TARGET_SECONDS:.0f} s: ratio {t / TARGET_SECONDS:.3f}, "
                  f"{'met' if t < TARGET_SECONDS else 'NOT met'})")


if __name__ == "__main__":
    main()
