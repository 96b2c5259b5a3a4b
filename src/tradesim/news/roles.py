"""Roles of the countries named near a measure: implementer, affected, or neither."""

from __future__ import annotations

from tradesim.news import cues
from tradesim.news.schema import FLOW, TradeMeasure
from tradesim.news.spans import Mention, lower, prev_word


def country_role(doc, c: Mention, trig: Mention) -> str:
    """'implementer', 'affected' or '' for a country relative to a measure trigger; a country listed after
    another ("from China, Japan and South Korea") has the role of the list's first."""
    head = _list_head(doc, c)
    if head is not None:
        return country_role(doc, head, trig)
    prev, nxt = prev_word(doc, c.start), lower(doc, c.end)
    prods = doc.user_data.get("product_starts", set())
    if nxt in {"'s", "’s"} and trig.start in doc.user_data.get("preference", {}) \
            and c.end + 1 <= trig.start <= c.end + 3:
        return "affected"  # "will end India's preferential treatment": the beneficiary
    if prev in cues.PREP_IMPLEMENTER:
        return "implementer"
    if trig.start in doc.user_data.get("passive", set()) and prev == "from" and c.start > trig.start:
        return "implementer"  # "Turkish tomatoes will be barred from Russia"
    before_to = lower(doc, c.start - 3) if lower(doc, c.start - 1) == "the" else lower(doc, c.start - 2)
    if nxt in cues.FACE or (nxt in {"will", "would", "could", "now", "also"} and lower(doc, c.end + 1) in cues.FACE):
        return "affected"  # "Switzerland faces a 39% tariff"
    if prev in cues.ADDRESSEE or (nxt in {"will", "would", "is", "was", "are", "were"} and lower(doc, c.end + 1) == "be"
                                  and lower(doc, c.end + 2) in cues.HIT_PASSIVE):
        return "affected"  # "informing Japan that its goods will face", "Brazil will be charged a 50% tariff"
    if prev == "to" and before_to in cues.SENT_TO and FLOW.get(trig.value) == "import":
        return "implementer"  # "tariffs on British cars exported to the United States": the destination's
    if c.end == trig.start and prev in {"to", "from"} and nxt not in {"'s", "’s"}:
        return "implementer"  # "became subject to U.S. tariffs", "relief from U.S. duties": the country's own
    if prev == "at" and lower(doc, c.start - 2) in {"aimed", "targeted", "directed"}:
        return "affected"
    if prev == "in" and lower(doc, c.start - 2 - (lower(doc, c.start - 1) == "the")) in cues.ORIGIN_VERBS:
        return "affected"  # "textiles originating in Vietnam", "vehicles built in China"
    if nxt in cues.IMPORTER_WORDS or (lower(doc, c.end + 1) in cues.IMPORTER_WORDS and c.end in prods):
        return "implementer"  # "Chinese soybean buyers must pay an extra 25% tariff": the importing side
    if nxt == "-" and lower(doc, c.end + 1) in cues.ORIGIN_VERBS | {"origin"}:
        return "affected"  # "U.S.-made vehicles", "Chinese-built cars"
    if nxt in {"'s", "’s"} and c.end + 1 < len(doc) and doc[c.end + 1].is_title and c.end + 1 not in prods \
            and doc[c.end + 1].lower_ not in cues.OFFICE_WORDS and FLOW.get(trig.value) == "export" \
            and any(s < c.start for s in doc.user_data.get("country_starts", set()) if s >= doc[c.start].sent.start):
        return "affected"  # "Taiwan added China's Huawei to its entity list": the firm's country
    if prev == "of" and lower(doc, c.start - 2) in cues.WHITELIST_REMOVE | cues.WHITELIST_RESTORE:
        return "affected"  # "Japan's removal of South Korea from its white list"
    if prev in {"with", "between", "in", "at", "after", "than"}:
        return ""
    if prev == "of" and c.start > trig.start:
        return "affected"
    if prev in cues.PREP_AFFECTED or (prev == "at" and lower(doc, c.start - 2) in {"aimed", "targeted", "directed"}):
        return "affected"
    if nxt in {"'s", "’s"} and c.end + 1 < len(doc):
        nxt2 = lower(doc, c.end + 1)
        if c.end + 1 in prods or nxt2 in cues.GOODS_WORDS:
            return "affected"
        return "implementer" if c.start < trig.start else ""
    end = _list_end(doc, c)
    if c.start < trig.start and end < trig.start and (lower(doc, end) in cues.GOODS_WORDS or end in prods
                                                      or lower(doc, end + 1) in _FIRMS):
        return "affected"  # "Japanese and Korean car exports", "28 US defence companies"
    if c.start < trig.start and (nxt in cues.GOODS_WORDS or c.end in prods):
        # "Japanese seafood imports": the goods' origin, unless the trigger follows at once ("US tariffs")
        return "affected" if c.end != trig.start else "implementer"
    if c.start > trig.start and (nxt in cues.GOODS_WORDS or c.end in prods or end in prods
                                 or lower(doc, c.end + 1) in cues.GOODS_WORDS or lower(doc, end) in cues.GOODS_WORDS):
        return "affected"
    if c.start < trig.start:
        return "implementer"
    return ""


_FIRMS = {"companies", "company", "firms", "firm", "makers", "producers", "exporters", "suppliers", "manufacturers",
          "entities", "groups"}


def _list_head(doc, c: Mention) -> Mention | None:
    """The country just before ``c`` in a list ("China, Japan and South Korea"), or None."""
    if lower(doc, c.start - 1) not in {",", "and", "or"}:
        return None
    starts = {e: s for s, e in doc.user_data.get("country_ends", {}).items()}
    start = starts.get(c.start - 1)
    if start is None or (lower(doc, c.start - 1) == "," and lower(doc, c.start) in {"which", "who"}):
        return None
    return Mention(start, c.start - 1, "", None)


def _list_end(doc, c: Mention) -> int:
    """The token after a list of countries that starts with ``c`` ("Japanese and Korean car exports")."""
    ends = doc.user_data.get("country_ends", {})
    end = c.end
    while lower(doc, end) in {",", "and", "or"} and end + 1 in ends:
        end = ends[end + 1]
    return end


def co_implementers(doc, s_countries: list[Mention], m: TradeMeasure) -> list[str]:
    """Further implementers listed with the first: "Poland, Hungary and Slovakia imposed their own bans"."""
    ev = m.evidence.get("implementer")
    if ev is None:
        return []
    listed = sorted(s_countries, key=lambda c: c.start)
    first = next((k for k, c in enumerate(listed) if c.ev.start == ev.start), None)
    out: list[str] = []
    if first is None:
        return out
    while first > 0 and listed[first - 1].value not in m.affected and all(
            doc[k].lower_ in {",", "and"} for k in range(listed[first - 1].end, listed[first].start)) \
            and listed[first - 1].end < listed[first].start:
        first -= 1  # "Argentina, Uruguay and Paraguay suspended imports": from the list's head
    if listed[first].value != m.implementer:
        out.append(listed[first].value)  # the list's head
    for a, b in zip(listed[first:], listed[first + 1:]):
        gap = [doc[k].lower_ for k in range(a.end, b.start)]
        if not gap or not all(w in {",", "and"} for w in gap) or b.value in m.affected:
            break
        out.append(b.value)
    return [c for c in out if c != m.implementer]
