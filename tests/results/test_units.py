"""Units, labels and number formats of the briefing (tradesim.results.units)."""

from __future__ import annotations

import pytest

import tradesim
from tradesim.errors import DataError
from tradesim.results.units import fmt_pct, fmt_usd, pct_decimals, sector_labels, usd_per_unit


def test_usd_per_unit():
    assert usd_per_unit("USD million") == 1e6 and usd_per_unit("USD") == 1.0 and usd_per_unit("usd thousand") == 1e3
    with pytest.raises(DataError, match="'EUR million'"):
        usd_per_unit("EUR million")


def test_formats_keep_small_effects_and_units():
    assert pct_decimals([0.0040, -0.0011]) == 5 and pct_decimals([1.23, 0.004]) == 2 and pct_decimals([]) == 2
    assert fmt_pct(0.0040, 5) == "+0.00400%" and fmt_pct(-1.2345) == "-1.23%" and fmt_pct(0.00123) == "+0.0012%"
    assert fmt_pct(1e-15, 3) == "+0.000%" and fmt_pct(float("nan")) == "n/a"
    assert fmt_usd(-2.34e10) == "-USD 23.4 bn" and fmt_usd(1.2e12) == "USD 1.2 tn" and fmt_usd(5.12e8) == "USD 512 mn"
    assert fmt_usd(1e-4) == "USD 0" and "e" not in fmt_usd(123456789.0)


def test_sector_labels_name_and_code():
    icio = sector_labels(tradesim.load_baseline("icio2022"))
    assert icio["C29"] == "Motor vehicles (C29)" and icio["C19"] == "Coke and refined petroleum (C19)"
    assert len(icio) == 28
    assert sector_labels(tradesim.load_baseline("cp2015"))["Auto"] == "Auto"  # CP's sectors are names already
