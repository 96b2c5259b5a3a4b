"""The dashboard for runs of the other model families (:class:`tradesim.model.family.ScenarioFamily`).

A family's baselines are in the baseline picker, its library scenarios (``scenarios/<family>/``,
:class:`tradesim.scenario.library.Library`) in the scenario picker, keyed ``<family>/<stem>``; its
runs are :func:`tradesim.run`'s like any (solved by the family, recorded in the store by
:meth:`RunStore.record_family`, :mod:`tradesim.web.jobs`) and shown with the page's own panels: the briefing
(who gains and who loses by the family's own exact welfare measure), the map, the welfare by
scenario across the family's stored runs, and the numbers table (the family's outcome columns).
Panels that need sectors or bilateral flows say the family has none.
"""

from __future__ import annotations

import tomllib

from tradesim.model.family import ScenarioFamily, is_default, scenario_family
from tradesim.results.units import fmt_pct, pct_decimals


def family_of_text(text: str) -> str | None:
    """The non-default model family a scenario's TOML text names, else ``None``."""
    try:
        model = tomllib.loads(text).get("model")
    except tomllib.TOMLDecodeError:
        return None
    return None if is_default(model) else str(model)


def check_family_baseline(family: ScenarioFamily, chosen: str, scenario) -> None:
    """A :class:`ScenarioError` when the picked baseline is not one the family runs on."""
    from tradesim.errors import ScenarioError

    if chosen and chosen not in family.baselines:
        raise ScenarioError(f"baseline: '{scenario.name}' is a {family.name} scenario; it runs on "
                            f"{', '.join(family.baselines)}, not '{chosen}'")


def briefing(runs, rec: dict, country: str) -> dict:
    """The page's briefing (same keys as :func:`tradesim.web.briefing.briefing`) for a family run."""
    family = scenario_family(rec["model"])
    run = runs.result(rec["run_id"])
    ds = family.dataset(rec["baseline"])
    names = dict(zip(map(str, ds["country"].values), map(str, ds["country_name"].values)))
    w = runs.welfare(rec["run_id"]).set_index("country")["welfare_pct"]
    d = pct_decimals(w)

    def person(c, side):
        return {"country": c, "country_name": names.get(c, c), "side": side, "welfare_pct": float(w[c]),
                "welfare_text": fmt_pct(float(w[c]), d), "ev_usd": None, "ev_text": "n/a"}

    order = w.sort_values()
    # a family's run gives its economies' spending (gravity, ossa2014) or its inputs hold it (liberation_day)
    spend = run.spending() if hasattr(run, "spending") else run.inputs.expenditure
    world = float((run.welfare_pct() * spend).sum() / spend.sum())
    return {"title": rec["scenario_name"], "description": run.scenario.description or "",
            "baseline": rec["baseline"], "elasticity_set": None, "country": country,
            "world": {"ev_usd": None, "welfare_pct": world, "ev_text": "n/a", "welfare_text": fmt_pct(world, d),
                      "text": f"World (expenditure-weighted, as the paper's aggregates): {fmt_pct(world, d)}."},
            "gainers": [person(c, "gain") for c in order.index[::-1][:5] if w[c] > 0],
            "losers": [person(c, "loss") for c in order.index[:5] if w[c] < 0],
            "sectors": [], "sector_figure": None, "diversion": [],
            "sector_text": f"The {family.name} model has one sector.",
            "diversion_text": f"Trade diversion by sector is not computed for the {family.name} model.",
            "note": family.welfare_note}


def placeholder(text: str):
    """An empty figure that says why it is empty."""
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.update_layout(title=text, height=420, xaxis={"visible": False}, yaxis={"visible": False})
    return fig


def figures(runs, rec: dict, country: str, focus: str, adhoc: bool, library: list[dict]) -> str:
    """The page's four figures (JSON) for a family run: the map, welfare by scenario across the
    family's stored runs on the same baseline, and two panels saying what the family lacks."""
    import plotly.io as pio

    from tradesim.web import figures as fg
    from tradesim.web.briefing import across_runs

    welfare = runs.welfare(rec["run_id"])
    countries = list(welfare["country"])
    ds = scenario_family(rec["model"]).dataset(rec["baseline"])
    names = dict(zip(map(str, ds["country"].values), map(str, ds["country_name"].values)))
    keys = {e["key"].split("/")[-1] for e in library if e.get("model") == rec["model"]}
    wanted = [c for c in dict.fromkeys([country] + focus.split(",")) if c in countries][:6]
    figs = {"map": fg.welfare_map(welfare, f"{rec['scenario_name']}: welfare change ({rec['model']} model, %)", names),
            "bars": fg.scenario_bars(across_runs(runs, rec, keys, adhoc), wanted, None, adhoc),
            "sectors": placeholder(f"The {rec['model']} model has one sector"),
            "matrix": placeholder(f"No bilateral table is stored for the {rec['model']} model")}
    return "{" + ", ".join(f'"{k}": {pio.to_json(f, validate=False)}' for k, f in figs.items()) + "}"
