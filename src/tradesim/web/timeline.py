"""The dashboard's timeline panel: the US tariff regime of every tracker date, solved once.

``GET /api/timeline?countries=JPN,CHN,USA`` returns ``{"dates", "records", "figure"}``: the
tidy records of :func:`tradesim.experiments.timeline.records` (``{date, country, welfare_pct, ev_usd,
real_wage_pct}``) and the chart of :func:`tradesim.experiments.timeline.plot_timeline`. The batch (the
2024 base and the 23 dates on the 2022 world, about 5 s on 2 cores) is solved on the first
request and kept for the life of the process: the regime and the tracker are shipped data, so
the answer never changes while the app runs.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

from fastapi import HTTPException, Query
from fastapi.responses import Response

#: Comma-separated ISO3 codes, at most eight.
COUNTRIES = re.compile(r"[A-Z]{3}(,[A-Z]{3}){0,7}")
_lock = threading.Lock()
_tables: dict = {}


def timeline_table(library: Path):
    """The timeline table of every tracker date against the library's 2024 base (solved once
    per library folder and process)."""
    key = Path(library).resolve()
    with _lock:
        if key not in _tables:
            from tradesim.scenario.spec import load_scenario
            from tradesim.experiments.timeline import solve_timeline

            _tables[key], _ = solve_timeline(base=load_scenario(key / "status_quo_2018.toml"))
        return _tables[key]


def register(app, library) -> None:
    """Add ``GET /api/timeline`` to ``app`` (``library``: the folder holding status_quo_2018.toml)."""

    @app.get("/api/timeline")
    def timeline(countries: str = Query("JPN,CHN,USA", max_length=40)):
        import plotly.io as pio

        from tradesim.experiments.timeline import plot_timeline, records

        if not COUNTRIES.fullmatch(countries):
            raise HTTPException(422, "countries: up to eight ISO3 codes, comma-separated (e.g. JPN,CHN,USA)")
        if library is None or not (library / "status_quo_2018.toml").exists():
            raise HTTPException(404, "the timeline needs the scenario library's status_quo_2018.toml (the 2024 base)")
        table = timeline_table(library)
        chosen = countries.split(",")
        unknown = sorted(set(chosen) - set(table["country"]))
        if unknown:
            raise HTTPException(422, f"countries: {', '.join(unknown)} not in the icio2022 baseline")
        fig = plot_timeline(table, chosen)
        head = json.dumps({"dates": sorted(set(table["date"])), "records": records(table, chosen)})
        return Response(head[:-1] + f', "figure": {pio.to_json(fig, validate=False)}}}', media_type="application/json")
