"""Runs and jobs: submit a run (``POST /api/runs``), follow its job, list, show, download,
report and compare stored runs. Every read is a :class:`~tradesim.results.store.RunStore` method;
every run is :func:`tradesim.run`'s (:mod:`tradesim.web.jobs`)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from fastapi import FastAPI, File, Form, HTTPException, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from tradesim.results.family_runs import default_family
from tradesim.web.http import HEX, Dashboard, number, records


def register(app: FastAPI, dash: Dashboard) -> None:
    """``/api/runs`` (POST and GET), ``/api/jobs/{id}``, ``/api/runs/{id}``, its tables and
    report, and ``/api/compare``."""
    runs, jobs = dash.runs, dash.jobs

    @app.post("/api/runs")
    def submit(baseline: str = Form(""), library: str = Form(""), toml: str = Form(""),
               file: UploadFile | None = File(None), reuse: bool = Form(True), wait: bool = Form(False)):
        from tradesim.web.submissions import prepare

        text = toml
        if file is not None and file.filename:
            raw = file.file.read(dash.max_body + 1)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise HTTPException(422, "the uploaded scenario is not UTF-8 text") from None
        job = jobs.submit(prepare(dash.library, baseline.strip(), library.strip(), text), reuse)
        if not wait:
            return JSONResponse(job.public(), status_code=202)
        jobs.wait(job)
        return JSONResponse(job.public(), status_code=job.code)

    @app.get("/api/jobs/{job_id}")
    def job_status(job_id: str):
        job = jobs.get(job_id) if HEX.fullmatch(job_id) else None
        if job is None:
            raise HTTPException(404, f"no job {job_id[:40]!r}")
        return job.public()

    @app.get("/api/runs")
    def list_runs(baseline: str | None = None):
        df = runs.runs(baseline)
        df["created_at"] = df["created_at"].astype(str)
        return {"runs": records(df)}

    @app.get("/api/runs/{run_id}")
    def show_run(run_id: str):
        rec = runs.run(run_id)
        rec["created_at"] = str(rec["created_at"])
        w = runs.welfare(rec["run_id"])
        rec = {k: (None if isinstance(v, float) and v != v else v) for k, v in rec.items()}
        body = json.dumps({"run": rec, "welfare": records(w), "tables": list(runs.table_names(rec["run_id"]))},
                          default=str)
        return Response(body, media_type="application/json")

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
        rows = [{"country": c, "a": number(r.iloc[0]), "b": number(r.iloc[1]), "difference": number(r.iloc[2])}
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
