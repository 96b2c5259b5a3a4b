"""The dashboard's attribution panel: which group of measures causes how much of a result.

``GET /api/runs/{run_id}/attribution?country=JPN&by=group&method=path`` gives, for one
stored run, each group's additive contribution to the country's exact welfare change (%,
and the equivalent variation in USD) with the exact total, the accuracy the contributions
add up to, and the waterfall chart (reference -> each group -> total,
:func:`tradesim.results.attribution_plot.waterfall`). The attribution of a run is computed
on the first request (seconds: :func:`tradesim.results.attribution.attribute`) and kept for
the next countries asked about.
"""

from __future__ import annotations

import threading

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import Response

from tradesim.results.store import RunStore

_CACHE_SIZE = 8


def attribution_body(att, country: str) -> dict:
    """The panel's JSON for one country of an :class:`~tradesim.results.attribution.Attribution`
    (without the figure): meta, and rows ``{group, welfare_pct, ev}`` ending with the total."""
    rows = att.table([country])
    return {**att.meta(), "country": country,
            "rows": [{"group": r["group"], "welfare_pct": float(r["welfare_pct"]), "ev": float(r["ev"])}
                     for r in rows.to_dict("records")],
            "note": "welfare: exact change in real income (%); EV: equivalent variation at the reference world's "
                    f"prices ({att.units}); contributions add up to the exact total within "
                    f"{att.accuracy.get('welfare_pct', float('nan')):.0e} pp"
                    + (f"; each group's share is accurate to about {att.quadrature_error['welfare_pct']:.0e} pp "
                       "(the quadrature's error in the sum)" if att.quadrature_error.get("welfare_pct") else "")}


def register(app: FastAPI, runs: RunStore) -> None:
    """Add the attribution route to the dashboard's ``app``."""
    import json

    cache: dict = {}
    lock = threading.Lock()

    @app.get("/api/runs/{run_id}/attribution")
    def run_attribution(run_id: str, country: str = Query("JPN", max_length=8),
                        by: str = Query("group", max_length=16), method: str = Query("path", max_length=16)):
        import plotly.io as pio

        from tradesim.results.attribution import BY, METHODS, attribute  # JAX: on the first request, not at start
        from tradesim.results.attribution_plot import waterfall

        if by not in BY or method not in METHODS:
            raise HTTPException(422, f"by must be one of {', '.join(BY)} and method one of {', '.join(METHODS)}")
        rid = runs.resolve(run_id)
        result = runs.result(rid)
        if country not in result.countries:
            raise HTTPException(422, f"country {country[:8]!r} is not in baseline {result.baseline.name}")
        key = (rid, by, method)
        with lock:
            att = cache.get(key)
        if att is None:
            att = attribute(result, by=by, method=method)
            with lock:
                if len(cache) >= _CACHE_SIZE:
                    cache.pop(next(iter(cache)))
                cache[key] = att
        if not att.groups:
            raise HTTPException(422, f"run {rid}: its scenario changes no policy, so there is nothing to attribute")
        fig = pio.to_json(waterfall(att, country), validate=False)
        text = json.dumps(attribution_body(att, country), default=float)
        return Response(text[:-1] + f', "figure": {fig}}}', media_type="application/json")
