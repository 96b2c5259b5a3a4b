"""From a news article to trade measures with their evidence, and a draft scenario.

>>> from tradesim.news import extract, draft_scenario
>>> x = extract(open("article.txt").read(), published="2025-04-21")   # doctest: +SKIP
>>> print(draft_scenario(x))                                            # doctest: +SKIP
"""

from tradesim.errors import NewsEvaluationError, NewsInputError
from tradesim.news.extract import extract, read_article
from tradesim.news.schema import Event, Evidence, Extraction, Figure, Product, TradeMeasure

__all__ = ["extract", "read_article", "draft_scenario", "evaluate", "NewsInputError", "NewsEvaluationError", "Extraction",
           "TradeMeasure", "Event", "Figure", "Product", "Evidence"]


def __getattr__(name):
    if name == "draft_scenario":
        from tradesim.news.draft import draft_scenario
        return draft_scenario
    if name == "evaluate":
        from tradesim.news.evaluate import evaluate
        return evaluate
    raise AttributeError(name)
