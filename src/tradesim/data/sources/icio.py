"""Reader of the OECD ICIO world (2011-2022) with WIOD input-output coefficients.

Sources (layouts in ``../shared/data/README.md``):

* ``icio_tariffwar/ICIO<year>.mat`` (MATLAB v7.3/HDF5): OECD ICIO 2023 edition,
  81 economies x 28 sectors, gross bilateral flows incl. domestic sales, USD
  million; Teti Global Tariff Database applied tariffs; 8 published sets of
  sectoral trade elasticities. Through h5py arrays read ``[sector, importer, exporter]``.
* ``wiod2013/wiot_2011.RData``: WIOD 2013 release, 41 regions x 35 industries,
  the latest year; source of input-output cost shares and value-added shares,
  which the ICIO file does not carry.

Calibration of the coefficients (documented in ``docs/data.md``):

* WIOD's 35 industries are concorded to the 28 ICIO sectors with
  :data:`WIOD_TO_ICIO` (services, c17-c35, form one aggregate like ICIO's).
* For each economy the WIOD cost shares of its own country are used; economies
  not in WIOD take the coefficients of WIOD's "RoW" region, as do WIOD industries
  with no output in a country.
* Where one WIOD industry maps to several ICIO sectors (c1 -> A01, A02, A03), a
  using sector inherits its WIOD industry's structure and the input share of a
  WIOD industry is split among its ICIO sectors by the country's absorption of
  each (from the ICIO flows).
* Final-demand shares are absorption net of intermediate demand over income;
  negative values (where WIOD's intermediate shares exceed a country's ICIO
  absorption) are set to zero and the rest rescaled, as Caliendo and Parro do; the
  build script then reconciles the flows into an exact equilibrium.

Tariffs: the US rate on MFN partners for C10T12 food reads ~0.913 in every year,
an artefact of the source (US MFN food duties are a few percent). Those cells
are replaced by :data:`US_FOOD_MFN` (public-record value); the change is
recorded in the dataset's attributes. Other high food tariffs (Gulf states,
Jordan, Malaysia, Egypt, Vietnam > 50%) are plausible for alcohol and tobacco and
are kept, but listed in the attributes.
"""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import rdata
import xarray as xr

from tradesim.errors import DataError

#: WIOD 2013 industries (c1..c35) -> ICIO sectors; c17..c35 (utilities, construction
#: and all services) map to ICIO's services aggregate.
WIOD_TO_ICIO = {
    "c1": ["A01", "A02", "A03"],                       # agriculture, forestry, fishing
    "c2": ["B05", "B06", "B07", "B08", "B09"],         # mining and quarrying
    "c3": ["C10T12"], "c4": ["C13T15"], "c5": ["C13T15"],   # food; textiles; leather
    "c6": ["C16"], "c7": ["C17_18"], "c8": ["C19"],    # wood; paper, printing; coke, petroleum
    "c9": ["C20", "C21"], "c10": ["C22"], "c11": ["C23"],   # chemicals, pharma; rubber, plastics; minerals
    "c12": ["C24A", "C24B", "C25"],                    # basic and fabricated metals
    "c13": ["C28"], "c14": ["C26", "C27"],             # machinery n.e.c.; electrical and optical
    "c15": ["C29", "C301", "C302T309"], "c16": ["C31T33"],  # transport equipment; other manufacturing
    **{f"c{k}": ["SERV"] for k in range(17, 36)},
}
SERVICES = "SERV"
SECTOR_NAMES = {
    "A01": "Crop and animal production", "A02": "Forestry and logging", "A03": "Fishing and aquaculture",
    "B05": "Mining of coal", "B06": "Extraction of crude petroleum and gas", "B07": "Mining of metal ores",
    "B08": "Other mining and quarrying", "B09": "Mining support services",
    "C10T12": "Food, beverages and tobacco", "C13T15": "Textiles, apparel, leather", "C16": "Wood products",
    "C17_18": "Paper and printing", "C19": "Coke and refined petroleum", "C20": "Chemicals",
    "C21": "Pharmaceuticals", "C22": "Rubber and plastics", "C23": "Other non-metallic minerals",
    "C24A": "Basic iron and steel", "C24B": "Basic non-ferrous metals", "C25": "Fabricated metal products",
    "C26": "Computers, electronics and optical", "C27": "Electrical equipment", "C28": "Machinery n.e.c.",
    "C29": "Motor vehicles", "C301": "Ships and boats", "C302T309": "Other transport equipment",
    "C31T33": "Other manufacturing; repair", "SERV": "Services (aggregate)",
}
#: US MFN applied duty on food products, used for the artefact cells: WTO, World
#: Tariff Profiles 2023, United States: trade-weighted MFN applied average on
#: agricultural products (HS 01-24), about 4%.
US_FOOD_MFN = 0.04
ARTEFACT_THRESHOLD = 0.5

PROVENANCE = {
    "source": "OECD ICIO 2023 edition flows with Teti Global Tariff Database tariffs and 8 elasticity sets "
              "(ahmadlp/tariffwar mat/, ../shared/data/icio_tariffwar/); IO and value-added shares from WIOD "
              "2013 release, 2011 (bquast/wiod, ../shared/data/wiod2013/)",
    "license": "OECD ICIO: CC BY 4.0 (via ahmadlp/tariffwar, no license stated there); WIOD 2013 release "
               "(Timmer et al. 2015), GPL-3 R package bquast/wiod",
    "units": "USD million",
}


def _strings(f: h5py.File, refs) -> list[str]:
    return ["".join(chr(c) for c in np.array(f[r]).ravel()) for r in np.array(refs).ravel()]


def read_mat(path: str | Path) -> dict:
    """Raw arrays of an ICIO ``.mat`` file: flows and tariffs (importer, exporter,
    sector), labels, and the elasticity sets ``{name: (epsilon (J,), source)}``."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"ICIO file not found: {path}")
    with h5py.File(path, "r") as f:
        d = f["data"]
        sectors = _strings(f, d["sectors"])
        sets = {}
        for name in d["sigma"].keys():
            group = d["sigma"][name]
            source = _strings(f, group["source"]) if group["source"].dtype == object else \
                ["".join(chr(c) for c in np.array(group["source"]).ravel())]
            sets[name] = (np.array(group["epsilon_S"], float).ravel(), " ".join(source))
        return {
            "countries": _strings(f, d["countries"]),
            "sectors": [SERVICES if s.lower().startswith("services") else s for s in sectors],
            "flows": np.array(d["Xjik_3D"], float).transpose(1, 2, 0),
            "tariff": np.array(d["tjik_3D"], float).transpose(1, 2, 0),
            "year": int(np.array(d["year"]).ravel()[0]),
            "elasticities": sets,
        }


def wiod_coefficients(folder: str | Path, year: int = 2011):
    """WIOD cost shares aggregated to ICIO sector groups.

    Returns ``regions`` (41 codes incl. ``RoW``), ``groups`` (the distinct ICIO
    sector groups of :data:`WIOD_TO_ICIO`), ``io`` (region, input group, using group):
    intermediate inputs from all source countries per unit of gross output, and
    ``output`` (region, group).
    """
    d = rdata.read_rda(Path(folder) / f"wiot_{year}.RData")[f"wiot_{year}"]
    regions = [str(c) for c in d["countries"]]
    industries = [str(i) for i in d["industries"]]
    r, k = len(regions), len(industries)
    inter = np.asarray(d["inter"], float).reshape(r, k, r, k).sum(axis=0)   # (input, user region, using)
    output = np.asarray(d["output"], float).reshape(r, k)
    groups = list(dict.fromkeys(tuple(v) for v in WIOD_TO_ICIO.values()))
    member = np.zeros((len(groups), k))
    for i, ind in enumerate(industries):
        member[groups.index(tuple(WIOD_TO_ICIO[ind])), i] = 1.0
    inputs = np.einsum("gi,iuj,hj->ugh", member, inter, member)            # (user region, input g, using h)
    out = output @ member.T                                                 # (region, group)
    io = np.divide(inputs, out[:, None, :], out=np.zeros_like(inputs), where=out[:, None, :] > 0)
    # An industry a region does not produce borrows RoW's structure.
    row = regions.index("RoW")
    missing = out <= 0
    io[missing.nonzero()[0], :, missing.nonzero()[1]] = io[row][:, missing.nonzero()[1]].T
    return regions, groups, io, out


def io_shares(regions, groups, io_groups, countries, sectors, absorption) -> np.ndarray:
    """ICIO cost shares (country, input sector, sector) from WIOD group shares."""
    group_of = {}
    for g, members in enumerate(groups):
        for s in members:
            group_of[s] = g
    missing = [s for s in sectors if s not in group_of]
    if missing:
        raise DataError(f"ICIO sectors without a WIOD concordance: {', '.join(missing)}")
    g_idx = np.array([group_of[s] for s in sectors])
    # Split each input group among its ICIO sectors by the country's absorption of each.
    same = g_idx[:, None] == g_idx[None, :]
    group_total = absorption @ same.astype(float)                               # (country, sector)
    size = same.sum(axis=1)
    split = np.where(group_total > 0, absorption / np.where(group_total > 0, group_total, 1.0), 1.0 / size)
    row = regions.index("RoW")
    region_of = np.array([regions.index(c) if c in regions else row for c in countries])
    shares = io_groups[region_of][:, g_idx][:, :, g_idx]                        # (country, input, sector)
    return shares * split[:, :, None]


def fix_us_food_tariff(tariff: np.ndarray, countries: list[str], sectors: list[str]) -> list[str]:
    """Replace the US C10T12 artefact (~0.913 on MFN partners) in place; return the partners changed."""
    us, food = countries.index("USA"), sectors.index("C10T12")
    bad = tariff[us, :, food] > ARTEFACT_THRESHOLD
    tariff[us, bad, food] = US_FOOD_MFN
    return [countries[i] for i in np.nonzero(bad)[0]]


def read_icio(mat_path: str | Path, wiod_folder: str | Path, elasticity_set: str = "CP") -> xr.Dataset:
    """Raw ICIO dataset (not yet an equilibrium) in the baseline layout."""
    raw = read_mat(mat_path)
    countries, sectors = raw["countries"], raw["sectors"]
    n, j = len(countries), len(sectors)
    trade = np.nan_to_num(raw["flows"], nan=0.0)
    if (trade < -1e-9).any():
        raise DataError("ICIO flows have negative entries")
    trade = np.maximum(trade, 0.0)
    tariff = np.nan_to_num(raw["tariff"], nan=0.0)
    tariff[np.arange(n), np.arange(n), :] = 0.0
    changed = fix_us_food_tariff(tariff, countries, sectors)
    high = sorted({countries[a] for a, _, k in np.argwhere(tariff > ARTEFACT_THRESHOLD)})

    regions, groups, io_groups, _ = wiod_coefficients(wiod_folder)
    absorption = trade.sum(axis=1)
    io = io_shares(regions, groups, io_groups, countries, sectors, absorption)
    va_share = 1.0 - io.sum(axis=1)
    if (va_share <= 0).any():
        raise DataError("WIOD coefficients leave no value added in some sector")

    output = trade.sum(axis=0)
    gross_spend = ((1 + tariff) * trade).sum(axis=1)
    intermediate = np.einsum("nkj,nj->nk", io, output)
    deficit = trade.sum(axis=(1, 2)) - trade.sum(axis=(0, 2))
    income = (va_share * output).sum(axis=1) + (tariff * trade).sum(axis=(1, 2)) + deficit
    alpha = (gross_spend - intermediate) / income[:, None]
    clipped = int((alpha < 0).sum())
    alpha = np.maximum(alpha, 0.0)
    alpha /= alpha.sum(axis=1, keepdims=True)

    names = list(raw["elasticities"])
    eps = np.stack([raw["elasticities"][k][0][:j] for k in names])
    if elasticity_set not in names:
        raise DataError(f"unknown elasticity set '{elasticity_set}'; the file has {', '.join(names)}")
    in_wiod = [c for c in countries if c in regions]
    bil = ("importer", "exporter", "sector")
    return xr.Dataset(
        {
            "trade": (bil, trade, {"units": "USD million",
                                   "long_name": "bilateral flows at basic prices (before tariffs), incl. domestic"}),
            "tariff": (bil, tariff, {"units": "1", "long_name": "applied ad valorem tariff (Teti GTD)"}),
            "value_added_share": (("country", "sector"), va_share, {"units": "1", "source": "WIOD 2011"}),
            "io_share": (("country", "input_sector", "sector"), io, {"units": "1", "source": "WIOD 2011"}),
            "final_demand_share": (("country", "sector"), alpha, {"units": "1"}),
            "trade_elasticity": (("sector",), eps[names.index(elasticity_set)], {"units": "1"}),
            "trade_elasticity_sets": (("elasticity_set", "sector"), eps, {"units": "1"}),
            "deficit": (("country",), deficit, {"units": "USD million", "long_name": "imports minus exports"}),
        },
        coords={
            "importer": countries, "exporter": countries, "country": countries,
            "sector": sectors, "input_sector": sectors, "elasticity_set": names,
            "sector_name": ("sector", [SECTOR_NAMES.get(s, s) for s in sectors]),
            "tradable": ("sector", np.array([s != SERVICES for s in sectors])),
        },
        attrs={
            **PROVENANCE,
            "year": str(raw["year"]),
            "elasticity_set": elasticity_set,
            "elasticity_sources": "; ".join(f"{k}: {raw['elasticities'][k][1]}" for k in names),
            "tariff_fix": (f"US C10T12 tariff of ~0.913 on {len(changed)} MFN partners (a source artefact) "
                           f"replaced by {US_FOOD_MFN} (WTO World Tariff Profiles 2023, US agricultural MFN "
                           f"trade-weighted average)"),
            "tariff_fix_partners": " ".join(changed),
            "tariffs_above_50pct_kept": " ".join(high),
            "wiod_fallback": (f"{len(in_wiod)} economies use their own WIOD 2011 coefficients; the other "
                              f"{n - len(in_wiod)} use WIOD's RoW region"),
            "final_demand_clipped": clipped,
        },
    )


def goods_trade_share(ds: xr.Dataset, country: str, partner: str) -> float:
    """``partner``'s share of ``country``'s goods trade (exports + imports, sectors A-C,
    excluding domestic sales), from the flows of ``ds``."""
    goods = [s for s in map(str, ds["sector"].values) if s[:1] in "ABC"]
    t = ds["trade"].sel(sector=goods).sum("sector")
    foreign_imports = t.sel(importer=country).drop_sel(exporter=country)
    foreign_exports = t.sel(exporter=country).drop_sel(importer=country)
    total = float(foreign_imports.sum() + foreign_exports.sum())
    return float(foreign_imports.sel(exporter=partner) + foreign_exports.sel(importer=partner)) / total
