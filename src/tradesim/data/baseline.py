"""The baseline: one labelled, validated snapshot of the world economy.

Dimension order, used everywhere in tradesim
--------------------------------------------
``(importer, exporter, sector)`` for bilateral variables, ``(country, sector)``
for country-sector variables, ``(country, input_sector, sector)`` for
input-output shares. ``importer``, ``exporter`` and ``country`` carry the same
labels (ISO3 codes); ``input_sector`` and ``sector`` the same sector codes.

Variables of a :class:`Baseline` dataset
----------------------------------------
trade (importer, exporter, sector)
    Bilateral flows *including domestic sales* on the diagonal, valued before
    tariffs (the exporter's revenue), in ``attrs["units"]`` (USD or USD million).
tariff (importer, exporter, sector)
    Applied ad valorem tariff as a fraction (0.25 = 25%), imposed by the
    importer on the exporter. Zero on the diagonal.
value_added_share (country, sector)
    Share of value added (labour) in gross output, ``gamma_n^j``.
io_share (country, input_sector, sector)
    Cost share of ``input_sector`` in ``sector``'s gross output,
    ``gamma_n^{k,j}``; with ``value_added_share`` it sums to one over inputs.
final_demand_share (country, sector)
    Share of sector ``j`` in final (household) spending, ``alpha_n^j``.
trade_elasticity (sector)
    Trade elasticity ``theta^j`` (> 0).
deficit (country)
    Trade deficit: imports minus exports, valued before tariffs.

Optional extras (kept with the data they belong to): alternative tariff
schedules named ``tariff_<label>`` with the dimensions of ``tariff``, and
``trade_elasticity_sets (elasticity_set, sector)``.

Everything else (gross output, value added, tariff revenue, income, sectoral
expenditure) is derived from these, so it cannot disagree with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from tradesim.errors import DataError
from tradesim.literals import check_elasticity_set

REQUIRED = {
    "trade": ("importer", "exporter", "sector"),
    "tariff": ("importer", "exporter", "sector"),
    "value_added_share": ("country", "sector"),
    "io_share": ("country", "input_sector", "sector"),
    "final_demand_share": ("country", "sector"),
    "trade_elasticity": ("sector",),
    "deficit": ("country",),
}

#: Tolerances of :func:`validate`. Shares are data, so they get a data-sized
#: tolerance; market clearing is checked relative to each country's spending.
SHARE_TOL = 1e-6
CLEARING_TOL = 1e-6


def _labels(values, n: int = 6) -> str:
    values = [str(v) for v in values]
    more = f" and {len(values) - n} more" if len(values) > n else ""
    return ", ".join(values[:n]) + more


def bad_cells(mask: xr.DataArray) -> str:
    """Name the first offending label tuples of a boolean DataArray."""
    idx = np.argwhere(np.asarray(mask))
    dims = mask.dims
    cells = [
        "(" + ", ".join(f"{d}={mask[d].values[i]}" for d, i in zip(dims, row)) + ")"
        for row in idx[:4]
    ]
    more = f" and {len(idx) - 4} more" if len(idx) > 4 else ""
    return ", ".join(cells) + more


def gross_output(ds: xr.Dataset) -> xr.DataArray:
    """Gross output ``Y_i^j = sum_n trade[n, i, j]`` with dims (country, sector)."""
    return ds["trade"].sum("importer").rename(exporter="country")


def tariff_revenue(ds: xr.Dataset) -> xr.DataArray:
    """Tariff revenue of each importer, ``R_n = sum_{i,j} tariff * trade`` (country)."""
    return (ds["tariff"] * ds["trade"]).sum(("exporter", "sector")).rename(importer="country")


def value_added(ds: xr.Dataset) -> xr.DataArray:
    """Value added ``w_n L_n^j = gamma_n^j Y_n^j`` with dims (country, sector)."""
    return ds["value_added_share"] * gross_output(ds)


def income(ds: xr.Dataset) -> xr.DataArray:
    """Household income ``I_n = w_n L_n + R_n + D_n`` (country)."""
    return value_added(ds).sum("sector") + tariff_revenue(ds) + ds["deficit"]


def expenditure(ds: xr.Dataset) -> xr.DataArray:
    """Sectoral absorption gross of tariffs, ``X_n^j = sum_i (1 + t) trade``."""
    return ((1 + ds["tariff"]) * ds["trade"]).sum("exporter").rename(importer="country")


def intermediate_demand(ds: xr.Dataset) -> xr.DataArray:
    """Spending on input ``k`` by country ``n``: ``sum_j gamma_n^{k,j} Y_n^j`` (country, input_sector)."""
    return (ds["io_share"] * gross_output(ds)).sum("sector")


def final_demand(ds: xr.Dataset) -> xr.DataArray:
    """Household spending ``alpha_n^j I_n`` (country, sector)."""
    return ds["final_demand_share"] * income(ds)


def market_clearing_residual(ds: xr.Dataset) -> xr.DataArray:
    """Goods-market residual ``X - intermediate - final`` relative to each
    country's total spending (country, sector); zero in a consistent baseline."""
    inter = intermediate_demand(ds).rename(input_sector="sector")
    resid = expenditure(ds) - inter - final_demand(ds)
    return resid / expenditure(ds).sum("sector")


def trade_balance_residual(ds: xr.Dataset) -> xr.DataArray:
    """``deficit - (imports - exports)`` relative to each country's gross output."""
    trade = ds["trade"]
    imports = trade.sum(("exporter", "sector")).rename(importer="country")
    exports = trade.sum(("importer", "sector")).rename(exporter="country")
    return (ds["deficit"] - (imports - exports)) / gross_output(ds).sum("sector")


def validate(ds: xr.Dataset, *, check_clearing: bool = True) -> None:
    """Raise :class:`DataError` naming the field and labels if ``ds`` is not a
    consistent baseline; return ``None`` otherwise."""
    for name, dims in REQUIRED.items():
        if name not in ds:
            raise DataError(f"baseline field '{name}' is missing (expected dims {dims})")
        if tuple(ds[name].dims) != dims:
            raise DataError(f"baseline field '{name}' has dims {tuple(ds[name].dims)}, expected {dims}")
    countries = list(map(str, ds["country"].values))
    for dim in ("importer", "exporter"):
        other = list(map(str, ds[dim].values))
        if other != countries:
            diff = sorted(set(other) ^ set(countries)) or ["(same labels, different order)"]
            raise DataError(f"baseline labels of '{dim}' do not match 'country': {_labels(diff)}")
    if list(map(str, ds["input_sector"].values)) != list(map(str, ds["sector"].values)):
        raise DataError("baseline labels of 'input_sector' do not match 'sector'")
    for dim in ("country", "sector"):
        labels = list(map(str, ds[dim].values))
        if len(set(labels)) != len(labels):
            dup = sorted({x for x in labels if labels.count(x) > 1})
            raise DataError(f"baseline dimension '{dim}' has duplicate labels: {_labels(dup)}")

    for name in list(REQUIRED) + [v for v in ds.data_vars if v.startswith("tariff_")]:
        bad = ~np.isfinite(ds[name])
        if bool(bad.any()):
            raise DataError(f"baseline field '{name}' has missing or non-finite values at {bad_cells(bad)}")
    checks = [
        ("trade", ds["trade"] < 0, "negative flows"),
        ("tariff", ds["tariff"] <= -1, "tariffs at or below -100%"),
        ("value_added_share", (ds["value_added_share"] < 0) | (ds["value_added_share"] > 1), "shares outside [0, 1]"),
        ("io_share", ds["io_share"] < 0, "negative shares"),
        ("final_demand_share", ds["final_demand_share"] < 0, "negative shares"),
        ("trade_elasticity", ds["trade_elasticity"] <= 0, "non-positive elasticities"),
    ]
    for name, bad, what in checks:
        if bool(bad.any()):
            raise DataError(f"baseline field '{name}' has {what} at {bad_cells(bad)}")

    cost = ds["value_added_share"] + ds["io_share"].sum("input_sector")
    bad = abs(cost - 1) > SHARE_TOL
    if bool(bad.any()):
        raise DataError(
            "baseline fields 'value_added_share' + 'io_share' do not sum to one over inputs at "
            + bad_cells(bad)
        )
    bad = abs(ds["final_demand_share"].sum("sector") - 1) > SHARE_TOL
    if bool(bad.any()):
        raise DataError(f"baseline field 'final_demand_share' does not sum to one at {bad_cells(bad)}")
    if not check_clearing:
        return
    resid = trade_balance_residual(ds)
    bad = abs(resid) > CLEARING_TOL
    if bool(bad.any()):
        raise DataError(
            f"baseline field 'deficit' is not imports minus exports at {bad_cells(bad)} "
            f"(largest gap {float(abs(resid).max()):.3g} of gross output)"
        )
    resid = market_clearing_residual(ds)
    bad = abs(resid) > CLEARING_TOL
    if bool(bad.any()):
        raise DataError(
            "baseline is inconsistent: goods-market clearing (spending = intermediate + final demand) "
            f"fails at {bad_cells(bad)} (largest gap {float(abs(resid).max()):.3g} of spending)"
        )


@dataclass(frozen=True)
class Baseline:
    """A validated baseline economy.

    Parameters
    ----------
    ds : xarray.Dataset
        Variables and dimensions as documented in this module. Validated on
        construction; an inconsistent dataset raises :class:`DataError`.
    name : str
        Short name used in scenario files (``baseline = "cp2015"``).
    """

    ds: xr.Dataset
    name: str = "custom"

    def __post_init__(self) -> None:
        validate(self.ds)

    @property
    def countries(self) -> list[str]:
        return [str(c) for c in self.ds["country"].values]

    @property
    def sectors(self) -> list[str]:
        return [str(s) for s in self.ds["sector"].values]

    @property
    def version(self) -> str:
        return str(self.ds.attrs.get("version", "unversioned"))

    def with_elasticities(self, elasticity_set: str) -> "Baseline":
        """The same baseline with ``trade_elasticity`` taken from a named set of
        ``trade_elasticity_sets`` (e.g. ``"CP"`` for Caliendo-Parro)."""
        if "trade_elasticity_sets" not in self.ds:
            raise DataError(f"baseline '{self.name}' ships no alternative elasticity sets")
        sets = [str(s) for s in self.ds["elasticity_set"].values]
        check_elasticity_set(elasticity_set, sets, self.name)
        ds = self.ds.copy()
        ds["trade_elasticity"] = ds["trade_elasticity_sets"].sel(elasticity_set=elasticity_set, drop=True)
        ds.attrs = {**ds.attrs, "elasticity_set": elasticity_set}
        return Baseline(ds, self.name)

    def to_netcdf(self, path: str | Path) -> None:
        """Write the dataset (NetCDF-3 via scipy: no C library needed)."""
        self.ds.to_netcdf(path, engine="scipy")
