"""Clauses of a sentence and the spans inside them that are not a measure's: stated reasons,
investigations and avoidances, and conditions (also in the next sentence)."""

from __future__ import annotations

import re

from tradesim.news import cues, lexicon
from tradesim.news.spans import Clause, Mention, lower


def split_clauses(doc, sent) -> list[Clause]:
    cuts = [sent.start]
    for tok in sent:
        if tok.text == ";" or tok.lower_ in {"while", "whereas"} or (
                tok.text == "," and lower(doc, tok.i + 1) in {"and", "but"}) or (
                tok.lower_ == "and" and doc[tok.i + 1:tok.i + 2].text in lexicon.country_gazetteer()
                and tok.i + 2 < sent.end and doc[tok.i + 2].lower_ not in cues.GOODS_WORDS
                and doc[tok.i + 2].text not in {",", "."}
                and any(doc[k].lower_ in {"retaliated", "answered", "responded", "lowered", "raised"}
                        for k in range(tok.i + 2, min(tok.i + 4, sent.end)))):
            cuts.append(tok.i)
    cuts.append(sent.end)
    return [Clause(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]



# ---------------------------------------------------------------------------------------------
# extraction


def condition_follows(sent) -> bool:
    """The next sentence makes the previous one's measure conditional ("That will happen ... unless ...",
    "The levy would rise ... if ...")."""
    words = {t.lower_ for t in sent}
    return bool(words & cues.CONDITION) or (sent[0].lower_ in {"that", "this", "it", "they"} and "would" in words)


def mention_only(doc, sent, t: Mention) -> bool:
    """A trigger that names a measure as the object of an investigation, a complaint, an avoidance or a
    stated reason ("an anti-dumping probe into", "to avoid U.S. duties", "in response to Beijing's duties")."""
    if lower(doc, t.end) in cues.INVESTIGATION or lower(doc, t.end + 1) in cues.INVESTIGATION:
        return True
    after = " ".join(doc[k].lower_ for k in range(t.end, min(t.end + 5, sent.end)))
    if any(after.startswith(p) or (" " + p) in after for p in cues.SCOPE_AFTER):
        return True  # "the duties do not apply to ...", "... are exempt": a scope limit, not a measure
    words = [doc[k].lower_ for k in range(sent.start, t.start)]
    if any(w in cues.INVESTIGATION for w in words):
        return True
    if any(w in cues.MENTION_VERBS for w in words[-4:]) or any(w in cues.REFERENCE_VERBS for w in words[-6:]):
        return True
    if words and words[-1] in {"such", "similar"}:
        return True  # "the second such ban this year": a kind of measure, not one more
    # inside a stated reason: an opener before the trigger with no comma or clause break between them
    joined = " ".join(words)
    for opener in cues.REASON_OPENERS:
        at = joined.rfind(" " + opener + " ") if opener in {"after", "over"} else joined.rfind(opener)
        if at < 0:
            continue
        tail = joined[at:]
        if "," not in tail and ";" not in tail and not re.search(r"\b(imposed|imposes|slapped|set|announced)\b", tail):
            if opener in {"after", "over"} and not re.search(r"\b(after|over) (the|its|a|an|[a-z]+'s|u\.s\.|us)\b", tail):
                continue
            return True
    return False


def motive_cut(doc, clause: Clause, trig: Mention) -> Clause:
    """End the clause where a stated reason begins ("in retaliation for the US duties", "after a Section 301
    investigation into Beijing's practices"): countries and products there are not the measure's."""
    for k in range(trig.end, clause.end):
        w, nxt = doc[k].lower_, lower(doc, k + 1)
        if (w in {"retaliation", "response", "reply"} and nxt in {"for", "to"}) or w in {"citing", "after", "because"} \
                or (w == "over" and nxt in {"a", "an", "the", "its"}) or w in cues.REFERENCE_VERBS \
                or (w == "in" and nxt == "line" and lower(doc, k + 2) == "with") \
                or (w == "to" and nxt in cues.PURPOSE_VERBS and k > trig.end + 1) \
                or (w == "on" and nxt == "top" and lower(doc, k + 2) == "of") or (w == "penalty" and nxt == "for"):
            return Clause(clause.start, k)
    return clause
