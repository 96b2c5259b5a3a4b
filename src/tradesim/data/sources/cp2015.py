"""Reader of the Caliendo & Parro (2015) replication inputs.

Turns the authors' tab-separated files (``xbilat1993.txt``, ``tariffs1993.txt``,
``tariffs2005.txt``, ``IO.txt``, ``B.txt``, ``GO.txt``, ``T.txt``; layouts in
``../shared/data/README.md``) into a raw tradesim dataset, processing them
exactly as the authors' MATLAB script does:

* flows are thousand USD (x 1000 -> USD), before tariffs, services not traded;
* domestic sales = max(gross output, exports) - exports;
* input-output shares = IO column shares x (1 - value-added share);
* services take the trade elasticity 8.22;
* final-demand shares = (absorption - intermediate demand) / income, negatives
  set to zero and the rest rescaled (as the authors do).

One departure, documented in the dataset's attributes: the authors' IO table
has a few tiny negative cost shares (about -0.0009); they are set to zero and
the other intermediate shares of that sector rescaled so the total intermediate
share is unchanged. The raw dataset is *not* yet a model equilibrium (the
final-demand clipping breaks market clearing); ``scripts/build_cp2015.py``
reconciles it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

COUNTRIES = ["ARG", "AUS", "AUT", "BRA", "CAN", "CHL", "CHN", "DNK", "FIN", "FRA", "DEU", "GRC", "HUN",
             "IND", "IDN", "IRL", "ITA", "JPN", "KOR", "MEX", "NLD", "NZL", "NOR", "PRT", "ZAF", "ESP",
             "SWE", "TUR", "GBR", "USA", "ROW"]
COUNTRY_NAMES = ["Argentina", "Australia", "Austria", "Brazil", "Canada", "Chile", "China", "Denmark",
                 "Finland", "France", "Germany", "Greece", "Hungary", "India", "Indonesia", "Ireland",
                 "Italy", "Japan", "Korea", "Mexico", "Netherlands", "New Zealand", "Norway", "Portugal",
                 "South Africa", "Spain", "Sweden", "Turkey", "United Kingdom", "United States",
                 "Rest of the world"]
SECTORS = ["Agriculture", "Mining", "Food", "Textile", "Wood", "Paper", "Petroleum", "Chemicals",
           "Plastic", "Minerals", "Basic metals", "Metal products", "Machinery n.e.c.", "Office",
           "Electrical", "Communication", "Medical", "Auto", "Other Transport", "Other",
           "Electricity", "Construction", "Retail", "Hotels", "Land Transport", "Water Transport",
           "Air Transport", "Aux Transport", "Post", "Finance", "Real Estate", "Renting Mach",
           "Computer", "R&D", "Other Business", "Public", "Education", "Health", "Other services",
           "Private"]
N, J, J_TRADABLE = 31, 40, 20
SERVICE_ELASTICITY = 8.22

PROVENANCE = {
    "source": "Caliendo & Parro (2015, REStud) replication inputs, as copied in paulofelipe/cp2015-jax "
              "original_data/ (../shared/data/cp2015/)",
    "year": "1993 (flows, tariffs, IO); 2005 tariffs as tariff_2005",
    "license": "authors' replication files, no license stated; cite Caliendo and Parro (2015)",
    "units": "USD",
}


def _read(folder: Path, name: str) -> np.ndarray:
    return np.loadtxt(folder / name, delimiter="\t")


def _stacked(a: np.ndarray) -> np.ndarray:
    """(J_TRADABLE*N, N) sector-stacked importer rows -> (importer, exporter, sector) with services zero."""
    out = np.zeros((N, N, J))
    out[:, :, :J_TRADABLE] = a.reshape(J_TRADABLE, N, N).transpose(1, 2, 0)
    return out


def read_cp2015(folder: str | Path) -> xr.Dataset:
    """Raw CP2015 dataset (not yet reconciled) from the authors' files in ``folder``."""
    folder = Path(folder)
    trade = _stacked(_read(folder, "xbilat1993.txt") * 1000.0)
    tariff = _stacked(_read(folder, "tariffs1993.txt") / 100.0)
    tariff_2005 = _stacked(_read(folder, "tariffs2005.txt") / 100.0)
    io = _read(folder, "IO.txt").reshape(N, J, J)           # (country, input, using sector)
    va_share = _read(folder, "B.txt").T                      # (country, sector)
    go = _read(folder, "GO.txt").T                           # (country, sector)
    theta = np.concatenate([_read(folder, "T.txt"), np.full(J - J_TRADABLE, SERVICE_ELASTICITY)])

    # Domestic sales close gross output, as in the authors' script.
    for k in range(N):
        trade[k, k, :] = 0.0
    exports = trade.sum(axis=0)                               # (exporter, sector)
    go = np.maximum(go, exports)
    idx = np.arange(N)
    trade[idx, idx, :] = go - exports

    # Tiny negative IO shares: zero them, keep the sector's total intermediate share.
    negative = io < 0
    io_clean = np.where(negative, 0.0, io)
    total = io_clean.sum(axis=1, keepdims=True)
    io_share = np.divide(io_clean, total, out=np.zeros_like(io), where=total > 0) * (1.0 - va_share)[:, None, :]

    # Final-demand shares from absorption, as in the authors' script.
    absorption = ((1 + tariff) * trade).sum(axis=1)          # (country, sector)
    intermediate = np.einsum("nkj,nj->nk", io_share, go)
    revenue = (tariff * trade).sum(axis=(1, 2))
    deficit = trade.sum(axis=(1, 2)) - trade.sum(axis=(0, 2))
    income = (va_share * go).sum(axis=1) + revenue + deficit
    alpha = (absorption - intermediate) / income[:, None]
    alpha = np.where(alpha < 0, 0.0, alpha)
    alpha = alpha / alpha.sum(axis=1, keepdims=True)

    bil = ("importer", "exporter", "sector")
    ds = xr.Dataset(
        {
            "trade": (bil, trade, {"units": "USD", "long_name": "bilateral flows before tariffs, incl. domestic sales"}),
            "tariff": (bil, tariff, {"units": "1", "long_name": "applied ad valorem tariff, 1993"}),
            "tariff_2005": (bil, tariff_2005, {"units": "1", "long_name": "applied ad valorem tariff, 2005"}),
            "value_added_share": (("country", "sector"), va_share, {"units": "1"}),
            "io_share": (("country", "input_sector", "sector"), io_share, {"units": "1"}),
            "final_demand_share": (("country", "sector"), alpha, {"units": "1"}),
            "trade_elasticity": (("sector",), theta, {"units": "1"}),
            "deficit": (("country",), deficit, {"units": "USD", "long_name": "imports minus exports"}),
        },
        coords={
            "importer": COUNTRIES, "exporter": COUNTRIES, "country": COUNTRIES,
            "sector": SECTORS, "input_sector": SECTORS,
            "country_name": ("country", COUNTRY_NAMES),
            "tradable": ("sector", np.arange(J) < J_TRADABLE),
        },
        attrs={
            **PROVENANCE,
            "negative_io_shares_zeroed": int(negative.sum()),
            "largest_negative_io_share": float(io.min()),
        },
    )
    return ds
