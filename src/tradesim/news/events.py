"""Events (PLOVER-style REQUEST, THREATEN, CONSULT, AGREE, INVESTIGATE) and stated figures of a sentence."""

from __future__ import annotations

from tradesim.news import cues
from tradesim.news.dates import resolve_date
from tradesim.news.products import product
from tradesim.news.schema import DateValue, Event, Evidence, Extraction, Figure
from tradesim.news.spans import Mention, char_ev, lower, prev_word


def sentence_events(doc, text, sent, s_ev, s_countries, s_products, s_events, dates, pub, trigs,
                    out: Extraction) -> None:
    seen_spans: list[tuple[int, int]] = []
    for e in sorted(s_events, key=lambda e: (e.start, -(e.end - e.start))):
        if any(a <= e.start < b for a, b in seen_spans):
            continue
        seen_spans.append((e.start, e.end))
        kind, subtype, _ = cues.EVENTS[e.value]
        if e.value == "request" and any(x.value == "exemption" and x.start <= e.start < x.end for x in s_events):
            continue
        if kind == "CONSULT" and e.value == "talks" and lower(doc, e.start - 1) in {"no"}:
            continue
        if e.value == "talks" and any(x.value == "visit" and x.end <= e.start for x in s_events):
            continue  # "visited Tokyo to discuss ...": one visit, visitor to host
        if e.value == "request" and any(x.value in {"talks", "visit"} and e.end <= x.start <= e.end + 1
                                        for x in s_events):
            continue  # "requested consultations": the consultation is the event
        if kind == "THREATEN" and lower(doc, e.start - 1) in {"that", "which"}:
            continue  # "a row that threatens a fragile truce": no state threatens
        if kind == "INVESTIGATE" and any(doc[k].lower_ in {"after", "following", "called", "calls", "for"}
                                         for k in range(max(sent.start, e.start - 6), e.start)):
            continue  # "after a Section 301 investigation": a reason; "called for an inquiry": not opened
        if kind == "AGREE" and any(doc[k].lower_ in cues.AGREE_NOT
                                   for k in range(max(sent.start, e.start - 4), e.start)):
            continue  # "negotiations on a trade agreement", "closer to signing a deal", "a period agreed in April"
        if e.value == "request" and lower(doc, e.start - 1) in {"when", "if", "as"}:
            continue  # "when pressed on ...": a question put to someone, not a request between states
        if e.value == "request" and lower(doc, e.end) in cues.REQUEST_NOT_AFTER:
            continue  # "pressed ahead with", "called for calm", "asked not to be named"
        if kind == "INVESTIGATE" and any(doc[k].lower_ in cues.INVESTIGATION_CLOSED
                                         for k in range(max(sent.start, e.start - 3), e.start)):
            continue  # "end its investigation", "had suspended the investigation"
        if kind == "THREATEN" and lower(doc, e.start - 1) == "a" and e.value == "threaten":
            continue  # "as a warning of how trade wars deepen": no state warns
        excluded = {"with", "to", "on", "against"} | ({"from"} if kind != "CONSULT" else set())
        before = [c for c in s_countries if c.end <= e.start and prev_word(doc, c.start) not in excluded]
        after = [c for c in s_countries if c.start >= e.end]
        actor = before[0].value if before else None
        if kind == "AGREE" and before and (
                any(lower(doc, before[0].end) in {"and", ","} and c.start == before[0].end + 1 for c in s_countries)
                or any(doc[k].lower_ in cues.JOINT and lower(doc, k + 1) in {"sides", "countries", "nations",
                                                                             "leaders", "governments"}
                       for k in range(sent.start, sent.end))):
            actor = None  # "The United States and China agreed", "negotiators from both sides": no single actor
        if actor is None and kind == "CONSULT":
            pair = [c for c in s_countries if lower(doc, c.start - 1) in {"from", "between"}]
            actor = pair[0].value if pair else None
        target = None
        for c in after:
            prev = prev_word(doc, c.start)
            if c.value == actor:
                continue
            if kind != "CONSULT" and prev in {"with", "between"}:
                continue
            target = c.value
            break
        if target is None and kind == "CONSULT":
            others = [c.value for c in s_countries if c.value != actor]
            target = others[0] if others else None
        if e.value == "host":  # "China's premier hosted Germany's chancellor": the guest is the visitor
            actor, target = target, actor
        if kind == "REQUEST" and subtype == "exemption":
            # "seeking an exemption from tariffs imposed by X": the exemption is asked of the implementer
            imp = [c for c in after if lower(doc, c.start - 1) == "by"] or \
                  [c for c in s_countries if c.value != actor and lower(doc, c.start - 1) == "with"]
            target = imp[0].value if imp else target
        window_prods = [p for p in s_products if p.start >= e.start]
        prods = [product(text, p.value, p.ev) for p in window_prods] if kind == "REQUEST" else []
        end = sent.end
        summary = doc[e.start:min(end, e.end + 14)].text
        date = None
        if dates:
            value, gran = resolve_date(dates[0][0], pub, "will" in sent.text)
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


def dedupe_events(out: Extraction) -> None:
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


def figures(doc, text, s_ev: Evidence, s_countries: list[Mention], out: Extraction) -> None:
    for m in cues.SHARE_RE.finditer(s_ev.text):
        start = s_ev.start + m.start()
        subject = [c for c in s_countries if c.ev.end <= start]
        whose = [c for c in s_countries if s_ev.start + m.start("whose") <= c.ev.start < s_ev.start + m.end("whose")]
        out.figures.append(Figure(f"share of {m.group('what')}", float(m.group("num")) / 100, "share",
                                  subject[0].value if subject else None, whose[0].value if whose else None,
                                  char_ev(text, start, s_ev.start + m.end())))


def threats_of(out: Extraction) -> None:
    """A measure made conditional by its own implementer ("would impose ... if Mexico does not", "pledged to
    impose ... unless") is a THREATEN event of that implementer."""
    for i, m in enumerate(out.measures):
        cue = m.evidence.get("modality")
        if m.modality != "hypothetical" or cue is None or m.implementer is None:
            continue
        word, trig = cue.text.lower(), m.evidence["instrument"]
        if not (word in cues.THREAT_VERBS or (word in cues.CONDITION and cue.start > trig.start)
                or (m.status == "threatened" and cue.start > trig.end)):
            continue  # "Should Washington go ahead with levies, China will ...": a condition on the other side
        if any(e.kind == "THREATEN" and e.actor == m.implementer for e in out.events):
            continue
        target = m.affected[0] if m.affected else None
        out.events.append(Event("THREATEN", "conditional measure", m.implementer, target, m.evidence["instrument"].text,
                                list(m.products), None, cue, i))
