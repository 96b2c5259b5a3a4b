"""The shipped tariff-tracker tables are what the build script makes from ../shared."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED, needs_shared

pytestmark = [needs_shared(), pytest.mark.shared]


def test_rebuild_reproduces_shipped_files():
    import scripts.build_tariffs2025 as build

    for name, text in build.build(SHARED).items():
        assert text == (build.BUILTIN / name).read_text(encoding="utf-8"), name


def test_tables_keep_the_tracker_rows_and_japan_hs2_imports():
    """Every row of country-by-time.csv is kept (51 partners + EU, 23 dates), and the HS2
    split over sectors keeps Japan's 2024 imports (sum of data-hs2/hs2-tariff-5880.csv,
    chapters 98-99 aside, which have no sector)."""
    import csv

    from tradesim.data import tariffs2025

    track = tariffs2025.tracker()
    assert len(track) == 1173 and track["iso3"].nunique() == 51 and len(tariffs2025.dates()) == 23
    with open(SHARED / "tariffs2025" / "data-hs2" / "hs2-tariff-5880.csv", encoding="utf-8") as fh:
        total = sum(float(r["2024_imports"]) for r in csv.DictReader(fh) if r["HS2"].zfill(2) not in ("98", "99"))
    hs2 = tariffs2025.hs2_sectors()
    assert hs2.loc[hs2["iso3"] == "JPN", "imports_2024_usd"].sum() == pytest.approx(total, rel=1e-9)
