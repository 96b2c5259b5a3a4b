"""Small cases of the rules: countries, dates, rates, modality, products."""

from __future__ import annotations

import pytest

from tradesim.news import extract
from tradesim.news.lexicon import resolve_country


@pytest.mark.parametrize("name, iso3", [("Beijing", "CHN"), ("Washington", "USA"), ("Tokyo", "JPN"),
                                        ("the White House", "USA"), ("Japanese", "JPN"), ("Chinese", "CHN"),
                                        ("U.S.", "USA"), ("Seoul", "KOR"), ("Canberra", "AUS"), ("Brussels", "EU"),
                                        ("Germany", "DEU"), ("Nairobi", "KEN"), ("Kenyan", "KEN")])
def test_country_resolution(name, iso3):
    assert resolve_country(name) == iso3


def test_rate_change_and_dates_against_publication():
    x = extract("Doubling the duty, the White House raised tariffs on Chinese steel from 25% to 50% last month.",
                published="2025-07-10")
    [m] = x.measures
    assert (m.implementer, m.affected, m.hs_chapters) == ("USA", ["CHN"], ["72"])  # steel: HS 72 (wire convention)
    assert (m.rate.prior, m.rate.new, m.rate.evidence.text) == (0.25, 0.50, "from 25% to 50%")
    assert (m.in_force.value, m.in_force.granularity) == ("2025-06", "month")


def test_future_start_makes_an_announcement():
    x = extract("Tokyo said on Friday that exports of chip-making equipment to China will require export licences "
                "from July 23.", published="2023-05-23")
    [m] = x.measures
    assert (m.implementer, m.affected, m.instrument, m.flow) == ("JPN", ["CHN"], "export_licensing", "export")
    assert (m.status, m.modality) == ("announced", "future")
    assert m.in_force.value == "2023-07-23" and m.announced.value == "2023-05-19"  # the Friday before
    assert [p.hs for p in m.products] == [["8486"]]


def test_stated_hs_code_is_marked_stated():
    x = extract("Beijing banned imports of Japanese scallops (HS 0307.22) on Thursday.", published="2023-08-25")
    [m] = x.measures
    assert [(p.hs, p.stated) for p in m.products] == [(["030722"], True)]


@pytest.mark.parametrize("text, modality", [
    ("Japan denied reports that it would impose export curbs on chip-making equipment to China.", "negated"),
    ("Analysts say Japan could face higher tariffs from the United States if talks stall.", "hypothetical"),
])
def test_modality(text, modality):
    x = extract(text, published="2025-04-25")
    assert x.measures and {m.modality for m in x.measures} == {modality}


def test_threatened_tariff_is_a_threatened_measure_and_a_threat():
    x = extract("Trump threatened on Sunday to impose 25% tariffs on all goods from Mexico.", published="2025-01-27")
    [m] = x.measures
    assert (m.implementer, m.affected, m.status, m.rate.new) == ("USA", ["MEX"], "threatened", 0.25)
    assert [(e.kind, e.actor) for e in x.events] == [("THREATEN", "USA")]
