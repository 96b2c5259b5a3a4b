"""The example article of issue 7: what a reader finds in it, pinned item by item."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.shared


def _one(items, **fields):
    found = [i for i in items if all(getattr(i, k) == v for k, v in fields.items())]
    assert len(found) == 1, (fields, items)
    return found[0]


def _evidence_is_text(x, ev):
    assert x.text[ev.start:ev.end] == ev.text and ev.text


def test_us_tariffs_on_japan_in_force_with_exemption_sought(example):
    m = _one(example.measures, instrument="tariff")
    assert (m.implementer, m.affected, m.status, m.direction, m.flow) == ("USA", ["JPN"], "in_force", "restrictive",
                                                                          "import")
    assert m.evidence["implementer"].text == "Trump" and m.evidence["status"].text == "imposed"
    # "earlier this month" in an article of 21 April 2025
    assert (m.in_force.value, m.in_force.granularity, m.in_force.evidence.text) == ("2025-04", "month", "earlier this month")
    assert m.rate is None  # the article states no rate: the draft leaves a placeholder
    ask = _one(example.events, kind="REQUEST", subtype="exemption")
    assert (ask.actor, ask.target, ask.about_measure) == ("JPN", "USA", example.measures.index(m))
    assert any("exemption" in n.text for n in m.notes)
    for ev in m.evidence.values():
        _evidence_is_text(example, ev)


def test_china_seafood_ban_fukushima_in_force_with_2024_agreement(example):
    m = _one(example.measures, instrument="import_ban", hs_chapters=["03", "16"])
    assert (m.implementer, m.affected, m.status, m.modality) == ("CHN", ["JPN"], "in_force", "historical")
    assert m.evidence["implementer"].text == "Beijing"
    assert [p.hs for p in m.products] == [["03", "1604", "1605"]] and not m.products[0].stated
    assert set(m.products[0].sectors) == {"A01", "A03", "C10T12"}
    assert m.motive.startswith("food safety") and m.evidence["motive"].text == "Fukushima"
    assert m.mast_chapter.startswith("A SPS")
    # the 2024 agreement to take steps towards resuming: an AGREE event tied to the ban, and a note on it
    agree = _one(example.events, kind="AGREE")
    assert (agree.date.value, agree.date.granularity) == ("2024", "year")
    assert example.measures[agree.about_measure] is m
    assert any("restarting exports" in n.text and "yet to officially lift" in n.text for n in m.notes)
    assert m.status != "lifted"  # "has yet to officially lift the ban"


def test_china_beef_ban(example):
    m = _one(example.measures, instrument="import_ban", hs_chapters=["02"])
    assert (m.implementer, m.affected) == ("CHN", ["JPN"])
    assert [p.hs for p in m.products] == [["0201", "0202"]]


def test_us_pressure_on_chip_equipment_is_a_request_not_a_measure(example):
    ev = _one(example.events, kind="REQUEST", actor="USA", target="JPN")
    assert [p.hs for p in ev.products] == [["8486"]]
    assert ev.products[0].sectors == {"C28": 1.0}
    assert "machinery used in the production of semiconductors" in ev.products[0].text
    assert not [m for m in example.measures if m.flow == "export"]
    assert len(example.measures) == 3


def test_china_warning_is_threaten(example):
    ev = _one(example.events, kind="THREATEN")
    assert ev.actor == "CHN" and ev.evidence.text == "cautioned"


def test_delegation_visit_and_letter_are_consult(example):
    visit = _one(example.events, kind="CONSULT", subtype="visit", actor="JPN")
    letter = _one(example.events, kind="CONSULT", subtype="letter")
    assert visit.target == "CHN" and (letter.actor, letter.target) == ("JPN", "CHN")
    assert (visit.date.value, visit.date.granularity) == ("2025-04-21", "week")  # "this week"
    tuesday = [e for e in example.events if e.date and e.date.evidence.text == "Tuesday" and e.subtype == "visit"]
    assert tuesday and tuesday[0].date.value == "2025-04-22"  # "beginning Tuesday": the next day


def test_china_share_of_japan_trade_is_a_stated_figure(example):
    f = _one(example.figures, what="share of trade")
    assert (f.subject, f.partner, f.value) == ("CHN", "JPN", pytest.approx(0.20))
    assert f.evidence.text == "accounts for approximately 20% of Japan's trade"
    assert all(m.rate is None for m in example.measures)  # 20% is no tariff rate


def test_json_round_trip(example):
    import json

    d = json.loads(json.dumps(example.to_dict()))
    assert d["published"] == "2025-04-21" and len(d["measures"]) == 3
    assert d["measures"][1]["hs_chapters"] == ["03", "16"]
