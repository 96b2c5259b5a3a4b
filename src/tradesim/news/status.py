"""Modality (historical, future, hypothetical, negated) and status (in force, announced, lifted, ...) of a
measure mention, read from the cue words of its clause and sentence (:mod:`tradesim.news.cues`); and whether a
duty is on a state's own exports."""

from __future__ import annotations

from tradesim.news import cues
from tradesim.news.schema import Evidence
from tradesim.news.spans import Clause, Mention, lower, tok_ev


def _cue_window(doc, clause: Clause, trig: Mention) -> list[str]:
    return [doc[k].lower_ for k in range(clause.start, min(trig.end + 3, clause.end))]


def modality_of(doc, clause: Clause, trig: Mention, sent) -> tuple[str, Evidence | None]:
    words = _cue_window(doc, clause, trig)
    before = [doc[k] for k in range(clause.start, trig.start)]
    for tok in before:
        if tok.lower_ in cues.NEGATION and not (tok.lower_ == "no" and lower(doc, tok.i + 1) in {"longer"}):
            if tok.lower_ == "not" and lower(doc, tok.i + 1) in {"only"} or \
                    tok.lower_ == "ruled" and lower(doc, tok.i + 1) != "out":
                continue  # "not only"; "ruled that ... had been dumped" (but "ruled out")
            return "negated", tok_ev(doc, tok.i, tok.i + 1)
    taken = any(tok.lower_ in cues.TAKEN for tok in before)
    for tok in sent:
        if tok.lower_ in cues.CONDITION and taken and tok.i > trig.end:
            continue  # "imposed duties of 11.8% that will rise in August unless ...": the duties are taken
        if tok.lower_ in cues.CONDITION or (tok.lower_ == "should" and tok.i == sent.start):
            return "hypothetical", tok_ev(doc, tok.i, tok.i + 1)
        if tok.lower_ in cues.OPINION and not (tok.lower_ == "ruled" and cues.REMEDY_RULING.search(sent.text.lower())):
            return "hypothetical", tok_ev(doc, tok.i, tok.i + 1)
    if any(doc[k].lower_ in cues.ANY for k in range(max(clause.start, trig.start - 2), trig.start)):
        return "hypothetical", tok_ev(doc, trig.start - 1, trig.start)  # "would respond to any U.S. tariffs"
    prop = next((tok for tok in before[-6:] if tok.lower_ in cues.PROPOSAL), None)
    if prop is not None and not any(doc[k].lower_ in cues.ENACTED for k in range(max(sent.start, prop.i - 4), prop.i)):
        return "hypothetical", tok_ev(doc, prop.i, prop.i + 1)  # "introduced a bill to ban imports": proposed
    for tok in before:
        if tok.lower_ == "should" and tok.i > sent.start:
            return "hypothetical", tok_ev(doc, tok.i, tok.i + 1)  # "X should lift its bans": a call, not a measure
        if tok.lower_ in cues.THREAT_VERBS:
            return "hypothetical", tok_ev(doc, tok.i, tok.i + 1)
    for k in range(trig.end, min(trig.end + 8, sent.end)):
        if doc[k].lower_ == "coming" and lower(doc, k - 1) in {"was", "is", "are", "were"} \
                and lower(doc, k + 1) not in {"into", "in"}:
            return "hypothetical", tok_ev(doc, k, k + 1)  # "a 'major' tariff on drugs was coming": a threat
    for tok in [t for t in sent if t.lower_ == "if" and not (taken and t.i > trig.end)] + before:
        w = tok.lower_
        if w in cues.HYPOTHETICAL and not (w == "may" and tok.text == "May"):
            if w == "would" and any(doc[k].lower_ in cues.REPORTING for k in range(sent.start, tok.i)) and not any(
                    b.lower_ in cues.HYPOTHETICAL - {"would"} for b in before if b.i > tok.i):
                return "future", tok_ev(doc, tok.i, tok.i + 1)
            if w == "reportedly":
                continue
            return "hypothetical", tok_ev(doc, tok.i, tok.i + 1)
    for w, tok in zip(words, [doc[k] for k in range(clause.start, min(trig.end + 3, clause.end))]):
        if w in {"agreed", "agrees"} and "to" in words[words.index(w):words.index(w) + 8]:
            return "future", tok_ev(doc, tok.i, tok.i + 1)
        if w == "set" and lower(doc, tok.i + 1) != "to":
            continue  # "Turkey set duties of 30%": past; "is set to impose": future
        if w in cues.FUTURE or (w == "to" and lower(doc, tok.i - 1) in {"is", "are"}):
            return "future", tok_ev(doc, tok.i, tok.i + 1)
    return "historical", None


def status_of(doc, clause: Clause, trig: Mention, family: str, modality: str) -> tuple[str, str, Evidence | None]:
    """(status, direction, evidence) from the cue words of the clause."""
    toks = [doc[k] for k in range(clause.start, clause.end)]
    pref = doc.user_data.get("preference", {}).get(trig.start)
    if pref:  # "will end India's preferential treatment": a tariff raised; "granted duty-free access": cut
        direction = "restrictive" if pref[0] == "end" else "liberalising"
        return ("announced" if modality == "future" else "in_force"), direction, pref[1]
    if "list" in trig.ev.text.lower():  # "removed Japan from its white list" tightens; "restored" lifts
        for tok in toks:
            if tok.lower_ in cues.WHITELIST_RESTORE:
                return "lifted", "liberalising", tok_ev(doc, tok.i, tok.i + 1)
            if tok.lower_ in cues.WHITELIST_REMOVE:
                return "in_force", "restrictive", tok_ev(doc, tok.i, tok.i + 1)
    for tok in toks:
        w = tok.lower_
        if family != "tariff" and w in cues.SUSPEND and trig.start - 4 <= tok.i < trig.start:
            return "suspended", "liberalising", tok_ev(doc, tok.i, tok.i + 1)  # "suspended its ban on poultry"
        if w in cues.LIFT and lower(doc, tok.i - 1) in {"the", "an", "its", "no"}:
            continue  # "until the end of the year", "with no end date set"
        if w in cues.LIFT and family != "tariff":
            negated = any(doc[k].lower_ in {"yet", "not", "n't", "refused", "never"}
                          for k in range(max(clause.start, tok.i - 4), tok.i))
            if not negated:
                return "lifted", "liberalising", tok_ev(doc, tok.i, tok.i + 1)
        if family == "tariff" and (w in cues.CUT or w in cues.LIFT):  # cut: in force or announced; lifted: lifted
            status = "lifted" if w in cues.LIFT else "announced" if modality == "future" else "in_force"
            return status, "liberalising", tok_ev(doc, tok.i, tok.i + 1)
        if family == "tariff" and w in cues.SUSPEND:
            return "suspended", "liberalising", tok_ev(doc, tok.i, tok.i + 1)
    for tok in toks:
        if tok.lower_ in {"threatened", "threatens", "threatening", "threaten"} and tok.i < trig.start:
            return "threatened", "restrictive", tok_ev(doc, tok.i, tok.i + 1)
    if modality == "future":
        return "announced", "restrictive", None
    for tok in toks:
        if tok.lower_ in cues.IN_FORCE:
            return "in_force", "restrictive", tok_ev(doc, tok.i, tok.i + 1)
    for tok in toks:
        if tok.lower_ in cues.ANNOUNCE:
            return "announced", "restrictive", tok_ev(doc, tok.i, tok.i + 1)
    return "in_force", "restrictive", None


def on_own_exports(doc, t: Mention, sent) -> bool:
    """"a duty on onion exports", "levies on exports of palm oil": the trigger taxes the state's own exports (no
    country or demonym names the goods' origin, unlike "tariffs on Chinese exports")."""
    if lower(doc, t.end) != "on":
        return False
    countries = doc.user_data.get("country_starts", set())
    for k in range(t.end + 1, min(t.end + 5, sent.end)):
        if k in countries or doc[k].lower_ in {"its", "their", "imports", "imported", "import"}:
            return False
        if doc[k].lower_ in {"exports", "export", "shipments"}:
            nxt = [doc[j] for j in range(k + 1, min(k + 4, sent.end))]
            return not any(j.i in countries for j in nxt if j.i <= k + 2) and \
                not any(j.lower_ in {"from", "to"} for j in nxt[:1])
    return False
