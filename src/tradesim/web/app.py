"""The dashboard's FastAPI app: an HTTP API over the engine and the results store, and one page.

API (JSON unless said otherwise)::

    GET  /api/baselines                   shipped baselines and the default
    GET  /api/library                     the scenario library (key, name, description)
    POST /api/runs                        form: baseline, library | toml | file, reuse, wait -> a job
    GET  /api/jobs/{job_id}               queued / running / done / failed, elapsed seconds
    GET  /api/runs                        stored runs, newest first
    GET  /api/runs/{run_id}               a run's record and welfare table
    GET  /api/runs/{run_id}/figures       Plotly figures (map, bars, sectors, matrix); ?country=JPN&adhoc=false
    GET  /api/runs/{run_id}/briefing      who gains and who loses, sectors, diversion (tradesim.web.briefing)
    GET  /api/docs                        the API docs (Swagger UI served from the package, no CDN)
    GET  /api/runs/{run_id}/tables/{name}.{csv|parquet}
    GET  /api/runs/{run_id}/report        the HTML report (tradesim.results.report.write_report)
    GET  /api/compare?a=..&b=..           two runs' welfare side by side (+ a figure)
    POST /api/news                        form: article, published -> draft scenario TOML + extraction
    GET  /api/timeline?countries=JPN,CHN,USA  every tracker date's regime, solved once (tradesim.web.timeline)
    GET  /api/war?model=tariffwar&elasticity_set=IS  the global tariff war, solved once per set (tradesim.web.war)

Safety: scenario input is parsed as TOML data only; pasted scenarios may
``include`` or ``reference`` library scenarios by name only, never a path; the library is addressed by key, runs by
hex id, tables by name, so nothing from the client becomes a path; request
bodies are limited (``max_body`` bytes, 413); a solve that takes longer than
``solve_timeout`` seconds is reported as failed (504) and its result is never
stored. Every bad input is a 4xx with a one-line ``detail``.

The parts: :func:`create_app` (here) mounts the route modules of :mod:`tradesim.web.routes`
(pages, library, runs, figures, news) and of the panels (:mod:`tradesim.web.briefing`,
:mod:`~tradesim.web.timeline`, :mod:`~tradesim.web.attribution`, :mod:`~tradesim.web.war`); a
submission is checked in :mod:`tradesim.web.submissions` and solved by :func:`tradesim.run` in a
job (:mod:`tradesim.web.jobs`); the library is :class:`tradesim.scenario.library.Library` (the
CLI's too); every query is a :class:`~tradesim.results.store.RunStore` method.
"""


from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tradesim.errors import StoreError, TradesimError
from tradesim.results.store import RunStore, open_store
from tradesim.scenario.library import Library
from tradesim.web.http import MAX_BODY, BodyLimit, Dashboard
from tradesim.web.jobs import Jobs


def create_app(store: RunStore | str | Path | None = None, library: str | Path | None = None, *,
               max_body: int = MAX_BODY, solve_timeout: float = 300.0, workers: int = 2) -> FastAPI:
    """The dashboard app.

    Parameters
    ----------
    store : the results store (default: :func:`tradesim.results.store.default_path`).
    library : folder of library scenarios (default: ``scenarios/`` of the working copy,
        :func:`tradesim.scenario.library.find_folder`).
    max_body : largest request body accepted, bytes.
    solve_timeout : seconds a solve may take before it is reported as failed.
    workers : solves that run at once (threads); more wait in a queue.
    """
    from tradesim.web import briefing
    from tradesim.web.attribution import register as register_attribution
    from tradesim.web.routes import figures, library as library_routes, news, pages, runs as run_routes
    from tradesim.web.timeline import register as register_timeline
    from tradesim.web.war import register as register_war

    runs = open_store(store if store is not None else None)
    if runs is None:
        raise StoreError("the dashboard needs a results store: TRADESIM_STORE is 'off'")
    lib = Library.find(library)
    dash = Dashboard(runs, lib, Jobs(runs, workers=workers, solve_timeout=solve_timeout), max_body)

    app = FastAPI(title="tradesim dashboard", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.add_middleware(BodyLimit, limit=max_body)
    app.state.store, app.state.jobs, app.state.pool = runs, dash.jobs.by_id, dash.jobs.pool

    @app.exception_handler(TradesimError)
    async def _tradesim_error(request: Request, err: TradesimError):
        code = 404 if isinstance(err, StoreError) and str(err).startswith("no run") else 422
        return JSONResponse({"detail": str(err)}, status_code=code)

    for part in (pages, library_routes, run_routes, news, figures):
        part.register(app, dash)
    briefing.register(app, runs)  # the briefing route and the package-served API docs
    register_timeline(app, lib.folder)  # the regime's path, date by date
    register_attribution(app, runs)  # the attribution panel's route (issue 18)
    register_war(app)  # the global tariff war, one elasticity set at a time
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory tradesim.web.app:app_from_env``: settings from the environment."""
    return create_app(os.environ.get("TRADESIM_STORE") or None,
                      solve_timeout=float(os.environ.get("TRADESIM_SOLVE_TIMEOUT", "300")))
