"""Build the HS 2022 -> ICIO sector concordance shipped with tradesim.

    python scripts/build_concordance.py [--shared ../shared/data] [--out src/tradesim/data/builtin]

Writes ``hs_icio.csv`` (every HS 2022 subheading -> ICIO sector, weight, rule) and
``hs2022.csv`` (HS 2022 chapters, headings and subheadings with short descriptions)
from ``../shared/data`` (insongkim/concordance, MIT; datasets/harmonized-system,
ODC-PDDL) and the hand-written ``isic4_icio.csv``.

Method (details and reasons in docs/products.md):

1. Links HS 6-digit -> ISIC Rev.4 class from ``hs_isic4``. That table is keyed by
   6-digit code pooled over HS vintages, and is (for 98% of HS 2022 codes exactly)
   the composition of a one-to-one HS -> ISIC Rev.3 table with the UN ISIC
   Rev.3 -> Rev.4 correspondence. Links not implied by the code's HS 2022 ISIC Rev.3
   class (``hs6_isic3``, the HS 2022 vintage) are dropped: they belong to an older
   meaning of the same 6-digit number.
2. ISIC Rev.4 -> ICIO sector by ``isic4_icio.csv``; links to activities that do not
   make the good (repair, installation, mining support, services) are dropped when a
   producing activity is also listed.
3. An ISIC Rev.3 class split across several ICIO sectors by the Rev.3 -> Rev.4 chain
   (ISIC3 2929 "other special-purpose machinery" -> 2593, 2790, 2826, 2829, ...) goes to
   its principal sector (``PRINCIPAL``), then a few HS headings or subheadings that ISIC
   Rev.4 explicitly places elsewhere are moved (``OVERRIDES``).
4. Subheadings with no ISIC link (waste, scrap and by-products: ISIC3 9999) take the
   sector ISIC Rev.4 names for them where it does (``OVERRIDES``: slaughter by-products,
   slag), else the majority sector of their HS heading, else of their chapter (scrap
   of a material goes with the material).
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import rdata

ROOT = Path(__file__).resolve().parents[1]
BUILTIN = ROOT / "src/tradesim/data/builtin"
DESCRIPTION_CHARS = 60
#: Label of the services aggregate in the icio2022 baseline (data/sources/icio/read.py renames
#: the source's "Services (aggregate)").
SERVICES = "SERV"

#: ICIO sector of an ISIC Rev.3 class whose Rev.4 counterparts fall in several ICIO
#: sectors: the sector of the Rev.4 class that continues the Rev.3 class (same title);
#: the other counterparts are fragments of the class moved to other Rev.4 classes.
PRINCIPAL: dict[str, str] = {
    "0112": "A01",      # vegetables, horticulture (A02 0230, C10T12 1102 are fragments)
    "0113": "A01",      # fruit, nuts, beverage and spice crops
    "0122": "A01",      # other animal farming (frog farming moved to aquaculture 0321/0322)
    "0200": "A02",      # forestry and logging
    "1010": "B05",      # mining of hard coal (0510)
    "1020": "B05",      # lignite
    "1551": "C10T12",   # distilling spirits (1101); see 2207 below
    "1721": "C13T15",   # made-up textile articles
    "1729": "C13T15",   # other textiles
    "1810": "C13T15",   # wearing apparel
    "1912": "C13T15",   # luggage, handbags, saddlery
    "1920": "C13T15",   # footwear
    "2029": "C16",      # other wood products, cork, plaiting materials
    "2109": "C17_18",   # other articles of paper
    "2330": "C20",      # nuclear fuel (ISIC4 2011)
    "2411": "C20",      # basic chemicals (2011)
    "2423": "C21",      # pharmaceuticals (2100)
    "2429": "C20",      # other chemical products (2029)
    "2519": "C22",      # other rubber products
    "2520": "C22",      # plastic products
    "2699": "C23",      # other non-metallic mineral products
    "2899": "C25",      # other fabricated metal products
    "2919": "C28",      # other general-purpose machinery
    "2922": "C28",      # machine tools
    "2927": "C25",      # weapons and ammunition (2520)
    "2929": "C28",      # other special-purpose machinery (2829)
    "2930": "C27",      # domestic appliances (2750)
    "3000": "C26",      # office, accounting and computing machinery (2620); see 8470/8472
    "3110": "C27",      # electric motors, generators, transformers
    "3120": "C27",      # electricity distribution and control apparatus
    "3130": "C27",      # insulated wire and cable
    "3190": "C27",      # other electrical equipment (2790); see 8486, 8542
    "3210": "C26",      # electronic valves, tubes and components (2610)
    "3230": "C26",      # TV and radio receivers, sound and video apparatus
    "3311": "C31T33",   # medical and surgical equipment (3250); see 9018.1, 9022
    "3312": "C26",      # measuring and testing instruments (2651)
    "3320": "C26",      # optical instruments and photographic equipment (2670)
    "3330": "C26",      # watches and clocks (2652)
    "3430": "C29",      # parts and accessories for motor vehicles (2930)
    "3530": "C302T309",  # aircraft and spacecraft, aircraft engines included (3030)
    "3591": "C302T309",  # motorcycles (3091)
    "3599": "C302T309",  # other transport equipment n.e.c. (3099)
    "3610": "C31T33",   # furniture (3100); see 9401.10, 9401.20
    "3694": "C31T33",   # games and toys (3240); see 9504.50
    "3699": "C31T33",   # other manufacturing n.e.c. (3290)
    "7421": SERVICES,   # architectural and engineering plans (HS 4906)
}

#: HS headings or subheadings that ISIC Rev.4 names under another sector than the
#: principal sector of their ISIC Rev.3 class (ISIC Rev.4 class in brackets).
OVERRIDES: dict[str, str] = {
    "4001": "A01",       # natural rubber: growing of rubber trees (0129), not forestry
    "2207": "C20",       # ethyl alcohol >= 80% and denatured: non-potable alcohol (2011)
    # books, music, maps: publishing (5811, 5819); the concordance's only producing link,
    # 3290, is a fragment of ISIC3 2211 "publishing of books"
    "4901": SERVICES, "4903": SERVICES, "4904": SERVICES, "4905": SERVICES,
    "85177": "C26",      # aerials and parts of telephone apparatus: communication equipment (2630)
    "85232": "C26",      # magnetic media (2680)
    "852341": "C26",     # unrecorded optical media (2680)
    "852349": "C17_18",  # recorded optical media: reproduction of recorded media (1820)
    "8470": "C28",       # calculating machines, cash registers: office machinery (2817)
    "8472": "C28",       # other office machines (2817)
    "84732": "C28",      # parts of 8470 (2817)
    "84734": "C28",      # parts of 8472 (2817)
    "842219": "C28",     # non-household dish-washing machines (2819)
    "8486": "C28",       # semiconductor and flat-panel manufacturing machinery (2829)
    "8542": "C26",       # integrated circuits: electronic components (2610)
    "8710": "C302T309",  # tanks and armoured fighting vehicles (3040)
    "90181": "C26",      # electro-diagnostic apparatus: electromedical equipment (2660)
    "901820": "C26",     # ultraviolet or infrared ray apparatus (2660)
    "9022": "C26",       # X-ray and ionising-radiation apparatus: irradiation equipment (2660)
    "940110": "C302T309",  # aircraft seats (3030)
    "940120": "C29",     # motor-vehicle seats (2930)
    "950450": "C26",     # video game consoles (2640)
    # Subheadings without an ISIC link (ISIC3 9999), where ISIC Rev.4 names the activity:
    "0502": "C10T12", "0504": "C10T12", "0505": "C10T12", "0506": "C10T12",  # slaughter
    "0507": "C10T12", "0510": "C10T12", "051199": "C10T12",  # by-products (1010)
    "2618": "C24A", "2619": "C24A",  # slag and dross from iron and steel making (2410)
    "2620": "C24B",      # ash and residues containing non-ferrous metals (2420)
    "7112": "C24B",      # precious-metal waste and scrap: refined into precious metals (2420)
    "3804": "C17_18",    # residual lyes from wood-pulp manufacture (1701)
}


def override(hs6: str) -> str | None:
    """Sector ``OVERRIDES`` gives the subheading (its own entry, else its 5- or 4-digit prefix)."""
    return next((OVERRIDES[p] for p in (hs6, hs6[:5], hs6[:4]) if p in OVERRIDES), None)


def read_rda(path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdata warns about R classes it does not need
        (frame,) = rdata.read_rda(path).values()
    return frame


def icio_sectors(shared: Path) -> list[str]:
    """Sector labels of the ICIO 2022 data (MATLAB char arrays behind HDF5 refs), services as SERV."""
    with h5py.File(shared / "icio_tariffwar" / "ICIO2022.mat", "r") as f:
        refs = np.array(f["data"]["sectors"]).ravel()
        labels = ["".join(map(chr, np.array(f[r]).ravel())) for r in refs]
    return [SERVICES if s.lower().startswith("services") else s for s in labels]


def read_isic4_icio(path: Path = BUILTIN / "isic4_icio.csv") -> pd.DataFrame:
    return pd.read_csv(path, comment="#", dtype=str)


def read_hs2022(shared: Path) -> pd.DataFrame:
    """HS 2022 chapters, headings and subheadings.

    Rows of section TOTAL are dropped: the grand total and chapter 99 "commodities not
    specified according to kind", a trade-statistics convention outside the HS.
    """
    hs = pd.read_csv(shared / "hs" / "harmonized-system.csv", dtype=str)
    hs = hs[hs["level"].isin(["2", "4", "6"]) & (hs["section"] != "TOTAL")]
    return hs.rename(columns={"hscode": "code"})[["code", "level", "section", "description"]]


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """Cut a description at a word boundary; the full text is in ../shared/data/hs."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:(")
    return cut + "…"


def hs2022_table(hs: pd.DataFrame) -> pd.DataFrame:
    return hs.assign(description=hs["description"].map(shorten))[["code", "level", "description"]]


def isic4_links(shared: Path, subheadings: pd.Index) -> pd.DataFrame:
    """HS 2022 subheading -> ISIC Rev.4 class links valid for the HS 2022 vintage.

    Columns ``hs6, isic4, isic3``; subheadings without an ISIC link are absent.
    """
    conc = shared / "concordance"
    links = read_rda(conc / "hs_isic4.RData").rename(columns={"HS_6d": "hs6", "ISIC4_4d": "isic4"})
    links = links[links["hs6"].isin(subheadings)].dropna(subset=["isic4"])[["hs6", "isic4"]]
    # The HS 2022 meaning of each code: its ISIC Rev.3 class and that class's Rev.4 counterparts.
    hs_isic3 = read_rda(conc / "hs6_isic3.RData").rename(columns={"HS6_6d": "hs6", "ISIC3_4d": "isic3"})
    rev3_rev4 = read_rda(conc / "isic4_isic3.RData").rename(columns={"ISIC4_4d": "isic4", "ISIC3_4d": "isic3"})
    valid = hs_isic3[["hs6", "isic3"]].merge(rev3_rev4[["isic4", "isic3"]], on="isic3")
    return links.merge(valid, on=["hs6", "isic4"]).drop_duplicates().astype(str)


def attach_sectors(links: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """ICIO sector and makes-goods flag of each ISIC Rev.4 class (longest prefix in ``table``)."""
    rows = table.set_index("isic4")

    def lookup(code: str) -> pd.Series:
        for k in (4, 3, 2):
            if code[:k] in rows.index:
                return rows.loc[code[:k]]
        raise KeyError(f"ISIC Rev.4 class {code} is not covered by isic4_icio.csv")

    found = [lookup(c) for c in links["isic4"]]
    return links.assign(sector=[r["icio_sector"] for r in found],
                        makes_goods=[r["makes_goods"] == "1" for r in found])


def resolve(links: pd.DataFrame) -> pd.DataFrame:
    """One ICIO sector per linked subheading: columns ``hs6, sector, weight, rule, isic3``."""
    # A good is made by a producing activity; repair or services links count only
    # when the concordance names nothing else (electricity, artworks, plans).
    producing = links.groupby("hs6")["makes_goods"].transform("any")
    links = links[links["makes_goods"] | ~producing]
    by_code = links.groupby("hs6").agg(isic3=("isic3", "first"), sectors=("sector", lambda s: sorted(set(s))))
    rows = []
    for hs6, (isic3, sectors) in by_code.iterrows():
        if len(sectors) == 1:
            sector, rule = sectors[0], "concordance"
        else:
            if PRINCIPAL.get(isic3) not in sectors:
                raise ValueError(f"HS {hs6}: ISIC3 {isic3} spans {sectors}; give its principal sector")
            sector, rule = PRINCIPAL[isic3], "principal"
        moved = override(hs6)
        if moved is not None and moved != sector:
            sector, rule = moved, "override"
        rows.append((hs6, sector, 1.0, rule, isic3))
    return pd.DataFrame(rows, columns=["hs6", "sector", "weight", "rule", "isic3"])


def majority(peers: pd.DataFrame) -> str | None:
    """The sector holding most of ``peers``' subheadings; None when there are none or a tie."""
    counts = peers.groupby("sector")["weight"].sum().sort_values(ascending=False)
    if counts.empty or (len(counts) > 1 and counts.iloc[0] == counts.iloc[1]):
        return None
    return str(counts.index[0])


def fill_unlinked(mapped: pd.DataFrame, subheadings: pd.Index) -> pd.DataFrame:
    """Subheadings without an ISIC link: an override, else the majority sector of the
    linked subheadings of their heading, else of their chapter."""
    rows = []
    for hs6 in subheadings.difference(mapped["hs6"]):
        sector, rule = override(hs6), "override"
        for digits, level in ((4, "heading"), (2, "chapter")):
            if sector is None:
                sector, rule = majority(mapped[mapped["hs6"].str[:digits] == hs6[:digits]]), level
        if sector is None:
            raise ValueError(f"HS {hs6}: no ISIC link and no majority sector in its heading or chapter; "
                             "give it an override")
        rows.append((hs6, sector, 1.0, rule, ""))
    return pd.concat([mapped, pd.DataFrame(rows, columns=mapped.columns)], ignore_index=True)


def build(shared: Path) -> dict[str, pd.DataFrame]:
    """The shipped tables, by file name."""
    sectors = icio_sectors(shared)
    table = read_isic4_icio()
    unknown = set(table["icio_sector"]) - set(sectors)
    if unknown:
        raise ValueError(f"isic4_icio.csv names sectors absent from ICIO2022.mat: {sorted(unknown)}")
    hs = read_hs2022(shared)
    subheadings = pd.Index(hs.loc[hs["level"] == "6", "code"])
    links = attach_sectors(isic4_links(shared, subheadings), table)
    mapped = fill_unlinked(resolve(links), subheadings)
    mapped = mapped.sort_values(["hs6", "weight", "sector"], ascending=[True, False, True]).reset_index(drop=True)
    mapped["weight"] = mapped["weight"].round(6)
    return {"hs_icio.csv": mapped, "hs2022.csv": hs2022_table(hs)}


HEADERS = {
    "hs_icio.csv": [
        "HS 2022 subheading -> OECD ICIO sector (28-sector aggregation), built by scripts/build_concordance.py",
        "from insongkim/concordance hs_isic4, hs6_isic3, isic4_isic3 (MIT) and isic4_icio.csv; see docs/products.md.",
        "weight: share of the subheading in the sector (a subheading split over sectors has several rows).",
        "rule: concordance (one sector), principal (ISIC Rev.3 class split by Rev.4: its principal sector),",
        "override (ISIC Rev.4 names the product elsewhere), heading/chapter (no ISIC link: waste, scrap,",
        "by-products; the majority sector of the heading's or chapter's other subheadings).",
        "isic3: the subheading's ISIC Rev.3 class in the HS 2022 vintage (empty: none).",
    ],
    "hs2022.csv": [
        "HS 2022 nomenclature (World Customs Organization): chapters (2), headings (4), subheadings (6).",
        "From datasets/harmonized-system data/harmonized-system.csv (ODC-PDDL), via ../shared/data/hs;",
        f"descriptions cut to {DESCRIPTION_CHARS} characters (full text in the source).",
        "Built by scripts/build_concordance.py.",
    ],
}


def write(tables: dict[str, pd.DataFrame], out: Path) -> None:
    for name, frame in tables.items():
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            f.writelines(f"# {line}\n" for line in HEADERS[name])
            frame.to_csv(f, index=False, lineterminator="\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=BUILTIN)
    args = parser.parse_args(argv)
    tables = build(args.shared)
    write(tables, args.out)
    rules = tables["hs_icio.csv"].drop_duplicates("hs6")["rule"].value_counts()
    print(f"wrote {args.out}/hs_icio.csv ({', '.join(f'{n} {r}' for r, n in rules.items())}) and hs2022.csv")


if __name__ == "__main__":
    main()
