"""Reading the source files: one ``ICIO<year>.mat`` (MATLAB v7.3, HDF5) and the WIOD 2013
release's ``wiot_<year>.RData``, checked on reading (layouts in
:mod:`tradesim.data.sources.icio` and ``../shared/data/README.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import rdata

from tradesim.data.sources.icio.labels import SERVICES, WIOD_CODE_ALIASES, WIOD_TO_ICIO, WIOD_YEAR, icio_groups
from tradesim.errors import DataError


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
    groups = icio_groups()
    member = np.zeros((len(groups), k))
    for i, ind in enumerate(industries):
        member[groups.index(WIOD_TO_ICIO[ind]), i] = 1.0
    purchases = np.einsum("gi,iuj,hj->ugh", member, inter, member)
    out = output @ member.T
    shares = np.divide(purchases, out[:, None, :], out=np.zeros_like(purchases), where=out[:, None, :] > 0)
    return regions, shares, out
