"""What the tariff regime of each date costs: the tracker's dates solved as one batch.

Every date's regime (:mod:`tradesim.scenario.regime`) is a counterfactual measured
against the 2024 base world (the 2022 baseline with the 2018-19 US-China duties,
``scenarios/status_quo_2018.toml``), as ``reference =`` measures a single scenario. The
base and all dates are solved together on the 2022 world by
:func:`tradesim.model.batch.solve_batch` (one compiled program), and each date is read
against the base as the ratio of the two solutions (exact hat algebra composes); a date
that does not converge raises :class:`~tradesim.errors.NonConvergenceError` naming it.

Outcomes per date and country (all against the 2024 base):

* ``welfare_pct`` — the exact real-income change ``100 (I'/I / P_hat - 1)``, with income
  ``I = value added + tariff revenue + deficit`` (CP2015 eq. 9) and ``P_hat`` the change in
  the consumer price index; not the first-order Caliendo-Parro decomposition;
* ``ev_usd`` — the equivalent variation in USD: ``welfare_pct / 100`` times the reference
  income, converted from the baseline's units (USD million);
* ``real_wage_pct`` — ``100 (w_hat / P_hat - 1)``;
* ``trade_us_pct``, ``trade_cn_pct`` — change in the country's trade (imports plus exports,
  at basic prices) with the US and with China.

Example
-------
>>> from tradesim.experiments.timeline import solve_timeline           # doctest: +SKIP
>>> table = solve_timeline(base=load_scenario("scenarios/status_quo_2018.toml"))  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from tradesim.data import tariffs2025
from tradesim.errors import ScenarioError
from tradesim.results.columns import HEADLINE, TIMELINE_OUTCOMES
from tradesim.scenario.spec import Scenario

#: Events marked on the chart: (tracker date, label).
EVENTS = (
    ("2025-03-06", "Canada, Mexico duties"),
    ("2025-04-05", "10% on all"),
    ("2025-04-09", "9 April pause"),
    ("2025-05-12", "Geneva truce"),
    ("2025-08-07", "August rates"),
    ("2025-11-14", "Farm exemptions"),
    ("2026-02-20", "IEEPA ruling"),
    ("2026-02-24", "Section 122"),
)
OUTCOMES = TIMELINE_OUTCOMES  # tradesim.results.columns: the one list
#: Baseline units -> USD.
UNITS = {"USD million": 1e6, "USD": 1.0}


def tracker_dates(start: str | None = None, end: str | None = None) -> list[str]:
    """The tracker's dates between ``start`` and ``end`` (inclusive)."""
    chosen = [d for d in tariffs2025.dates() if (start is None or d >= start) and (end is None or d <= end)]
    if not chosen:
        raise ScenarioError(f"timeline: no tracker date between {start} and {end} "
                            f"(the tracker runs {tariffs2025.dates()[0]} to {tariffs2025.dates()[-1]})")
    return chosen


def real_income_pct(income_after, income_before, price_index_hat):
    """Exact real-income change ``100 (I'/I / P_hat - 1)`` (CP2015 welfare, eq. 9 income)."""
    return 100.0 * (np.asarray(income_after) / np.asarray(income_before) / np.asarray(price_index_hat) - 1.0)


def _flows(trade_share, expenditure, tariff):
    """Flows at basic prices (importer, exporter, sector): ``pi X / (1 + t)``."""
    return np.asarray(trade_share) * np.asarray(expenditure)[..., :, None, :] / (1.0 + np.asarray(tariff))


def _with(flows, k: int) -> np.ndarray:
    """Each country's trade with country ``k`` (imports plus exports), summed over sectors."""
    total = flows[..., :, k, :].sum(-1) + flows[..., k, :, :].sum(-1)
    total[..., k] = np.nan
    return total


def solve_timeline(dates: Sequence[str] | None = None, *, base: Scenario, options=None):
    """Solve the regime of every date as one batch against the 2024 base ``base``.

    Returns ``(table, batch)``: a tidy DataFrame (date, country and :data:`OUTCOMES`) and
    the :class:`~tradesim.model.batch.BatchEquilibrium` against the 2022 world (scenario
    ``"base"`` first, then the dates; checked: every one converged).
    """
    from dataclasses import replace

    from tradesim.data.registry import load_baseline
    from tradesim.model.counterfactual import counterfactuals
    from tradesim.scenario.apply import policy_from_scenario
    from tradesim.scenario.regime import BASELINE, build_regime

    dates = list(dates or tracker_dates())
    if "base" in dates:
        raise ScenarioError("timeline: 'base' is not a date")
    baseline = load_baseline(BASELINE)
    sq = policy_from_scenario(base, baseline)
    # One batch against the 2022 world: the 2024 base first, then every date. Exact hat
    # algebra composes, so a date against the base world is the ratio of the two solutions
    # (the fixed-deficit closure keeps deficits as the same share of world value added in
    # both; tests/experiments/test_timeline.py checks it against solving against the rebased
    # base world).
    policies = [sq] + [replace(sq, tariff=sq.tariff + build_regime(d).additions()) for d in dates]
    batch = counterfactuals(baseline, policies, "fixed_deficit", options, names=["base"] + dates).batch.check()

    v = batch.values
    flows = _flows(v["trade_share"], v["expenditure"], v["tariff"])
    flows0, flows1 = flows[0], flows[1:]
    income0, income1 = v["income"][0], v["income"][1:]
    p_hat = v["price_index_hat"][1:] / v["price_index_hat"][0]
    welfare = real_income_pct(income1, income0[None], p_hat)
    countries = list(baseline.countries)
    us, cn = countries.index("USA"), countries.index("CHN")
    scale = UNITS[str(baseline.ds["trade"].attrs.get("units", "USD million"))]
    columns = {
        "welfare_pct": welfare,
        "ev_usd": welfare / 100.0 * income0[None] * scale,
        "real_wage_pct": 100.0 * (v["wage_hat"][1:] / v["wage_hat"][0] / p_hat - 1.0),
        "trade_us_pct": 100.0 * (_with(flows1, us) / _with(flows0, us)[None] - 1.0),
        "trade_cn_pct": 100.0 * (_with(flows1, cn) / _with(flows0, cn)[None] - 1.0),
    }
    n = len(countries)
    table = pd.DataFrame({"date": np.repeat(dates, n), "country": countries * len(dates),
                          **{k: c.reshape(-1) for k, c in columns.items()}})
    return table, batch


def records(table: pd.DataFrame, countries: Sequence[str] | None = None) -> list[dict]:
    """Tidy records ``{date, country, welfare_pct, ev_usd, real_wage_pct}`` for ``--json``."""
    chosen = table if not countries else table[table["country"].isin(countries)]
    keys = ["date", "country", *HEADLINE]
    return [{k: (r[k] if k in ("date", "country") else float(r[k])) for k in keys}
            for r in chosen[keys].to_dict("records")]


def plot_timeline(table: pd.DataFrame, countries: Sequence[str], path: str | Path | None = None):
    """Plotly figure: welfare, real wage and trade with the US and China against the date,
    one line per country, the events marked; written as HTML when ``path`` is given."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    panels = [("welfare_pct", "Welfare (exact real income, %)"), ("real_wage_pct", "Real wage (%)"),
              ("trade_us_pct", "Trade with the US (%)"), ("trade_cn_pct", "Trade with China (%)")]
    fig = make_subplots(rows=2, cols=2, shared_xaxes=True, subplot_titles=[t for _, t in panels],
                        vertical_spacing=0.12, horizontal_spacing=0.07)
    palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    for c_i, country in enumerate(countries):
        rows = table[table["country"] == country]
        for p_i, (key, _) in enumerate(panels):
            fig.add_trace(go.Scatter(
                x=pd.to_datetime(rows["date"]), y=rows[key], mode="lines+markers", name=country,
                legendgroup=country, showlegend=p_i == 0, line=dict(color=palette[c_i % len(palette)], shape="hv"),
                customdata=rows["ev_usd"] / 1e9,
                hovertemplate=f"{country} %{{x|%d %b %Y}}: %{{y:.2f}}%" + (
                    "<br>EV %{customdata:.1f} bn USD" if key == "welfare_pct" else "") + "<extra></extra>"),
                row=p_i // 2 + 1, col=p_i % 2 + 1)
    shown = [(d, label) for d, label in EVENTS if table["date"].min() <= d <= table["date"].max()]
    for k, (date, label) in enumerate(shown):
        fig.add_vline(x=pd.Timestamp(date).timestamp() * 1000, line=dict(color="grey", dash="dot", width=1))
        for col, xref in ((1, "x"), (2, "x2")):  # labelled above both columns, staggered (April is crowded)
            fig.add_annotation(x=pd.Timestamp(date), xref=xref, y=1.06 + 0.028 * (k % 4), yref="paper",
                               text=label, showarrow=False, xanchor="left", font=dict(size=9, color="dimgrey"))
    fig.update_layout(title=dict(text="The cost of the US tariff regime, date by date (against the 2024 base, "
                                      "2022 world)", y=0.985), margin=dict(t=150),
                      height=760, width=1200, template="plotly_white", legend=dict(orientation="h", y=-0.08))
    if path is not None:
        fig.write_html(Path(path), include_plotlyjs=True, config={"displayModeBar": False})
    return fig
