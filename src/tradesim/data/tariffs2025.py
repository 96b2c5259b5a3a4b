"""The US 2025-2026 tariff tracker, as shipped (built by ``scripts/build_tariffs2025.py``).

Three small tables from tradewartracker/trade-war-redux-2025 (MIT; provenance in
``builtin/PROVENANCE.md``):

* :func:`tracker` — the trade-weighted *additional* US tariff on 51 partners and the EU
  on 23 dates (percent over the 2024 base, on 2024 HTS-level imports);
* :func:`hs2_sectors` — for Japan, China, Korea, Taiwan, Germany and the UK, 2024 US
  imports by ICIO sector (from HS2) and the tracker's HS2 tariff increase (its snapshot);
* :func:`list_shares` — the share of each ICIO sector's HS 2022 subheadings on each
  product list (Section 232 duties, exemption lists, China's March 2025 lists).

Example
-------
>>> from tradesim.data.tariffs2025 import tracker, dates
>>> dates()[0], len(dates())
('2025-02-04', 23)
>>> round(float(tracker().query("date == '2025-04-05' and iso3 == 'JPN'")["effective_pct"].iloc[0]), 1)
24.4
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from tradesim.data.products import BUILTIN


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(BUILTIN / name, comment="#", dtype={"date": str, "sector": str})


@lru_cache(maxsize=1)
def tracker() -> pd.DataFrame:
    """Columns date, partner, iso3 (``EU`` for the EU), effective_pct, imports_2024_usd, tariff_2024_pct."""
    return _read("tariffs2025_tracker.csv")


@lru_cache(maxsize=1)
def dates() -> tuple[str, ...]:
    """The tracker's dates (ISO text), in order."""
    return tuple(sorted(tracker()["date"].unique()))


@lru_cache(maxsize=1)
def hs2_sectors() -> pd.DataFrame:
    """Columns iso3, sector, imports_2024_usd, hs2_increase_pct (six partners)."""
    return _read("tariffs2025_hs2.csv")


@lru_cache(maxsize=1)
def list_shares() -> dict[str, dict[str, float]]:
    """List name -> {ICIO sector: share of the sector's HS subheadings on the list}."""
    out: dict[str, dict[str, float]] = {}
    for row in _read("tariffs2025_lists.csv").itertuples():
        out.setdefault(row.list, {})[row.sector] = float(row.line_share)
    return out
