"""Rule-based extraction of trade measures and events from one news article.

The pipeline runs offline on ``spacy.blank("en")`` (tokenizer and sentencizer, no
statistical model) with phrase matchers over gazetteers (:mod:`tradesim.news.lexicon`):

1. read (:mod:`~tradesim.news.reader`): refuse binary data and oversized input, strip HTML,
   warn on non-English text;
2. per sentence, match countries, products (:mod:`~tradesim.news.products`: HS 2022 terms on
   noun lemmas, curated phrases as the override), measure triggers and event cues
   (:mod:`~tradesim.news.cues`) and dates; drop triggers that only name a measure
   (:mod:`~tradesim.news.clauses`: reasons, investigations, scope limits, topics of talks);
3. split the sentence into clauses (``;``, ``while``, ``, and``) and attach each country to a
   trigger by its position and preposition (:mod:`~tradesim.news.roles`);
4. read status, modality (:mod:`~tradesim.news.status`), direction, rate (:mod:`~tradesim.news.rates`), motive and dates from
   cue words in the clause; a measure only *requested* by another state becomes a REQUEST event;
   a condition or threat makes it hypothetical;
5. one measure per rate, rate lists continued without a trigger, mentions of the same measure
   across sentences merged (:mod:`~tradesim.news.merge`); events (:mod:`~tradesim.news.events`).

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

import copy
import datetime as dt
import re
from functools import lru_cache

from tradesim.news import cues, lexicon
from tradesim.news.dates import published_date, resolve_date
from tradesim.news.events import dedupe_events, figures, sentence_events, threats_of
from tradesim.news.products import find as find_products
from tradesim.news.products import product, stated_hs
from tradesim.news.clauses import (condition_follows, mention_only, motive_cut, preference_change, refine_ban,
                                   split_clauses, status_cue_near, verb_triggers)
from tradesim.news.merge import add_measure, by_rate, drop_summaries, previous_measure, same_family, siblings
from tradesim.news.rates import rate_near, rates_in
from tradesim.news.roles import co_implementers, country_role
from tradesim.news.reader import MAX_CHARS, NewsInputError, read_article
from tradesim.news.schema import FLOW, MAST_CHAPTER, DateValue, Extraction, TradeMeasure
from tradesim.news.spans import Clause, Mention, char_ev, lower, prev_word, tok_ev, within
from tradesim.news.status import modality_of, on_own_exports, status_of

__all__ = ["extract", "read_article", "NewsInputError", "MAX_CHARS"]


@lru_cache(maxsize=1)
def _pipeline():
    """The blank English pipeline and its phrase matchers (built once)."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    for abbr in ("U.S.", "U.K.", "E.U."):  # "U.S.-made vehicles": the country, then its goods
        for verb in cues.ORIGIN_VERBS | {"origin", "based", "owned"}:
            nlp.tokenizer.add_special_case(f"{abbr}-{verb}", [{"ORTH": abbr}, {"ORTH": "-"}, {"ORTH": verb}])
    countries = PhraseMatcher(nlp.vocab, attr="ORTH")
    gaz = lexicon.country_gazetteer()
    for name in gaz:
        countries.add(name, [nlp.make_doc(name)])
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, phrases in cues.TRIGGERS.items():
        lower.add("T:" + label, [nlp.make_doc(p) for p in phrases])
    for label, (_, _, phrases) in cues.EVENTS.items():
        lower.add("E:" + label, [nlp.make_doc(p) for p in phrases])
    return nlp, countries, lower


# ---------------------------------------------------------------------------------------------
# matching


def _matches(doc):
    nlp, countries, lower = _pipeline()
    from spacy.util import filter_spans

    gaz = lexicon.country_gazetteer()
    cs = filter_spans([doc[s:e] for _, s, e in countries(doc)])
    country_mentions = [Mention(s.start, s.end, gaz[s.text], tok_ev(doc, s.start, s.end)) for s in cs]
    found = [(nlp.vocab.strings[m], s, e) for m, s, e in lower(doc)]
    product_mentions = find_products(doc, {k for c in country_mentions for k in range(c.start, c.end)})
    doc.user_data["product_starts"] = {p.start for p in product_mentions}
    doc.user_data["country_starts"] = {c.start for c in country_mentions}
    doc.user_data["country_ends"] = {c.start: c.end for c in country_mentions}
    trig_spans = filter_spans([doc[s:e] for label, s, e in found if label.startswith("T:")])
    labels = {(s, e): label[2:] for label, s, e in found if label.startswith("T:")}
    triggers = [Mention(s.start, s.end, labels[(s.start, s.end)], tok_ev(doc, s.start, s.end)) for s in trig_spans]
    events = [Mention(s, e, label[2:], tok_ev(doc, s, e)) for label, s, e in found if label.startswith("E:")]
    return country_mentions, product_mentions, triggers, events


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
    pub = published_date(published)
    text, warnings = read_article(data)
    out = Extraction(published=pub.isoformat() if pub else None, text=text, warnings=warnings)
    if not text.strip():
        return out
    nlp = _pipeline()[0]
    doc = nlp(text)
    countries, products, triggers, events = _matches(doc)
    sents = list(doc.sents)
    for k, sent in enumerate(sents):
        before = len(out.measures)
        _sentence(doc, text, sent, countries, products, triggers, events, pub, out)
        nxt = sents[k + 1] if k + 1 < len(sents) else None
        if nxt is not None and condition_follows(nxt):
            for m in out.measures[before:]:
                if m.modality in {"historical", "future"} and m.status not in {"in_force", "lifted"} or \
                        m.modality == "future":
                    m.modality, m.status = "hypothetical", "threatened"
                    m.evidence["modality"] = tok_ev(doc, nxt.start, nxt.end)
    drop_summaries(out)
    threats_of(out)
    dedupe_events(out)
    return out


def _sentence(doc, text, sent, countries, products, triggers, events, pub, out: Extraction) -> None:
    s_ev = tok_ev(doc, sent.start, sent.end)
    s_countries = within(countries, sent.start, sent.end)
    s_products = within(products, sent.start, sent.end)
    s_events = within(events, sent.start, sent.end)
    trigs = []
    s_trigs = within(triggers, sent.start, sent.end)
    for t in s_trigs:
        if t.value == "tariff" and (lower(doc, t.end) in cues.TOPIC_NOUNS or lower(doc, t.end) == "-"):
            continue
        if lower(doc, t.start - 1) == "-" and lower(doc, t.start - 2) == "non" or t.ev.text.lower().startswith("non"):
            continue  # "non-tariff barriers"
        if t.value == "preference" and not preference_change(doc, sent, t):
            continue  # a preference named without a change to it
        if mention_only(doc, sent, t):
            continue
        if t.value == "quota" and (lower(doc, t.start - 1) in cues.QUOTA_PART_BEFORE or lower(doc, t.end) in
                                   cues.QUOTA_PART_AFTER or "for" in {lower(doc, t.start - k) for k in (2, 3)}) and any(
                o.value in cues.TARIFF_LIKE for o in within(triggers, sent.start, sent.end)):
            continue  # "tariff-rate quotas above which a 25% duty applies": part of the tariff
        if t.value == "import_ban":
            t.value = refine_ban(doc, t, sent.end)
        if t.value == "tariff" and on_own_exports(doc, t, sent):
            t.value = "export_control"  # "a 40% duty on onion exports": an export duty
        if t.value == "import_licensing" and lower(doc, t.start - 1) == "export":
            t.value = "export_licensing"  # "its export licensing regime"
        if t.value == "export_licensing" and not any(w in sent.text.lower() for w in ("export", "shipment", " ship ")) or \
                t.ev.text.lower() == "permits" and lower(doc, t.start - 1) in {"it", "rule", "law", "which", "that"}:
            if "import" not in sent.text.lower() or t.ev.text.lower() == "permits":
                continue  # "the rule permits exports": a verb
            t.value = "import_licensing"  # "a licence requirement on imports of cotton yarn"
        trigs.append(t)
    for v in verb_triggers(doc, sent):
        if not any(t.start <= v.end and v.start <= t.end for t in trigs) and not mention_only(doc, sent, v):
            trigs.append(v)
    trigs.sort(key=lambda t: t.start)
    dates = [(m, char_ev(text, s_ev.start + m.start(), s_ev.start + m.end())) for m in cues.DATE_RE.finditer(s_ev.text)]
    lowered = s_ev.text.lower()
    motive = next(((mot, char_ev(text, s_ev.start + lowered.index(cue), s_ev.start + lowered.index(cue) + len(cue)))
                   for cue, mot in lexicon.MOTIVES.items() if cue in lowered), None)
    request_cues = [e for e in s_events if e.value == "request"]

    clauses = split_clauses(doc, sent)
    new_measures: list[TradeMeasure] = []
    for clause in clauses:
        c_trigs = [t for t in trigs if clause.start <= t.start < clause.end]
        # one measure per family in a clause: "tariffs of 30% on X and up to 50% on Y" is one list
        merged: list[Mention] = []
        prefs = doc.user_data.get("preference", {})
        for t in c_trigs:
            fam = FLOW[t.value] + ("-tariff" if t.value in cues.TARIFF_LIKE else "")
            if merged and t.start not in prefs and merged[-1].start not in prefs and \
                    (FLOW[merged[-1].value] + ("-tariff" if merged[-1].value in cues.TARIFF_LIKE
                                                      else "")) == fam:
                between = within(s_products, merged[-1].end, t.start)
                remedies = {t.value, merged[-1].value} <= cues.TARIFF_LIKE - {"tariff"}
                joined = [doc[k].lower_ for k in range(merged[-1].end, t.start)] == ["and"] \
                    and lower(doc, t.end) not in cues.COMBINED
                distinct = t.value != merged[-1].value and remedies \
                    and (joined or bool(rates_in(text, tok_ev(doc, merged[-1].start, t.start))))  # "anti-dumping
                # and anti-subsidy duties", or each with its own rate: two measures
                if not distinct and not (between and within(s_products, t.end, clause.end)):
                    if t.value in cues.TARIFF_LIKE - {"tariff"}:
                        merged[-1] = t
                    continue
            merged.append(t)
        c_countries = within(s_countries, clause.start, clause.end)
        hi = clause.start
        for idx, trig in enumerate(merged):
            lo = hi  # each trigger's words run from the end of the previous one's to the next trigger
            hi = merged[idx + 1].start if idx + 1 < len(merged) else clause.end
            if idx + 1 < len(merged):  # "a 10% surtax on diesel and a 5% levy": the 5% is the next trigger's
                while hi - 1 > lo and (doc[hi - 1].like_num or doc[hi - 1].lower_ in {"a", "an", "%", "percent", "per",
                                                                                     "cent"}):
                    hi -= 1
            sub = Clause(lo if idx else clause.start, hi)
            m = _measure(doc, text, sent, s_ev, sub, trig, c_countries if len(merged) == 1 else
                         [c for c in c_countries if lo <= c.start < hi], s_products if len(merged) == 1 else
                         [p for p in s_products if lo <= p.start < hi], dates, pub, motive,
                         [e for e in s_events if e.value in {"agree", "visit", "host", "talks", "letter"}])
            if m is None:
                continue
            asked_for = any(r.start < trig.start for r in request_cues)
            if asked_for and not (m.status in {"in_force", "lifted"} and status_cue_near(doc, trig, sent)):
                continue  # a measure another state asks for is a REQUEST event (below), not a measure
            cut = motive_cut(doc, sub, trig)
            new_measures += by_rate(m, text, tok_ev(doc, cut.start, cut.end), within(c_countries, cut.start, cut.end))
        if not merged and not any(clause.start <= t.start < clause.end for t in s_trigs):
            new_measures += siblings(doc, text, clause, s_products, new_measures, out, s_ev, s_countries)
    prior = previous_measure(out, s_ev)
    # fill roles from the whole sentence when a clause lacks them
    for k, m in enumerate(new_measures):
        twin = next((o for o in new_measures[:k] if o.implementer and o.evidence.get("instrument") ==
                     m.evidence.get("instrument")), None)
        if m.implementer is None and twin is not None and twin.implementer not in m.affected:
            m.implementer = twin.implementer  # ", while Myanmar and Laos will face 40%": the same trigger's implementer
        located = [c for c in s_countries if lower(doc, c.start - 1) == "in"]
        if m.implementer is None and not m.affected and len(s_countries) == 1 and located:
            m.implementer = located[0].value  # "... raised the customs duty on phones ..., to make them in India"
            m.evidence["implementer"] = located[0].ev
        if m.implementer is None and prior is not None and same_family(prior.instrument, m.instrument):
            m.implementer = prior.implementer  # "New U.S. duties ... entered into force. Lumber now carries 10%."
            m.affected = m.affected or list(prior.affected)
        if m.implementer is None:
            subj = [c for c in s_countries if c.value not in m.affected and lower(doc, c.start - 1) not in
                    cues.PREP_AFFECTED | {"with", "between", "in", "of"}]
            if subj:
                m.implementer = subj[0].value
                m.evidence["implementer"] = subj[0].ev
        if not m.affected and m.implementer:
            rest = [c for c in s_countries if c.value != m.implementer and lower(doc, c.start - 1) not in
                    {"with", "between", "in", "after"} and c.ev.start < m.evidence["instrument"].start
                    and lower(doc, c.end) not in {"'s"}]
            if rest and m.flow == "import" and "implementer" in m.evidence and \
                    m.evidence["implementer"].start > m.evidence["instrument"].start:
                m.affected = [rest[0].value]
                m.evidence["affected"] = rest[0].ev
    # measures of one clause share what only one of them names ("anti-dumping duties of 73.6% and an
    # anti-subsidy duty of 6.9% on Australian barley")
    for a, b in zip(new_measures, new_measures[1:]):
        if a.sentence == b.sentence and same_family(a.instrument, b.instrument):
            for x, y in ((a, b), (b, a)):
                if not x.products and y.products and x.implementer in (None, y.implementer):
                    x.products = list(y.products)
                if not x.affected and y.affected and x.implementer == y.implementer:
                    x.affected = list(y.affected)
    for m in list(new_measures):
        others = co_implementers(doc, s_countries, m)
        mutual = "each other" in sent.text.lower() and not m.affected  # "agreed to cut tariffs on each other's cars"
        for other in others:
            twin = copy.deepcopy(m)
            twin.implementer = other
            if mutual:
                twin.affected = [c for c in [m.implementer, *others] if c != other]
            new_measures.append(twin)
        if mutual and others:
            m.affected = list(others)
    for m in new_measures:
        add_measure(out, m, s_ev)
    sentence_events(doc, text, sent, s_ev, s_countries, s_products, s_events, dates, pub, trigs, out)
    figures(doc, text, s_ev, s_countries, out)


def _measure(doc, text, sent, s_ev, clause, trig, c_countries, c_products, dates, pub, motive,
             event_cues=()) -> TradeMeasure | None:
    clause = motive_cut(doc, clause, trig)
    c_countries = [c for c in c_countries if c.start < clause.end]
    c_products = [p for p in c_products if p.start < clause.end]
    instrument = trig.value
    family = "tariff" if instrument in cues.TARIFF_LIKE else FLOW[instrument]
    modality, mod_ev = modality_of(doc, clause, trig, sent)
    status, direction, st_ev = status_of(doc, clause, trig, family, modality)
    implementer = affected_ev = imp_ev = None
    affected: list[str] = []
    best = -1
    for c in c_countries:
        role = country_role(doc, c, trig)
        if role == "implementer":
            # "imposed by X" beats a subject: "Japan is seeking an exemption from tariffs imposed by X"
            rank = 2 if prev_word(doc, c.start) in cues.PREP_IMPLEMENTER else (1 if c.end == trig.start else 0)
            if rank > best:
                if implementer is not None and rank == 2 and implementer not in affected and trig.value in {
                        *cues.TARIFF_LIKE}:
                    affected.append(implementer)
                    affected_ev = affected_ev or imp_ev
                implementer, imp_ev, best = c.value, c.ev, rank
        elif role == "affected" and c.value not in affected:
            affected.append(c.value)
            affected_ev = affected_ev or c.ev
    # a list continues its first member's role: "from the EU, Japan, South Korea and Indonesia"
    listed = sorted(c_countries, key=lambda c: c.start)
    for a, b in zip(listed, listed[1:]):
        gap = [doc[k].lower_ for k in range(a.end, b.start)]
        if a.value in affected and b.value not in affected and b.value != implementer and gap and \
                all(w in {",", "and", "or", "the"} for w in gap):
            affected.append(b.value)
    for c in c_countries:
        if lower(doc, c.start - 1) in cues.WHITELIST_REMOVE | cues.WHITELIST_RESTORE and "list" in trig.ev.text.lower():
            affected = affected if c.value in affected else affected + [c.value]
    if FLOW[instrument] == "export" and implementer is None:
        # "a ban on Indonesian exports of bauxite": the exporter is the state that bans
        own = [c for c in c_countries if lower(doc, c.end) in {"exports", "export", "shipments", "exporters"}
               and c.value in affected]
        if own:
            implementer, imp_ev = own[0].value, own[0].ev
    if implementer in affected and imp_ev is not None:
        said = next((doc[k] for k in range(trig.start - 1, clause.start - 1, -1) if doc[k].idx == imp_ev.start), None)
        if said is not None and lower(doc, said.i + len(imp_ev.text.split())) in cues.REPORTING:
            implementer, imp_ev = None, None  # "Seoul said tariffs on Korean cars would be lowered": the reporter
    if implementer in affected:
        affected.remove(implementer)
    ev = {"instrument": trig.ev, "status": st_ev or trig.ev}
    if imp_ev:
        ev["implementer"] = imp_ev
    if affected_ev:
        ev["affected"] = affected_ev
    if mod_ev:
        ev["modality"] = mod_ev
    clause_ev = tok_ev(doc, clause.start, clause.end)
    pref = trig.start in doc.user_data.get("preference", {})  # a preference ended or granted: no rate of its own
    duty = family == "tariff" or any(w in trig.ev.text.lower() for w in ("duty", "duties", "tax", "levy", "levies",
                                                                         "tariff"))  # an export duty has a rate
    rate = rate_near(text, clause_ev, trig) if duty and not pref else None
    if rate:
        ev["rate"] = rate.evidence
    c_products = [p for p in c_products if not (lower(doc, p.start - 1) in {"make", "making", "produce"}
                                                and lower(doc, p.start - 2) in {"to", "used"})]
    use = next((k for k in range(trig.end, clause.end) if doc[k].lower_ in cues.USE_OPENERS), None)
    if use is not None:  # "antimony, a metal used in military applications such as ammunition"
        c_products = [p for p in c_products if p.start < use] or c_products
    after = [p for p in c_products if p.start >= trig.start and clause.start <= p.start < clause.end]
    near = after or ([] if pref else [p for p in c_products if p.start < trig.start])
    prods = [product(text, p.value, p.ev) for p in near]
    prods += [p for p in stated_hs(text, clause_ev)]
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
        if any(abs(c.ev.start - d_ev.start) < abs(trig.ev.start - d_ev.start) for c in event_cues):
            continue  # "an agreement reached in 2024": the date of the agreement, not of the ban
        pre = text[max(s_ev.start, d_ev.start - 30):d_ev.start].lower()
        said = re.search(r"(announced|said|unveiled|agreed|signed)\s*(on\s*)?$", pre)
        value, gran = resolve_date(match, pub, future and not said)
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


