"""Reader of the OECD ICIO world (2011-2022) with WIOD input-output coefficients.

Sources (layouts in ``../shared/data/README.md``)
-------------------------------------------------
``icio_tariffwar/ICIO<year>.mat`` (MATLAB v7.3 = HDF5)
    OECD ICIO 2023 extended edition as compiled by ahmadlp/tariffwar: 81
    economies (China = CN1 + CN2 and Mexico = MX1 + MX2 are already merged into
    ``CHN`` and ``MEX``; ``ROW`` closes the world) x 28 sectors (27 goods sectors
    A01 ... C31T33 and one services aggregate, which we label ``SERV``).
    ``Xjik_3D`` reads through h5py as ``[sector, importer, exporter]``: the
    intermediate (Z) plus final-demand (HFCE, NPISH, GGFC, GFCF, INVNT, DPABR)
    blocks of the ICIO table, USD million, domestic sales on the diagonal,
    clipped at zero by the compiler (inventory draw-downs can make a cell
    negative). ICIO values flows at basic prices; taxes on products, import
    duties included, are a separate row (TLS) the compiler does not add, so the
    flows are *before* tariffs, the exporter's revenue, as a tradesim baseline
    wants: nothing is divided out. Deficits are not balanced in the file.
    ``tjik_3D`` has the same layout: applied ad valorem tariffs as fractions
    (Teti Global Tariff Database; the 2022 file repeats the 2021 rates), zero
    on the diagonal.
    ``sigma.<set>`` holds 8 published sets of CES elasticities ``sigma_S`` and
    ``epsilon_S = sigma_S - 1`` (checked on reading): the trade elasticity
    ``theta`` of Caliendo-Parro is ``epsilon_S``.
``wiod2013/wiot_2011.RData``
    WIOD 2013 release, 41 regions x 35 industries c1 ... c35 (2011, the latest
    year), USD million: the source of input-output and value-added shares,
    which the ICIO file does not carry.

Calibration (documented in ``docs/data.md``)
--------------------------------------------
1. WIOD's 35 industries are concorded to the 28 ICIO sectors with
   :data:`WIOD_TO_ICIO`; within an economy, the cost share of input group
   ``g`` in using group ``h`` is intermediate purchases from all source
   countries over gross output, at basic prices.
2. Each economy in WIOD uses its own shares (WIOD's ``ROM`` is Romania,
   ``ROU``). Economies not in WIOD, and WIOD industries with no output in an
   economy, use the output-weighted average of all 41 WIOD regions (the
   "world" structure, :func:`world_cost_shares`): it fits the 2022 absorption
   of the 41 non-WIOD economies far better than WIOD's ``RoW`` region, whose
   services buy mining inputs like an oil exporter's (in 2022, intermediate
   demand above absorption for 13.5% of their intermediate costs with RoW,
   4.7% with the world average).
3. Where one WIOD industry maps to several ICIO sectors (c1 -> A01, A02,
   A03), a using sector inherits its industry's structure and an input
   industry's share is split among its ICIO sectors by the economy's
   absorption of each.
4. Final demand is absorption (gross of tariffs) net of intermediate demand.
   WIOD's 2011 shares applied to 2022 flows can imply more intermediate use
   of an input than the economy absorbs; there the input's cost shares are
   scaled down (for every using sector alike) until final demand is zero,
   and value added takes up the difference (:func:`scale_inputs_to_absorption`).
   The flows and deficits stay exactly as in the data and the dataset is an
   equilibrium by construction; no final demand is negative.

Tariff fixes (recorded in the dataset's attributes)
---------------------------------------------------
* The US rate on C10T12 (food, beverages, tobacco) reads 0.913 for 42 MFN
  partners in every year 2000-2022 (2022: also 0.587 for Jordan, an FTA
  partner, 0.261 for Laos and 0.164 for 13 others), where US MFN food duties
  are a few percent. For Australia and Korea it falls to 1% or less as their
  FTAs phase in, so it is presumably an average dominated by a few
  out-of-quota duties (tobacco's is 350%). The US food tariff on
  each partner is capped at :data:`US_FOOD_MFN`: in data without unilateral
  duties no partner pays more than MFN.
* Services carry tariffs in the source (up to 0.165; world revenue USD 128 bn
  in 2022, a fifth of all tariff revenue): presumably the duty on the few
  goods the tariff concordance files under service industries, spread over
  all services trade. Services pay no customs duties; those tariffs are set
  to zero.
* Other food tariffs above 50% (Saudi Arabia, Malaysia, Jordan, Egypt, UAE,
  Viet Nam in 2022; Malaysia, Saudi Arabia and the UAE above 100% in some
  years) have the same cause, but no public-record replacement is at hand:
  they are kept and listed in ``tariffs_above_50pct_kept``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import rdata
import xarray as xr

from tradesim.errors import DataError

SERVICES = "SERV"
DEFAULT_ELASTICITY_SET = "CP"
WIOD_YEAR = 2011

#: The WIOD 2013 industries (NACE Rev. 1.1 codes) and the ICIO sectors each maps to.
#:
#: ======  ======  =========================================  ==========================
#: WIOD    NACE    industry                                   ICIO sectors
#: ======  ======  =========================================  ==========================
#: c1      AtB     agriculture, hunting, forestry, fishing    A01, A02, A03
#: c2      C       mining and quarrying                       B05, B06, B07, B08, B09
#: c3      15t16   food, beverages, tobacco                   C10T12
#: c4      17t18   textiles and textile products              C13T15
#: c5      19      leather and footwear                       C13T15
#: c6      20      wood and cork                              C16
#: c7      21t22   pulp, paper, printing, publishing          C17_18
#: c8      23      coke, refined petroleum, nuclear fuel      C19
#: c9      24      chemicals and chemical products            C20, C21
#: c10     25      rubber and plastics                        C22
#: c11     26      other non-metallic minerals                C23
#: c12     27t28   basic metals and fabricated metal          C24A, C24B, C25
#: c13     29      machinery n.e.c.                           C28
#: c14     30t33   electrical and optical equipment           C26, C27
#: c15     34t35   transport equipment                        C29, C301, C302T309
#: c16     36t37   manufacturing n.e.c., recycling            C31T33
#: c17-35  E-P     utilities, construction, all services      SERV
#: ======  ======  =========================================  ==========================
WIOD_TO_ICIO: dict[str, tuple[str, ...]] = {
    "c1": ("A01", "A02", "A03"),
    "c2": ("B05", "B06", "B07", "B08", "B09"),
    "c3": ("C10T12",),
    "c4": ("C13T15",), "c5": ("C13T15",),
    "c6": ("C16",),
    "c7": ("C17_18",),
    "c8": ("C19",),
    "c9": ("C20", "C21"),
    "c10": ("C22",),
    "c11": ("C23",),
    "c12": ("C24A", "C24B", "C25"),
    "c13": ("C28",),
    "c14": ("C26", "C27"),
    "c15": ("C29", "C301", "C302T309"),
    "c16": ("C31T33",),
    **{f"c{k}": (SERVICES,) for k in range(17, 36)},
}
#: WIOD 2013 region codes that differ from ISO 3166 alpha-3.
WIOD_CODE_ALIASES = {"ROM": "ROU"}

#: Short English names of the ICIO sectors, abridged by us from the industry descriptions of the
#: OECD ICIO 2023 edition (each an ISIC Rev.4 division or group of divisions; see isic4_icio.csv).
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
    "C31T33": "Other manufacturing; repair", SERVICES: "Services (aggregate)",
}
#: ASCII names (NetCDF-3 stores bytes) of the 81 ICIO economies.
COUNTRY_NAMES = {
    "AGO": "Angola", "ARE": "United Arab Emirates", "ARG": "Argentina", "AUS": "Australia",
    "AUT": "Austria", "BEL": "Belgium", "BGD": "Bangladesh", "BGR": "Bulgaria", "BLR": "Belarus",
    "BRA": "Brazil", "BRN": "Brunei Darussalam", "CAN": "Canada", "CHE": "Switzerland", "CHL": "Chile",
    "CHN": "China", "CIV": "Cote d'Ivoire", "CMR": "Cameroon", "COD": "Congo, Dem. Rep.",
    "COL": "Colombia", "CRI": "Costa Rica", "CYP": "Cyprus", "CZE": "Czechia", "DEU": "Germany",
    "DNK": "Denmark", "EGY": "Egypt", "ESP": "Spain", "EST": "Estonia", "FIN": "Finland",
    "FRA": "France", "GBR": "United Kingdom", "GRC": "Greece", "HKG": "Hong Kong, China",
    "HRV": "Croatia", "HUN": "Hungary", "IDN": "Indonesia", "IND": "India", "IRL": "Ireland",
    "ISL": "Iceland", "ISR": "Israel", "ITA": "Italy", "JOR": "Jordan", "JPN": "Japan",
    "KAZ": "Kazakhstan", "KHM": "Cambodia", "KOR": "Korea", "LAO": "Lao PDR", "LTU": "Lithuania",
    "LUX": "Luxembourg", "LVA": "Latvia", "MAR": "Morocco", "MEX": "Mexico", "MLT": "Malta",
    "MMR": "Myanmar", "MYS": "Malaysia", "NGA": "Nigeria", "NLD": "Netherlands", "NOR": "Norway",
    "NZL": "New Zealand", "PAK": "Pakistan", "PER": "Peru", "PHL": "Philippines", "POL": "Poland",
    "PRT": "Portugal", "ROU": "Romania", "RUS": "Russia", "SAU": "Saudi Arabia", "SEN": "Senegal",
    "SGP": "Singapore", "STP": "Sao Tome and Principe", "SVK": "Slovakia", "SVN": "Slovenia",
    "SWE": "Sweden", "THA": "Thailand", "TUN": "Tunisia", "TUR": "Turkiye", "TWN": "Chinese Taipei",
    "UKR": "Ukraine", "USA": "United States", "VNM": "Viet Nam", "ZAF": "South Africa",
    "ROW": "Rest of the world",
}

#: US MFN applied duty on food, beverages and tobacco, the cap of the US C10T12
#: tariff: WTO, ITC and UNCTAD, World Tariff Profiles 2023, United States:
#: trade-weighted average MFN applied duty on agricultural products (WTO
#: definition, HS 01-24 less fish), about 4% (simple average about 5%).
#: Quoted from the publication, not recomputed here; 4% vs 5% moves US tariff
#: revenue by USD 0.7 bn of about USD 45 bn.
US_FOOD_MFN = 0.04
#: Tariffs above this are listed in the attributes as implausible for a sector average.
HIGH_TARIFF = 0.5

PROVENANCE = {
    "source": "OECD ICIO 2023 extended edition flows with Teti Global Tariff Database tariffs and 8 published "
              "elasticity sets (ahmadlp/tariffwar mat/, ../shared/data/icio_tariffwar/); input-output and "
              "value-added shares from the WIOD 2013 release, 2011 table (bquast/wiod data/, "
              "../shared/data/wiod2013/)",
    "license": "OECD ICIO CC BY 4.0 (via ahmadlp/tariffwar); WIOD 2013 release (Timmer et al. 2015), "
               "GPL-3 R package bquast/wiod",
    "units": "USD million",
}


@dataclass(frozen=True)
class IcioTables:
    """Arrays of one ``ICIO<year>.mat`` file, in tradesim's dimension order.

    Attributes
    ----------
    countries, sectors : list of str
        ISO3 codes (``ROW`` last) and ICIO sector codes (services as ``SERV``).
    flows : ndarray, shape (importer, exporter, sector)
        Flows before tariffs, incl. domestic sales, USD million.
    tariff : ndarray, shape (importer, exporter, sector)
        Applied ad valorem tariffs, fractions, as in the file.
    year : int
    elasticities : dict of str to (ndarray (sector,), str)
        ``{set name: (trade elasticity epsilon_S, source)}``.
    """

    countries: list[str]
    sectors: list[str]
    flows: np.ndarray
    tariff: np.ndarray
    year: int
    elasticities: dict[str, tuple[np.ndarray, str]]


def _text(dataset) -> str:
    """A MATLAB char array (uint16 codes) as a str."""
    return "".join(chr(c) for c in np.asarray(dataset).ravel())


def _cell_strings(f: h5py.File, refs) -> list[str]:
    """A MATLAB cell array of char arrays (HDF5 object references) as strs."""
    return [_text(f[r]) for r in np.asarray(refs).ravel()]


def _elasticity_sets(f: h5py.File, group: h5py.Group, n_sectors: int) -> dict[str, tuple[np.ndarray, str]]:
    """``{name: (epsilon_S, source)}``; checks ``epsilon_S = sigma_S - 1`` (the trade
    elasticity is the CES elasticity minus one) so no set is taken the wrong way round."""
    sets = {}
    for name in group:
        eps = np.asarray(group[name]["epsilon_S"], float).ravel()
        sigma = np.asarray(group[name]["sigma_S"], float).ravel()
        if eps.shape != (n_sectors,) or not np.allclose(eps, sigma - 1, atol=1e-9):
            raise DataError(f"ICIO elasticity set '{name}': epsilon_S is not sigma_S - 1 over {n_sectors} sectors")
        sets[name] = (eps, _text(group[name]["source"]))
    return sets


def read_mat(path: str | Path) -> IcioTables:
    """Read one ``ICIO<year>.mat`` file (MATLAB v7.3, HDF5).

    Parameters
    ----------
    path : path-like
        The ``.mat`` file.

    Returns
    -------
    IcioTables
        Flows and tariffs transposed from h5py's ``[sector, importer, exporter]``
        to ``(importer, exporter, sector)``.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"ICIO file not found: {path}")
    with h5py.File(path, "r") as f:
        d = f["data"]
        countries = _cell_strings(f, d["countries"])
        sectors = [SERVICES if s.lower().startswith("services") else s for s in _cell_strings(f, d["sectors"])]
        flows = np.asarray(d["Xjik_3D"], float).transpose(1, 2, 0)
        tariff = np.asarray(d["tjik_3D"], float).transpose(1, 2, 0)
        year = int(np.asarray(d["year"]).ravel()[0])
        elasticities = _elasticity_sets(f, d["sigma"], len(sectors))
    shape = (len(countries), len(countries), len(sectors))
    for name, a in (("Xjik_3D", flows), ("tjik_3D", tariff)):
        if a.shape != shape:
            raise DataError(f"ICIO field '{name}' in {path.name} has shape {a.shape}, expected {shape}")
        if not np.isfinite(a).all():
            raise DataError(f"ICIO field '{name}' in {path.name} has non-finite values")
    if (flows < 0).any():
        raise DataError(f"ICIO field 'Xjik_3D' in {path.name} has negative flows")
    return IcioTables(countries, sectors, flows, tariff, year, elasticities)


# --- input-output coefficients -------------------------------------------------------------

def _icio_groups() -> list[tuple[str, ...]]:
    """The distinct ICIO sector groups of :data:`WIOD_TO_ICIO`, in WIOD order."""
    return list(dict.fromkeys(WIOD_TO_ICIO.values()))


def wiod_cost_shares(folder: str | Path, year: int = WIOD_YEAR) -> tuple[list[str], np.ndarray, np.ndarray]:
    """WIOD cost shares aggregated to the ICIO sector groups.

    Parameters
    ----------
    folder : path-like
        Folder with ``wiot_<year>.RData``.
    year : int
        WIOD 2013-release year (1995, 2000, 2005, 2008 or 2011).

    Returns
    -------
    regions : list of str
        41 region codes, ISO3 (``ROU`` for WIOD's ``ROM``) and ``RoW``.
    shares : ndarray, shape (region, input group, using group)
        Intermediate purchases from all source countries per unit of gross
        output (basic prices); zero for a group the region does not produce.
    output : ndarray, shape (region, group)
        Gross output, USD million.
    """
    path = Path(folder) / f"wiot_{year}.RData"
    if not path.exists():
        raise DataError(f"WIOD table not found: {path}")
    d = rdata.read_rda(path)[f"wiot_{year}"]
    regions = [WIOD_CODE_ALIASES.get(str(c), str(c)) for c in d["countries"]]
    industries = [str(i) for i in d["industries"]]
    unknown = sorted(set(industries) - set(WIOD_TO_ICIO))
    if unknown:
        raise DataError(f"WIOD industries without an ICIO concordance: {', '.join(unknown)}")
    r, k = len(regions), len(industries)
    # Rows and columns are region-major (region, industry); sum over the source region.
    inter = np.asarray(d["inter"], float).reshape(r, k, r, k).sum(axis=0)  # (input, user region, using)
    output = np.asarray(d["output"], float).reshape(r, k)
    groups = _icio_groups()
    member = np.zeros((len(groups), k))
    for i, ind in enumerate(industries):
        member[groups.index(WIOD_TO_ICIO[ind]), i] = 1.0
    purchases = np.einsum("gi,iuj,hj->ugh", member, inter, member)
    out = output @ member.T
    shares = np.divide(purchases, out[:, None, :], out=np.zeros_like(purchases), where=out[:, None, :] > 0)
    return regions, shares, out


def world_cost_shares(shares: np.ndarray, output: np.ndarray) -> np.ndarray:
    """Output-weighted average cost shares of all regions, shape (input group, using group).

    ``sum_r shares[r, g, h] * output[r, h] / sum_r output[r, h]``: world
    purchases of ``g`` by industry ``h`` per unit of world output of ``h``.
    """
    total = output.sum(axis=0)
    return np.divide((shares * output[:, None, :]).sum(axis=0), total[None, :],
                     out=np.zeros(shares.shape[1:]), where=total[None, :] > 0)


def economy_cost_shares(countries: list[str], regions: list[str], shares: np.ndarray,
                        output: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Group cost shares of each ICIO economy, shape (country, input group, using group).

    An economy in WIOD takes its own shares; an economy not in WIOD, and a
    group an economy does not produce in WIOD, take :func:`world_cost_shares`.
    Also returns the economies that took the fallback wholly.
    """
    world = world_cost_shares(shares, output)
    own = {c: i for i, c in enumerate(regions)}
    out = np.empty((len(countries),) + world.shape)
    fallback = []
    for n, c in enumerate(countries):
        if c in own:
            i = own[c]
            out[n] = np.where(output[i][None, :] > 0, shares[i], world)
        else:
            out[n] = world
            fallback.append(c)
    return out, fallback


def split_to_sectors(group_shares: np.ndarray, sectors: list[str], absorption: np.ndarray) -> np.ndarray:
    """ICIO cost shares (country, input sector, sector) from group shares.

    Parameters
    ----------
    group_shares : ndarray, shape (country, input group, using group)
    sectors : list of str
        ICIO sector codes, each in exactly one group of :data:`WIOD_TO_ICIO`.
    absorption : ndarray, shape (country, sector)
        Each economy's purchases of each sector (any valuation).

    Returns
    -------
    ndarray, shape (country, input sector, sector)
        A using sector takes its group's structure; an input group's share is
        split among its sectors by the economy's absorption of each (equally
        where the economy absorbs none of the group).
    """
    groups = _icio_groups()
    group_of = {s: g for g, members in enumerate(groups) for s in members}
    missing = [s for s in sectors if s not in group_of]
    if missing:
        raise DataError(f"ICIO sectors without a WIOD concordance: {', '.join(missing)}")
    g_idx = np.array([group_of[s] for s in sectors])
    same = (g_idx[:, None] == g_idx[None, :]).astype(float)
    group_total = absorption @ same                      # (country, sector): its group's absorption
    equal = 1.0 / same.sum(axis=1)
    split = np.divide(absorption, group_total, out=np.broadcast_to(equal, absorption.shape).copy(),
                      where=group_total > 0)
    return group_shares[:, g_idx][:, :, g_idx] * split[:, :, None]


def scale_inputs_to_absorption(io_share: np.ndarray, output: np.ndarray,
                               absorption: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale input cost shares down where intermediate demand exceeds absorption.

    Parameters
    ----------
    io_share : ndarray, shape (country, input sector, sector)
    output : ndarray, shape (country, sector)
        Gross output ``Y``.
    absorption : ndarray, shape (country, sector)
        Spending on each sector gross of tariffs, ``X = sum_i (1 + t) trade``.

    Returns
    -------
    io_share : ndarray, shape (country, input sector, sector)
        ``io_share[n, k, :] * s[n, k]`` with ``s = min(1, X / sum_j io_share Y)``:
        intermediate demand of ``k`` in ``n`` at most its absorption, so final
        demand is non-negative; every sector using ``k`` gives up the same
        fraction, and value added (one minus the inputs) takes it up.
    scale : ndarray, shape (country, input sector)
        ``s``; one where nothing was scaled.
    """
    intermediate = np.einsum("nkj,nj->nk", io_share, output)
    scale = np.minimum(1.0, np.divide(absorption, intermediate, out=np.ones_like(absorption),
                                      where=intermediate > 0))
    return io_share * scale[:, :, None], scale


def final_demand_shares(trade: np.ndarray, tariff: np.ndarray, io_share: np.ndarray,
                        value_added_share: np.ndarray) -> np.ndarray:
    """Final-demand shares ``alpha`` (country, sector) that clear goods markets.

    ``alpha[n, j] = (X[n, j] - sum_k io_share[n, j, k] Y[n, k]) / I[n]`` with
    absorption ``X`` gross of tariffs, gross output ``Y`` and income
    ``I = value added + tariff revenue + deficit``; these sum to one by the
    accounting identity. Round-off negatives (about 1e-17 where inputs were
    scaled to absorption) are set to zero.
    """
    output = trade.sum(axis=0)
    absorption = ((1 + tariff) * trade).sum(axis=1)
    final = absorption - np.einsum("njk,nk->nj", io_share, output)
    deficit = trade.sum(axis=(1, 2)) - trade.sum(axis=(0, 2))
    income = (value_added_share * output).sum(axis=1) + (tariff * trade).sum(axis=(1, 2)) + deficit
    if (income <= 0).any():
        raise DataError("ICIO economies with non-positive income (value added + tariff revenue + deficit)")
    alpha = np.maximum(final / income[:, None], 0.0)
    return alpha / alpha.sum(axis=1, keepdims=True)


# --- tariffs -------------------------------------------------------------------------------

def cap_us_food_tariff(tariff: np.ndarray, countries: list[str], sectors: list[str],
                       cap: float = US_FOOD_MFN) -> tuple[np.ndarray, list[str]]:
    """Cap the US C10T12 tariff at the US MFN rate.

    Parameters
    ----------
    tariff : ndarray, shape (importer, exporter, sector)
    countries, sectors : list of str
    cap : float
        The US MFN applied rate on food, beverages and tobacco (fraction).

    Returns
    -------
    tariff : ndarray
        A copy with ``tariff[USA, :, C10T12] = min(tariff, cap)``: the 2022
        source reads 0.913 on 42 MFN partners and 0.16-0.59 on 15 others, but
        data without unilateral duties cannot put a partner above MFN.
    changed : list of str
        The partners whose rate was lowered.
    """
    us, food = countries.index("USA"), sectors.index("C10T12")
    out = tariff.copy()
    above = out[us, :, food] > cap
    out[us, above, food] = cap
    return out, [countries[i] for i in np.nonzero(above)[0]]


def zero_services_tariff(tariff: np.ndarray, sectors: list[str]) -> tuple[np.ndarray, float]:
    """Set the services tariff to zero; also return the largest rate removed.

    The source's services rate is the duty on goods filed under service
    industries, spread over all services trade; services pay no customs duties.
    """
    out = tariff.copy()
    k = sectors.index(SERVICES)
    largest = float(out[:, :, k].max())
    out[:, :, k] = 0.0
    return out, largest


def high_tariffs(tariff: np.ndarray, countries: list[str], sectors: list[str],
                 threshold: float = HIGH_TARIFF) -> str:
    """``"IMPORTER SECTOR (n partners, max x); ..."`` for every rate above ``threshold``."""
    parts = []
    for a, k in sorted({(a, k) for a, _, k in np.argwhere(tariff > threshold)}):
        row = tariff[a, :, k]
        parts.append(f"{countries[a]} {sectors[k]} ({int((row > threshold).sum())} partners, max {row.max():.3f})")
    return "; ".join(parts) or "none"


# --- the dataset ---------------------------------------------------------------------------

def fixed_tariffs(tables: IcioTables) -> tuple[np.ndarray, dict[str, str]]:
    """The file's tariffs with the fixes of the module docstring, and attributes recording them.

    Returns
    -------
    tariff : ndarray, shape (importer, exporter, sector)
        Zero on the diagonal and for services; US C10T12 capped at :data:`US_FOOD_MFN`.
    attrs : dict of str to str
        ``tariff_fix``, ``tariff_fix_partners``, ``tariffs_above_50pct_kept``.
    """
    countries, sectors = tables.countries, tables.sectors
    n, k = len(countries), sectors.index(SERVICES)
    tariff = tables.tariff.copy()
    tariff[np.arange(n), np.arange(n), :] = 0.0
    tariff, us_changed = cap_us_food_tariff(tariff, countries, sectors)
    tariff, services_max = zero_services_tariff(tariff, sectors)
    services_revenue = float((tables.tariff[:, :, k] * tables.flows[:, :, k]).sum())
    return tariff, {
        "tariff_fix": (f"US C10T12 tariff capped at the US MFN rate {US_FOOD_MFN} (WTO World Tariff Profiles "
                       f"2023, agricultural products, trade-weighted) on {len(us_changed)} partners: the source "
                       f"reads ~0.913 on MFN partners (a source artefact; US MFN food duties are a few percent); "
                       f"services tariffs (up to {services_max:.3f}, revenue USD {services_revenue / 1e3:.0f} bn) "
                       f"set to zero"),
        "tariff_fix_partners": " ".join(us_changed),
        "tariffs_above_50pct_kept": high_tariffs(tariff, countries, sectors),
    }


def calibrated_shares(trade: np.ndarray, tariff: np.ndarray, countries: list[str], sectors: list[str],
                      wiod_folder: str | Path, wiod_year: int = WIOD_YEAR):
    """Input-output, value-added and final-demand shares consistent with the flows.

    Parameters
    ----------
    trade, tariff : ndarray, shape (importer, exporter, sector)
        Flows before tariffs (USD million) and tariffs (fractions).
    countries, sectors : list of str
    wiod_folder : path-like
    wiod_year : int

    Returns
    -------
    io_share : ndarray, shape (country, input sector, sector)
    value_added_share, final_demand_share : ndarray, shape (country, sector)
    attrs : dict of str to str
        ``wiod_fallback`` and ``inputs_scaled_to_absorption``.
    """
    regions, group_shares, wiod_output = wiod_cost_shares(wiod_folder, wiod_year)
    shares, fallback = economy_cost_shares(countries, regions, group_shares, wiod_output)
    wiod = split_to_sectors(shares, sectors, trade.sum(axis=1))
    output = trade.sum(axis=0)
    io_share, scale = scale_inputs_to_absorption(wiod, output, ((1 + tariff) * trade).sum(axis=1))
    va_share = 1.0 - io_share.sum(axis=1)
    if (va_share < 0).any():
        bad = [f"{countries[a]}/{sectors[b]}" for a, b in np.argwhere(va_share < 0)[:4]]
        raise DataError(f"WIOD cost shares exceed one (no value added) at {', '.join(bad)}")
    alpha = final_demand_shares(trade, tariff, io_share, va_share)
    moved = np.einsum("nkj,nj->", wiod - io_share, output) / np.einsum("nkj,nj->", wiod, output)
    return io_share, va_share, alpha, {
        "wiod_fallback": (f"{len(countries) - len(fallback)} economies use their own WIOD {wiod_year} cost shares; "
                          f"{len(fallback)} ({' '.join(fallback)}) and industries an economy does not produce "
                          f"use the output-weighted average of all {len(regions)} WIOD regions"),
        "inputs_scaled_to_absorption": (
            f"intermediate demand exceeded absorption in {int((scale < 1).sum())} of {scale.size} "
            f"country-sector cells; those inputs' cost shares were scaled down (final demand zero there), "
            f"moving {moved * 100:.2f}% of intermediate costs to value added; flows and deficits unchanged"),
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
