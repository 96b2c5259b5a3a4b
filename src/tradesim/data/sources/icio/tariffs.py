"""The tariff fixes of the ICIO world (listed in :mod:`tradesim.data.sources.icio`), each
recorded in the dataset's attributes.
"""

from __future__ import annotations

import numpy as np

from tradesim.data.sources.icio.labels import SERVICES
from tradesim.data.sources.icio.read import IcioTables

#: US MFN applied duty on food, beverages and tobacco, the cap of the US C10T12
#: tariff: WTO, ITC and UNCTAD, World Tariff Profiles 2023, United States:
#: trade-weighted average MFN applied duty on agricultural products (WTO
#: definition, HS 01-24 less fish), about 4% (simple average about 5%).
#: Quoted from the publication, not recomputed here; 4% vs 5% moves US tariff
#: revenue by USD 0.7 bn of about USD 45 bn.
US_FOOD_MFN = 0.04
#: Tariffs above this are listed in the attributes as implausible for a sector average.
HIGH_TARIFF = 0.5


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
