"""Measures across clauses and sentences: one measure per rate, rate lists continued without a trigger,
summaries dropped in favour of their details, and later mentions ("the ban", "the duties took effect")
merged into the measure they name."""

from __future__ import annotations

import copy

from tradesim.news import cues
from tradesim.news.products import product
from tradesim.news.rates import pair_countries, pair_rates, rates_in
from tradesim.news.schema import Evidence, Extraction, TradeMeasure
from tradesim.news.spans import Clause, tok_ev, within


def same_family(a: str, b: str) -> bool:
    fam = {"tariff": "t", "anti_dumping": "t", "countervailing": "t", "safeguard": "t", "import_licensing": "i",
           "tariff_suspension": "t", "import_ban": "i", "quota": "i",
           "sps_measure": "i", "export_ban": "e", "export_control": "e", "export_licensing": "e"}
    return fam[a] == fam[b]


def add_measure(out: Extraction, m: TradeMeasure, s_ev: Evidence) -> None:
    """Merge a mention of an earlier measure ("the ban", "the duties took effect") into it."""
    hs = {c for p in m.products for c in p.hs}
    trig = m.evidence.get("instrument")
    lead = out.text[max(0, trig.start - 7):trig.start].lower().split() if trig is not None else []
    if lead and lead[-1] in cues.DEFINITE and not hs and m.rate is None and not m.affected and out.measures \
            and out.measures[-1].sentence is not None and 0 <= s_ev.start - out.measures[-1].sentence.end <= 3 \
            and out.measures[-1].sentence.start != s_ev.start:
        out.measures[-1].notes.append(s_ev)  # "The ban aims to ...", "The tariffs were matched by ...": the last one
        return
    for prior in reversed(out.measures):
        if not same_family(prior.instrument, m.instrument):
            continue
        if prior.instrument != m.instrument and {prior.instrument, m.instrument} <= cues.TARIFF_LIKE - {"tariff"}:
            continue  # an anti-dumping and a countervailing duty are two measures
        if prior.rate is not None and m.rate is not None and abs(prior.rate.new - m.rate.new) > 1e-9 \
                and prior.sentence == s_ev:
            continue  # "a 10% surtax on diesel and a 5% levy on gasoline": two rates, two measures
        if prior.sentence == s_ev and prior.direction != m.direction:
            continue  # "halved its tariff on steel ... and ended Turkey's duty-free treatment": two changes
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


def previous_measure(out: Extraction, s_ev: Evidence) -> TradeMeasure | None:
    """The last measure of the sentence just before ``s_ev`` (for "Lumber now carries 10%")."""
    if not out.measures or out.measures[-1].sentence is None:
        return None
    last = out.measures[-1]
    gap = s_ev.start - last.sentence.end
    return last if 0 <= gap <= 3 or any(0 <= s_ev.start - n.end <= 3 for n in last.notes) else None


def siblings(doc, text, clause: Clause, s_products, new_measures, out: Extraction,
             s_ev: Evidence, s_countries=()) -> list[TradeMeasure]:
    """A clause with products and a rate but no trigger continues a tariff of the same sentence or of the one
    before: "... a 25% tariff from Saturday, and buses 10%"; "Chicken and wheat face 15 percent"; a country
    that opens the clause is its implementer ("; Colombia followed with 15% on shoes")."""
    c_products = within(s_products, clause.start, clause.end)
    clause_ev = tok_ev(doc, clause.start, clause.end)
    rates = rates_in(text, clause_ev)
    if not rates:
        return []
    base = next((m for m in reversed(new_measures) if m.instrument in cues.TARIFF_LIKE), None) or \
        next((m for m in [previous_measure(out, s_ev)] if m is not None and m.instrument in cues.TARIFF_LIKE), None)
    if base is None:
        return []
    if not c_products:  # ", while Myanmar and Laos will face 40% and Cambodia 36%": the same tariff, other countries
        if base not in new_measures:
            return []
        named = [c for c in within(list(s_countries), clause.start, clause.end) if c.value != base.implementer]
        groups = pair_countries(rates, named, clause_ev.end, before=None) if named else None
        made = []
        for rate, affected in groups or []:
            m = copy.deepcopy(base)
            m.rate, m.affected, m.sentence, m.notes = rate, affected, s_ev, []
            m.evidence = dict(base.evidence, rate=rate.evidence, affected=named[0].ev)
            made.append(m)
        return made
    prods = [product(text, p.value, p.ev) for p in c_products]
    groups = pair_rates(rates, prods) or [(rates[0], prods)]
    made = []
    for rate, ps in groups:
        m = copy.deepcopy(base)
        m.rate, m.products, m.sentence, m.notes = rate, ps, s_ev, []
        m.evidence = dict(base.evidence, rate=rate.evidence, products=ps[0].evidence)
        opener = [c for c in within(list(s_countries), clause.start, clause.end)
                  if c.start <= clause.start + 1 and c.ev.end <= rate.evidence.start and c.value != m.implementer]
        if opener and doc[opener[0].end].lower_ not in cues.GOODS_WORDS and opener[0].value not in m.affected:
            m.implementer, m.evidence["implementer"] = opener[0].value, opener[0].ev
        made.append(m)
    return made


def by_rate(m: TradeMeasure, text: str, clause_ev: Evidence, countries=()) -> list[TradeMeasure]:
    """One measure per rate when a clause pairs several rates with their products ("duties of 30% on
    scooters and 15% on their batteries"); each keeps the affected countries named with its own goods ("3.5%
    on Indian shrimp and 2.8% on Vietnamese shrimp") when every part names some."""
    if m.rate is None or m.instrument not in cues.TARIFF_LIKE:
        return [m]
    groups = pair_rates(rates_in(text, clause_ev), m.products)
    if groups is None:
        return by_country(m, text, clause_ev, countries)
    out = []
    for rate, prods in groups:
        part = copy.deepcopy(m)
        part.rate, part.products = rate, prods
        part.evidence["rate"], part.evidence["products"] = rate.evidence, prods[0].evidence
        out.append(part)
    ends = [p.rate.evidence.start for p in out[1:]] + [clause_ev.end]
    for local in ([[c.value for c in countries if c.value in m.affected and any(
            0 <= q.evidence.start - c.ev.end <= 1 for q in p.products)] for p in out],
                  [[c.value for c in countries if c.value in m.affected and p.rate.evidence.start <= c.ev.start < end]
                   for p, end in zip(out, ends)]):
        if all(local):
            for p, own in zip(out, local):
                p.affected = list(dict.fromkeys(own))
            break
    return out


def by_country(m: TradeMeasure, text: str, clause_ev: Evidence, countries=()) -> list[TradeMeasure]:
    """One measure per rate when a clause pairs several rates with the countries after each ("30% on imports
    from South Africa, 25% on Malaysian goods and 36% on Thailand"), each rate with its own countries."""
    rates = [r for r in rates_in(text, clause_ev) if r.prior is None]
    if len(rates) < 2 or not m.affected:
        return [m]
    groups = pair_countries(rates, [c for c in countries if c.value in m.affected], clause_ev.end)
    if groups is None or {c for _, g in groups for c in g} != set(m.affected):
        return [m]
    out = []
    for rate, affected in groups:
        part = copy.deepcopy(m)
        part.rate, part.affected = rate, affected
        part.evidence["rate"] = rate.evidence
        out.append(part)
    return out


def drop_summaries(out: Extraction) -> None:
    """A measure stated without a rate and then detailed rate by rate ("extra tariffs on U.S. farm goods took
    effect. Chicken faces 15%, while pork faces 10%") is the details, not one more measure."""
    keep = []
    for i, m in enumerate(out.measures):
        later = [n for n in out.measures[i + 1:] if n.rate is not None and same_family(n.instrument, m.instrument)
                 and n.implementer == m.implementer and n.sentence and m.sentence
                 and 0 <= n.sentence.start - m.sentence.start <= len(m.sentence.text) + 3]
        covered = set(m.hs_chapters) <= {c for n in later for c in n.hs_chapters}
        if m.rate is None and len(later) >= 2 and covered:
            later[0].notes.insert(0, m.sentence)
            continue
        keep.append(m)
    out.measures = keep
