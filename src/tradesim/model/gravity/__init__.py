"""The structural-gravity GE model (one sector, Armington CES, endowment economy) as a tradesim
model family, ``"gravity"``.

Modules: :mod:`.equations` (multilateral resistances and the exact hat algebra, small pure
functions), :mod:`.ge` (baseline and counterfactual solves, on :mod:`tradesim.model.newton`),
:mod:`.result` (the tables), :mod:`.family` (the protocol). The panel record
(:class:`tradesim.gravity.data.GravityData`) and the experiment files
(:mod:`tradesim.gravity.experiment`) stay in :mod:`tradesim.gravity`, with the PPML estimation
and the analyses built on this model (per sector, coefficient uncertainty); see
``docs/architecture.md`` for why the import points that way.
"""

from tradesim.model.gravity.family import FAMILY, GravityFamily

# Registered as "gravity" by tradesim.gravity.family (its scenario runs estimate coefficients, above
# the model); registering the plain model here would shadow it once this package is imported first.

__all__ = ["FAMILY", "GravityFamily"]
