"""Strategic trade policy: Ossa (2014) optimal / Nash tariffs and trade talks, and
normal-form policy games on the engine's baselines (see docs/strategy.md)."""

from tradesim.model.ossa import OssaModel, load_ossa2014
from tradesim.strategy.game import load_game, play
from tradesim.strategy.tariffs import best_response, nash_tariffs, optimal_tariffs, trade_talks

__all__ = ["OssaModel", "load_ossa2014", "best_response", "optimal_tariffs", "nash_tariffs", "trade_talks",
           "load_game", "play"]
