"""``/api/runs/{id}/figures``: the page's four Plotly figures of a run (map, welfare by
scenario, sector output, trade matrix; another family's run: map and bars, panels saying what it
lacks, :mod:`tradesim.web.families`)."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import Response

from tradesim.results.family_runs import default_family
from tradesim.web.http import Dashboard


def register(app: FastAPI, dash: Dashboard) -> None:
    """The figures route."""
    runs = dash.runs

    @app.get("/api/runs/{run_id}/figures")
    def figures(run_id: str, country: str = Query("JPN", max_length=8),
                focus: str = Query("JPN,CHN,USA", max_length=200), adhoc: bool = False):
        import plotly.io as pio

        from tradesim.web import figures as fg

        rec = runs.run(run_id)
        rid = rec["run_id"]
        if not default_family(rec.get("model")):  # another model family: map and bars, no sectors or flows
            return family_figures(rec, country, focus, adhoc)
        welfare, output, bilateral = runs.welfare(rid), runs.table(rid, "output"), runs.table(rid, "bilateral_trade")
        countries = list(welfare["country"])
        if country not in countries:
            raise HTTPException(422, f"country {country[:8]!r} is not in baseline {rec['baseline']}")
        wanted = [c for c in dict.fromkeys([country] + focus.split(",")) if c in countries][:6]
        from tradesim.web.briefing import across_runs, baseline_labels

        across = across_runs(runs, rec, set(dash.library.keys()), adhoc)
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

        if country not in set(runs.welfare(rec["run_id"])["country"]):
            raise HTTPException(422, f"country {country[:8]!r} is not in baseline {rec['baseline']}")
        return Response(family_figs(runs, rec, country, focus, adhoc, dash.library.entries()),
                        media_type="application/json")
