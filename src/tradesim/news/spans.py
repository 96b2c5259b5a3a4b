"""Token spans shared by the extractor's rules: mentions, clauses, evidence, neighbouring words."""

from __future__ import annotations

from dataclasses import dataclass, field

from tradesim.news.schema import Evidence


@dataclass
class Mention:
    start: int  # token index in the doc
    end: int
    value: str  # ISO3, HS phrase, trigger label
    ev: Evidence


@dataclass
class Clause:
    start: int
    end: int
    countries: list[Mention] = field(default_factory=list)


def tok_ev(doc, start: int, end: int) -> Evidence:
    span = doc[start:end]
    return Evidence(span.start_char, span.end_char, span.text)


def char_ev(text: str, start: int, end: int) -> Evidence:
    return Evidence(start, end, text[start:end])


def lower(doc, i: int) -> str:
    return doc[i].lower_ if 0 <= i < len(doc) else ""



def prev_word(doc, i: int) -> str:
    """The word before token ``i``, skipping titles and names ("by President Donald Trump")."""
    k = i - 1
    while k >= 0 and (doc[k].lower_ == "the" or (doc[k].is_title and doc[k].lower_ not in {"by", "on", "from"}
                                                   and k > doc[k].sent.start)):
        k -= 1
    return lower(doc, k)



def within(ms: list[Mention], a: int, b: int) -> list[Mention]:
    return [m for m in ms if a <= m.start and m.end <= b]

