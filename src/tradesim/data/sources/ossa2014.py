"""Reader of Ossa (2014, AER) "Trade Wars and Trade Talks with Data" inputs.

Source files (``../shared/data/ossa2014/``, layouts in ``../shared/data/README.md``):

* ``trade_ijs.csv`` 231 x 7: 33 sectors stacked x 7 exporters (rows), 7 importers
  (columns), USD million, domestic sales on the diagonal;
* ``tariff_ijs.csv`` same layout, decimal ad valorem imposed by the importer;
* ``DATA.mat``: ``TRADE`` (the author's deficit-purged flows, kept as a
  reference), ``SIGMA`` (33 x 1, elasticities of substitution), ``LAMBDAPOL``
  (7 x 33 political-economy weights), ``TARGETTARIFF`` (33 x 7 observed
  non-cooperative tariffs used to calibrate them) and ``MFNOPTIMALTARIFFPOL``
  (33 x 7: the author's computed optimal MFN tariffs with political-economy
  weights, kept as an external reference for tests).

Returned arrays use tradesim's dimension order (importer, exporter, sector).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from tradesim.errors import DataError

REGIONS = ["BRA", "CHN", "EU", "IND", "JPN", "ROW", "USA"]
REGION_NAMES = ["Brazil", "China", "EU", "India", "Japan", "Rest of the world", "United States"]


def _stacked(a: np.ndarray, n: int, s: int, name: str) -> np.ndarray:
    """(S*N exporters) x N importers -> (importer, exporter, sector)."""
    if a.shape != (s * n, n):
        raise DataError(f"ossa2014 {name}: expected shape {(s * n, n)}, got {a.shape}")
    return a.reshape(s, n, n).transpose(2, 1, 0)


def read_ossa2014(folder: Path) -> xr.Dataset:
    """Read the author's files into a labelled dataset (no processing besides layout)."""
    import scipy.io

    folder = Path(folder)
    if not (folder / "DATA.mat").exists():
        raise DataError(f"ossa2014: {folder / 'DATA.mat'} not found")
    mat = scipy.io.loadmat(folder / "DATA.mat")
    sectors = [str(np.asarray(x).ravel()[0]) for x in mat["LABELS"][:, 0]]
    n, s = len(REGIONS), len(sectors)
    trade_csv = np.loadtxt(folder / "trade_ijs.csv", delimiter=",")
    tariff_csv = np.loadtxt(folder / "tariff_ijs.csv", delimiter=",")
    if not np.allclose(tariff_csv, mat["TARIFF"]):
        raise DataError("ossa2014: tariff_ijs.csv disagrees with DATA.mat TARIFF")
    # trade_ijs.csv is the raw (unbalanced) data; DATA.mat TRADE is the author's
    # deficit-purged version of it, kept as a reference for our own purge.
    trade = _stacked(trade_csv, n, s, "trade_ijs.csv")
    trade_purged = _stacked(mat["TRADE"].astype(float), n, s, "TRADE")
    tariff = _stacked(mat["TARIFF"].astype(float), n, s, "TARIFF")
    if (trade < 0).any() or (tariff < 0).any():
        raise DataError("ossa2014: negative trade or tariff values")
    dims3 = ("importer", "exporter", "sector")
    ds = xr.Dataset(
        {
            "trade": (dims3, trade, {"units": "USD million, before tariffs"}),
            "ref_trade_purged": (dims3, trade_purged, {"units": "USD million, before tariffs",
                                 "long_name": "author's trade flows after purging deficits (DATA.mat TRADE)"}),
            "tariff": (dims3, tariff, {"units": "ad valorem (0.1 = 10%), imposed by importer"}),
            "sigma": (("sector",), mat["SIGMA"][:, 0].astype(float), {"long_name": "elasticity of substitution"}),
            "lambda_pol": (("region", "sector"), mat["LAMBDAPOL"].astype(float),
                           {"long_name": "political-economy weight on industry profits"}),
            "target_tariff": (("sector", "region"), mat["TARGETTARIFF"].astype(float),
                              {"long_name": "observed non-cooperative tariffs (calibration target)"}),
            "ref_optimal_mfn_tariff": (("sector", "region"), mat["MFNOPTIMALTARIFFPOL"].astype(float),
                                       {"long_name": "author's optimal MFN tariffs with political-economy weights"}),
        },
        coords={"importer": REGIONS, "exporter": REGIONS, "region": REGIONS, "sector": sectors},
    )
    return ds
