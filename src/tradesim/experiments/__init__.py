"""Experiments: many counterfactuals at once, on one batch counterfactual function
(:func:`tradesim.model.counterfactual.counterfactuals`) and one list of outcome columns
(:mod:`tradesim.results.columns`).

* :mod:`~tradesim.experiments.sweep` -- a grid of parameters over a scenario template
  (``tradesim sweep``), in this process or on Dask;
* :mod:`~tradesim.experiments.montecarlo` -- the same scenario under drawn trade
  elasticities (``tradesim montecarlo``);
* :mod:`~tradesim.experiments.timeline` -- the tariff regime of every tracker date against
  the 2024 base (``tradesim timeline``).

Other model families run their sweeps and Monte Carlo through the same entry points
(:class:`tradesim.model.family.ScenarioFamily`). Chunks go out to workers through
:func:`tradesim.distributed.map_chunks`, which stays at the package root: the gravity model's
uncertainty draws (:mod:`tradesim.gravity.uncertainty`, a lower layer) use it too.
Nothing is imported here, so ``import tradesim.experiments.sweep`` costs only the sweep.
"""
