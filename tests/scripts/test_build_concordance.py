"""The shipped HS concordance is what the build script makes from ../shared."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED, needs_shared

pytestmark = [needs_shared(), pytest.mark.shared]

BUILT = ("hs_icio.csv", "hs2022.csv")


def test_rebuild_reproduces_shipped_files(tmp_path):
    import scripts.build_concordance as build

    build.write(build.build(SHARED), tmp_path)
    for name in BUILT:
        assert (tmp_path / name).read_bytes() == (build.BUILTIN / name).read_bytes(), name


def test_isic4_table_names_the_icio_sectors():
    import scripts.build_concordance as build

    sectors = build.icio_sectors(SHARED)
    assert len(sectors) == 28 and sectors[-1] == "SERV"
    assert set(build.read_isic4_icio()["icio_sector"]) == set(sectors)


def test_hs_isic4_is_pooled_over_vintages_and_covers_hs2022():
    """What the method rests on: every HS 2022 subheading is in hs_isic4 (which also holds
    codes of earlier vintages), and its links are those of the HS 2022 ISIC Rev.3 class."""
    import scripts.build_concordance as build

    hs = build.read_hs2022(SHARED)
    subheadings = set(hs.loc[hs["level"] == "6", "code"])
    pooled = set(build.read_rda(SHARED / "concordance" / "hs_isic4.RData")["HS_6d"])
    assert subheadings <= pooled and len(pooled - subheadings) > 1000
    links = build.isic4_links(SHARED, hs.loc[hs["level"] == "6", "code"])
    # 0307.19 (oysters, dried or salted) kept only its HS 2022 meaning: fish processing, not fishing
    assert set(links.loc[links["hs6"] == "030719", "isic4"]) == {"1020", "1075"}
