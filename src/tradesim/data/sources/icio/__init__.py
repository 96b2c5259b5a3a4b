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

Modules
-------
:mod:`~tradesim.data.sources.icio.labels`
    Sector and economy names, the WIOD-to-ICIO concordance (literal tables).
:mod:`~tradesim.data.sources.icio.read`
    Reading ``ICIO<year>.mat`` and the WIOD tables.
:mod:`~tradesim.data.sources.icio.shares`
    Aggregation and calibration of the input-output, value-added and final-demand shares.
:mod:`~tradesim.data.sources.icio.tariffs`
    The tariff fixes.
:mod:`~tradesim.data.sources.icio.build`
    The raw baseline dataset (:func:`read_icio`).

Every public name of these modules is importable from this package.
"""

from __future__ import annotations

from tradesim.data.sources.icio.build import PROVENANCE, goods_trade_share, read_icio
from tradesim.data.sources.icio.labels import (COUNTRY_NAMES, DEFAULT_ELASTICITY_SET, SECTOR_NAMES, SERVICES,
                                               WIOD_CODE_ALIASES, WIOD_TO_ICIO, WIOD_YEAR, icio_groups)
from tradesim.data.sources.icio.read import IcioTables, read_mat, wiod_cost_shares
from tradesim.data.sources.icio.shares import (calibrated_shares, economy_cost_shares, final_demand_shares,
                                               scale_inputs_to_absorption, split_to_sectors, world_cost_shares)
from tradesim.data.sources.icio.tariffs import (HIGH_TARIFF, US_FOOD_MFN, cap_us_food_tariff, fixed_tariffs,
                                                high_tariffs, zero_services_tariff)

__all__ = [
    "COUNTRY_NAMES", "DEFAULT_ELASTICITY_SET", "HIGH_TARIFF", "PROVENANCE", "SECTOR_NAMES", "SERVICES",
    "US_FOOD_MFN", "WIOD_CODE_ALIASES", "WIOD_TO_ICIO", "WIOD_YEAR", "IcioTables", "calibrated_shares",
    "cap_us_food_tariff", "economy_cost_shares", "final_demand_shares", "fixed_tariffs", "goods_trade_share",
    "high_tariffs", "icio_groups", "read_icio", "read_mat", "scale_inputs_to_absorption", "split_to_sectors",
    "wiod_cost_shares", "world_cost_shares", "zero_services_tariff",
]
