"""Build the compact US 2025-2026 tariff tracker tables shipped with tradesim.

    python scripts/build_tariffs2025.py [--shared ../shared/data] [--out src/tradesim/data/builtin]

Source: tradewartracker/trade-war-redux-2025 (MIT), here ``../shared/data/tariffs2025/``.
Writes three small CSVs (each opens with ``#`` provenance lines):

``tariffs2025_tracker.csv``
    ``country-by-time.csv`` as it is (date, partner, the trade-weighted *additional* US
    tariff in percent over the 2024 base, 2024 imports in USD, the 2024 tariff), with the
    partner's ISO3 code (``EU`` for the European Union row).
``tariffs2025_hs2.csv``
    the six partners with HS2 detail (``data-hs2/``: Japan, China, Korea, Taiwan, Germany,
    the UK) by ICIO sector: 2024 US imports (USD) and the tracker's HS2 tariff increase
    (percent, the state of the tracker's snapshot), an HS2 chapter split over sectors by
    the share of its HS 2022 subheadings in each (``hs_icio.csv``; no trade below HS2).
``tariffs2025_lists.csv``
    each US product list (Section 232 steel, aluminium, autos, copper; the Annex II, 11 April
    electronics, 14 November and Section 122 exemptions) by ICIO sector: the share of the
    sector's HS 2022 subheadings on the list (an 8- or 10-digit HTS line counts its whole
    subheading, a 4-digit heading all of its subheadings).
"""

from __future__ import annotations

import argparse
import csv
import io
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILTIN = ROOT / "src" / "tradesim" / "data" / "builtin"

#: Tracker partner name -> ISO3 (``EU`` for the European Union row).
PARTNERS = {
    "CHINA": "CHN", "MEXICO": "MEX", "CANADA": "CAN", "JAPAN": "JPN", "KOREA, SOUTH": "KOR", "VIETNAM": "VNM",
    "TAIWAN": "TWN", "INDIA": "IND", "UNITED KINGDOM": "GBR", "SWITZERLAND": "CHE", "MALAYSIA": "MYS",
    "THAILAND": "THA", "BRAZIL": "BRA", "SINGAPORE": "SGP", "INDONESIA": "IDN", "ISRAEL": "ISR",
    "SAUDI ARABIA": "SAU", "RUSSIA": "RUS", "COLOMBIA": "COL", "AUSTRALIA": "AUS", "PHILIPPINES": "PHL",
    "CHILE": "CHL", "TURKEY": "TUR", "SOUTH AFRICA": "ZAF", "VENEZUELA": "VEN", "IRAQ": "IRQ", "ECUADOR": "ECU",
    "COSTA RICA": "CRI", "PERU": "PER", "BANGLADESH": "BGD", "CAMBODIA": "KHM", "HONG KONG": "HKG",
    "NORWAY": "NOR", "DOMINICAN REPUBLIC": "DOM", "ARGENTINA": "ARG", "NIGERIA": "NGA", "HONDURAS": "HND",
    "NEW ZEALAND": "NZL", "SLOVAKIA": "SVK", "UNITED ARAB EMIRATES": "ARE", "GUATEMALA": "GTM",
    "PAKISTAN": "PAK", "TRINIDAD AND TOBAGO": "TTO", "NICARAGUA": "NIC", "KUWAIT": "KWT", "ALGERIA": "DZA",
    "SRI LANKA": "LKA", "ANGOLA": "AGO", "EL SALVADOR": "SLV", "EGYPT": "EGY", "EUROPEAN UNION": "EU",
}
#: data-hs2 file (Census country code) -> ISO3.
HS2_FILES = {"5880": "JPN", "5700": "CHN", "5800": "KOR", "5830": "TWN", "4280": "DEU", "4120": "GBR"}
#: Product lists: name -> file in tariff-lists/ (first column: HTS code).
LISTS = {
    "s232_steel": "steel-tariffs.csv", "s232_aluminium": "alu-tariffs.csv", "s232_autos": "auto-tariffs.csv",
    "s232_copper": "copper-list.csv", "annex_ii": "annex-II-exemptions.csv",
    "electronics_apr11": "consumer_electronics_EO14257_apr11.csv", "annex_ii_nov14": "annex-II-exemptions-nov14.csv",
    "s122_exempt": "section122-product-exemptions.csv",
    # China's lists of 4 March 2025 (second column: China's 8-digit tariff line)
    "china_10pct_mar4": "china-10-percent-030425.csv", "china_15pct_mar4": "china-15-percent-030425.csv",
}
CODE_COLUMN = {"china_10pct_mar4": 1, "china_15pct_mar4": 1}
#: Headings of the original Section 232 duties, which the tracker's lists (derivatives) leave out:
#: steel, Proclamation 9705 (8 March 2018: HS 7206-7216, 7217-7229 and tubes and rails
#: 7301-7306); aluminium, Proclamation 9704 (unwrought, bars, plates, foil, tubes: 7601, 7604-7609).
BASE_HEADINGS = {
    "s232_steel": [f"72{h:02d}" for h in range(6, 30)] + ["7301", "7302", "7304", "7305", "7306"],
    "s232_aluminium": ["7601", "7604", "7605", "7606", "7607", "7608", "7609"],
}
HEADER = ("# Built by scripts/build_tariffs2025.py from tradewartracker/trade-war-redux-2025 (MIT, 2025-2026),\n"
          "# ../shared/data/tariffs2025/{what}; see src/tradesim/data/builtin/PROVENANCE.md.\n")


def concordance(builtin: Path = BUILTIN) -> dict[str, dict[str, float]]:
    """HS 2022 subheading -> {ICIO sector: weight} (the shipped ``hs_icio.csv``)."""
    table: dict[str, dict[str, float]] = defaultdict(dict)
    with open(builtin / "hs_icio.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            table[row["hs6"]][row["sector"]] = float(row["weight"])
    return dict(table)


def _fmt(x: float) -> str:
    return f"{x:.10g}"


def tracker_rows(shared: Path) -> list[list[str]]:
    rows = []
    with open(shared / "tariffs2025" / "country-by-time.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.append([r["date"], r["country_name"], PARTNERS[r["country_name"]], _fmt(float(r["effective tariff"])),
                         _fmt(float(r["total imports"])), _fmt(float(r["2024 tariff"]))])
    return sorted(rows, key=lambda r: (r[0], r[2]))


def hs2_rows(shared: Path, conc: dict[str, dict[str, float]]) -> list[list[str]]:
    """Each six-partner HS2 chapter split over sectors by its subheadings' weights."""
    split: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for hs6, sectors in conc.items():
        for sector, w in sectors.items():
            split[hs6[:2]][sector] += w
    rows = []
    for code, iso in HS2_FILES.items():
        imports: dict[str, float] = defaultdict(float)
        duty: dict[str, float] = defaultdict(float)
        with open(shared / "tariffs2025" / "data-hs2" / f"hs2-tariff-{code}.csv", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                chapter, value = r["HS2"].zfill(2), float(r["2024_imports"])
                parts = split.get(chapter)
                if not parts or value <= 0:  # chapters 98-99 (special provisions) have no sector
                    continue
                total = sum(parts.values())
                for sector, w in parts.items():
                    imports[sector] += value * w / total
                    duty[sector] += value * w / total * float(r["2025_tariff_increase"])
        for sector in sorted(imports):
            rows.append([iso, sector, _fmt(imports[sector]), _fmt(duty[sector] / imports[sector])])
    return rows


def list_rows(shared: Path, conc: dict[str, dict[str, float]]) -> list[list[str]]:
    size: dict[str, float] = defaultdict(float)
    for sectors in conc.values():
        for sector, w in sectors.items():
            size[sector] += w
    rows = []
    for name, file in LISTS.items():
        codes = set(BASE_HEADINGS.get(name, ()))
        with open(shared / "tariffs2025" / "tariff-lists" / file, encoding="utf-8") as fh:
            for r in csv.reader(fh):
                col = CODE_COLUMN.get(name, 0)
                digits = "".join(ch for ch in (r[col] if len(r) > col else "") if ch.isdigit())
                if name.startswith("china") and len(digits) == 7:
                    digits = "0" + digits  # a leading zero lost in the spreadsheet (0207 -> 2071100)
                if len(digits) >= 4:
                    codes.add(digits[:6])
        covered: dict[str, float] = defaultdict(float)
        for hs6, sectors in conc.items():
            if hs6 in codes or hs6[:4] in codes:
                for sector, w in sectors.items():
                    covered[sector] += w
        for sector in sorted(covered):
            rows.append([name, sector, _fmt(covered[sector] / size[sector])])
    return rows


def build(shared: Path, builtin: Path = BUILTIN) -> dict[str, str]:
    """File name -> text of the three tables."""
    conc = concordance(builtin)
    tables = {
        "tariffs2025_tracker.csv": ("country-by-time.csv",
                                    ["date", "partner", "iso3", "effective_pct", "imports_2024_usd", "tariff_2024_pct"],
                                    tracker_rows(shared)),
        "tariffs2025_hs2.csv": ("data-hs2/hs2-tariff-*.csv with hs_icio.csv",
                                ["iso3", "sector", "imports_2024_usd", "hs2_increase_pct"], hs2_rows(shared, conc)),
        "tariffs2025_lists.csv": ("tariff-lists/ with hs_icio.csv", ["list", "sector", "line_share"],
                                  list_rows(shared, conc)),
    }
    out = {}
    for name, (what, header, rows) in tables.items():
        buf = io.StringIO()
        buf.write(HEADER.format(what=what))
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        out[name] = buf.getvalue()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=BUILTIN)
    args = parser.parse_args(argv)
    for name, text in build(args.shared).items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"wrote {args.out / name} ({text.count(chr(10))} lines)")


if __name__ == "__main__":
    main()
