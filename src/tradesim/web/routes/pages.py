"""The page and the static files it loads (Plotly and the world map from installed packages, no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response

from tradesim.web.http import Dashboard

STATIC = Path(__file__).resolve().parents[1] / "static"


def plotly_js() -> Path:
    """The installed plotly package's ``plotly.min.js``."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def register(app: FastAPI, dash: Dashboard) -> None:
    """``/``, ``/favicon.ico``, ``/static/plotly.min.js``, ``/static/topojson/world_110m.json``."""

    @app.get("/", response_class=HTMLResponse)
    def page():
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))

    @app.get("/favicon.ico")
    def favicon():
        return Response(status_code=204)

    @app.get("/static/plotly.min.js")
    def plotly_script():
        return FileResponse(plotly_js(), media_type="text/javascript")

    @app.get("/static/topojson/world_110m.json")
    def world_map():
        from tradesim.results.maps import topojson_path

        return FileResponse(str(topojson_path()), media_type="application/json")
