"""Rates in news text: ad valorem percentages, changes ("to 25% from 10%"), ranges, and the pairing
of several rates in one clause with the products each applies to."""

from __future__ import annotations

import re

from tradesim.news.schema import Evidence, Product, Rate
from tradesim.news.spans import Mention, char_ev

_NUM = r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b|pc\b)"
_NUM_OPT = r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b|pc\b)?"
#: "from 10% to 25%" (a change, unless "ranging from"), "to 25% from 10%" (a change)
_FROM_TO = re.compile(rf"(?<!ranging )\bfrom\s+{_NUM_OPT}\s+to\s+{_NUM}")
_TO_FROM = re.compile(rf"\bto\s+{_NUM}\s+from\s+{_NUM}")
#: "18.1% to 103.1%", "between 116.2% and 218.4%", "ranging from 5% to 10%", "5-10%": one rate, the upper bound
_RANGE = re.compile(rf"(?:\bbetween\s+{_NUM_OPT}\s+and\s+{_NUM})|(?:{_NUM_OPT}\s*(?:to|-|–)\s*{_NUM})")
_SINGLE = re.compile(rf"{_NUM}|(\d+(?:\.\d+)?)[\s-]*percentage[\s-]*points?\b")
#: A percentage after these words is a statistic, not a rate.
_STATISTIC = re.compile(r"(accounts? for|rose|fell|grew|jumped|slid|dropped|share|down|up by|gdp by|reached|"
                        r"inflation|by about|by around)\s*(approximately|about|around|nearly|almost)?\s*$")


def rates_in(text: str, span: Evidence) -> list[Rate]:
    """Every rate stated in ``span``, in text order (fractions: 0.25 = 25%).

    A change ("from 10% to 25%", "to 25% from 10%") is one rate with its prior; a range
    ("18.1% to 103.1%", "between 116.2% and 218.4%") is one rate, its upper bound, unit
    ``"up to"``; a percentage after "rose", "share", "accounts for" ... is a statistic and skipped.
    """
    seg = span.text
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Rate]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(a: int, b: int, new: str, prior: str | None, unit: str) -> None:
        taken.append((a, b))
        found.append((a, Rate(float(new) / 100, None if prior is None else float(prior) / 100, unit,
                              char_ev(text, span.start + a, span.start + b))))

    for m in _TO_FROM.finditer(seg):
        add(m.start(), m.end(), m.group(1), m.group(2), "ad valorem")
    for m in _FROM_TO.finditer(seg):
        if free(m.start(), m.end()):
            add(m.start(), m.end(), m.group(2), m.group(1), "ad valorem")
    for m in _RANGE.finditer(seg):
        if free(m.start(), m.end()):
            hi = m.group(2) or m.group(4)
            add(m.start(), m.end(), hi, None, "up to")
    for m in _SINGLE.finditer(seg):
        if not free(m.start(), m.end()):
            continue
        pre = seg[max(0, m.start() - 40):m.start()].lower()
        if _STATISTIC.search(pre):
            continue
        if found and re.search(r"\b(down|up) from\s*$", pre) and found[-1][1].prior is None:
            a, r = found[-1]  # "a 15% tariff, down from 27.5%": the prior rate of the last one
            found[-1] = (a, Rate(r.new, float(m.group(1) or m.group(2)) / 100, r.unit, r.evidence))
            taken.append((m.start(), m.end()))
            continue
        unit = "additional" if re.search(r"(additional|extra|further|another)\s*$", pre) else "ad valorem"
        unit = "up to" if pre.rstrip().endswith("up to") else unit
        if m.group(2) is not None:  # "an additional 10 percentage point tariff"; "raised by 10 points" is a change
            if re.search(r"\bby\s*$", pre):
                continue
            unit = "additional"
        add(m.start(), m.end(), m.group(1) or m.group(2), None, unit)
    return [r for _, r in sorted(found, key=lambda x: x[0])]


def rate_near(text: str, clause_ev: Evidence, trig: Mention) -> Rate | None:
    """The rate of a measure: a stated change if there is one, else the rate nearest the trigger."""
    rates = rates_in(text, clause_ev)
    if not rates:
        return None
    changes = [r for r in rates if r.prior is not None]
    pool = changes or rates
    # a rate just after its trigger is its own ("an anti-subsidy duty of 6.9%"), before the nearest one behind it
    ahead = [r for r in pool if 0 <= r.evidence.start - trig.ev.end <= 30]
    return min(ahead or pool, key=lambda r: abs(r.evidence.start - trig.ev.start))


def pair_rates(rates: list[Rate], products: list[Product]) -> list[tuple[Rate, list[Product]]] | None:
    """The products of each rate when a clause states several rates for several products.

    "a 15% levy on coal and LNG, and 10% on crude oil" names the rate first, "cars rose to 120% and
    alcohol to 140%" the products first (decided by which comes first in the clause). ``None`` when there
    are fewer than two rates, or a rate would be left without products (the clause is then one measure).
    """
    if len(rates) < 2 or not products:
        return None
    rs = sorted(rates, key=lambda r: r.evidence.start)
    ps = sorted(products, key=lambda p: p.evidence.start)
    if len(ps) == len(rs) and ps[-1].evidence.end <= rs[0].evidence.start:
        return [(r, [p]) for r, p in zip(rs, ps)]  # "steel and aluminum ... tariffs of 25% and 10%": in order
    rate_first = ps[0].evidence.start > rs[0].evidence.start
    groups = []
    for i, r in enumerate(rs):
        if rate_first:
            lo, hi = r.evidence.start, rs[i + 1].evidence.start if i + 1 < len(rs) else float("inf")
        else:
            lo, hi = rs[i - 1].evidence.end if i else float("-inf"), r.evidence.end
        groups.append((r, [p for p in ps if lo <= p.evidence.start < hi]))
    if any(not g for _, g in groups):
        return None
    return groups


def pair_countries(rates: list[Rate], countries: list[Mention], end: int,
                   before: bool | None = False) -> list[tuple[Rate, list[str]]] | None:
    """The countries of each rate when a clause states several ("30% on Peru, 25% on Chile": the countries after
    each rate; "Myanmar and Laos will face 40% and Cambodia 36%": before each, with ``before=None`` when a country
    comes first).
    ``None`` when there are fewer than two rates or a rate would be left without a country; one rate with countries
    is paired as one group. ``end`` is the clause's end offset (characters)."""
    rs = sorted([r for r in rates if r.prior is None], key=lambda r: r.evidence.start)
    cs = sorted(countries, key=lambda c: c.ev.start)
    if not rs or not cs:
        return None
    first = cs[0].ev.start < rs[0].evidence.start if before is None else before
    groups = []
    for i, r in enumerate(rs):
        if first:
            lo, hi = (rs[i - 1].evidence.end if i else -1), r.evidence.start
        else:
            lo, hi = r.evidence.end, rs[i + 1].evidence.start if i + 1 < len(rs) else end
        groups.append((r, list(dict.fromkeys(c.value for c in cs if lo <= c.ev.start < hi))))
    if any(not g for _, g in groups):
        return None
    return groups
