"""The tariff regime in force on a date of 2025-2026: US tariffs by partner and sector,
and China's retaliation, as additions to the 2024 base.

**Reference.** Every rate here is an *addition* to the 2024 base: the 2022 applied
tariffs of the baseline plus the 2018-19 US-China duties (``scenarios/status_quo_2018.toml``),
as the tracker's effective rates are additions to the 2024 tariffs. A regime scenario
includes that base and is measured against it.

**US side** (importer ``USA``), for the tracker's state on the latest tracker date on or
before the date asked (:func:`tracker_date`), economy ``e`` and goods sector ``j``::

    t_ej = c_e * (1 - cover_j - exempt_j)^+ + sum_L share_Lj * r_Le

* ``share_Lj``: the share of sector ``j``'s HS 2022 subheadings on Section 232 list ``L``
  (steel, aluminium, autos and parts, copper), mapped through the HS concordance
  (:func:`tradesim.data.tariffs2025.list_shares`); ``r_Le`` its rate on that date from the
  public record (:data:`SECTION_232`); ``cover_j`` their sum (at most 1). Section 232 duties
  *replace* the country rate on the goods they cover.
* ``exempt_j``: the share of sector ``j`` on the exemption lists in force (:data:`EXEMPTIONS`).
* ``c_e``, the country rate on all other goods, is the level that makes the trade-weighted
  mean of ``t_ej`` equal the tracker's effective tariff on ``e``. The weights are 2024 US
  imports by sector from the tracker's HS2 tables for the six partners that have them
  (Japan, China, Korea, Taiwan, Germany, the UK), else the baseline's 2022 flows. Where the
  Section 232 duties alone exceed the tracker's rate, they are scaled down to it and
  ``c_e = 0`` (noted).
* **HS2 detail**: for the six partners, on the dates when the tracker's rate is within
  :data:`HS2_MATCH_PTS` of the mean of its HS2 table (a snapshot of one state), the sector
  rates are that table's, mapped to sectors, scaled to the tracker's rate.
* EU members take the EU row (Slovakia has its own); the tracker partners outside the
  baseline are part of ``ROW``. **The rest** (economies the tracker does not list, and
  ``ROW``) pay the 2024-import-weighted mean effective rate of all tracked partners except
  China, Hong Kong (charged as China), Canada and Mexico, uniformly on all goods sectors.

**China's side** (importer ``CHN``, exporter ``USA``): its across-the-board rates of
April-May 2025 and the truces, and its lists of 4 March 2025 by their HS line shares
(:data:`CHINA`), each dated by its announcement, as the tracker dates the US side.

Example
-------
>>> from tradesim.scenario.regime import build_regime
>>> r = build_regime("2025-11-14")
>>> r.date, round(r.effective_pct("JPN"), 1)
('2025-11-14', 14.3)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from tradesim.data import tariffs2025
from tradesim.errors import ScenarioError

BASELINE = "icio2022"
EU27 = ("AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA",
        "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE")
TRACKER_SOURCE = ("tradewartracker/trade-war-redux-2025 (MIT), country-by-time.csv: trade-weighted additional US "
                  "tariff by partner and date")
#: A six-partner's sector rates are its HS2 table's, scaled to the tracker's rate, on the dates
#: when the tracker's rate is within this many points of the table's trade-weighted mean.
HS2_MATCH_PTS = 0.5
#: Partners whose own regimes keep them out of the rule for the rest.
NOT_IN_REST = ("CHN", "HKG", "CAN", "MEX")

#: Section 232 duties: (list, in force from, rate, economies or None for all, source). On a
#: date the latest entry applies, an entry for the economy before one for all.
SECTION_232 = (
    ("s232_steel", "2025-03-12", 0.25, None, "Proclamation 10896 (10 Feb 2025): 25% on steel, no "
     "exemptions, from 12 March 2025"),
    ("s232_aluminium", "2025-03-12", 0.25, None, "Proclamation 10895 (10 Feb 2025): aluminium 25% from 12 March 2025"),
    ("s232_autos", "2025-04-03", 0.25, None, "Proclamation 10908 (26 Mar 2025): 25% on autos from 3 April, "
     "parts from 3 May 2025"),
    ("s232_steel", "2025-06-04", 0.50, None, "Proclamation of 3 June 2025: steel and aluminium 50% from 4 June 2025"),
    ("s232_aluminium", "2025-06-04", 0.50, None, "Proclamation of 3 June 2025: steel and aluminium 50% from "
     "4 June 2025"),
    ("s232_steel", "2025-06-04", 0.25, ("GBR",), "Proclamation of 3 June 2025: the UK stays at 25%"),
    ("s232_aluminium", "2025-06-04", 0.25, ("GBR",), "Proclamation of 3 June 2025: the UK stays at 25%"),
    ("s232_autos", "2025-06-30", 0.10, ("GBR",), "EO of 16 June 2025 (US-UK deal): 10% on UK autos within the quota"),
    ("s232_copper", "2025-08-01", 0.50, None, "Proclamation of 30 July 2025: 50% on semi-finished copper "
     "from 1 August 2025"),
    ("s232_autos", "2025-08-07", 0.15, ("JPN",) + EU27,
     "US-Japan deal (EO of 4 Sep 2025) and US-EU framework (21 Aug 2025): 15% all-in on autos; dated as the "
     "tracker's 7 August rates"),
    ("s232_autos", "2025-11-14", 0.15, ("KOR",), "US-Korea joint fact sheet (14 Nov 2025): 15% on autos "
     "from 1 November 2025"),
)
#: Exemption lists in force from a date (for the country rate; the Section 232 duties stay).
EXEMPTIONS = (
    ("2025-02-04", (), "IEEPA duties of February-March 2025 (EO 14193-14195): no product exemptions"),
    ("2025-04-05", ("annex_ii",), "EO 14257, Annex II (energy, pharmaceuticals, critical minerals, ...)"),
    ("2025-04-11", ("annex_ii", "electronics_apr11"), "Memorandum of 11 April 2025: smartphones, computers, chips"),
    ("2025-11-14", ("annex_ii_nov14", "electronics_apr11"), "EO of 14 November 2025: Annex II extended to farm goods"),
    ("2026-02-24", ("s122_exempt",), "Section 122 duties of 24 February 2026 and their product exemptions"),
)
#: China on US goods: (from, across-the-board rate, {list: rate}, source); dated by announcement.
MARCH_LISTS = {"china_10pct_mar4": 0.10, "china_15pct_mar4": 0.15}
CHINA = (
    ("2025-03-04", 0.0, MARCH_LISTS, "State Council Tariff Commission (SCTC) announcement No. 2 of 2025 (4 March): "
     "15% on chicken, wheat, corn, cotton; 10% on soybeans, pork, beef, aquatic products, fruit, dairy; from 10 March"),
    ("2025-04-04", 0.34, MARCH_LISTS, "SCTC, 4 April 2025: 34% on all US goods from 10 April"),
    ("2025-04-09", 0.84, MARCH_LISTS, "SCTC, 9 April 2025: raised to 84% from 10 April"),
    ("2025-04-11", 1.25, MARCH_LISTS, "SCTC, 11 April 2025: raised to 125% from 12 April"),
    ("2025-05-12", 0.10, MARCH_LISTS, "Geneva joint statement, 12 May 2025: 125% cut to 10% (24 points "
     "suspended) from 14 May"),
    ("2025-11-05", 0.10, {}, "SCTC, 5 November 2025: the 4 March farm-goods tariffs lifted from 10 November, "
     "the 24-point suspension extended a year (10% kept)"),
)


@lru_cache(maxsize=1)
def _baseline():
    from tradesim.data.registry import load_baseline

    return load_baseline(BASELINE)


def tracker_date(date: str) -> str:
    """The latest tracker date on or before ``date`` (ISO ``YYYY-MM-DD``)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(date)):
        raise ScenarioError(f"regime: date {date!r} is not an ISO date (YYYY-MM-DD)")
    known = [d for d in tariffs2025.dates() if d <= str(date)]
    if not known:
        raise ScenarioError(f"regime: {date} is before the tracker's first date {tariffs2025.dates()[0]}")
    return known[-1]


def _latest(entries, date: str, economy: str | None = None):
    """The entry in force on ``date``: the latest start, an economy's own entry first."""
    live = [e for e in entries if e[1] <= date and (e[3] is None or economy in e[3])]
    return max(live, key=lambda e: (e[1], e[3] is not None)) if live else None


@dataclass(frozen=True)
class Regime:
    """The regime on one tracker date, on the ``icio2022`` labels.

    us (N, J): additional US tariff on each exporter (fractions), goods sectors only;
    china (J,): China's additional tariff on US goods; countries, sectors: labels;
    sources: what each part rests on; notes: where the rule had to bend.
    """

    date: str
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    us: np.ndarray
    china: np.ndarray
    tracker_pct: dict[str, float]
    sources: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    def effective_pct(self, economy: str) -> float:
        """The tracker rate the regime was built to on ``economy``'s 2024 weights."""
        return self.tracker_pct[economy]

    def additions(self) -> np.ndarray:
        """(importer, exporter, sector) additions to the 2024 base tariffs."""
        n = len(self.countries)
        out = np.zeros((n, n, len(self.sectors)))
        us, cn = self.countries.index("USA"), self.countries.index("CHN")
        out[us] = self.us
        out[us, us] = 0.0
        out[cn, us] = self.china
        return out


def _weights(economy: str, flows_us: np.ndarray, goods: np.ndarray, sectors: list[str]) -> np.ndarray:
    hs2 = tariffs2025.hs2_sectors()
    rows = hs2[hs2["iso3"] == economy]
    if len(rows):
        by = dict(zip(rows["sector"], rows["imports_2024_usd"]))
        w = np.array([by.get(s, 0.0) for s in sectors])
    else:
        w = flows_us.copy()
    return np.where(goods, w, 0.0)


def _hs2_profile(economy: str, sectors: list[str], goods: np.ndarray) -> tuple[np.ndarray, float] | None:
    """The tracker's HS2 rates of ``economy`` by sector (fractions) and their 2024-weighted mean."""
    hs2 = tariffs2025.hs2_sectors()
    rows = hs2[hs2["iso3"] == economy]
    if not len(rows):
        return None
    by = dict(zip(rows["sector"], rows["hs2_increase_pct"] / 100.0))
    mean = float((rows["imports_2024_usd"] * rows["hs2_increase_pct"]).sum() / rows["imports_2024_usd"].sum())
    return np.where(goods, [by.get(s, 0.0) for s in sectors], 0.0), mean / 100.0


def _us_rates(date: str, economy: str, tau: float, w: np.ndarray, goods: np.ndarray, sectors: list[str],
              notes: list[str]) -> np.ndarray:
    lists = tariffs2025.list_shares()
    s232 = np.zeros(len(sectors))
    cover = np.zeros(len(sectors))
    for name in sorted({e[0] for e in SECTION_232}):
        entry = _latest([e for e in SECTION_232 if e[0] == name], date, economy)
        if entry is None:
            continue
        share = np.array([lists.get(name, {}).get(s, 0.0) for s in sectors])
        s232 += share * entry[2]
        cover += share
    scale = np.minimum(1.0, 1.0 / np.maximum(cover, 1e-300))  # overlapping lists never cover more than the sector
    s232, cover = s232 * scale, cover * scale
    exempt_lists = [e for e in EXEMPTIONS if e[0] <= date][-1][1]
    exempt = np.zeros(len(sectors))
    for name in exempt_lists:
        exempt += np.array([lists.get(name, {}).get(s, 0.0) for s in sectors])
    rest = np.where(goods, np.clip(1.0 - cover - exempt, 0.0, 1.0), 0.0)
    s232 = np.where(goods, s232, 0.0)
    total = w.sum()
    if total <= 0:
        return np.where(goods, tau, 0.0)
    t232, base = (w * s232).sum() / total, (w * rest).sum() / total
    if t232 >= tau:
        if t232 > tau + 1e-9:
            notes.append(f"{economy}: Section 232 duties alone ({100 * t232:.2f}%) exceed the tracker's "
                         f"{100 * tau:.2f}%; scaled down to it, no country rate")
        return s232 * (tau / t232 if t232 > 0 else 0.0)
    if base <= 0:
        return np.where(goods, tau, 0.0)
    return (tau - t232) / base * rest + s232


def _china_rates(date: str, goods: np.ndarray, sectors: list[str]) -> tuple[np.ndarray, str | None]:
    live = [e for e in CHINA if e[0] <= date]
    if not live:
        return np.zeros(len(sectors)), None
    start, rate, lists, source = live[-1]
    shares = tariffs2025.list_shares()
    out = np.where(goods, rate, 0.0)
    for name, extra in lists.items():
        out = out + extra * np.array([shares.get(name, {}).get(s, 0.0) for s in sectors])
    return np.where(goods, out, 0.0), f"China on US goods from {start}: {source}"


@lru_cache(maxsize=32)
def build_regime(date: str) -> Regime:
    """The regime in force on ``date`` (the latest tracker date on or before it)."""
    day = tracker_date(date)
    base = _baseline()
    countries, sectors = list(base.countries), list(base.sectors)
    goods = base.ds["tradable"].values.astype(bool)
    flows = base.ds["trade"].values[countries.index("USA")]  # (exporter, sector): US imports, 2022
    rows = tariffs2025.tracker().query("date == @day")
    rate = dict(zip(rows["iso3"], rows["effective_pct"] / 100.0))
    imports = dict(zip(rows["iso3"], rows["imports_2024_usd"]))
    rest_pool = [p for p in rate if p not in NOT_IN_REST]
    rest = sum(rate[p] * imports[p] for p in rest_pool) / sum(imports[p] for p in rest_pool)
    notes: list[str] = []
    from_hs2: list[str] = []
    us = np.zeros((len(countries), len(sectors)))
    tracker_pct: dict[str, float] = {}
    for k, e in enumerate(countries):
        if e == "USA":
            continue
        if e in rate:
            tau = rate[e]
        elif e in EU27:
            tau = rate["EU"]
        else:
            us[k] = np.where(goods, rest, 0.0)
            tracker_pct[e] = 100 * rest
            continue
        tracker_pct[e] = 100 * tau
        hs2 = _hs2_profile(e, sectors, goods)
        if hs2 is not None and hs2[1] > 0 and abs(tau - hs2[1]) <= HS2_MATCH_PTS / 100:
            us[k] = hs2[0] * (tau / hs2[1])
            from_hs2.append(e)
            continue
        us[k] = _us_rates(day, e, tau, _weights(e, flows[k], goods, sectors), goods, sectors, notes)
    china, china_source = _china_rates(day, goods, sectors)
    sources = [f"US tariffs on {day}: {TRACKER_SOURCE}",
               f"the rest (untracked economies and ROW): {100 * rest:.2f}%, the 2024-import-weighted mean of "
               "the tracked partners other than China, Hong Kong, Canada and Mexico, on all goods sectors"]
    if from_hs2:
        sources.append(f"{', '.join(from_hs2)}: sector rates from the tracker's HS2 table (data-hs2/, mapped to "
                       "sectors), whose mean matches this date, scaled to the tracker's rate")
    sources += sorted({f"Section 232 {e[0][5:]}: {e[4]}" for e in SECTION_232 if e[1] <= day})
    sources.append(f"exemptions: {[e for e in EXEMPTIONS if e[0] <= day][-1][2]}")
    if china_source:
        sources.append(china_source)
    # rounded to 1e-8 (1e-6 points) so that the written measures carry the same numbers
    return Regime(day, tuple(countries), tuple(sectors), np.round(us, 8), np.round(china, 8), tracker_pct,
                  tuple(sources), tuple(notes))


def trade_weighted_pct(regime: Regime, economy: str, flows: np.ndarray | None = None) -> float:
    """The regime's trade-weighted additional US tariff on ``economy`` (percent), on the
    baseline's 2022 US imports of goods by sector (or ``flows``, (exporter, sector)); ``EU``
    sums the members."""
    base = _baseline()
    if flows is None:
        flows = base.ds["trade"].values[regime.countries.index("USA")]
    members = [c for c in EU27 if c in regime.countries] if economy == "EU" else [economy]
    idx = [regime.countries.index(c) for c in members]
    w = flows[idx] * base.ds["tradable"].values.astype(bool)
    return float(100 * (w * regime.us[idx]).sum() / w.sum())


def _by_rate(rates: np.ndarray, sectors: tuple[str, ...]) -> list[tuple[float, list[str]]]:
    groups: dict[float, list[str]] = {}
    for rate, sector in zip(rates, sectors):
        if rate != 0:
            groups.setdefault(float(rate), []).append(sector)
    return sorted(groups.items())


def regime_measures(regime: Regime) -> list[dict]:
    """The regime as scenario measures (``[[measures]]`` tables): one ``add`` per exporter
    (or group of exporters with the same rates) and rate, over the sectors at that rate."""
    groups: dict[tuple, list[str]] = {}
    for k, e in enumerate(regime.countries):
        if e != "USA" and regime.us[k].any():
            groups.setdefault(tuple(regime.us[k]), []).append(e)
    source = f"{TRACKER_SOURCE} on {regime.date}, by sector: see tradesim.scenario.regime"
    out = []
    for rates, exporters in groups.items():
        who = exporters[0] if len(exporters) == 1 else f"{len(exporters)} economies (the rest)"
        for rate, sectors in _by_rate(np.array(rates), regime.sectors):
            out.append({"kind": "tariff", "label": f"US on {who}: +{100 * rate:.4g}%", "importer": "USA",
                        "exporter": exporters[0] if len(exporters) == 1 else exporters, "sector": sectors,
                        "add": rate, "source": source, "date": regime.date})
    china = [s for s in regime.sources if s.startswith("China on US goods")]
    for rate, sectors in _by_rate(regime.china, regime.sectors):
        out.append({"kind": "tariff", "label": f"China on USA: +{100 * rate:.4g}%", "importer": "CHN",
                    "exporter": "USA", "sector": sectors, "add": rate,
                    "source": china[0] if china else "", "date": regime.date})
    return out


def parse_regime_name(name: object) -> str:
    """``"us-2025-11-14"`` -> ``"2025-11-14"``; a :class:`ScenarioError` naming the field otherwise."""
    match = re.fullmatch(r"us-(\d{4}-\d{2}-\d{2})", name) if isinstance(name, str) else None
    if not match:
        raise ScenarioError(f"scenario: 'regime' = {name!r} is not a regime name (e.g. \"us-2025-11-14\")")
    return match.group(1)


def expand_regime(name: object, baseline: str | None) -> list[dict]:
    """The measures of a scenario's ``regime = "us-YYYY-MM-DD"`` field (on ``icio2022``)."""
    date = parse_regime_name(name)
    if baseline not in (None, BASELINE):
        raise ScenarioError(f"scenario: 'regime' is built on the {BASELINE} baseline, not {baseline!r}")
    return regime_measures(build_regime(date))


def _toml_value(value) -> str:
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(float(value))


def regime_toml(date: str, base: str = "status_quo_2018") -> str:
    """The regime of ``date`` as a scenario file to read and change: it includes the 2024
    base (``base``, a scenario file name or path), is measured against it, and lists every
    measure with its source."""
    regime = build_regime(date)
    lines = [f"# The tariff regime in force on {date} (tracker date {regime.date}), written by `tradesim regime`.",
             "# Rates are additions to the 2024 base (the included scenario), which results are measured against.",
             "# Sources:"] + [f"#   {s}" for s in regime.sources] + [f"# Note: {n}" for n in regime.notes] + [
        f"name = {_toml_value(f'Tariff regime of {date}')}", f'baseline = "{BASELINE}"',
        f"include = [{_toml_value(base)}]", f"reference = {_toml_value(base)}",
        "description = " + _toml_value(f"US tariffs and China retaliation in force on {regime.date}, "
                                       "over the 2024 base"),
        f"source = {_toml_value(TRACKER_SOURCE)}", ""]
    for m in regime_measures(regime):
        lines.append("[[measures]]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in m.items()]
        lines.append("")
    return "\n".join(lines)


#: The library's hand-written 2025 scenarios and the tracker date of the regime each describes.
#: They keep their measures (the orders' headline rates on whole sectors, the stories the
#: strategy games are built on); ``tests/scenario/test_regime.py`` pins which part of the
#: regime each equals (docs/scenarios.md, "The library's 2025 scenarios and the regime").
LIBRARY_DATES = {"us_reciprocal_2025_04": "2025-04-05", "china_retaliates_2025_04": "2025-04-05",
                 "escalation_2025_04": "2025-04-11", "geneva_truce_2025_05": "2025-05-12",
                 "us_japan_deal_2025_07": "2025-08-07"}


#: Tolerance of the check against the tracker (percentage points).
CHECK_TOLERANCE = 1.5
CHECKED = ("JPN", "CHN", "EU", "CAN", "MEX", "VNM")


def check_against_tracker(dates: tuple[str, ...] | None = None, partners: tuple[str, ...] | None = None):
    """The regime's trade-weighted US tariff on each partner on the 2022 flows beside the
    tracker's effective rate (2024 weights), every date: a DataFrame with columns date,
    partner, tracker_pct, regime_pct, diff_pts, weights (``HS2 2024`` or ``2022 flows``)."""
    import pandas as pd

    rows = []
    hs2 = set(tariffs2025.hs2_sectors()["iso3"])
    for day in dates or tariffs2025.dates():
        regime = build_regime(day)
        track = tariffs2025.tracker().query("date == @day")
        for partner, pct in zip(track["iso3"], track["effective_pct"]):
            if partner not in regime.countries and partner != "EU":
                continue  # inside ROW in this baseline
            if partners and partner not in partners:
                continue
            built = trade_weighted_pct(regime, partner)
            weights = ("HS2 2024 (DEU), 2022 flows (others)" if partner == "EU" else
                       "HS2 2024" if partner in hs2 else "2022 flows")
            rows.append(dict(date=day, partner=partner, tracker_pct=float(pct), regime_pct=built,
                             diff_pts=built - float(pct), weights=weights))
    return pd.DataFrame(rows)


def check_sectors_against_hs2(date: str = "2025-08-07"):
    """Sector by sector, the structural rule (Section 232 lists, exemptions, country rate) for
    the six HS2 partners on ``date`` beside the tracker's HS2 rates mapped to sectors (its
    snapshot, whose trade-weighted means match the tracker's August-October 2025 rates for
    Japan, Korea and China). On the dates where the snapshot matches, the regime itself takes
    the HS2 rates; this checks the rule it uses on the other dates.
    Returns partner -> (2024-import-weighted mean absolute difference in points, DataFrame)."""
    import pandas as pd

    regime = build_regime(date)
    base = _baseline()
    goods = base.ds["tradable"].values.astype(bool)
    sectors = list(regime.sectors)
    hs2 = tariffs2025.hs2_sectors()
    out = {}
    for economy, rows in hs2.groupby("iso3"):
        k = regime.countries.index(economy)
        weights = _weights(economy, np.zeros(len(sectors)), goods, sectors)
        rule = _us_rates(regime.date, economy, regime.tracker_pct[economy] / 100, weights, goods, sectors, [])
        built = [100 * rule[sectors.index(s)] for s in rows["sector"]]
        table = pd.DataFrame({"sector": rows["sector"].values, "imports_2024_usd": rows["imports_2024_usd"].values,
                              "hs2_pct": rows["hs2_increase_pct"].values, "regime_pct": built})
        w = table["imports_2024_usd"] / table["imports_2024_usd"].sum()
        out[economy] = (float((w * (table["regime_pct"] - table["hs2_pct"]).abs()).sum()), table)
    return out
