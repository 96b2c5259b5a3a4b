"""Rule-based extraction of trade measures and events from one news article.

The pipeline runs offline on ``spacy.blank("en")`` (tokenizer and sentencizer, no
statistical model) with phrase matchers over gazetteers (:mod:`tradesim.news.lexicon`):

1. read: refuse binary data and oversized input, strip HTML, warn on non-English text;
2. per sentence, match countries, products, measure triggers, event cues and dates;
3. split the sentence into clauses (``;``, ``while``, ``, and``) and attach each
   country to a trigger by its position and preposition (``by X`` implementer,
   ``on/from/to/against X`` affected, a demonym before goods affected, a subject
   before the trigger implementer);
4. read status, modality, direction, rate, motive and dates from cue words in
   the clause; a measure only *requested* by another state becomes a REQUEST event;
5. merge mentions of the same measure across sentences ("the ban", "the duties").

Every field keeps the character span it came from (:class:`~tradesim.news.schema.Evidence`).

Example
-------
>>> from tradesim.news import extract
>>> x = extract("China banned imports of Japanese beef in 2001.", published="2025-04-21")
>>> m = x.measures[0]
>>> (m.implementer, m.affected, m.instrument, m.products[0].hs)
('CHN', ['JPN'], 'import_ban', ['0201', '0202'])
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from tradesim.errors import TradesimError
from tradesim.news import lexicon
from tradesim.news.schema import (FLOW, MAST_CHAPTER, DateValue, Event, Evidence, Extraction, Figure, Product,
                                  Rate, TradeMeasure)

#: Longest article the extractor reads (characters): one article, not a corpus.
MAX_CHARS = 200_000


class NewsInputError(TradesimError):
    """The input is not an article the extractor can read (binary, too long, unreadable)."""


# ---------------------------------------------------------------------------------------------
# cue lexicons (lower-case phrases, matched on tokens)

_TRIGGERS: dict[str, list[str]] = {
    "tariff": ["tariff", "tariffs", "duty", "duties", "levy", "levies", "counter-tariffs", "import taxes",
               "reciprocal tariff", "reciprocal tariffs"],
    "anti_dumping": ["anti-dumping", "antidumping", "anti-dumping duties", "anti-subsidy", "countervailing duties"],
    "import_ban": ["ban", "bans", "banned", "banning", "embargo"],
    "export_control": ["export controls", "export control", "export restrictions", "export curbs", "chip curbs",
                       "export control list"],
    "export_ban": ["export ban", "export bans"],
    "export_licensing": ["export licences", "export licenses", "export licence", "export license", "licence",
                         "licences", "license", "licenses", "licensing requirement"],
    "quota": ["quota", "quotas"],
}
#: Verbs that make a measure of the following "imports"/"exports" (restrict exports of ...).
_RESTRICT_VERBS = ("restrict", "restricts", "restricted", "restricting", "suspend", "suspends", "suspended",
                   "halt", "halts", "halted", "block", "blocked", "bar", "barred", "limit", "limits", "limited",
                   "curb", "curbs", "curbed", "stop", "stopped", "tighten", "tightened", "ban", "banned", "bans")
#: Nouns after "tariff" that make it a topic, not a measure ("tariff negotiations").
_TOPIC_NOUNS = {"negotiations", "talks", "issue", "issues", "war", "wars", "dispute", "friction", "truce", "deal",
                "fight", "threat", "threats", "policy", "battle", "concerns", "row", "tensions", "uncertainty",
                "regime", "revenue", "exemption", "exemptions"}

_EVENTS: dict[str, tuple[str, str, list[str]]] = {
    # label: (PLOVER kind, subtype, phrases)
    "request": ("REQUEST", "request", ["urged", "urges", "urging", "called on", "calls on", "pressed", "pressing",
                                       "pressure on", "pressured", "pressuring", "seeking commitments",
                                       "sought commitments", "encouraging", "encouraged", "asked", "demanded",
                                       "demanding", "requested"]),
    "exemption": ("REQUEST", "exemption", ["seeking an exemption", "sought an exemption", "seeks an exemption",
                                           "seeking exemption", "requested an exemption"]),
    "threaten": ("THREATEN", "warning", ["warned", "warns", "warning", "cautioned", "cautions", "threatened",
                                         "threatens", "threatening", "vowed to retaliate"]),
    "visit": ("CONSULT", "visit", ["visit", "visits", "travel to", "will travel", "delegation"]),
    "letter": ("CONSULT", "letter", ["letter", "personal letter"]),
    "talks": ("CONSULT", "talks", ["talks", "negotiations", "met with", "meet", "meeting", "meetings",
                                   "phone call", "discuss"]),
    "agree": ("AGREE", "agreement", ["agreement", "agreed", "deal", "truce", "joint statement"]),
}

_NEGATION = {"not", "n't", "never", "no", "denied", "deny", "denies", "ruled", "without"}
_HYPOTHETICAL = {"could", "might", "may", "if", "speculated", "speculation", "rumoured", "rumored", "rumour",
                 "rumor", "considering", "mulling", "weighing", "fears", "possible", "potential", "argue",
                 "argues", "reportedly", "would"}
_REPORTING = {"said", "says", "announced", "told", "stated", "confirmed"}
_FUTURE = {"will", "plans", "planned", "set", "intends", "'ll"}
_LIFT = {"lift", "lifted", "lifts", "lifting", "removed", "remove", "scrapped", "ended", "end", "eased",
         "resumed", "resume"}
_CUT = {"cut", "cuts", "lowered", "lower", "reduced", "reduce", "reduces", "lowering"}
_SUSPEND = {"suspend", "suspended", "suspends", "paused", "pause", "postponed", "delayed"}
_IN_FORCE = {"imposed", "imposes", "imposing", "took", "effect", "force", "continued", "continuing", "implemented",
             "collecting", "raised", "raises", "applied", "applies", "banned", "halted", "hit", "slapped",
             "added", "adds", "placed", "tightened", "place", "since", "continues", "suspended"}
_ANNOUNCE = {"announced", "announces", "unveiled", "said", "would", "will", "plans"}
_PREP_AFFECTED = {"on", "against", "from", "to", "targeting", "toward", "towards", "for"}
_PREP_IMPLEMENTER = {"by", "into"}
_GOODS_WORDS = {"goods", "products", "imports", "exports", "import", "export", "shipments", "companies", "firms",
                "producers", "exporters", "items", "prefectures", "brands", "steel", "cars", "autos"}

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan\\.|Feb\\.|Aug\\.|Sept\\.|Sep\\.|Oct\\.|Nov\\.|Dec\\.")
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DATE_RE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+)?(?P<month>{_MONTHS})(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?(?:,?\s+(?P<y1>(?:19|20)\d{{2}}))?\b"
    rf"|\b(?:earlier |later )?(?:this|last|next) (?P<rel>week|month|year)\b"
    rf"|\b(?P<wd>{_WEEKDAYS})\b"
    rf"|\b(?P<yd>yesterday|today)\b"
    rf"|\b(?:in|since|by|from|until|of|early|late|mid-?)\s+(?P<y2>(?:19|20)\d{{2}})\b")
_PCT_RE = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)")
_FROM_TO_RE = re.compile(r"from\s+(?P<a>\d+(?:\.\d+)?)\s*(?:%|percent|per cent)\s+to\s+(?P<b>\d+(?:\.\d+)?)\s*"
                         r"(?:%|percent|per cent)")
_HS_RE = re.compile(r"\bHS\s*(?:code|heading|chapter|subheading)?\s*(?P<code>\d{4}\.\d{2}|\d{2,6})\b")
_SHARE_RE = re.compile(r"(?:accounts? for|accounting for|makes? up|making up|represents?)\s+(?:approximately\s+|about\s+|"
                       r"around\s+|roughly\s+|nearly\s+|almost\s+|some\s+|over\s+|more than\s+)?"
                       r"(?P<num>\d+(?:\.\d+)?)\s*(?:%|percent|per cent)\s+of\s+(?P<whose>[^.,;]{0,40}?)"
                       r"\b(?P<what>trade|exports|imports)\b")


@lru_cache(maxsize=1)
def _pipeline():
    """The blank English pipeline and its phrase matchers (built once)."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    countries = PhraseMatcher(nlp.vocab, attr="ORTH")
    gaz = lexicon.country_gazetteer()
    for name in gaz:
        countries.add(name, [nlp.make_doc(name)])
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    for phrase in lexicon.HS_LEXICON:
        lower.add("P:" + phrase.lower(), [nlp.make_doc(phrase)])
    for label, phrases in _TRIGGERS.items():
        lower.add("T:" + label, [nlp.make_doc(p) for p in phrases])
    for label, (_, _, phrases) in _EVENTS.items():
        lower.add("E:" + label, [nlp.make_doc(p) for p in phrases])
    return nlp, countries, lower


# ---------------------------------------------------------------------------------------------
# input


def read_article(data: bytes | str) -> tuple[str, list[str]]:
    """Decode, bound and clean an article; return ``(text, warnings)``.

    Raises
    ------
    NewsInputError
        Binary data, text that is not UTF-8, or more than :data:`MAX_CHARS` characters.
    """
    warnings: list[str] = []
    if isinstance(data, bytes):
        if b"\x00" in data[:65536]:
            raise NewsInputError("input looks like binary data (NUL bytes), not an article")
        if len(data) > 4 * MAX_CHARS:
            raise NewsInputError(f"input is {len(data):,} bytes; the extractor reads one article of at most "
                                 f"{MAX_CHARS:,} characters")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise NewsInputError(f"input is not UTF-8 text ({err.reason} at byte {err.start})") from None
    else:
        text = data
    if len(text) > MAX_CHARS:
        raise NewsInputError(f"input is {len(text):,} characters; the extractor reads one article of at most "
                             f"{MAX_CHARS:,} characters")
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t")
    if text and control > 0.01 * len(text):
        raise NewsInputError("input looks like binary data (control characters), not an article")
    if re.search(r"<\s*(html|body|p|div|article|span|br|script|head)\b", text, re.I):
        text = re.sub(r"(?is)<(script|style|head)\b.*?</\1\s*>", " ", text)
        text = re.sub(r"(?i)<\s*(br|/p|/div|/h\d|/li|/title)\s*/?>", "\n", text)
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
        text = re.sub(r"[ \t]+", " ", text)
        warnings.append("HTML markup removed; offsets refer to the cleaned text")
    text = text.replace("\u2019", "'").replace("\u2018", "'")  # same length: offsets are kept
    if not text.strip():
        warnings.append("empty article: nothing to extract")
        return "", warnings
    words = re.findall(r"[A-Za-z]+", text.lower())
    common = {"the", "of", "and", "to", "in", "on", "is", "for", "from", "with", "its", "said", "by", "at", "was",
              "has", "that", "an", "it", "will", "would"}
    letters = sum(ch.isalpha() for ch in text)
    if letters and (sum(ch.isascii() for ch in text if ch.isalpha()) < 0.8 * letters
                    or not words or sum(w in common for w in words) < 0.08 * len(words)):
        warnings.append("text does not look like English; the extractor reads English news only")
    return text, warnings


# ---------------------------------------------------------------------------------------------
# matching


@dataclass
class _Mention:
    start: int  # token index in the doc
    end: int
    value: str  # ISO3, HS phrase, trigger label
    ev: Evidence


@dataclass
class _Clause:
    start: int
    end: int
    countries: list[_Mention] = field(default_factory=list)


def _ev(doc, start: int, end: int) -> Evidence:
    span = doc[start:end]
    return Evidence(span.start_char, span.end_char, span.text)


def _char_ev(text: str, start: int, end: int) -> Evidence:
    return Evidence(start, end, text[start:end])


def _matches(doc):
    nlp, countries, lower = _pipeline()
    from spacy.util import filter_spans

    gaz = lexicon.country_gazetteer()
    cs = filter_spans([doc[s:e] for _, s, e in countries(doc)])
    country_mentions = [_Mention(s.start, s.end, gaz[s.text], _ev(doc, s.start, s.end)) for s in cs]
    found = [(nlp.vocab.strings[m], s, e) for m, s, e in lower(doc)]
    prods = filter_spans([doc[s:e] for label, s, e in found if label.startswith("P:")])
    product_mentions = [_Mention(s.start, s.end, s.text.lower(), _ev(doc, s.start, s.end)) for s in prods]
    trig_spans = filter_spans([doc[s:e] for label, s, e in found if label.startswith("T:")])
    labels = {(s, e): label[2:] for label, s, e in found if label.startswith("T:")}
    triggers = [_Mention(s.start, s.end, labels[(s.start, s.end)], _ev(doc, s.start, s.end)) for s in trig_spans]
    events = [_Mention(s, e, label[2:], _ev(doc, s, e)) for label, s, e in found if label.startswith("E:")]
    return country_mentions, product_mentions, triggers, events


def _lower(doc, i: int) -> str:
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def _verb_triggers(doc, sent) -> list[_Mention]:
    """"restrict exports of", "suspended all imports of": a measure named by verb + object."""
    out = []
    for tok in sent:
        if tok.lower_ not in {"imports", "exports", "shipments", "import", "export"}:
            continue
        for k in range(tok.i - 1, max(sent.start, tok.i - 5) - 1, -1):
            if doc[k].lower_ in _RESTRICT_VERBS:
                export = tok.lower_ in {"exports", "export"} or (tok.lower_ == "shipments" and _lower(doc, tok.i + 1) != "from")
                if export and not any(_lower(doc, j) == "from" for j in range(tok.i + 1, min(tok.i + 3, sent.end))):
                    kind = "export_ban" if doc[k].lower_.startswith(("ban", "halt", "stop")) else "export_control"
                else:
                    kind = "import_ban"
                out.append(_Mention(k, tok.i + 1, kind, _ev(doc, k, tok.i + 1)))
                break
    return out


def _refine_ban(doc, m: _Mention, end: int) -> str:
    """A "ban" is on exports unless the exports come *from* somewhere (an import ban on them)."""
    for j in range(m.end, min(m.end + 7, end)):
        w = doc[j].lower_
        if w in {"imports", "import"}:
            return "import_ban"
        if w in {"exports", "export", "shipments"}:
            return "import_ban" if any(_lower(doc, k) in {"from", "into"} for k in range(j + 1, min(j + 3, end))) \
                else "export_ban"
    if _lower(doc, m.start - 1) == "export":
        return "export_ban"
    return "import_ban"


def _clauses(doc, sent) -> list[_Clause]:
    cuts = [sent.start]
    for tok in sent:
        if tok.text == ";" or tok.lower_ in {"while", "whereas"} or (
                tok.text == "," and _lower(doc, tok.i + 1) in {"and", "but"}) or (
                tok.lower_ == "and" and doc[tok.i + 1:tok.i + 2].text in lexicon.country_gazetteer()
                and tok.i + 2 < sent.end and doc[tok.i + 2].lower_ not in _GOODS_WORDS
                and doc[tok.i + 2].text not in {",", "."}
                and any(doc[k].lower_ in {"retaliated", "answered", "responded", "lowered", "raised"}
                        for k in range(tok.i + 2, min(tok.i + 4, sent.end)))):
            cuts.append(tok.i)
    cuts.append(sent.end)
    return [_Clause(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


# ---------------------------------------------------------------------------------------------
# dates


def _published(published: str | dt.date | None) -> dt.date | None:
    if published is None or isinstance(published, dt.date):
        return published
    try:
        return dt.date.fromisoformat(str(published))
    except ValueError:
        raise NewsInputError(f"published date {published!r} is not YYYY-MM-DD") from None


def _resolve_date(m: re.Match, pub: dt.date | None, future: bool) -> tuple[str | None, str]:
    """Value and granularity of one date span (``dateparser`` on the span only)."""
    span = m.group(0)
    if m.group("rel"):
        unit = m.group("rel")
        if pub is None:
            return None, unit
        shift = -1 if "last" in span else (1 if "next" in span else 0)
        if unit == "year":
            return str(pub.year + shift), "year"
        if unit == "month":
            month = pub.month - 1 + shift
            return f"{pub.year + month // 12:04d}-{month % 12 + 1:02d}", "month"
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=shift)
        return monday.isoformat(), "week"
    year = m.group("y1") or m.group("y2")
    if m.group("y2"):
        return year, "year"
    day = m.group("d1") or m.group("d2") or m.group("wd") or m.group("yd")
    if not year and pub is None:
        return None, "day" if day else "month"
    import dateparser

    settings = {"PREFER_DATES_FROM": "future" if future else "past", "PREFER_DAY_OF_MONTH": "first",
                "RETURN_AS_TIMEZONE_AWARE": False}
    if pub is not None:
        settings["RELATIVE_BASE"] = dt.datetime(pub.year, pub.month, pub.day)
    if m.group("month") and not year and pub is not None:
        settings["PREFER_DATES_FROM"] = "current_period"
    parsed = dateparser.parse(span, languages=["en"], settings=settings)
    if parsed is None:
        return None, "day" if day else "month"
    if day:
        return parsed.date().isoformat(), "day"
    return parsed.strftime("%Y-%m"), "month"


# ---------------------------------------------------------------------------------------------
# extraction


def _prev_word(doc, i: int) -> str:
    """The word before token ``i``, skipping titles and names ("by President Donald Trump")."""
    k = i - 1
    while k >= 0 and (doc[k].lower_ == "the" or (doc[k].is_title and doc[k].lower_ not in {"by", "on", "from"}
                                                   and k > doc[k].sent.start)):
        k -= 1
    return _lower(doc, k)


def _country_role(doc, c: _Mention, trig: _Mention) -> str:
    """'implementer', 'affected' or '' for a country relative to a measure trigger."""
    prev, nxt = _prev_word(doc, c.start), _lower(doc, c.end)
    if prev in _PREP_IMPLEMENTER:
        return "implementer"
    if prev == "at" and _lower(doc, c.start - 2) in {"aimed", "targeted", "directed"}:
        return "affected"
    if prev in {"with", "between", "in", "at", "after", "than"}:
        return ""
    if prev == "of" and c.start > trig.start:
        return "affected"
    if prev in _PREP_AFFECTED or (prev == "at" and _lower(doc, c.start - 2) in {"aimed", "targeted", "directed"}):
        return "affected"
    if nxt in {"'s", "’s"} and c.end + 1 < len(doc):
        nxt2 = _lower(doc, c.end + 1)
        if nxt2 in lexicon.HS_LEXICON or nxt2 in _GOODS_WORDS:
            return "affected"
        return "implementer" if c.start < trig.start else ""
    if c.start < trig.start and (nxt in _GOODS_WORDS or doc[c.end:c.end + 2].text.lower() in lexicon.HS_LEXICON
                                 or doc[c.end:c.end + 1].text.lower() in lexicon.HS_LEXICON):
        # "Japanese seafood imports": the goods' origin, unless the trigger follows at once ("US tariffs")
        return "affected" if c.end != trig.start else "implementer"
    if c.start > trig.start and (nxt in _GOODS_WORDS or nxt in lexicon.HS_LEXICON
                                 or doc[c.end:c.end + 2].text.lower() in lexicon.HS_LEXICON):
        return "affected"
    if c.start < trig.start:
        return "implementer"
    return ""


def _cue_window(doc, clause: _Clause, trig: _Mention) -> list[str]:
    return [doc[k].lower_ for k in range(clause.start, min(trig.end + 3, clause.end))]


def _modality(doc, clause: _Clause, trig: _Mention, sent) -> tuple[str, Evidence | None]:
    words = _cue_window(doc, clause, trig)
    before = [doc[k] for k in range(clause.start, trig.start)]
    for tok in before:
        if tok.lower_ in _NEGATION and not (tok.lower_ == "no" and _lower(doc, tok.i + 1) in {"longer"}):
            if tok.lower_ == "not" and _lower(doc, tok.i + 1) in {"only"}:
                continue
            return "negated", _ev(doc, tok.i, tok.i + 1)
    for tok in [t for t in sent if t.lower_ == "if"] + before:
        w = tok.lower_
        if w in _HYPOTHETICAL and not (w == "may" and tok.text == "May"):
            if w == "would" and any(doc[k].lower_ in _REPORTING for k in range(max(sent.start, tok.i - 7), tok.i)):
                return "future", _ev(doc, tok.i, tok.i + 1)
            if w == "reportedly":
                continue
            return "hypothetical", _ev(doc, tok.i, tok.i + 1)
    for w, tok in zip(words, [doc[k] for k in range(clause.start, min(trig.end + 3, clause.end))]):
        if w in {"agreed", "agrees"} and "to" in words[words.index(w):words.index(w) + 8]:
            return "future", _ev(doc, tok.i, tok.i + 1)
        if w in _FUTURE or (w == "to" and _lower(doc, tok.i - 1) in {"is", "are"}):
            return "future", _ev(doc, tok.i, tok.i + 1)
    return "historical", None


def _status(doc, clause: _Clause, trig: _Mention, family: str, modality: str) -> tuple[str, str, Evidence | None]:
    """(status, direction, evidence) from the cue words of the clause."""
    toks = [doc[k] for k in range(clause.start, clause.end)]
    for tok in toks:
        w = tok.lower_
        if w in _LIFT and family != "tariff":
            negated = any(doc[k].lower_ in {"yet", "not", "n't", "refused", "never"}
                          for k in range(max(clause.start, tok.i - 4), tok.i))
            if not negated:
                return "lifted", "liberalising", _ev(doc, tok.i, tok.i + 1)
        if family == "tariff" and (w in _CUT or w in _LIFT):
            return ("announced" if modality == "future" else "in_force"), "liberalising", _ev(doc, tok.i, tok.i + 1)
        if family == "tariff" and w in _SUSPEND:
            return "suspended", "liberalising", _ev(doc, tok.i, tok.i + 1)
    for tok in toks:
        if tok.lower_ in {"threatened", "threatens", "threatening", "threaten"} and tok.i < trig.start:
            return "threatened", "restrictive", _ev(doc, tok.i, tok.i + 1)
    if modality == "future":
        return "announced", "restrictive", None
    for tok in toks:
        if tok.lower_ in _IN_FORCE:
            return "in_force", "restrictive", _ev(doc, tok.i, tok.i + 1)
    for tok in toks:
        if tok.lower_ in _ANNOUNCE:
            return "announced", "restrictive", _ev(doc, tok.i, tok.i + 1)
    return "in_force", "restrictive", None


def _rate(text: str, clause_ev: Evidence, trig: _Mention) -> Rate | None:
    seg = clause_ev.text
    ft = _FROM_TO_RE.search(seg)
    if ft:
        return Rate(float(ft.group("b")) / 100, float(ft.group("a")) / 100, "ad valorem",
                    _char_ev(text, clause_ev.start + ft.start(), clause_ev.start + ft.end()))
    best = None
    for m in _PCT_RE.finditer(seg):
        pre = seg[max(0, m.start() - 25):m.start()].lower()
        if re.search(r"(accounts? for|rose|fell|grew|share|down|up by)\s*(approximately|about|around)?\s*$", pre):
            continue
        pos = clause_ev.start + m.start()
        dist = abs(pos - trig.ev.start)
        if best is None or dist < best[0]:
            unit = "additional" if re.search(r"(additional|extra|further|another)\s*$", pre) else "ad valorem"
            unit = "up to" if pre.rstrip().endswith("up to") else unit
            best = (dist, Rate(float(m.group("num")) / 100, None, unit,
                               _char_ev(text, pos, clause_ev.start + m.end())))
    return best[1] if best else None


def _product(text: str, phrase: str, ev: Evidence, stated: bool = False, codes: list[str] | None = None) -> Product:
    from tradesim.data.products import sectors_for_hs

    codes = codes or lexicon.HS_LEXICON[phrase]
    return Product(ev.text, list(codes), stated, sectors_for_hs(codes), ev)


def _stated_hs(text: str, sent_ev: Evidence) -> list[Product]:
    from tradesim.data.products import is_valid_hs, sectors_for_hs

    out = []
    for m in _HS_RE.finditer(sent_ev.text):
        code = m.group("code").replace(".", "")
        if is_valid_hs(code):
            ev = _char_ev(text, sent_ev.start + m.start(), sent_ev.start + m.end())
            out.append(Product(ev.text, [code], True, sectors_for_hs([code]), ev))
    return out


def extract(data: bytes | str, published: str | dt.date | None = None) -> Extraction:
    """Trade measures, events and stated figures of one English news article.

    Parameters
    ----------
    data : str or bytes
        The article (plain text or HTML; bytes must be UTF-8).
    published : str or date, optional
        Publication date ``YYYY-MM-DD``; relative dates ("earlier this month") are
        resolved against it, and left unresolved without it.

    Returns
    -------
    Extraction
        Measures, events, figures and warnings; evidence offsets index ``Extraction.text``.

    Raises
    ------
    NewsInputError
        Binary or oversized input, or a malformed ``published`` date.
    """
    pub = _published(published)
    text, warnings = read_article(data)
    out = Extraction(published=pub.isoformat() if pub else None, text=text, warnings=warnings)
    if not text.strip():
        return out
    nlp = _pipeline()[0]
    doc = nlp(text)
    countries, products, triggers, events = _matches(doc)
    for sent in doc.sents:
        _sentence(doc, text, sent, countries, products, triggers, events, pub, out)
    _dedupe_events(out)
    return out


def _in(ms: list[_Mention], a: int, b: int) -> list[_Mention]:
    return [m for m in ms if a <= m.start and m.end <= b]


def _sentence(doc, text, sent, countries, products, triggers, events, pub, out: Extraction) -> None:
    s_ev = _ev(doc, sent.start, sent.end)
    s_countries = _in(countries, sent.start, sent.end)
    s_products = _in(products, sent.start, sent.end)
    s_events = _in(events, sent.start, sent.end)
    trigs = []
    for t in _in(triggers, sent.start, sent.end):
        if t.value == "tariff" and (_lower(doc, t.end) in _TOPIC_NOUNS or _lower(doc, t.end) == "-"):
            continue
        if t.value == "import_ban":
            t.value = _refine_ban(doc, t, sent.end)
        if t.value == "export_licensing" and not any(
                w in sent.text.lower() for w in ("export", "shipment", "exporter")):
            continue
        trigs.append(t)
    for v in _verb_triggers(doc, sent):
        if not any(t.start <= v.end and v.start <= t.end for t in trigs):
            trigs.append(v)
    trigs.sort(key=lambda t: t.start)
    dates = [(m, _char_ev(text, s_ev.start + m.start(), s_ev.start + m.end())) for m in _DATE_RE.finditer(s_ev.text)]
    lowered = s_ev.text.lower()
    motive = next(((mot, _char_ev(text, s_ev.start + lowered.index(cue), s_ev.start + lowered.index(cue) + len(cue)))
                   for cue, mot in lexicon.MOTIVES.items() if cue in lowered), None)
    request_cues = [e for e in s_events if e.value == "request"]

    clauses = _clauses(doc, sent)
    new_measures: list[TradeMeasure] = []
    for clause in clauses:
        c_trigs = [t for t in trigs if clause.start <= t.start < clause.end]
        # one measure per family in a clause: "tariffs of 30% on X and up to 50% on Y" is one list
        merged: list[_Mention] = []
        for t in c_trigs:
            fam = FLOW[t.value] + ("-tariff" if t.value in {"tariff", "anti_dumping"} else "")
            if merged and (FLOW[merged[-1].value] + ("-tariff" if merged[-1].value in {"tariff", "anti_dumping"}
                                                      else "")) == fam:
                between = _in(s_products, merged[-1].end, t.start)
                if not (between and _in(s_products, t.end, clause.end)):
                    if t.value == "anti_dumping":
                        merged[-1] = t
                    continue
            merged.append(t)
        c_countries = _in(s_countries, clause.start, clause.end)
        for idx, trig in enumerate(merged):
            lo = merged[idx - 1].end if idx else clause.start
            hi = merged[idx + 1].start if idx + 1 < len(merged) else clause.end
            sub = _Clause(lo if idx else clause.start, hi)
            m = _measure(doc, text, sent, s_ev, sub, trig, c_countries if len(merged) == 1 else
                         [c for c in c_countries if lo <= c.start < hi], s_products if len(merged) == 1 else
                         [p for p in s_products if lo <= p.start < hi], dates, pub, motive,
                         [e for e in s_events if e.value in {"agree", "visit", "talks", "letter"}])
            if m is None:
                continue
            asked_for = any(r.start < trig.start for r in request_cues)
            if asked_for and not (m.status in {"in_force", "lifted"} and _status_cue_near(doc, trig, sent)):
                continue  # a measure another state asks for is a REQUEST event (below), not a measure
            new_measures.append(m)
    # fill roles from the whole sentence when a clause lacks them
    for m in new_measures:
        if m.implementer is None:
            subj = [c for c in s_countries if c.value not in m.affected and _lower(doc, c.start - 1) not in
                    _PREP_AFFECTED | {"with", "between", "in", "of"}]
            if subj:
                m.implementer = subj[0].value
                m.evidence["implementer"] = subj[0].ev
        if not m.affected and m.implementer:
            rest = [c for c in s_countries if c.value != m.implementer and _lower(doc, c.start - 1) not in
                    {"with", "between", "in", "after"} and c.ev.start < m.evidence["instrument"].start
                    and _lower(doc, c.end) not in {"'s"}]
            if rest and m.flow == "import" and "implementer" in m.evidence and \
                    m.evidence["implementer"].start > m.evidence["instrument"].start:
                m.affected = [rest[0].value]
                m.evidence["affected"] = rest[0].ev
    for m in new_measures:
        _add_measure(out, m, s_ev)
    _events(doc, text, sent, s_ev, s_countries, s_products, s_events, dates, pub, trigs, out)
    _figures(doc, text, s_ev, s_countries, out)


def _status_cue_near(doc, trig: _Mention, sent) -> bool:
    return any(doc[k].lower_ in {"imposed", "implemented", "took", "continued", "in", "since"}
               for k in range(trig.end, min(trig.end + 3, sent.end)))


def _motive_cut(doc, clause: _Clause, trig: _Mention) -> _Clause:
    """End the clause where a stated reason begins ("in retaliation for the US duties", "after a Section 301
    investigation into Beijing's practices"): countries and products there are not the measure's."""
    for k in range(trig.end, clause.end):
        w, nxt = doc[k].lower_, _lower(doc, k + 1)
        if (w in {"retaliation", "response", "reply"} and nxt in {"for", "to"}) or w in {"citing", "after", "because"} \
                or (w == "over" and nxt in {"a", "an", "the", "its"}):
            return _Clause(clause.start, k)
    return clause


def _measure(doc, text, sent, s_ev, clause, trig, c_countries, c_products, dates, pub, motive,
             cues=()) -> TradeMeasure | None:
    clause = _motive_cut(doc, clause, trig)
    c_countries = [c for c in c_countries if c.start < clause.end]
    c_products = [p for p in c_products if p.start < clause.end]
    instrument = trig.value
    family = "tariff" if instrument in {"tariff", "anti_dumping"} else FLOW[instrument]
    modality, mod_ev = _modality(doc, clause, trig, sent)
    status, direction, st_ev = _status(doc, clause, trig, family, modality)
    implementer = affected_ev = imp_ev = None
    affected: list[str] = []
    best = -1
    for c in c_countries:
        role = _country_role(doc, c, trig)
        if role == "implementer":
            # "imposed by X" beats a subject: "Japan is seeking an exemption from tariffs imposed by X"
            rank = 2 if _prev_word(doc, c.start) in _PREP_IMPLEMENTER else (1 if c.end == trig.start else 0)
            if rank > best:
                if implementer is not None and rank == 2 and implementer not in affected and trig.value in {
                        "tariff", "anti_dumping"}:
                    affected.append(implementer)
                    affected_ev = affected_ev or imp_ev
                implementer, imp_ev, best = c.value, c.ev, rank
        elif role == "affected" and c.value not in affected:
            affected.append(c.value)
            affected_ev = affected_ev or c.ev
    if implementer in affected:
        affected.remove(implementer)
    ev = {"instrument": trig.ev, "status": st_ev or trig.ev}
    if imp_ev:
        ev["implementer"] = imp_ev
    if affected_ev:
        ev["affected"] = affected_ev
    if mod_ev:
        ev["modality"] = mod_ev
    clause_ev = _ev(doc, clause.start, clause.end)
    rate = _rate(text, clause_ev, trig) if family == "tariff" else None
    if rate:
        ev["rate"] = rate.evidence
    c_products = [p for p in c_products if not (_lower(doc, p.start - 1) in {"make", "making", "produce"}
                                                and _lower(doc, p.start - 2) in {"to", "used"})]
    after = [p for p in c_products if p.start >= trig.start and clause.start <= p.start < clause.end]
    near = after or [p for p in c_products if p.start < trig.start]
    prods = [_product(text, p.value, p.ev) for p in near]
    prods += [p for p in _stated_hs(text, clause_ev)]
    if prods:
        ev["products"] = prods[0].evidence
    m = TradeMeasure(implementer, affected, [], instrument, MAST_CHAPTER[instrument], FLOW[instrument], direction,
                     status, modality, products=prods, rate=rate, evidence=ev, sentence=s_ev)
    if motive:
        m.motive, ev["motive"] = motive
        if instrument == "import_ban" and motive[0].startswith(("food safety", "plant health")):
            m.mast_chapter = MAST_CHAPTER["sps_measure"]
    future = modality == "future"
    for match, d_ev in dates:
        if not (clause_ev.start <= d_ev.start < clause_ev.end) and len([1 for _ in dates]) > 1:
            continue
        if any(abs(c.ev.start - d_ev.start) < abs(trig.ev.start - d_ev.start) for c in cues):
            continue  # "an agreement reached in 2024": the date of the agreement, not of the ban
        pre = text[max(s_ev.start, d_ev.start - 30):d_ev.start].lower()
        said = re.search(r"(announced|said|unveiled|agreed|signed)\s*(on\s*)?$", pre)
        value, gran = _resolve_date(match, pub, future and not said)
        dv = DateValue(value, gran, d_ev)
        if status == "lifted":
            m.removed = m.removed or dv
        elif re.search(r"(effect|effective|from|starting|since|force|from as early as)\s*(on\s*)?$", pre):
            m.in_force = m.in_force or dv
        elif said or status == "announced":
            m.announced = m.announced or dv
        else:
            m.in_force = m.in_force or dv
    if status == "in_force" and pub and m.in_force and m.in_force.value and m.in_force.granularity == "day" \
            and m.in_force.value > pub.isoformat():
        m.status = "announced"  # "from July 4" in an article of July 1: not yet in force
    # a bare mention ("tariffs are a tax") is no measure
    if implementer is None and not affected and not prods and rate is None and modality != "historical":
        return None
    return m


def _same_family(a: str, b: str) -> bool:
    fam = {"tariff": "t", "anti_dumping": "t", "tariff_suspension": "t", "import_ban": "i", "quota": "i",
           "sps_measure": "i", "export_ban": "e", "export_control": "e", "export_licensing": "e"}
    return fam[a] == fam[b]


def _add_measure(out: Extraction, m: TradeMeasure, s_ev: Evidence) -> None:
    """Merge a mention of an earlier measure ("the ban", "the duties took effect") into it."""
    hs = {c for p in m.products for c in p.hs}
    for prior in reversed(out.measures):
        if not _same_family(prior.instrument, m.instrument):
            continue
        prior_hs = {c for p in prior.products for c in p.hs}
        same_actor = m.implementer in (None, prior.implementer)
        same_target = not m.affected or set(m.affected) == set(prior.affected)
        if same_actor and same_target and (not hs or hs == prior_hs) and (m.implementer or not m.affected):
            if prior.sentence and prior.sentence.start == s_ev.start and m.implementer is None and not hs:
                return  # a second word for the same measure in one sentence
            prior.notes.append(s_ev)
            if m.status == "lifted":
                prior.status, prior.direction, prior.removed = "lifted", "liberalising", m.removed
            for name in ("in_force", "announced", "removed"):
                if getattr(prior, name) is None and getattr(m, name) is not None:
                    setattr(prior, name, getattr(m, name))
            if prior.rate is None and m.rate is not None:
                prior.rate = m.rate
            if prior.motive is None and m.motive:
                prior.motive = m.motive
            return
    if m.implementer is None and not m.affected and not m.products:
        return  # nothing to say who does what to whom, and nothing earlier to attach it to
    out.measures.append(m)


def _events(doc, text, sent, s_ev, s_countries, s_products, s_events, dates, pub, trigs, out: Extraction) -> None:
    seen_spans: list[tuple[int, int]] = []
    for e in sorted(s_events, key=lambda e: (e.start, -(e.end - e.start))):
        if any(a <= e.start < b for a, b in seen_spans):
            continue
        seen_spans.append((e.start, e.end))
        kind, subtype, _ = _EVENTS[e.value]
        if e.value == "request" and any(x.value == "exemption" and x.start <= e.start < x.end for x in s_events):
            continue
        if kind == "CONSULT" and e.value == "talks" and _lower(doc, e.start - 1) in {"no"}:
            continue
        if e.value == "request" and _lower(doc, e.start - 1) in {"when", "if", "as"}:
            continue  # "when pressed on ...": a question put to someone, not a request between states
        excluded = {"with", "to", "on", "against"} | ({"from"} if kind != "CONSULT" else set())
        before = [c for c in s_countries if c.end <= e.start and _prev_word(doc, c.start) not in excluded]
        after = [c for c in s_countries if c.start >= e.end]
        actor = before[0].value if before else None
        if actor is None and kind == "CONSULT":
            pair = [c for c in s_countries if _lower(doc, c.start - 1) in {"from", "between"}]
            actor = pair[0].value if pair else None
        target = None
        for c in after:
            prev = _prev_word(doc, c.start)
            if c.value == actor:
                continue
            if kind != "CONSULT" and prev in {"with", "between"}:
                continue
            target = c.value
            break
        if target is None and kind == "CONSULT":
            others = [c.value for c in s_countries if c.value != actor]
            target = others[0] if others else None
        if kind == "REQUEST" and subtype == "exemption":
            # "seeking an exemption from tariffs imposed by X": the exemption is asked of the implementer
            imp = [c for c in after if _lower(doc, c.start - 1) == "by"] or \
                  [c for c in s_countries if c.value != actor and _lower(doc, c.start - 1) == "with"]
            target = imp[0].value if imp else target
        window_prods = [p for p in s_products if p.start >= e.start]
        prods = [_product(text, p.value, p.ev) for p in window_prods] if kind == "REQUEST" else []
        end = sent.end
        summary = doc[e.start:min(end, e.end + 14)].text
        date = None
        if dates:
            value, gran = _resolve_date(dates[0][0], pub, "will" in sent.text)
            date = DateValue(value, gran, dates[0][1])
        about = None
        if kind == "AGREE" or subtype == "exemption":
            # an agreement or exemption about a measure named in the same or the next breath
            for i, m in enumerate(out.measures):
                if m.sentence and m.sentence.start == s_ev.start or any(n.start == s_ev.start for n in m.notes):
                    about = i
        if kind == "AGREE" and not trigs and about is None and e.value == "agree" and doc[e.start].lower_ == "agreed":
            continue  # "agreed to keep talking": no agreement on a measure
        ev = Event(kind, subtype, actor, target, summary, prods, date, e.ev, about)
        out.events.append(ev)
        if about is not None:
            out.measures[about].notes.append(e.ev)


def _dedupe_events(out: Extraction) -> None:
    """One event per (kind, subtype, actor, target): later mentions ("China's warning") are the same event."""
    kept: list[Event] = []
    for e in out.events:
        if e.actor is None and e.target is None and e.kind != "AGREE":
            if any(k.kind == e.kind for k in kept):
                continue
        dup = next((k for k in kept if (k.kind, k.subtype, k.actor) == (e.kind, e.subtype, e.actor)
                    and (k.target == e.target or (e.kind == "THREATEN" and None in (k.target, e.target)))), None)
        if dup is None:
            kept.append(e)
    out.events = kept


def _figures(doc, text, s_ev: Evidence, s_countries: list[_Mention], out: Extraction) -> None:
    for m in _SHARE_RE.finditer(s_ev.text):
        start = s_ev.start + m.start()
        subject = [c for c in s_countries if c.ev.end <= start]
        whose = [c for c in s_countries if s_ev.start + m.start("whose") <= c.ev.start < s_ev.start + m.end("whose")]
        out.figures.append(Figure(f"share of {m.group('what')}", float(m.group("num")) / 100, "share",
                                  subject[0].value if subject else None, whose[0].value if whose else None,
                                  _char_ev(text, start, s_ev.start + m.end())))
