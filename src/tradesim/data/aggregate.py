"""Aggregate economies and sectors of a baseline with a mapping.

A mapping sends labels to groups, e.g. every EU member to ``EU27`` (shipped as
``data/builtin/eu27.csv``); labels not in the mapping stay as they are.
Mapping files are CSV with two columns, ``label,group`` (a header row
``label,group`` and ``#`` comment lines are allowed); read them with
:func:`read_mapping`.

Aggregation keeps the accounting exact, so an equilibrium baseline aggregates
into an equilibrium baseline (``validate`` passes):

* flows add up; trade inside a merged economy becomes domestic sales;
* tariffs (and every ``tariff_<label>`` schedule) are flow-weighted averages,
  so tariff revenue on the remaining international trade is unchanged; trade
  inside a merged economy pays no tariff;
* value-added and input-output shares are gross-output-weighted, so value
  added and intermediate demand add up;
* final-demand shares are the merged economies' final spending (absorption net
  of intermediate demand) over their income: members' final demand summed,
  less any tariffs they charged each other, which are no longer paid;
* deficits add up (trade among members cancels);
* trade elasticities (and every set in ``trade_elasticity_sets``) of merged
  sectors are averages weighted by world international trade.

Example::

    from tradesim.data.aggregate import aggregate, read_mapping
    from tradesim.data.registry import BUILTIN
    eu = aggregate(load_baseline().ds, countries=read_mapping(BUILTIN / "eu27.csv"))
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import xarray as xr

from tradesim.data import baseline as bl
from tradesim.errors import DataError

BILATERAL = ("importer", "exporter", "sector")


def read_mapping(path: str | Path) -> dict[str, str]:
    """A ``label,group`` CSV file as a dict ``{label: group}``.

    Raises :class:`DataError` for a missing file, a malformed line, or a label
    mapped twice to different groups.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"mapping file not found: {path}") from None
    mapping: dict[str, str] = {}
    for k, row in enumerate(csv.reader(text.splitlines()), 1):
        cells = [c.strip() for c in row]
        if not cells or not any(cells) or cells[0].startswith("#") or (k == 1 and cells == ["label", "group"]):
            continue
        if len(cells) != 2 or not all(cells):
            raise DataError(f"mapping file {path.name}, line {k}: expected 'label,group', got {','.join(row)!r}")
        label, group = cells
        if mapping.get(label, group) != group:
            raise DataError(f"mapping file {path.name}, line {k}: label '{label}' is mapped to both "
                            f"'{mapping[label]}' and '{group}'")
        mapping[label] = group
    return mapping


def _membership(labels: list[str], mapping: dict[str, str], dim: str) -> tuple[list[str], np.ndarray]:
    """Groups (in order of first appearance) and the (group, label) 0/1 membership matrix."""
    unknown = sorted(set(mapping) - set(labels))
    if unknown:
        raise DataError(f"mapping names {dim} labels not in the baseline: {', '.join(unknown[:8])}")
    groups = list(dict.fromkeys(mapping.get(x, x) for x in labels))
    m = np.zeros((len(groups), len(labels)))
    for i, x in enumerate(labels):
        m[groups.index(mapping.get(x, x)), i] = 1.0
    return groups, m


def _ratio(num: np.ndarray, den: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """``num / den`` where ``den > 0``, ``fill`` elsewhere (``den`` broadcasts)."""
    den = np.broadcast_to(den, num.shape)
    return np.divide(num, den, out=np.full(num.shape, fill), where=den > 0)


def _sum_bilateral(x: np.ndarray, c: np.ndarray, s: np.ndarray) -> np.ndarray:
    """(importer, exporter, sector) array summed into groups."""
    return np.einsum("an,bi,sj,nij->abs", c, c, s, x, optimize=True)


def _tariff_schedule(tariff: np.ndarray, trade: np.ndarray, trade_g: np.ndarray,
                     c: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Flow-weighted group tariffs; zero inside a merged economy (its trade is domestic).

    Where a group pair has no flows the simple average of its members' rates is
    used, so a later policy on a zero flow still has a rate to start from.
    """
    pairs = _sum_bilateral(np.ones_like(tariff), c, s)
    plain = _sum_bilateral(tariff, c, s) / pairs
    out = _ratio(_sum_bilateral(tariff * trade, c, s), trade_g)
    out = np.where(trade_g > 0, out, plain)
    idx = np.arange(len(c))
    out[idx, idx, :] = 0.0
    return out


def _trade_weighted(values: np.ndarray, trade: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Sector values (sector,) averaged into groups with world international trade as weights
    (world gross output for a group with no international trade)."""
    n = trade.shape[0]
    total = trade.sum(axis=(0, 1))
    international = total - trade[np.arange(n), np.arange(n), :].sum(axis=0)
    group_international = s.T @ (s @ international)     # (sector,): its group's international trade
    weights = np.where(group_international > 0, international, total)
    return _ratio(s @ (values * weights), s @ weights)


def _group_names(names: np.ndarray, labels: list[str], groups: list[str], m: np.ndarray) -> list[str]:
    """A descriptive name per group: the member's own name if it stands alone, else the group label."""
    out = []
    for g, row in zip(groups, m):
        members = np.nonzero(row)[0]
        out.append(str(names[members[0]]) if len(members) == 1 and labels[members[0]] == g else g)
    return out


def final_demand_shares(ds: xr.Dataset) -> xr.DataArray:
    """Shares ``alpha`` (country, sector) that clear goods markets given flows,
    tariffs, input-output shares and deficits: absorption net of intermediate
    demand, over its sum (which equals income by the accounting identity)."""
    final = bl.expenditure(ds) - bl.intermediate_demand(ds).rename(input_sector="sector")
    scale = bl.expenditure(ds).sum("sector")
    bad = final < -1e-9 * scale
    if bool(bad.any()):
        raise DataError("aggregation implies negative final demand at " + bl.bad_cells(bad)
                        + "; aggregate an equilibrium baseline")
    final = final.clip(min=0.0)
    return final / final.sum("sector")


def aggregate(ds: xr.Dataset, countries: dict[str, str] | None = None,
              sectors: dict[str, str] | None = None) -> xr.Dataset:
    """Merge economies and/or sectors of a baseline dataset.

    Parameters
    ----------
    ds : xarray.Dataset
        A baseline (see :mod:`tradesim.data.baseline`); an exact equilibrium
        for the result to be one.
    countries, sectors : dict of str to str, optional
        ``{label: group}``; unmapped labels stay as they are. Groups are
        ordered by the first appearance of a member.

    Returns
    -------
    xarray.Dataset
        Same variables (and ``tariff_<label>``, ``trade_elasticity_sets``,
        ``country_name``, ``sector_name``, ``tradable`` where present),
        aggregated as described in the module docstring; attribute
        ``aggregated`` records the mappings.
    """
    c_labels = [str(x) for x in ds["country"].values]
    s_labels = [str(x) for x in ds["sector"].values]
    cg, c = _membership(c_labels, countries or {}, "country")
    sg, s = _membership(s_labels, sectors or {}, "sector")
    trade = ds["trade"].values
    output = trade.sum(axis=0)                                             # (country, sector)
    output_g = c @ output @ s.T

    trade_g = _sum_bilateral(trade, c, s)
    # Output-weighted; a group with no output takes its members' plain average, so
    # its cost shares still sum to one (and a singleton keeps its own).
    size = c.sum(axis=1)[:, None] * s.sum(axis=1)[None, :]               # (country group, sector group)
    va_share, io_share = ds["value_added_share"].values, ds["io_share"].values
    va = np.where(output_g > 0, _ratio(c @ (va_share * output) @ s.T, output_g),
                  c @ va_share @ s.T / size)
    io_cost = np.einsum("an,kl,sj,nlj->aks", c, s, s, io_share * output[:, None, :], optimize=True)
    io_plain = np.einsum("an,kl,sj,nlj->aks", c, s, s, io_share, optimize=True) / size[:, None, :]
    io = np.where(output_g[:, None, :] > 0, _ratio(io_cost, output_g[:, None, :]), io_plain)

    out = xr.Dataset(
        {
            "trade": (BILATERAL, trade_g, ds["trade"].attrs),
            "tariff": (BILATERAL, _tariff_schedule(ds["tariff"].values, trade, trade_g, c, s), ds["tariff"].attrs),
            "value_added_share": (("country", "sector"), va, ds["value_added_share"].attrs),
            "io_share": (("country", "input_sector", "sector"), io, ds["io_share"].attrs),
            "final_demand_share": (("country", "sector"), np.zeros_like(va), ds["final_demand_share"].attrs),
            "trade_elasticity": (("sector",), _trade_weighted(ds["trade_elasticity"].values, trade, s),
                                 ds["trade_elasticity"].attrs),
            "deficit": (("country",), c @ ds["deficit"].values, ds["deficit"].attrs),
        },
        coords={"importer": cg, "exporter": cg, "country": cg, "sector": sg, "input_sector": sg},
        attrs={**ds.attrs, "aggregated": _describe(countries, sectors, len(c_labels), len(s_labels), cg, sg)},
    )
    for name in [v for v in ds.data_vars if v.startswith("tariff_")]:
        out[name] = (BILATERAL, _tariff_schedule(ds[name].values, trade, trade_g, c, s), ds[name].attrs)
    if "trade_elasticity_sets" in ds:
        sets = np.stack([_trade_weighted(row, trade, s) for row in ds["trade_elasticity_sets"].values])
        out["trade_elasticity_sets"] = (("elasticity_set", "sector"), sets, ds["trade_elasticity_sets"].attrs)
        out = out.assign_coords(elasticity_set=ds["elasticity_set"].values)
    if "country_name" in ds.coords:
        out = out.assign_coords(country_name=("country", _group_names(ds["country_name"].values, c_labels, cg, c)))
    if "sector_name" in ds.coords:
        out = out.assign_coords(sector_name=("sector", _group_names(ds["sector_name"].values, s_labels, sg, s)))
    if "tradable" in ds.coords:
        out = out.assign_coords(tradable=("sector", (s @ ds["tradable"].values.astype(float)) > 0))
    # Members' final demand summed, less tariffs they no longer charge each other.
    out["final_demand_share"] = final_demand_shares(out).assign_attrs(ds["final_demand_share"].attrs)
    return out


def _describe(countries, sectors, n: int, j: int, cg: list[str], sg: list[str]) -> str:
    """``"81x28 -> 55x28; countries: EU27 = AUT+BEL+...; sectors: none"``."""
    def groups(mapping):
        if not mapping:
            return "none"
        members: dict[str, list[str]] = {}
        for label, group in mapping.items():
            members.setdefault(group, []).append(label)
        return "; ".join(f"{g} = {'+'.join(m)}" for g, m in members.items())
    return f"{n}x{j} -> {len(cg)}x{len(sg)}; countries: {groups(countries)}; sectors: {groups(sectors)}"
