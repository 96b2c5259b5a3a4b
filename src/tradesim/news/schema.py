"""Records extracted from news text, modelled on Global Trade Alert interventions.

A :class:`TradeMeasure` carries the fields GTA records by hand — implementer,
affected jurisdictions, flow, instrument (with its UNCTAD MAST chapter), direction,
motive, products, rate, dates, status — each with the character span of the words
it came from (:class:`Evidence`). Statements that are not measures (pressure,
requests, warnings, visits, talks, agreements) are :class:`Event` records with a
PLOVER-style kind. Stated numbers that are neither (China's share of Japan's
trade) are :class:`Figure` records.

Offsets are Python string indices into the text given to the extractor
(``text[start:end] == evidence.text``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Instrument = Literal["tariff", "import_ban", "sps_measure", "export_ban", "export_control",
                     "export_licensing", "quota", "anti_dumping", "countervailing", "safeguard",
                     "import_licensing", "tariff_suspension"]
Status = Literal["threatened", "requested", "announced", "in_force", "suspended", "lifted"]
Modality = Literal["historical", "future", "hypothetical", "negated"]
EventKind = Literal["REQUEST", "THREATEN", "CONSULT", "AGREE", "INVESTIGATE"]

#: UNCTAD MAST chapter of each instrument (tariffs are not non-tariff measures:
#: GTA files them as "Import tariff"; MAST chapter letters otherwise).
MAST_CHAPTER: dict[str, str] = {
    "tariff": "tariff (GTA 'Import tariff'; outside MAST)",
    "tariff_suspension": "tariff (GTA 'Import tariff'; outside MAST)",
    "import_ban": "E3 prohibitions (non-automatic licensing, quotas, prohibitions)",
    "sps_measure": "A SPS: A1 prohibitions for sanitary and phytosanitary reasons",
    "quota": "E2 quotas",
    "anti_dumping": "D1 antidumping",
    "countervailing": "D2 countervailing measures",
    "safeguard": "D3 safeguard measures",
    "import_licensing": "E1 non-automatic import licensing",
    "export_ban": "P3 export prohibitions",
    "export_control": "P3 export prohibitions/restrictions (export controls)",
    "export_licensing": "P33 export licensing requirements",
}

FLOW: dict[str, str] = {"tariff": "import", "tariff_suspension": "import", "import_ban": "import",
                        "sps_measure": "import", "quota": "import", "anti_dumping": "import",
                        "countervailing": "import", "safeguard": "import", "import_licensing": "import",
                        "export_ban": "export", "export_control": "export", "export_licensing": "export"}


@dataclass(frozen=True)
class Evidence:
    """The words a field came from: ``text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass
class Product:
    """A product named in the text and its HS 2022 codes.

    ``stated`` is True when the text gives the HS code itself, False when the code
    is inferred from the curated lexicon (:mod:`tradesim.news.lexicon`).
    """

    text: str
    hs: list[str]
    stated: bool
    sectors: dict[str, float]
    evidence: Evidence


@dataclass
class Rate:
    """An ad valorem rate as fractions (0.24 = 24%); ``prior`` when a change is stated."""

    new: float
    prior: float | None
    unit: str
    evidence: Evidence


@dataclass
class DateValue:
    """A date resolved against the publication date; ``granularity`` day, week, month or year."""

    value: str | None
    granularity: str
    evidence: Evidence


@dataclass
class TradeMeasure:
    """One trade measure (GTA intervention) with evidence for every field."""

    implementer: str | None
    affected: list[str]
    excluded: list[str]
    instrument: str
    mast_chapter: str
    flow: str
    direction: str
    status: str
    modality: str
    motive: str | None = None
    products: list[Product] = field(default_factory=list)
    rate: Rate | None = None
    announced: DateValue | None = None
    in_force: DateValue | None = None
    removed: DateValue | None = None
    notes: list[Evidence] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    sentence: Evidence | None = None

    @property
    def hs_chapters(self) -> list[str]:
        """Sorted HS chapters (2 digits) of the products."""
        return sorted({code[:2] for p in self.products for code in p.hs})


@dataclass
class Event:
    """A statement that is not a measure (PLOVER-style REQUEST, THREATEN, CONSULT, AGREE, INVESTIGATE).

    For a visit, ``actor`` is the visitor and ``target`` the host."""

    kind: str
    subtype: str
    actor: str | None
    target: str | None
    summary: str
    products: list[Product] = field(default_factory=list)
    date: DateValue | None = None
    evidence: Evidence | None = None
    about_measure: int | None = None


@dataclass
class Figure:
    """A stated number that is neither a rate nor a measure (a trade share, a value)."""

    what: str
    value: float
    unit: str
    subject: str | None
    partner: str | None
    evidence: Evidence


@dataclass
class Extraction:
    """Everything extracted from one article."""

    published: str | None
    text: str = ""
    measures: list[TradeMeasure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (evidence as ``{start, end, text}``)."""
        out = asdict(self)
        out.pop("text")
        for m, d in zip(self.measures, out["measures"]):
            d["hs_chapters"] = m.hs_chapters
        return out
