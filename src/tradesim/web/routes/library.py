"""``/api/baselines`` and ``/api/library``: what the pickers offer."""

from __future__ import annotations

from fastapi import FastAPI

from tradesim.web.http import Dashboard


def register(app: FastAPI, dash: Dashboard) -> None:
    """The shipped baselines (and other families'), and the scenario library's listing."""

    @app.get("/api/baselines")
    def baselines():
        from tradesim.data.registry import DEFAULT_BASELINE, available_baselines
        from tradesim.model.family import scenario_family_baselines

        families = scenario_family_baselines()  # another model family's baselines, after the shipped ones
        return {"baselines": available_baselines() + list(families), "default": DEFAULT_BASELINE,
                "families": families}

    @app.get("/api/library")
    def library_list():
        return {"scenarios": dash.library.entries()}
