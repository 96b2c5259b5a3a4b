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
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import time
import tomllib
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from tradesim.errors import TradesimError
from tradesim.results.family_runs import default_family
from tradesim.results.store import RunStore, StoreError, open_store

STATIC = Path(__file__).parent / "static"
KEY = re.compile(r"[A-Za-z0-9_\-]{1,80}(/[A-Za-z0-9_\-]{1,80})?")  # <family>/<stem>: another model family's
HEX = re.compile(r"[0-9a-f]{1,32}")
MAX_BODY = 256 * 1024


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def default_library() -> Path | None:
    """``scenarios/`` of the working copy (or the current folder), if present."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        if (base / "scenarios" / "library.toml").exists():
            return base / "scenarios"
    return None


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with a 413."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > self.limit:
                return await self._refuse(scope, receive, send)
            return await self.app(scope, receive, send)
        # No length given (chunked): read at most the limit, then replay it.
        messages, size = [], 0
        while True:
            msg = await receive()
            messages.append(msg)
            size += len(msg.get("body", b""))
            if size > self.limit:
                return await self._refuse(scope, receive, send)
            if msg["type"] != "http.request" or not msg.get("more_body"):
                break

        async def replay():
            return messages.pop(0) if messages else await receive()

        return await self.app(scope, replay, send)

    async def _refuse(self, scope, receive, send):
        kib = self.limit // 1024
        await JSONResponse({"detail": f"request too large: scenarios and uploads are limited to {kib} KiB"},
                           status_code=413)(scope, receive, send)


@dataclass
class Job:
    """One submitted solve."""

    job_id: str
    key: str
    label: str
    submitted: float = field(default_factory=time.monotonic)
    started: float | None = None
    finished: float | None = None
    status: str = "queued"
    run_id: str | None = None
    reused: bool = False
    error: str | None = None
    code: int = 200

    def public(self, timeout: float) -> dict:
        now = time.monotonic()
        if self.status == "running" and self.started is not None and now - self.started > timeout:
            self.status, self.code = "failed", 504
            self.error = f"the solve took longer than {timeout:.0f} s and was abandoned"
            self.finished = now
        return {"job_id": self.job_id, "status": self.status, "run_id": self.run_id, "reused": self.reused,
                "error": self.error, "scenario": self.label,
                "elapsed": round((self.finished or now) - (self.started or now), 2),
                "waited": round((self.started or now) - self.submitted, 2)}


@dataclass
class Prepared:
    scenario: object
    baseline: object
    reference: object
    key: str
    family: str | None = None  # another model family (tradesim.web.families)


def create_app(store: RunStore | str | Path | None = None, library: str | Path | None = None, *,
               max_body: int = MAX_BODY, solve_timeout: float = 300.0, workers: int = 2) -> FastAPI:
    """The dashboard app.

    Parameters
    ----------
    store : the results store (default: :func:`tradesim.results.store.default_path`).
    library : folder of library scenarios (default: ``scenarios/`` of the working copy).
    max_body : largest request body accepted, bytes.
    solve_timeout : seconds a solve may take before it is reported as failed.
    workers : solves that run at once (threads); more wait in a queue.
    """
    runs = open_store(store if store is not None else None)
    if runs is None:
        raise StoreError("the dashboard needs a results store: TRADESIM_STORE is 'off'")
    lib = Path(library) if library is not None else default_library()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tradesim-solve")
    jobs: dict[str, Job] = {}
    inflight: dict[str, str] = {}
    lock = threading.Lock()

    app = FastAPI(title="tradesim dashboard", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.add_middleware(BodyLimit, limit=max_body)
    app.state.store, app.state.jobs = runs, jobs

    @app.exception_handler(TradesimError)
    async def _tradesim_error(request: Request, err: TradesimError):
        code = 404 if isinstance(err, StoreError) and str(err).startswith("no run") else 422
        return JSONResponse({"detail": str(err)}, status_code=code)

    # -- library and baselines ---------------------------------------------------
    def library_entries() -> list[dict]:
        if lib is None:
            return []
        try:
            order = tomllib.loads((lib / "library.toml").read_text())["scenarios"]
        except (OSError, tomllib.TOMLDecodeError, KeyError):
            order = []
        keys = order + sorted(p.stem for p in lib.glob("*.toml") if p.stem != "library" and p.stem not in order)
        out = []
        for k in keys:
            try:
                raw = tomllib.loads((lib / f"{k}.toml").read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError):
                continue
            if k in order or "measures" in raw or "include" in raw or "reference" in raw:
                out.append({"key": k, "name": raw.get("name", k), "baseline": raw.get("baseline"),
                            "description": raw.get("description", ""), "demo": k in order})
        from tradesim.web.families import family_library

        return out + family_library(lib)  # scenarios/<family>/*.toml of the other model families

    def check_baseline(name: str) -> None:
        from tradesim.data.registry import available_baselines
        from tradesim.model.family import scenario_family_baselines

        shipped = available_baselines() + list(scenario_family_baselines())
        if name not in shipped:
            raise HTTPException(422, f"unknown baseline {name!r}; shipped baselines: {', '.join(shipped)}")

    def prepare(baseline: str, library_key: str, text: str | None) -> Prepared:
        """Parse and check a submission the way the CLI does, before any solve."""
        from tradesim.api import baseline_for
        from tradesim.results.store import key_of
        from tradesim.scenario.apply import policy_from_scenario
        from tradesim.scenario.resolve import resolve
        from tradesim.scenario.spec import (check_runnable, load_scenario, parse_scenario, resolve_reference,
                                            scenario_in_library)
        from tradesim.web.families import family_of_text

        source = text if text is not None and text.strip() else None
        if source is None and library_key and KEY.fullmatch(library_key) and "/" in library_key:
            if library_key not in {e["key"] for e in library_entries()}:
                raise HTTPException(422, f"unknown library scenario {library_key[:80]!r}")
            source = (lib / f"{library_key}.toml").read_text(encoding="utf-8")
        if source is not None and (family := family_of_text(source)) is not None:
            return prepare_family(family, baseline, source, library_key if source is not text else None)
        if text is not None and text.strip():
            # include/reference name library scenarios only (scenario_in_library refuses paths)
            scn = scenario_in_library(text, lib) if lib is not None else parse_scenario(text, name="pasted")
            if lib is None and (scn.reference is not None or "include" in tomllib.loads(text)):
                raise HTTPException(422, "'include' and 'reference' need the scenario library, which this "
                                         "dashboard does not have")
            check_runnable(scn)
        elif library_key:
            known = {e["key"] for e in library_entries()}
            if not KEY.fullmatch(library_key) or library_key not in known:
                raise HTTPException(422, f"unknown library scenario {library_key[:80]!r}")
            scn = load_scenario(lib / f"{library_key}.toml")
        else:
            raise HTTPException(422, "choose a library scenario, or paste or upload scenario TOML")
        name = baseline or scn.baseline
        if name:
            check_baseline(name)
        base = baseline_for(scn, name or None)
        scn = resolve(scn, base.name, base.version, base.ds.attrs.get("elasticity_set"), scn.closure)
        policy_from_scenario(scn, base)  # labels checked against the baseline: same errors as the CLI
        ref = resolve_reference(scn)
        return Prepared(scn, base, ref, key_of(scn, ref, base, scn.closure))

    def prepare_family(family: str, baseline: str, text: str, library_key: str | None) -> Prepared:
        """A scenario of another model family, parsed and checked by the family before any solve."""
        from tradesim.web.families import prepare as family_prepare

        return Prepared(*family_prepare(family, baseline, text, library_key), family=family)

    def solve(job: Job, prep: Prepared, reuse: bool) -> None:
        from tradesim.api import run

        job.status, job.started = "running", time.monotonic()
        try:
            if prep.family is not None:  # another model family: its own solve and record
                from tradesim.web.families import solve as family_solve

                job.run_id, job.reused = family_solve(runs, prep.family, prep.scenario, reuse)
            elif reuse and (found := runs.find(job.key)) is not None:
                job.run_id, job.reused = found, True
            else:
                result = run(prep.scenario, prep.baseline, store=False)
                if job.public(solve_timeout)["status"] == "failed":
                    return  # abandoned: its answer came too late to be trusted by the caller
                job.run_id = runs.record(result, reference=prep.reference, origin="web", reuse=reuse)
            job.status = "done"
        except TradesimError as err:
            job.status, job.error, job.code = "failed", str(err), 422
        except Exception as err:  # noqa: BLE001 - reported to the page, never a bare 500
            job.status, job.error, job.code = "failed", f"internal error: {type(err).__name__}: {err}", 500
        finally:
            job.finished = job.finished or time.monotonic()
            with lock:
                inflight.pop(job.key, None)

    # -- pages and static files ----------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def page():
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))

    @app.get("/favicon.ico")
    def favicon():
        return Response(status_code=204)

    @app.get("/static/plotly.min.js")
    def plotly_js():
        return FileResponse(_plotly_js(), media_type="text/javascript")

    @app.get("/static/topojson/world_110m.json")
    def world_map():
        from tradesim.results.maps import topojson_path

        return FileResponse(str(topojson_path()), media_type="application/json")

    # -- API ---------------------------------------------------------------------
    @app.get("/api/baselines")
    def baselines():
        from tradesim.data.registry import DEFAULT_BASELINE, available_baselines
        from tradesim.model.family import scenario_family_baselines

        families = scenario_family_baselines()  # another model family's baselines, after the shipped ones
        return {"baselines": available_baselines() + list(families), "default": DEFAULT_BASELINE,
                "families": families}

    @app.get("/api/library")
    def library_list():
        return {"scenarios": library_entries()}

    @app.post("/api/runs")
    def submit(baseline: str = Form(""), library: str = Form(""), toml: str = Form(""),
               file: UploadFile | None = File(None), reuse: bool = Form(True), wait: bool = Form(False)):
        text = toml
        if file is not None and file.filename:
            raw = file.file.read(max_body + 1)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise HTTPException(422, "the uploaded scenario is not UTF-8 text") from None
        prep = prepare(baseline.strip(), library.strip(), text)
        with lock:
            if reuse and prep.key in inflight:
                job = jobs[inflight[prep.key]]
            else:
                job = Job(uuid.uuid4().hex[:12], prep.key, prep.scenario.name)
                jobs[job.job_id] = job
                inflight[prep.key] = job.job_id
                pool.submit(solve, job, prep, reuse)
        if not wait:
            return JSONResponse(job.public(solve_timeout), status_code=202)
        while job.public(solve_timeout)["status"] in ("queued", "running"):
            time.sleep(0.05)
        return JSONResponse(job.public(solve_timeout), status_code=job.code)

    @app.post("/api/news")
    async def news(request: Request):
        """Draft a scenario from a pasted article (:mod:`tradesim.news`); the analyst
        reviews it and fills its placeholders before running it. A file posted as
        ``article`` is read as the article's bytes (UTF-8 text or HTML)."""
        from tradesim.news.draft import count_placeholders, draft_scenario
        from tradesim.news.extract import extract

        form = await request.form()
        article, published = form.get("article", ""), form.get("published", "")
        if not isinstance(published, str):
            raise HTTPException(422, "published: send a date YYYY-MM-DD, not a file")
        if not isinstance(article, str):  # an uploaded file, not pasted text
            article = await article.read()
        from starlette.concurrency import run_in_threadpool

        found = await run_in_threadpool(extract, article, published.strip() or None)  # off the event loop
        draft = draft_scenario(found)
        return {"draft": draft, "measures": len(found.measures), "events": len(found.events),
                "placeholders": count_placeholders(draft), "warnings": list(found.warnings),
                "extraction": found.to_dict()}

    @app.get("/api/jobs/{job_id}")
    def job_status(job_id: str):
        job = jobs.get(job_id) if HEX.fullmatch(job_id) else None
        if job is None:
            raise HTTPException(404, f"no job {job_id[:40]!r}")
        return job.public(solve_timeout)

    @app.get("/api/runs")
    def list_runs(baseline: str | None = None):
        df = runs.runs(baseline)
        df["created_at"] = df["created_at"].astype(str)
        return {"runs": _records(df)}

    def _welfare(run_id: str):
        return runs.welfare(run_id)

    @app.get("/api/runs/{run_id}")
    def show_run(run_id: str):
        rec = runs.run(run_id)
        rec["created_at"] = str(rec["created_at"])
        w = _welfare(rec["run_id"])
        rec = {k: (None if isinstance(v, float) and v != v else v) for k, v in rec.items()}
        body = json.dumps({"run": rec, "welfare": _records(w), "tables": list(runs.table_names(rec["run_id"]))},
                          default=str)
        return Response(body, media_type="application/json")

    @app.get("/api/runs/{run_id}/figures")
    def figures(run_id: str, country: str = Query("JPN", max_length=8),
                focus: str = Query("JPN,CHN,USA", max_length=200), adhoc: bool = False):
        import plotly.io as pio

        from tradesim.web import figures as fg

        rec = runs.run(run_id)
        rid = rec["run_id"]
        if not default_family(rec.get("model")):  # another model family: map and bars, no sectors or flows
            return family_figures(rec, country, focus, adhoc)
        welfare, output, bilateral = _welfare(rid), runs.table(rid, "output"), runs.table(rid, "bilateral_trade")
        countries = list(welfare["country"])
        if country not in countries:
            raise HTTPException(422, f"country {country[:8]!r} is not in baseline {rec['baseline']}")
        wanted = [c for c in dict.fromkeys([country] + focus.split(",")) if c in countries][:6]
        from tradesim.web.briefing import across_runs, baseline_labels

        across = across_runs(runs, rec, {e["key"] for e in library_entries()}, adhoc)
        names, labels, usd = baseline_labels(rec["baseline"])
        figs = {"map": fg.welfare_map(welfare, f"{rec['scenario_name']}: welfare change (exact real income, %)",
                                      names),
                "bars": fg.scenario_bars(across, wanted, rec["elasticity_set"], adhoc),
                "sectors": fg.sector_output(output, country, labels, usd),
                "matrix": fg.trade_matrix(bilateral, fg.matrix_countries(bilateral, country))}
        body = "{" + ", ".join(f'"{k}": {pio.to_json(f, validate=False)}' for k, f in figs.items()) + "}"
        return Response(body, media_type="application/json")

    def family_figures(rec: dict, country: str, focus: str, adhoc: bool):
        from tradesim.web.families import figures as family_figs

        if country not in set(_welfare(rec["run_id"])["country"]):
            raise HTTPException(422, f"country {country[:8]!r} is not in baseline {rec['baseline']}")
        return Response(family_figs(runs, rec, country, focus, adhoc, library_entries()),
                        media_type="application/json")

    @app.get("/api/runs/{run_id}/tables/{name}.{fmt}")
    def table(run_id: str, name: str, fmt: str):
        rid = runs.resolve(run_id)
        names = runs.table_names(rid)  # a run of another model family has its family's tables
        if name not in names:
            raise HTTPException(404, f"no table {name[:40]!r}; tables: {', '.join(names)}")
        if fmt not in ("csv", "parquet"):
            raise HTTPException(404, "tables are served as .csv or .parquet")
        df = runs.table(rid, name)
        if fmt == "csv":
            body, media = df.to_csv(index=False).encode(), "text/csv"
        else:
            import io

            buf = io.BytesIO()
            df.to_parquet(buf, index=False)
            body, media = buf.getvalue(), "application/vnd.apache.parquet"
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{rid}_{name}.{fmt}"'})

    @app.get("/api/runs/{run_id}/report")
    def report(run_id: str, country: str = Query("JPN", max_length=8)):
        from tradesim.results.report import write_report

        if not default_family(runs.run(run_id).get("model")):
            raise HTTPException(422, "the HTML report is for Caliendo-Parro runs; download this run's tables")
        result = runs.result(run_id)
        if country not in result.countries:
            raise HTTPException(422, f"country {country[:8]!r} is not in baseline {result.baseline.name}")
        w = result.welfare()
        others = [c for c in ["CHN", "USA"] + list(w["welfare_pct"].abs().sort_values(ascending=False).index)
                  if c != country and c in result.countries]
        partners = tuple(dict.fromkeys(others))[:2]
        focus = tuple(dict.fromkeys((country,) + partners))
        with tempfile.TemporaryDirectory() as tmp:
            path = write_report([result], Path(tmp) / "report.html", focus=focus, country=country,
                                partners=partners)
            body = path.read_bytes()
        return Response(body, media_type="text/html",
                        headers={"Content-Disposition": f'attachment; filename="tradesim_{result.scenario.key}.html"'})

    @app.get("/api/compare")
    def compare(a: str, b: str):
        import plotly.io as pio

        from tradesim.web.figures import compare_bars

        ra, rb = runs.run(a), runs.run(b)
        if ra["run_id"] == rb["run_id"]:
            raise HTTPException(422, "choose two different runs to compare")
        t = runs.compare(ra["run_id"], rb["run_id"])
        rows = [{"country": c, "a": _num(r.iloc[0]), "b": _num(r.iloc[1]), "difference": _num(r.iloc[2])}
                for c, r in t.iterrows()]
        meta = {k: {"run_id": r["run_id"], "scenario": r["scenario_name"], "baseline": r["baseline"]}
                for k, r in (("a", ra), ("b", rb))}
        fig = pio.to_json(compare_bars(t, ra["run_id"], rb["run_id"]), validate=False)
        warning = None
        if (ra["baseline"], ra["baseline_version"]) != (rb["baseline"], rb["baseline_version"]):
            warning = (f"these runs are on different baselines ({ra['baseline']} {ra['baseline_version']} and "
                       f"{rb['baseline']} {rb['baseline_version']}): their countries and data differ, so the "
                       "difference is not the effect of the scenarios alone")
        elif ra["elasticity_set"] != rb["elasticity_set"]:
            warning = (f"these runs use different elasticity sets ({ra['elasticity_set'] or 'baseline'} and "
                       f"{rb['elasticity_set'] or 'baseline'}): the difference mixes scenario and elasticities")
        body = {"a": meta["a"], "b": meta["b"], "warning": warning, "rows": rows}
        return Response(json.dumps(body)[:-1] + f', "figure": {fig}}}',
                        media_type="application/json")

    from tradesim.web.briefing import register

    register(app, runs)  # the briefing route and the package-served API docs
    from tradesim.web.timeline import register as register_timeline

    register_timeline(app, lib)  # the regime's path, date by date

    from tradesim.web.attribution import register as register_attribution

    register_attribution(app, runs)  # the attribution panel's route (issue 18)

    from tradesim.web.war import register as register_war

    register_war(app)  # the global tariff war, one elasticity set at a time
    app.state.pool = pool
    return app


def _records(df) -> list[dict]:
    """Rows as dicts with exact floats (``repr`` round trip; ``to_json`` keeps 10 digits) and NaN as null."""
    return [{k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
            for row in df.astype(object).to_dict("records")]


def _num(v) -> float | None:
    return None if v != v else float(v)  # NaN (country absent from one run) -> null


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory tradesim.web.app:app_from_env``: settings from the environment."""
    return create_app(os.environ.get("TRADESIM_STORE") or None,
                      solve_timeout=float(os.environ.get("TRADESIM_SOLVE_TIMEOUT", "300")))
