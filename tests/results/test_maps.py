"""World maps drawn offline: the report inlines the shipped outlines, the map has every country."""

from __future__ import annotations

import json

import pandas as pd

from tradesim.results.maps import geo_assets_script, topojson_path, welfare_map


def test_outlines_are_shipped_and_inlined():
    topo = json.loads(topojson_path().read_text(encoding="utf-8"))
    assert topo["type"] == "Topology"
    script = geo_assets_script()
    assert script.startswith("<script>window.PlotlyGeoAssets = {topojson: {world_110m: {")
    assert "cdn" not in script.split("{", 3)[0]


def test_map_skips_aggregates_and_keeps_ev_in_the_hover():
    w = pd.DataFrame({"country": ["JPN", "CHN", "ROW", "EU27"], "welfare_pct": [-0.1, 0.2, 0.0, 0.05],
                      "ev_usd": [-5e9, 3e10, 0.0, 1e9]})
    trace = welfare_map(w).data[0]
    assert list(trace.locations) == ["JPN", "CHN"]
    assert "EV -USD 5" in trace.text[0]


def test_report_draws_its_maps_without_the_network(nafta, tmp_path):
    from tradesim.results.report import write_report

    page = write_report([nafta], tmp_path / "report.html", focus=("MEX", "CAN", "USA"), country="MEX",
                        partners=("USA", "CAN")).read_text(encoding="utf-8")
    assert "window.PlotlyGeoAssets" in page and '"type":"choropleth"' in page
    # plotly.js is inlined before the first figure that needs it
    assert page.index("window.PlotlyGeoAssets") < page.index('"type":"choropleth"')
