"""The dashboard's briefing and its API docs, served from the package.

``GET /api/runs/{run_id}/briefing?country=JPN`` gives the first screen of a run as
JSON: its title (the scenario's own), who gains and who loses (exact welfare change
in % and the equivalent variation in USD, world total), the country's sectors that
gain and lose most by USD (names with codes; a sector with an extreme trade
elasticity flagged, with its figure under the uniform set U4), and the trade
diversion of each measure. Numbers come with their text, formatted as the CLI and
the HTML report format them (:mod:`tradesim.results.units`).

``GET /api/docs`` is FastAPI's Swagger UI page with its script and style served
from the ``swagger-ui-bundle`` package (Apache-2.0) under ``/api/docs/static``:
nothing is fetched from a CDN.
"""

from __future__ import annotations

import threading

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import Response

from tradesim.results.family_runs import default_family
from tradesim.results.store import RunStore
from tradesim.results.units import fmt_pct, fmt_usd, pct_decimals

_CACHE_SIZE = 16


def _compare(cache: dict, lock: threading.Lock, run_id: str, result):
    """The run solved again under U4 (cached per run), or None where it is not needed."""
    from tradesim.results.sectors import COMPARISON_SET, rerun

    if "trade_elasticity_sets" not in result.baseline.ds or \
            result.baseline.ds.attrs.get("elasticity_set") == COMPARISON_SET:
        return None
    with lock:
        if run_id in cache:
            return cache[run_id]
    other = rerun(result, COMPARISON_SET)
    with lock:
        if len(cache) >= _CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[run_id] = other
    return other


def briefing(result, country: str, compare=None) -> dict:
    """The briefing of one solved run for ``country`` (see the module docstring)."""
    import plotly.io as pio

    from tradesim.results.briefing import diversion_blocks, gainers_losers, sector_bars
    from tradesim.results.sectors import most_affected_sectors

    gl = gainers_losers(result, 5)
    d = pct_decimals(gl["welfare_pct"])
    people = [{**r, "welfare_text": fmt_pct(r["welfare_pct"], d), "ev_text": fmt_usd(r["ev_usd"])}
              for r in gl.to_dict("records")]
    sectors = most_affected_sectors(result, country, 4)
    if compare is not None and sectors["extreme_elasticity"].any():
        sectors = most_affected_sectors(result, country, 4, compare)
    other = [c for c in sectors.columns if c.startswith("change_pct_")]
    rows = []
    for r in sectors.to_dict("records"):
        row = {k: r[k] for k in ("sector", "label", "side", "before_usd", "change_usd", "change_pct",
                                 "trade_elasticity", "extreme_elasticity")}
        row.update(change_text=fmt_usd(r["change_usd"]), change_pct_text=fmt_pct(r["change_pct"]),
                   before_text=fmt_usd(r["before_usd"]))
        for c in other:
            row["u4_pct_text"] = fmt_pct(r[c]) if r["extreme_elasticity"] else None
        rows.append(row)
    diversion = []
    for b in diversion_blocks(result, top=5, max_tables=4):
        g, dp = b["rows"], b["decimals"]
        diversion.append({
            "measure": b["measure"], "importer": b["importer"], "sectors": b["sectors"],
            "rows": [{"source": r["source"], "role": r["role"], "before_text": fmt_usd(r["before_usd"]),
                      "change_usd": r["change_usd"], "change_text": fmt_usd(r["change_usd"]),
                      "change_pct_text": fmt_pct(r["change_pct"], dp) if r["change_pct"] == r["change_pct"] else "n/a"}
                     for r in g.to_dict("records")]})
    world = result.world()
    fig = sector_bars(sectors, country) if len(sectors) else None
    return {"title": result.scenario.name, "description": result.scenario.description or "",
            "baseline": result.baseline.name, "elasticity_set": result.baseline.ds.attrs.get("elasticity_set"),
            "country": country,
            "world": {"ev_usd": float(world["ev_usd"]), "welfare_pct": float(world["welfare_pct"]),
                      "ev_text": fmt_usd(world["ev_usd"]), "welfare_text": fmt_pct(world["welfare_pct"], d)},
            "gainers": [p for p in people if p["side"] == "gain"], "losers": [p for p in people if p["side"] == "loss"],
            "sectors": rows, "sector_figure": pio.to_json(fig, validate=False) if fig is not None else None,
            "diversion": diversion,
            "note": "welfare: exact change in real income I'/I / P^ (Caliendo-Parro's welfare measure); "
                    "EV: equivalent variation at the reference world's prices, USD"}


def across_runs(runs: RunStore, rec: dict, library: set[str], adhoc: bool = False):
    """Welfare by scenario for the "welfare by scenario" chart: the latest run of each
    scenario on ``rec``'s baseline (and version) and elasticity set only; library scenarios
    (and ``rec``'s own) unless ``adhoc``. Columns ``scenario``, ``country``, ``welfare_pct``."""
    across = runs.latest_by_scenario(rec["baseline"], rec["baseline_version"], rec["elasticity_set"])
    if not adhoc:
        across = across[across["scenario"].isin(set(library) | {rec["scenario_key"]})]
    return across


def baseline_labels(name: str) -> tuple[dict[str, str], dict[str, str], float]:
    """A shipped baseline's country names, sector labels ("name (code)") and US dollars per unit."""
    from tradesim.data.registry import load_baseline
    from tradesim.results.units import sector_labels, usd_per_unit

    base = load_baseline(name)
    names = dict(zip(base.countries, (str(x) for x in base.ds["country_name"].values))) \
        if "country_name" in base.ds.coords else {}
    return names, sector_labels(base), usd_per_unit(str(base.ds["trade"].attrs.get("units", "USD")))


def register(app: FastAPI, runs: RunStore) -> None:
    """Add the briefing route and the package-served API docs to the dashboard's ``app``."""
    import json

    cache: dict = {}
    lock = threading.Lock()

    @app.get("/api/runs/{run_id}/briefing")
    def run_briefing(run_id: str, country: str = Query("JPN", max_length=8)):
        rid = runs.resolve(run_id)
        rec = runs.run(rid)
        if not default_family(rec.get("model")):  # another model family (tradesim.web.families)
            from tradesim.web.families import briefing as family_briefing

            if country not in set(runs.welfare(rid)["country"]):
                raise HTTPException(422, f"country {country[:8]!r} is not in baseline {rec['baseline']}")
            return Response(json.dumps(family_briefing(runs, rec, country), default=float),
                            media_type="application/json")
        result = runs.result(rid)
        if country not in result.countries:
            raise HTTPException(422, f"country {country[:8]!r} is not in baseline {result.baseline.name}")
        body = briefing(result, country, _compare(cache, lock, rid, result))
        fig = body.pop("sector_figure")
        text = json.dumps(body, default=float)
        return Response(text[:-1] + f', "sector_figure": {fig or "null"}}}', media_type="application/json")

    mount_api_docs(app)


def mount_api_docs(app: FastAPI, prefix: str = "/api/docs") -> None:
    """Swagger UI at ``prefix`` with its files from the installed ``swagger_ui_bundle``."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount(f"{prefix}/static", StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    @app.get(prefix, include_in_schema=False)
    def api_docs():
        return get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title} — API",
                                   swagger_js_url=f"{prefix}/static/swagger-ui-bundle.js",
                                   swagger_css_url=f"{prefix}/static/swagger-ui.css",
                                   swagger_favicon_url=f"{prefix}/static/favicon-32x32.png")
