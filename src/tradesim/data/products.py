"""Products named by HS 2022 codes: their model sectors, and their share of sector flows.

The news names products (HS 03 seafood, HS 8486 chip-making equipment); the model
has ICIO sectors. Three shipped tables connect them (built and documented in
``scripts/build_concordance.py`` and ``docs/products.md``):

* ``builtin/hs2022.csv`` — the HS 2022 nomenclature (chapters, headings, subheadings);
* ``builtin/hs_icio.csv`` — each HS 2022 subheading's ICIO sector (HS -> ISIC Rev.4 -> ICIO);
* ``builtin/product_shares.csv`` — public-record shares of products in bilateral sector flows.

A product measure hits only the product's share ``s`` of a sector flow. The product
and the rest of its sector are treated as two CES varieties with the sector's trade
elasticity ``theta`` (each flow responds to its own trade cost with elasticity theta);
the *tariff equivalent* is the uniform sector cost change that moves the sector flow
as much, at unchanged prices, as the product measure moves it:

    sector flow after / before = (1 - s) + s * kappa_p**(-theta) = kappa**(-theta)

so ``kappa = [(1 - s) + s kappa_p**(-theta)]**(-1/theta)``, where ``kappa_p`` is the change
in the product's trade-cost factor. Then

* an extra ad valorem duty ``dt`` on a product already paying ``t_p``:
  ``kappa_p = (1 + t_p + dt) / (1 + t_p)``, and the sector tariff becomes
  ``1 + t' = kappa (1 + t)`` (:func:`tariff_equivalent`);
* a ban (``kappa_p -> inf``): ``kappa = (1 - s)**(-1/theta)``, infinite for ``s = 1``
  (:func:`ban_equivalent`); a quantity restriction raises no revenue, so it enters as
  an iceberg cost, not a tariff.

The equivalence matches the sector flow at baseline prices; it does not match tariff
revenue exactly (revenue on the product is ``s`` of the flow, the sector-wide
equivalent spreads it), which is second order for small ``s``.

Example
-------
>>> from tradesim.data.products import sectors_for_hs, product_share, ban_equivalent
>>> sectors_for_hs(["8486"])
{'C28': 1.0}
>>> product_share(["8486"], "JPN", "CHN", "C28")[0]
0.22
>>> round(ban_equivalent(0.22, 5.0), 4)
1.0509
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from tradesim.errors import ScenarioError

BUILTIN = Path(__file__).parent / "builtin"


def _rows(name: str) -> list[dict[str, str]]:
    """Rows of a shipped CSV (``#`` lines are its provenance header)."""
    with open(BUILTIN / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@lru_cache(maxsize=1)
def _nomenclature() -> dict[str, str]:
    return {r["code"]: r["description"] for r in _rows("hs2022.csv")}


@lru_cache(maxsize=1)
def _concordance() -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for r in _rows("hs_icio.csv"):
        table.setdefault(r["hs6"], {})[r["sector"]] = float(r["weight"])
    return table


def _clean(code: str) -> str:
    """``"0303.89"`` -> ``"030389"``; dots and spaces are writing conventions, not digits."""
    return re.sub(r"[.\s]", "", str(code))


def _known(code: str) -> str:
    """The cleaned code, or a :class:`ScenarioError` naming it if HS 2022 lacks it."""
    clean = _clean(code)
    if not re.fullmatch(r"\d{2}|\d{4}|\d{6}", clean):
        raise ScenarioError(f"HS code '{code}' is not a 2-, 4- or 6-digit HS code (e.g. '03', '0303', '0303.89')")
    if clean not in _nomenclature():
        raise ScenarioError(f"HS code '{code}' does not exist in HS 2022")
    return clean


def is_valid_hs(code: str) -> bool:
    """Whether ``code`` is an HS 2022 chapter, heading or subheading.

    Parameters
    ----------
    code : str
        2, 4 or 6 digits, with or without dots (``"03"``, ``"0303"``, ``"0303.89"``).
    """
    return _clean(code) in _nomenclature()


def hs_description(code: str) -> str:
    """Short HS 2022 description of a chapter, heading or subheading (cut at 60 characters).

    Raises
    ------
    ScenarioError
        If the code does not exist in HS 2022.
    """
    return _nomenclature()[_known(code)]


def _subheadings(code: str) -> list[str]:
    clean = _known(code)
    return [s for s in _concordance() if s.startswith(clean)]


def sectors_for_hs(codes: list[str] | str) -> dict[str, float]:
    """ICIO sectors a product group falls in, and its split between them.

    Each code (any level) stands for its HS 2022 subheadings; overlapping codes count
    a subheading once. Without product-level trade values, every subheading weighs the
    same: the split is the share of the group's subheadings in each sector (HS 03:
    157 of 225 subheadings in C10T12, 67 in A03, 1 in A01). Use it to learn *which*
    sectors a measure touches; the share of a product in a flow comes from
    :func:`product_share` or the scenario.

    Parameters
    ----------
    codes : list of str, or str
        HS 2022 codes of any level.

    Returns
    -------
    dict
        ``{sector: weight}``, weights summing to 1, largest first.

    Raises
    ------
    ScenarioError
        Naming the first code that does not exist in HS 2022.
    """
    codes = [codes] if isinstance(codes, str) else list(codes)
    if not codes:
        raise ScenarioError("no HS codes given")
    subheadings = sorted({s for code in codes for s in _subheadings(code)})
    counts: dict[str, float] = {}
    for s in subheadings:
        for sector, weight in _concordance()[s].items():
            counts[sector] = counts.get(sector, 0.0) + weight
    # divide once at the end so that a one-sector group is exactly 1.0
    return {k: v / len(subheadings) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


@dataclass(frozen=True)
class ProductShare:
    """Share of a product group in one bilateral sector flow, from the public record.

    Attributes
    ----------
    product : str
        Name (``"seafood"``).
    hs_codes : tuple of str
        HS 2022 codes of the group, as written in scenarios (``("03", "1604", "1605")``).
    exporter, importer : str
        ISO3 labels of the flow.
    sector : str
        ICIO sector of the flow.
    share : float
        Value share of the product in the flow, in [0, 1].
    year : int
        Year of the values.
    source : str
        Sources and derivation in one line (details in docs/products.md).
    """

    product: str
    hs_codes: tuple[str, ...]
    exporter: str
    importer: str
    sector: str
    share: float
    year: int
    source: str


@lru_cache(maxsize=1)
def product_shares() -> tuple[ProductShare, ...]:
    """The shipped table ``builtin/product_shares.csv``."""
    return tuple(
        ProductShare(r["product"], tuple(r["hs_codes"].split()), r["exporter"], r["importer"], r["sector"],
                     float(r["share"]), int(r["year"]), r["source"])
        for r in _rows("product_shares.csv")
    )


def product_share(product_or_codes: str | list[str], exporter: str, importer: str,
                  sector: str) -> tuple[float, str]:
    """Public-record share of a product group in one bilateral sector flow.

    Parameters
    ----------
    product_or_codes : str or list of str
        A product name of the table (``"seafood"``) or its HS codes, as a set
        (``["03", "1604", "1605"]``; ``"0303.89"`` and ``"030389"`` are the same code).
    exporter, importer, sector : str
        The flow (ISO3 labels, ICIO sector).

    Returns
    -------
    (float, str)
        The share and its source.

    Raises
    ------
    ScenarioError
        If the table has no such share: the scenario must state it.
    """
    if isinstance(product_or_codes, str) and not is_valid_hs(product_or_codes):
        name, codes = product_or_codes.lower(), None
        what = f"'{product_or_codes}'"
    else:
        raw = [product_or_codes] if isinstance(product_or_codes, str) else list(product_or_codes)
        name, codes = None, frozenset(_known(c) for c in raw)
        what = "HS " + ", ".join(raw)
    for row in product_shares():
        same = row.product.lower() == name if codes is None else frozenset(row.hs_codes) == codes
        if same and (row.exporter, row.importer, row.sector) == (exporter, importer, sector):
            return row.share, row.source
    shipped = sorted({f"{r.product} (HS {' '.join(r.hs_codes)}) {r.exporter}->{r.importer} {r.sector}"
                      for r in product_shares()})
    raise ScenarioError(
        f"no public-record share of {what} in the {exporter}->{importer} {sector} flow: state it in the "
        f"scenario (share = 0.3, or share = {{ {sector} = 0.3 }}); shipped shares: {'; '.join(shipped)}")


def _share_and_theta(share, theta) -> tuple[np.ndarray, np.ndarray]:
    share, theta = np.asarray(share, float), np.asarray(theta, float)
    if ((share < 0) | (share > 1) | np.isnan(share)).any():
        raise ScenarioError(f"product share {share} is not between 0 and 1")
    if (theta <= 0).any():
        raise ScenarioError(f"trade elasticity {theta} must be positive")
    return share, theta


def _scalar(x: np.ndarray) -> float | np.ndarray:
    return float(x) if x.ndim == 0 else x


def ban_equivalent(share, theta):
    """Trade-cost change of a sector flow when a product with value share ``share`` is banned.

    ``kappa = (1 - s)**(-1/theta)``: at unchanged prices the sector flow falls by the
    product's share, ``kappa**(-theta) = 1 - s``. Apply it as an iceberg cost (a ban
    raises no revenue).

    Parameters
    ----------
    share : float or array
        Product share ``s`` of the flow, in [0, 1]. ``0`` gives 1 (no change); ``1``
        gives ``inf`` (the whole flow is banned; a solver needs a floor).
    theta : float or array
        Sector trade elasticity (> 0); broadcasts with ``share``.

    Returns
    -------
    float or ndarray
        ``kappa`` >= 1.
    """
    share, theta = _share_and_theta(share, theta)
    with np.errstate(divide="ignore"):
        return _scalar(np.power(1.0 - share, -1.0 / theta))


def tariff_equivalent(share, tariff_increase, theta, product_tariff=0.0):
    """Change in a sector's tariff factor ``1 + t`` equivalent to an extra duty on one product.

    ``kappa = [(1 - s) + s kappa_p**(-theta)]**(-1/theta)`` with
    ``kappa_p = 1 + dt / (1 + t_p)``; the new sector tariff is ``(1 + t) kappa - 1``.
    Derivation (module docstring): product and rest of the sector are CES varieties with
    the sector's elasticity, and ``kappa`` moves the sector flow at unchanged prices as
    the duty moves the product's part of it.

    Parameters
    ----------
    share : float or array
        Product share ``s`` of the sector flow, in [0, 1]. ``0`` gives 1; ``1`` gives
        ``kappa_p`` (the duty on the whole sector).
    tariff_increase : float or array
        Extra ad valorem duty ``dt`` on the product (0.25 = 25 points; negative: a cut).
    theta : float or array
        Sector trade elasticity (> 0).
    product_tariff : float or array, optional
        Duty the product pays before the increase, ``t_p`` (default 0).

    Returns
    -------
    float or ndarray
        ``kappa``, between 1 and ``kappa_p``; tends to :func:`ban_equivalent` as the
        duty grows without bound.
    """
    share, theta = _share_and_theta(share, theta)
    product_change = 1.0 + np.asarray(tariff_increase, float) / (1.0 + np.asarray(product_tariff, float))
    if (product_change <= 0).any():
        raise ScenarioError("the product's tariff would fall to or below -100%")
    return _scalar(((1.0 - share) + share * product_change ** (-theta)) ** (-1.0 / theta))
