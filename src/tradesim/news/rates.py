"""Rates in news text: ad valorem percentages, changes ("to 25% from 10%"), ranges, and the pairing
of several rates in one clause with the products each applies to."""

from __future__ import annotations

import re

from tradesim.news import cues
from tradesim.news.schema import Evidence, Rate
from tradesim.news.spans import Mention, char_ev


def rate_near(text: str, clause_ev: Evidence, trig: Mention) -> Rate | None:
    seg = clause_ev.text
    ft = cues.FROM_TO_RE.search(seg)
    if ft:
        return Rate(float(ft.group("b")) / 100, float(ft.group("a")) / 100, "ad valorem",
                    char_ev(text, clause_ev.start + ft.start(), clause_ev.start + ft.end()))
    best = None
    for m in cues.PCT_RE.finditer(seg):
        pre = seg[max(0, m.start() - 25):m.start()].lower()
        if re.search(r"(accounts? for|rose|fell|grew|share|down|up by)\s*(approximately|about|around)?\s*$", pre):
            continue
        pos = clause_ev.start + m.start()
        dist = abs(pos - trig.ev.start)
        if best is None or dist < best[0]:
            unit = "additional" if re.search(r"(additional|extra|further|another)\s*$", pre) else "ad valorem"
            unit = "up to" if pre.rstrip().endswith("up to") else unit
            best = (dist, Rate(float(m.group("num")) / 100, None, unit,
                               char_ev(text, pos, clause_ev.start + m.end())))
    return best[1] if best else None
