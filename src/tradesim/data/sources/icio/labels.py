"""Labels and concordances of the ICIO world: sector and economy names, and the WIOD 2013
industries each ICIO sector group takes its input-output structure from (a literal table;
the rules that use it are in :mod:`~tradesim.data.sources.icio.read` and
:mod:`~tradesim.data.sources.icio.shares`).
"""

from __future__ import annotations

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


def icio_groups() -> list[tuple[str, ...]]:
    """The distinct ICIO sector groups of :data:`WIOD_TO_ICIO`, in WIOD order."""
    return list(dict.fromkeys(WIOD_TO_ICIO.values()))
