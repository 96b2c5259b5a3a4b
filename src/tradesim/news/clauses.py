"""Clauses of a sentence and the spans inside them that are not a measure's (stated reasons,
investigations and avoidances, conditions, also in the next sentence); measures named by a verb
("restrict exports of") and the flow of a ban."""

from __future__ import annotations

import re

from tradesim.news import cues, lexicon
from tradesim.news.spans import Clause, Mention, lower, tok_ev


def split_clauses(doc, sent) -> list[Clause]:
    cuts = [sent.start]
    for tok in sent:
        if tok.text == ";" or tok.lower_ in {"while", "whereas"} or (
                tok.text == "," and lower(doc, tok.i + 1) == "with"
                and any(doc[k].text in {"%", "percent"} for k in range(tok.i + 2, min(tok.i + 7, sent.end)))) or (
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
    return bool(words & cues.CONDITION) or (sent[0].lower_ in {"that", "this", "it", "they", "such"}
                                            and "would" in words)


def mention_only(doc, sent, t: Mention) -> bool:
    """A trigger that names a measure as the object of an investigation, a complaint, an avoidance or a
    stated reason ("an anti-dumping probe into", "to avoid U.S. duties", "in response to Beijing's duties")."""
    # "final affirmative determinations in its anti-dumping probe": the probe's outcome is the measure
    decided = re.search(r"\b(final|affirmative)\b[^.]{0,30}\b(determinations?|ruling|results)\b", sent.text.lower())
    if not decided and (lower(doc, t.end) in cues.INVESTIGATION or lower(doc, t.end + 1) in cues.INVESTIGATION):
        return True
    after = " ".join(doc[k].lower_ for k in range(t.end, min(t.end + 10, sent.end)))
    if re.match(r"(\S+ ){0,3}(reached|rose|fell|filled|hit|climbed|dropped) (\S+ )?[\d.]+ (%|percent) of\b", after):
        return True  # "the new quota reached 40% of the allocation": a statistic about a measure
    if re.match(r"(\S+ ){0,5}((would|could|might|may|will) (raise|hurt|cut|cost|weigh|boost|push|reduce|slow|damage|"
                r"increase|add)|(have|has|had) (cost|hurt|weighed|damaged|boosted|attracted|spurred|drawn|helped|forced|"
                r"pushed|driven|lured)|(is|are|was|were) (unfair|illegal|unjustified|discriminatory|protectionist|working|hurting|"
                r"biting|effective))\b", after):
        return True  # "U.S. tariffs would raise the cost of its cars": the effect of a measure, not the measure
    if any(after.startswith(p) or (" " + p) in after for p in cues.SCOPE_AFTER):
        return True  # "the duties do not apply to ...", "... are exempt": a scope limit, not a measure
    words = [doc[k].lower_ for k in range(sent.start, t.start)]
    if not decided and any(w in cues.INVESTIGATION for w in words):
        return True
    if any(w in cues.MENTION_VERBS for w in words[-6:]):
        return True
    recent = " ".join(words[-6:])
    if cues.EFFECT_BEFORE_RE.search(recent):
        return True  # "the hit from Washington's 25% levy": the effect of a measure
    if cues.RELIEF_BEFORE_RE.search(recent) and not status_cue_near(doc, t, sent):
        return True  # "seeking relief from U.S. steel tariffs" (but "an exemption from tariffs imposed by X" names X's)
    if t.start == sent.start and lower(doc, t.end) in cues.GENERIC_AFTER and lower(doc, t.end + 1) in {"a", "an"}:
        return True  # "Tariffs are a tax paid by importers": measures in general
    ref = [i for i, w in enumerate(words) if w in cues.REFERENCE_VERBS and len(words) - i <= 15]
    if ref and not {",", ";"} & set(words[ref[-1]:]):
        return True  # "a deal that replaces U.S. duties on steel with a tariff-rate quota": measures referred to
    if any(w in cues.TALKS_WORDS for w in words[-4:]) and (words[-1] in {"the", "its", "their", "on", "over"}
                                                            or words[-1] in cues.TALKS_WORDS):
        return True  # "consultations on the export curbs": the topic of talks
    talk = [i for i, w in enumerate(words) if w in cues.TALKS_WORDS and len(words) - i <= 16]
    if talk and {"on", "over", "about"} & set(words[talk[-1]:]) and not {",", ";"} & set(words[talk[-1]:]):
        return True  # "in talks with the U.S. on lowering its 25% tariff"
    if re.search(r"\bexempt(?:s|ed|ing)?\b(?:(?!,).)*\bfrom\b", " ".join(words[-12:])):
        return True  # "will exempt some U.S. chip imports from its 125% tariffs": a scope limit
    if words and words[-1] in {"such", "similar"}:
        return True  # "the second such ban this year": a kind of measure, not one more
    if len(words) > 2 and (words[-2:] == [",", "as"] or words[-3:-1] == [",", "as"] and words[-1] in {"the", "u.s."}):
        return True  # "exports fell 20%, as tariffs weighed on shipments": the reason of a market move
    # inside a stated reason: an opener before the trigger with no comma or clause break between them
    if lower(doc, t.start - 1) == "by" and doc[t.start].lower_.endswith("ing"):
        return False  # "retaliated against Washington's curbs by banning exports": the measure itself
    joined = " ".join(words)
    for opener in cues.REASON_OPENERS:
        at = joined.rfind(" " + opener + " ") if opener in {"after", "over"} else joined.rfind(opener)
        if at < 0:
            continue
        tail = joined[at:]
        acted = re.search(r"\b(imposed|imposes|slapped|set|announced)\b|\bby \w+ing\b", tail)
        if opener == "after" and joined[:at].count(" ") >= 2:
            acted = None  # "the yen fell after Washington announced the tariffs": the reason, not the news
        if opener == "after" and at > 0 and doc[t.start].lower_.endswith("ed") and len(tail.split()) <= 4 \
                and "," not in tail:
            return True  # "exports hit a record after India banned shipments": the cause of a market move
        if "," not in tail and ";" not in tail and not acted:
            if opener in {"after", "over"} and not re.search(r"\b(after|over) (the|its|a|an|[a-z]+'s|[a-z.]+ 's|u\.s\.|us)\b",
                                                             tail) \
                    and not (re.search(r"\bafter \S+( \S+)? (announced|imposed|slapped|introduced|unveiled|levied|"
                                       r"raised|doubled|tightened|widened|extended|delayed|paused|postponed|"
                                       r"suspended|lifted|removed|scrapped|cut|eased|threatened)\b", tail)
                             and re.search(r"\b(the|its|their|\S+'s)$", tail.strip())):
                continue
            return True
    return False


def motive_cut(doc, clause: Clause, trig: Mention) -> Clause:
    """End the clause where a stated reason begins ("in retaliation for the US duties", "after a Section 301
    investigation into Beijing's practices", ", saying ...", "under a trade deal announced by ..."): countries and
    products there are not the measure's."""
    for k in range(trig.end, clause.end):
        w, nxt = doc[k].lower_, lower(doc, k + 1)
        if (w in {"retaliation", "response", "reply"} and nxt in {"for", "to"}) or w in {"citing", "after", "because"} \
                or (w == "over" and nxt in {"a", "an", "the", "its"}) or w in cues.REFERENCE_VERBS \
                or (w == "in" and nxt == "line" and lower(doc, k + 2) == "with") \
                or (w == "to" and nxt in cues.PURPOSE_VERBS and k > trig.end + 1) \
                or (w == "on" and nxt == "top" and lower(doc, k + 2) == "of") or (w == "penalty" and nxt == "for") \
                or (w in cues.REASON_AFTER | cues.SCOPE_OPENERS and lower(doc, k - 1) == ",") \
                or (w == "under" and {lower(doc, k + j) for j in range(1, 5)} & cues.DEAL_WORDS):
            return Clause(clause.start, k)
    return clause


def verb_triggers(doc, sent) -> list[Mention]:
    """"restrict exports of", "suspended all imports of": a measure named by verb + object; "barred Lithuanian
    timber": a ban named by verb + the goods of a country."""
    out = []
    starts, ends = doc.user_data.get("country_starts", set()), doc.user_data.get("country_ends", {})
    products = doc.user_data.get("product_starts", set())
    last_verb = None
    for tok in sent:
        if tok.lower_ in {"barred", "banned", "prohibited"} and lower(doc, tok.i - 1) in cues.BE \
                and lower(doc, tok.i + 1) == "from" and tok.i + 2 in starts | {k + 1 for k in starts}:
            out.append(Mention(tok.i, tok.i + 1, "import_ban", tok_ev(doc, tok.i, tok.i + 1)))
            doc.user_data.setdefault("passive", set()).add(tok.i)  # "will be barred from Russia": Russia bars them
            continue
        if tok.lower_ in cues.RESTRICT_VERBS and tok.lower_.startswith(("ban", "bar", "block", "halt", "suspend")):
            k = tok.i + 1 + (lower(doc, tok.i + 1) in {"all", "the"})
            if k in starts and ends[k] in products:
                out.append(Mention(tok.i, ends[k], "import_ban", tok_ev(doc, tok.i, ends[k])))
                continue
        if tok.lower_ in {"charge", "charges", "charged", "charging"} and any(
                doc[j].text in {"%", "percent"} for j in range(tok.i + 1, min(tok.i + 5, sent.end))):
            out.append(Mention(tok.i, tok.i + 1, "tariff", tok_ev(doc, tok.i, tok.i + 1)))  # "will charge 20% on"
            continue
        if tok.lower_ not in {"imports", "exports", "shipments", "import", "export"}:
            continue
        if tok.lower_ in {"export", "import"} and lower(doc, tok.i + 1) in cues.MEASURE_NOUNS:
            continue  # "export controls": the compound trigger names the measure
        if lower(doc, tok.i - 1) == "and" and last_verb is not None and tok.i - last_verb[0] <= 15 \
                and not any(doc[j].lower_ in cues.RESTRICT_VERBS for j in range(max(sent.start, tok.i - 5), tok.i)):
            # "banned imports of iron from Russia and exports of luxury goods": the verb's second object
            verb = doc[last_verb[0]].lower_
            banned = verb.startswith(("ban", "halt", "stop", "prohibit", "bar"))
            kind = ("export_ban" if banned else "export_control") if tok.lower_.startswith("export") else "import_ban"
            out.append(Mention(tok.i, tok.i + 1, kind, tok_ev(doc, tok.i, tok.i + 1)))
            continue
        for k in range(tok.i - 1, max(sent.start, tok.i - 5) - 1, -1):
            if doc[k].lower_ in cues.TALKS_WORDS:
                break  # "resume talks on export controls": the talks resume
            if doc[k].lower_ in cues.RESTRICT_VERBS or doc[k].lower_ in cues.RESUME_VERBS:
                starts = doc.user_data.get("country_starts", set())
                # "shipments of Chinese smartphones", "shipments from Japan": coming in
                foreign = any(lower(doc, j) in {"of", "from"} and (j + 1 in starts or j + 2 in starts)
                              for j in range(tok.i + 1, min(tok.i + 3, sent.end)))
                export = tok.lower_ in {"exports", "export"} or (tok.lower_ == "shipments" and not foreign)
                if export and not any(lower(doc, j) == "from" for j in range(tok.i + 1, min(tok.i + 3, sent.end))):
                    banned = doc[k].lower_.startswith(("ban", "halt", "stop", "prohibit", "bar", "suspend"))
                    kind = "export_ban" if banned else "export_control"
                else:
                    kind = "import_ban"
                out.append(Mention(k, tok.i + 1, kind, tok_ev(doc, k, tok.i + 1)))
                last_verb = (k, kind)
                break
    return out


def refine_ban(doc, m: Mention, end: int) -> str:
    """A "ban" is on exports unless the exports come *from* somewhere (an import ban on them)."""
    for j in range(m.end, min(m.end + 7, end)):
        w = doc[j].lower_
        if w in {"imports", "import"}:
            return "import_ban"
        if w in {"exports", "export", "shipments"}:
            # "exports from Japan" are imports of the banning state; "exports from Aug. 15" are its exports
            starts = doc.user_data.get("country_starts", set())
            origin = any(lower(doc, k) in {"from", "into"} and (k + 1 in starts or k + 2 in starts)
                         for k in range(j + 1, min(j + 3, end)))
            return "import_ban" if origin else "export_ban"
    if lower(doc, m.start - 1) == "export":
        return "export_ban"
    return "import_ban"


def preference_change(doc, sent, t: Mention) -> bool:
    """A tariff preference that the sentence ends or grants becomes a tariff trigger (recorded with its verb in
    ``doc.user_data["preference"]``); one merely named is dropped."""
    for k in range(t.start - 1, max(sent.start, t.start - 7) - 1, -1):
        w = doc[k].lower_
        if w in {",", ";"}:
            break
        for kind, verbs in (("end", cues.PREFERENCE_END), ("grant", cues.PREFERENCE_GRANT)):
            if w in verbs:
                doc.user_data.setdefault("preference", {})[t.start] = (kind, tok_ev(doc, k, k + 1))
                t.value = "tariff"
                return True
    return False


def status_cue_near(doc, trig: Mention, sent) -> bool:
    """A word right after the trigger that says the measure is in place ("the ban imposed in 2001")."""
    return any(doc[k].lower_ in {"imposed", "implemented", "took", "continued", "in", "since"}
               for k in range(trig.end, min(trig.end + 3, sent.end)))
