"""Aggregate economies and sectors of a baseline with a mapping.

Mapping files are CSV with two columns, ``label,group`` (e.g. every EU member
-> ``EU27``, shipped as ``data/builtin/eu27.csv``); labels not in the mapping
stay as they are. Aggregation keeps the accounting exact:

* flows add up (a merged economy's internal trade becomes domestic sales);
* tariffs are flow-weighted averages (so tariff revenue is unchanged; trade
  inside a merged economy carries no tariff);
* value-added and input-output shares are gross-output-weighted, final-demand
  shares spending-weighted, so value added, intermediate and final demand add up;
* trade elasticities of merged sectors are trade-weighted (world flows).

An equilibrium baseline therefore aggregates into an equilibrium baseline
(``validate`` passes); a test checks it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import xarray as xr

from tradesim.data import baseline as bl
from tradesim.errors import DataError


def read_mapping(path: str | Path) -> dict[str, str]:
    """A ``label,group`` CSV as a dict; a header row ``label,group`` is optional."""
    path = Path(path)
    try:
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    except FileNotFoundError:
        raise DataError(f"mapping file not found: {path}") from None
    mapping = {}
    for k, row in enumerate(rows, 1):
        if not row or row[0].startswith("#") or (k == 1 and [c.strip() for c in row] == ["label", "group"]):
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise DataError(f"mapping file {path.name}, line {k}: expected 'label,group', got {','.join(row)!r}")
        mapping[row[0].strip()] = row[1].strip()
    return mapping


def _matrix(labels: list[str], mapping: dict[str, str]) -> tuple[list[str], np.ndarray]:
    unknown = sorted(set(mapping) - set(labels))
    if unknown:
        raise DataError(f"mapping names labels not in the baseline: {', '.join(unknown[:8])}")
    groups = list(dict.fromkeys(mapping.get(x, x) for x in labels))
    m = np.zeros((len(groups), len(labels)))
    for i, x in enumerate(labels):
        m[groups.index(mapping.get(x, x)), i] = 1.0
    return groups, m


def _wavg(values: np.ndarray, weights: np.ndarray, summed) -> np.ndarray:
    num, den = summed(values * weights), summed(weights)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def aggregate(ds: xr.Dataset, countries: dict[str, str] | None = None,
              sectors: dict[str, str] | None = None) -> xr.Dataset:
    """Aggregated copy of a baseline dataset (see the module docstring)."""
    c_labels = [str(c) for c in ds["country"].values]
    s_labels = [str(s) for s in ds["sector"].values]
    cg, C = _matrix(c_labels, countries or {})
    sg, S = _matrix(s_labels, sectors or {})
    trade, tariff = ds["trade"].values, ds["tariff"].values
    output = trade.sum(axis=0)                                   # (country, sector)
    spend = ((1 + tariff) * trade).sum(axis=1)

    trade_g = np.einsum("an,bi,sj,nij->abs", C, C, S, trade, optimize=True)
    revenue = np.einsum("an,bi,sj,nij->abs", C, C, S, tariff * trade, optimize=True)
    tariff_g = np.divide(revenue, trade_g, out=np.zeros_like(trade_g), where=trade_g > 0)
    inside = np.eye(len(cg), dtype=bool)
    if (tariff_g[inside] != 0).any():
        # trade inside a merged economy becomes domestic: its tariff revenue is dropped
        tariff_g[inside] = 0.0

    def cs(x):  # (country, sector) -> groups
        return C @ x @ S.T

    out_g = cs(output)
    va = np.divide(cs(ds["value_added_share"].values * output), out_g, out=np.zeros_like(out_g), where=out_g > 0)
    io_num = np.einsum("an,kl,sj,nlj->aks", C, S, S, ds["io_share"].values * output[:, None, :], optimize=True)
    io = np.divide(io_num, out_g[:, None, :], out=np.zeros_like(io_num), where=out_g[:, None, :] > 0)
    idle = out_g <= 0
    va[idle] = 1.0
    alpha = C @ (ds["final_demand_share"].values * bl.income(ds).values[:, None]) @ S.T
    alpha /= alpha.sum(axis=1, keepdims=True)
    world = trade.sum(axis=(0, 1))
    theta = _wavg(ds["trade_elasticity"].values, world, lambda x: S @ x)
    deficit = C @ ds["deficit"].values

    bil = ("importer", "exporter", "sector")
    out = xr.Dataset(
        {
            "trade": (bil, trade_g, ds["trade"].attrs), "tariff": (bil, tariff_g, ds["tariff"].attrs),
            "value_added_share": (("country", "sector"), va), "io_share": (("country", "input_sector", "sector"), io),
            "final_demand_share": (("country", "sector"), alpha),
            "trade_elasticity": (("sector",), theta), "deficit": (("country",), deficit, ds["deficit"].attrs),
        },
        coords={"importer": cg, "exporter": cg, "country": cg, "sector": sg, "input_sector": sg},
        attrs={**ds.attrs, "aggregated": f"{len(c_labels)}x{len(s_labels)} -> {len(cg)}x{len(sg)}"},
    )
    if "trade_elasticity_sets" in ds:
        sets = np.stack([_wavg(row, world, lambda x: S @ x) for row in ds["trade_elasticity_sets"].values])
        out["trade_elasticity_sets"] = (("elasticity_set", "sector"), sets)
        out = out.assign_coords(elasticity_set=ds["elasticity_set"].values)
    if "tradable" in ds.coords:
        out = out.assign_coords(tradable=("sector", (S @ ds["tradable"].values.astype(float)) > 0))
    # Merging countries moves tariff revenue on their mutual trade into nothing and
    # domestic trade changes income; rescale final demand so markets clear exactly.
    return _close_final_demand(out)


def _close_final_demand(ds: xr.Dataset) -> xr.Dataset:
    """Final-demand shares implied by the aggregated flows (absorption net of
    intermediate demand over income), so goods markets clear exactly."""
    final = bl.expenditure(ds) - bl.intermediate_demand(ds).rename(input_sector="sector")
    if bool((final < -1e-9 * bl.expenditure(ds).sum()).any()):
        raise DataError("aggregation implies negative final demand; aggregate an equilibrium baseline")
    final = final.clip(min=0)
    ds["final_demand_share"] = final / final.sum("sector")
    return ds
