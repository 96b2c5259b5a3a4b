"""Reader of the BACI 2023 one-sector world of Ignatenko, Lashkaripour, Macedoni and
Simonovska (2025), "Making America Great Again? The Economic Impacts of Liberation Day
Tariffs" (JIE).

Source files (``../shared/data/baci2023/``, layouts in ``../shared/data/README.md``):

* ``trade_cepii.csv`` 194 x 194: BACI HS22 V202501 total goods trade, 2023, thousand USD;
  rows = exporter, columns = importer, in the order of ``country_labels.csv``; empty
  cells (and the whole diagonal) are no flow;
* ``tariffs.csv``: the 2025 US applied tariff on each partner (decimal; the partner's
  Annex I rate of EO 14257, CHN 0.54 = 34% + 20%, RUS 0);
* ``country_labels.csv``: ``iso3, iso_code, CountryName``;
* ``gdp.csv``: one header line then 194 values, GDP in current USD (WDI 2023).

Returned arrays use tradesim's dimension order (importer, exporter).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from tradesim.errors import DataError

FILES = ("trade_cepii.csv", "tariffs.csv", "country_labels.csv", "gdp.csv")


def read_baci2023(folder: Path) -> xr.Dataset:
    """Read the four files into a labelled dataset (layout only, no processing)."""
    folder = Path(folder)
    for name in FILES:
        if not (folder / name).exists():
            raise DataError(f"baci2023: {folder / name} not found")
    labels = pd.read_csv(folder / "country_labels.csv")
    n = len(labels)
    trade = pd.read_csv(folder / "trade_cepii.csv").to_numpy(dtype=float)
    if trade.shape != (n, n):
        raise DataError(f"baci2023 trade_cepii.csv: expected shape {(n, n)}, got {trade.shape}")
    trade = np.nan_to_num(trade, nan=0.0)  # empty cell = no recorded flow
    tariff = pd.read_csv(folder / "tariffs.csv")["applied_tariff"].to_numpy(dtype=float)
    gdp = pd.read_csv(folder / "gdp.csv")["gdp"].to_numpy(dtype=float)
    for name, v in (("tariffs.csv", tariff), ("gdp.csv", gdp)):
        if v.shape != (n,):
            raise DataError(f"baci2023 {name}: expected {n} values, got {v.shape[0]}")
    if (trade < 0).any() or (tariff < 0).any() or not (gdp > 0).all():
        raise DataError("baci2023: negative trade or tariff, or non-positive GDP")
    iso = labels["iso3"].astype(str).tolist()
    return xr.Dataset(
        {"trade": (("importer", "exporter"), trade.T, {"units": "thousand USD",
                                                       "description": "BACI total goods trade, 2023"}),
         "us_tariff": (("exporter",), tariff, {"units": "fraction",
                                               "description": "2025 US applied tariff on the partner"}),
         "gdp": (("country",), gdp, {"units": "USD", "description": "GDP, current USD, WDI 2023"})},
        coords={"importer": iso, "exporter": iso, "country": iso,
                "country_name": ("country", labels["CountryName"].astype(str).tolist())},
    )
