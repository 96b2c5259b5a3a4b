"""Products named in news text and their HS 2022 codes.

Two tables, matched on noun lemmas (``lemminflect``), so "vegetables", "batteries" and
"wines" find "vegetable", "battery", "wine":

* the HS 2022 product terms of ``data/hs_terms.tsv`` (about 6,800 terms built from the
  nomenclature's descriptions by ``scripts/build_news_hs_terms.py``: "cobalt hydroxide" -> 2822,
  "palm oil" -> 1511, "dairy produce" -> 04);
* the curated news phrases of :data:`tradesim.news.lexicon.HS_LEXICON`, which override the
  nomenclature where the news says it differently ("chip-making equipment" -> 8486, "EVs").

The longest phrase wins; a word that is part of a country name or a capitalised name
inside a sentence ("Apple", "China") is not a product unless the curated table says so.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from tradesim.news import cues, lexicon
from tradesim.news.schema import Evidence, Product
from tradesim.news.spans import Mention, char_ev, tok_ev

HS_TERMS = Path(__file__).parent / "data" / "hs_terms.tsv"
_MAX_WORDS = 8


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """Noun lemma of one lower-case word (``lemminflect``; the word itself when it has none)."""
    from lemminflect import getLemma

    if not word.isalpha() or len(word) < 4:
        return word
    found = getLemma(word, upos="NOUN")
    return found[0] if found else word


@lru_cache(maxsize=65536)
def _readings(word: str) -> frozenset[str]:
    from lemminflect import getAllLemmas

    return frozenset(getAllLemmas(word))


#: Words after which a word that can also be a verb ("sugar", "face") is read as a noun.
_NOUN_CONTEXT = {"of", "on", "and", "or", ",", "the", "a", "an", "including", "as", "imported", "exported", "raw",
                 "refined", "crude", "fresh", "frozen", "local", "domestic", "foreign", "such", "its", "their", "for",
                 "while", "whilst", "whereas", "but", "with", "from", "to", "in", "white", "brown", "canned",
                 "processed", "chilled", "dried", "organic", "live", "certain", "some", "all", "most", "additional"}


def _used_as_noun(doc, i: int, blocked: set[int]) -> bool:
    """Whether a single HS word is used as a noun here: "barley" always; "sugar" or "face", which English also
    uses as verbs, only after an article, a preposition, a list comma or a country ("imported rice and sugar",
    not "sugar faces 35%"); adjectives and verbs alone ("artificial", "assemble") never."""
    tags = _readings(doc[i].lower_)
    prev = doc[i - 1].lower_ if i else ""
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    if prev in cues.UNIT_BEFORE and (prev != "a" or (i > 1 and (doc[i - 2].like_num or doc[i - 2].text in "$€£"))):
        return False  # "$60 a barrel", "per tonne": a unit
    if nxt is not None and nxt.lower_ in cues.SAID:
        return False  # "the letters said": the report, not goods
    if prev == "to" and "VERB" in tags:
        return False  # "approval to ship": a verb
    if "ADJ" in tags and nxt is not None and nxt.is_alpha and not nxt.is_stop and nxt.lower_ not in cues.GOODS_WORDS \
            and nxt.lower_ not in {"imports", "exports", "shipments", "products", "goods"}:
        return False  # "crude soyoil", "crude edible oils": a modifier of another word
    if not tags or tags <= {"NOUN", "PROPN"}:
        return True  # a noun, or a word the lemma tables do not know ("ethanol")
    if "NOUN" not in tags:
        return False
    demonym = (i - 1) in blocked and doc[i - 1].text.endswith(("an", "ese", "ish", "ch", "i", "ss", "ek"))
    if i == 0 or doc[i].is_sent_start or demonym or doc[i - 1].lower_ in _NOUN_CONTEXT:
        return True
    nxt = nxt.lower_ if nxt is not None else "."
    return nxt in cues.GOODS_WORDS or nxt in {",", ".", ";", "and", "or"}  # "restrict sugar exports"


def lemma_key(words: list[str]) -> tuple[str, ...]:
    """The lemma sequence a phrase is matched by ("Lithium-ion batteries" -> lithium, -, ion, battery)."""
    out: list[str] = []
    for w in words:
        for part in w.replace("-", " - ").split():
            out.append(lemma(part.lower()))
    return tuple(out)


@lru_cache(maxsize=1)
def table() -> dict[tuple[str, ...], tuple[tuple[str, ...], bool]]:
    """Lemma sequence -> (HS codes, curated?) of every product term."""
    import spacy

    out: dict[tuple[str, ...], tuple[tuple[str, ...], bool]] = {}
    with open(HS_TERMS, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            term, codes = line.rstrip("\n").split("\t")
            key = lemma_key(term.split())
            out[key] = (tuple(codes.split()), False)
            variant = tuple(cues.SPELLINGS.get(w, w) for w in key)
            if variant != key:
                out.setdefault(variant, (tuple(codes.split()), False))  # "aluminum foil"
    nlp = spacy.blank("en")
    for phrase, codes in lexicon.HS_LEXICON.items():
        out[lemma_key([t.text for t in nlp.make_doc(phrase)])] = (tuple(codes), True)
    return out


def find(doc, blocked: set[int]) -> list[Mention]:
    """Product mentions of a doc (longest first at each token); ``blocked`` tokens (countries) are skipped.
    A mention's ``value`` is its HS codes joined by spaces."""
    t = table()
    lemmas = [lemma(tok.lower_) for tok in doc]
    out: list[Mention] = []
    i = 0
    while i < len(doc):
        hit = None
        for n in range(min(_MAX_WORDS, len(doc) - i), 0, -1):
            if any(k in blocked for k in range(i, i + n)) or doc[i + n - 1].is_punct:
                continue
            found = t.get(tuple(lemmas[i:i + n]))
            if found is None:
                continue
            codes, curated = found
            capitalised = all(tok.is_title or tok.is_upper for tok in doc[i:i + n]) and not doc[i].is_sent_start
            if not curated and (capitalised or doc[i:i + n].text.lower() in cues.NOT_PRODUCTS or (
                    n == 1 and (doc[i].is_stop or doc[i].like_num or doc[i].lower_.endswith(("ing", "ed", "ly"))
                                or not _used_as_noun(doc, i, blocked)))):
                continue
            hit = (n, codes)
            break
        if hit and i + hit[0] < len(doc) and doc[i + hit[0]].lower_ in cues.NOT_GOODS_HEADS:
            i += hit[0]  # "meat processors", "the chip industry": not goods
            continue
        if hit and i + hit[0] < len(doc) and doc[i + hit[0]].lower_ in cues.SALT_WORDS:
            hit = (hit[0] + 1, ("28",))  # "titanium dioxide": the element's compound, an inorganic chemical
        if hit:
            n, codes = hit
            prev = out[-1] if out else None
            if prev is not None and prev.end == i:
                # a compound ("steel billets", "wax apples"): one product, named by a curated head, else by
                # its first word ("aluminum foil" is aluminium)
                head = t.get(tuple(lemmas[i:i + n]), ((), True))[1]
                value = " ".join(codes) if head else prev.value
                out[-1] = Mention(prev.start, i + n, value, tok_ev(doc, prev.start, i + n))
            else:
                out.append(Mention(i, i + n, " ".join(codes), tok_ev(doc, i, i + n)))
            i += n
        else:
            i += 1
    return out


def product(text: str, codes: str, ev: Evidence, stated: bool = False) -> Product:
    """The :class:`Product` of a mention (``codes``: HS codes joined by spaces)."""
    from tradesim.data.products import sectors_for_hs

    hs = codes.split()
    return Product(ev.text, hs, stated, sectors_for_hs(hs), ev)


def stated_hs(text: str, sent_ev: Evidence) -> list[Product]:
    """Products whose HS code the text states ("HS 0307.22")."""
    from tradesim.data.products import is_valid_hs, sectors_for_hs

    out = []
    for m in cues.HS_RE.finditer(sent_ev.text):
        code = m.group("code").replace(".", "")
        if is_valid_hs(code):
            ev = char_ev(text, sent_ev.start + m.start(), sent_ev.start + m.end())
            out.append(Product(ev.text, [code], True, sectors_for_hs([code]), ev))
    return out
