"""The dashboard's global tariff war panel: every economy's Nash tariff against all others.

``GET /api/war?model=tariffwar&elasticity_set=IS`` returns ``{"model", "elasticity_set",
"records", "world_trade_change_pct", "mean_nash_tariff_pct", "mean_welfare_pct", "max_foc",
"figures": {"map", "chart"}}``: the tidy records ``{country, nash_tariff_pct, welfare_pct,
ev_usd}`` of :func:`tradesim.strategy.war.global_war` (``ev_usd`` in USD, the war's EV in USD
million times 1e6), the change in world trade and the two figures of
:mod:`tradesim.results.war_figures` (the welfare map, the Nash tariff-welfare chart with
Japan marked). The tariff-war model's war of one set (about 4 s on 2 cores) is solved on the
first request for that set and kept for the life of the process: its data are shipped, so the
answer never changes while the app runs.

``model=cp2015`` (the engine war with input-output links, over a minute at 81 x 28) is
refused with a 422 that points to ``tradesim war --model cp2015``: the dashboard does not tie
up a worker for that long.
"""

from __future__ import annotations

import json
import threading

from fastapi import HTTPException, Query
from fastapi.responses import Response

_lock = threading.Lock()
_wars: dict = {}


def served_war(model: str, elasticity_set: str):
    """The war of ``model`` under ``elasticity_set`` (solved once per process)."""
    from tradesim.strategy.war import global_war

    key = (model, elasticity_set)
    with _lock:
        if key not in _wars:
            _wars[key] = global_war(model, elasticity_set)
        return _wars[key]


def war_records(war) -> list[dict]:
    """``{country, nash_tariff_pct, welfare_pct, ev_usd}`` per economy, exact floats."""
    return [{"country": str(r.country), "nash_tariff_pct": float(r.nash_tariff_pct),
             "welfare_pct": float(r.welfare_pct), "ev_usd": float(r.ev_usd_million) * 1e6}
            for r in war.table.itertuples()]


def register(app) -> None:
    """Add ``GET /api/war`` to ``app``."""

    @app.get("/api/war")
    def war(model: str = Query("tariffwar", max_length=20), elasticity_set: str = Query("IS", max_length=10)):
        import plotly.io as pio

        from tradesim.model.tariffwar import ELASTICITY_SETS
        from tradesim.results.war_figures import war_chart, war_map

        if model == "cp2015":
            raise HTTPException(422, "model: cp2015 (the war with input-output links) takes over a minute to "
                                     "solve, too long for the dashboard; run `tradesim war --model cp2015` "
                                     "(add --html war.html for the map and chart)")
        if model != "tariffwar":
            raise HTTPException(422, "model: must be tariffwar (cp2015 runs from the command line: "
                                     "`tradesim war --model cp2015`)")
        if elasticity_set not in ELASTICITY_SETS:
            raise HTTPException(422, f"elasticity_set: must be one of {', '.join(ELASTICITY_SETS)}")
        w = served_war(model, elasticity_set)
        t = w.table
        head = json.dumps({"model": w.model, "elasticity_set": w.elasticity_set, "records": war_records(w),
                           "world_trade_change_pct": float(w.world_trade_change_pct),
                           "mean_nash_tariff_pct": float(t["nash_tariff_pct"].mean()),
                           "mean_welfare_pct": float(t["welfare_pct"].mean()), "max_foc": float(w.max_foc)})
        figures = (f'{{"map": {pio.to_json(war_map(w), validate=False)}, '
                   f'"chart": {pio.to_json(war_chart(w), validate=False)}}}')
        return Response(head[:-1] + f', "figures": {figures}}}', media_type="application/json")
