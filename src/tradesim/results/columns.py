"""The outcome columns of a counterfactual's per-country tables, named once.

:meth:`tradesim.results.result.Result.welfare` computes them; the sweeps, Monte Carlo and
the timeline (:mod:`tradesim.experiments`) tabulate them; ``Result.summary`` writes them.
Kept apart from :mod:`tradesim.results.result` so the CLI can check an ``--outcome`` or a
``--column`` without importing the model.

``welfare_pct`` is the exact real-income change ``100 (I'/I / P_hat - 1)`` (Caliendo and
Parro 2015, eq. 20-21: Cobb-Douglas final demand, so real income is welfare), ``ev_usd`` its
equivalent variation in US dollars; the ``*_first_order_pct`` are the paper's one-step
decomposition (first order, as in its Table 2).
"""

from __future__ import annotations

#: the headline: exact real income, its equivalent variation (USD), the real wage.
HEADLINE = ("welfare_pct", "ev_usd", "real_wage_pct")
#: per country and scenario in a sweep or Monte Carlo table: the headline and the one-step
#: decomposition into terms and volume of trade.
OUTCOMES = HEADLINE + ("welfare_first_order_pct", "tot_first_order_pct", "vot_first_order_pct")
#: the JSON summary of a run (``Result.summary``): the outcomes and the technical-efficiency term.
SUMMARY_KEYS = OUTCOMES + ("tech_first_order_pct",)
#: per date and country in the timeline: the headline and the change in trade with the US and China.
TIMELINE_OUTCOMES = HEADLINE + ("trade_us_pct", "trade_cn_pct")

#: axis labels of the outcomes in charts.
LABELS = {"welfare_pct": "welfare (exact real income, %)", "ev_usd": "equivalent variation (USD)",
          "real_wage_pct": "real wage (%)", "welfare_first_order_pct": "one-step CP welfare (first order, %)",
          "tot_first_order_pct": "terms of trade, one step (%)", "vot_first_order_pct": "volume of trade, one step (%)",
          "tech_first_order_pct": "technical efficiency, one step (%)"}
