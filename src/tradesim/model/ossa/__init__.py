"""Ossa (2014), "Trade Wars and Trade Talks with Data" (AER 104(12)): the model in exact hat
algebra, in JAX, with implicit derivatives; the model family ``"ossa2014"``.

Modules: :mod:`.data` (the shipped dataset), :mod:`.inputs` (the baseline record
:class:`OssaModel` and the deficit purge), :mod:`.equations` (the equilibrium conditions, small
pure functions), :mod:`.solve` (Newton on the wage changes, differentiable in the tariffs),
:mod:`.family` (the protocol). The games (optimal tariffs, Nash, talks) are in
:mod:`tradesim.strategy.tariffs`.

Example
-------
>>> from tradesim.model.ossa import load_ossa2014, OssaModel
>>> m = OssaModel.from_dataset(load_ossa2014()).purged()
>>> eq = m.solve(m.tariff)          # factual: every hat is 1
"""

from tradesim.model.family import register
from tradesim.model.ossa.data import load_ossa2014
from tradesim.model.ossa.equations import industry_income, labour_market_residual, price_index_hat
from tradesim.model.ossa.family import FAMILY, OssaFamily, OssaResult, OssaScenarioFamily
from tradesim.model.ossa.inputs import OssaModel
from tradesim.model.ossa.solve import RESIDUAL_TOL, Solution, check, government_objective, solve, solve_wages

register(FAMILY)

__all__ = ["FAMILY", "OssaFamily", "OssaModel", "OssaResult", "OssaScenarioFamily", "RESIDUAL_TOL", "Solution", "check",
           "government_objective", "industry_income", "labour_market_residual", "load_ossa2014",
           "price_index_hat", "solve", "solve_wages"]
