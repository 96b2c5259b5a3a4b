"""Building the baseline: the ICIO world of one year as a raw tradesim dataset
(:func:`read_icio`), with its provenance, and a summary of it (:func:`goods_trade_share`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from tradesim.data.sources.icio.labels import (COUNTRY_NAMES, DEFAULT_ELASTICITY_SET, SECTOR_NAMES, SERVICES,
                                               WIOD_YEAR)
from tradesim.data.sources.icio.read import read_mat
from tradesim.data.sources.icio.shares import calibrated_shares
from tradesim.data.sources.icio.tariffs import fixed_tariffs
from tradesim.errors import DataError

PROVENANCE = {
    "source": "OECD ICIO 2023 extended edition flows with Teti Global Tariff Database tariffs and 8 published "
              "elasticity sets (ahmadlp/tariffwar mat/, ../shared/data/icio_tariffwar/); input-output and "
              "value-added shares from the WIOD 2013 release, 2011 table (bquast/wiod data/, "
              "../shared/data/wiod2013/)",
    "license": "OECD ICIO CC BY 4.0 (via ahmadlp/tariffwar); WIOD 2013 release (Timmer et al. 2015), "
               "GPL-3 R package bquast/wiod",
    "units": "USD million",
}


def read_icio(mat_path: str | Path, wiod_folder: str | Path, year: int | None = None, *,
              wiod_year: int = WIOD_YEAR, elasticity_set: str = DEFAULT_ELASTICITY_SET) -> xr.Dataset:
    """The ICIO world of one year as a raw tradesim dataset.

    Parameters
    ----------
    mat_path : path-like
        ``ICIO<year>.mat`` (2011-2022).
    wiod_folder : path-like
        Folder with the WIOD 2013-release tables.
    year : int, optional
        Expected year; a file of another year raises :class:`DataError`.
    wiod_year : int
        WIOD table for the cost shares (default 2011, the latest).
    elasticity_set : str
        Set used as ``trade_elasticity`` (default ``"CP"``, Caliendo and Parro
        2015, the paper whose model tradesim solves); all sets ship in
        ``trade_elasticity_sets``.

    Returns
    -------
    xarray.Dataset
        Baseline layout (see :mod:`tradesim.data.baseline`), flows in USD
        million exactly as in the file, tariffs fixed as in the module
        docstring, coordinates ``country_name``, ``sector_name`` and
        ``tradable``. An equilibrium up to round-off; the build script runs
        :func:`tradesim.model.inputs.reconcile` to make it exact.
    """
    tables = read_mat(mat_path)
    if year is not None and tables.year != year:
        raise DataError(f"ICIO file {Path(mat_path).name} holds year {tables.year}, expected {year}")
    if elasticity_set not in tables.elasticities:
        raise DataError(f"unknown elasticity set '{elasticity_set}'; the file has {', '.join(tables.elasticities)}")
    countries, sectors, trade = tables.countries, tables.sectors, tables.flows
    unnamed = sorted(set(countries) - set(COUNTRY_NAMES))
    if unnamed:
        raise DataError(f"ICIO economies without a name in COUNTRY_NAMES: {', '.join(unnamed)}")
    tariff, tariff_attrs = fixed_tariffs(tables)
    io_share, va_share, alpha, share_attrs = calibrated_shares(trade, tariff, countries, sectors,
                                                               wiod_folder, wiod_year)
    names = list(tables.elasticities)
    eps = np.stack([tables.elasticities[k][0] for k in names])
    deficit = trade.sum(axis=(1, 2)) - trade.sum(axis=(0, 2))
    bil = ("importer", "exporter", "sector")
    return xr.Dataset(
        {
            "trade": (bil, trade, {"units": "USD million",
                                   "long_name": "bilateral flows at basic prices (before tariffs), incl. domestic"}),
            "tariff": (bil, tariff, {"units": "1", "long_name": "applied ad valorem tariff (Teti GTD), fixed"}),
            "value_added_share": (("country", "sector"), va_share, {"units": "1"}),
            "io_share": (("country", "input_sector", "sector"), io_share,
                         {"units": "1", "source": f"WIOD 2013 release, {wiod_year}"}),
            "final_demand_share": (("country", "sector"), alpha, {"units": "1"}),
            "trade_elasticity": (("sector",), eps[names.index(elasticity_set)], {"units": "1"}),
            "trade_elasticity_sets": (("elasticity_set", "sector"), eps, {"units": "1"}),
            "deficit": (("country",), deficit, {"units": "USD million", "long_name": "imports minus exports"}),
        },
        coords={
            "importer": countries, "exporter": countries, "country": countries,
            "sector": sectors, "input_sector": sectors, "elasticity_set": names,
            "country_name": ("country", [COUNTRY_NAMES[c] for c in countries]),
            "sector_name": ("sector", [SECTOR_NAMES.get(s, s) for s in sectors]),
            "tradable": ("sector", np.array([s != SERVICES for s in sectors])),
        },
        attrs={
            **PROVENANCE,
            "year": str(tables.year),
            "elasticity_set": elasticity_set,
            "elasticity_sources": "; ".join(f"{k}: {tables.elasticities[k][1]}" for k in names),
            "elasticity_note": "trade elasticity theta = epsilon_S = sigma_S - 1 of the source",
            **tariff_attrs,
            **share_attrs,
        },
    )


def goods_trade_share(ds: xr.Dataset, country: str, partner: str) -> float:
    """``partner``'s share of ``country``'s goods trade.

    Parameters
    ----------
    ds : xarray.Dataset
        A baseline dataset.
    country, partner : str
        Labels of ``ds``.

    Returns
    -------
    float
        (exports to + imports from ``partner``) / (exports + imports, all
        partners), in goods sectors (codes starting with A, B or C), excluding
        domestic sales.
    """
    labels = [str(c) for c in ds["country"].values]
    for who in (country, partner):
        if who not in labels:
            raise DataError(f"unknown country '{who}' in goods_trade_share")
    goods = [s for s in map(str, ds["sector"].values) if s[:1] in ("A", "B", "C")]
    t = ds["trade"].sel(sector=goods).sum("sector")
    imports = t.sel(importer=country).drop_sel(exporter=country)
    exports = t.sel(exporter=country).drop_sel(importer=country)
    total = float(imports.sum() + exports.sum())
    if partner == country or total <= 0:
        return 0.0
    return float(imports.sel(exporter=partner) + exports.sel(importer=partner)) / total
