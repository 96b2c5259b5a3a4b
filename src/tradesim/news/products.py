"""Products named in news text and their HS 2022 codes."""

from __future__ import annotations

from tradesim.news import cues, lexicon
from tradesim.news.schema import Evidence, Product
from tradesim.news.spans import char_ev


def product(text: str, phrase: str, ev: Evidence, stated: bool = False, codes: list[str] | None = None) -> Product:
    from tradesim.data.products import sectors_for_hs

    codes = codes or lexicon.HS_LEXICON[phrase]
    return Product(ev.text, list(codes), stated, sectors_for_hs(codes), ev)


def stated_hs(text: str, sent_ev: Evidence) -> list[Product]:
    from tradesim.data.products import is_valid_hs, sectors_for_hs

    out = []
    for m in cues.HS_RE.finditer(sent_ev.text):
        code = m.group("code").replace(".", "")
        if is_valid_hs(code):
            ev = char_ev(text, sent_ev.start + m.start(), sent_ev.start + m.end())
            out.append(Product(ev.text, [code], True, sectors_for_hs([code]), ev))
    return out
