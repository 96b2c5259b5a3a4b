"""Draft a scenario (TOML, the format of ``docs/scenarios.md``) from extracted measures.

Measures in force or announced become scenario measures, each preceded by comments
quoting its evidence. A field the article does not give — a rate, the products, the
share of a product in a flow the shipped table lacks — is written as a placeholder
(``"FILL-IN: ..."``, :data:`tradesim.scenario.spec.PLACEHOLDER`) that the scenario
parser refuses, naming the field, until the analyst fills it in. Threatened,
requested, hypothetical, negated and lifted measures, events and stated figures are
listed in the header as comments.
"""

from __future__ import annotations

import json

from tradesim.data import products
from tradesim.errors import ScenarioError
from tradesim.news.schema import Extraction, TradeMeasure
from tradesim.scenario.spec import PLACEHOLDER

#: EU member states (2020-): a measure of the EU is a measure of each of them.
EU27 = ["AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC", "HRV", "HUN", "IRL",
        "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE"]


def _labels(codes: list[str]) -> list[str]:
    out: list[str] = []
    for c in codes:
        out += EU27 if c == "EU" else [c]
    return out


def _toml(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _pct(x: float) -> str:
    return f"{x * 100:.4g}%"


def _quote(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _share(codes: list[str], exporters: list[str], importers: list[str]) -> dict | str | None:
    """``None`` when the shipped table has every share the run needs, else a placeholder table by sector."""
    missing: dict[str, str] = {}
    for sector in products.sectors_for_hs(codes):
        for exp in exporters:
            for imp in importers:
                try:
                    products.product_share(codes, exp, imp, sector)
                except ScenarioError:
                    missing[sector] = f"{PLACEHOLDER}: share of HS {' '.join(codes)} in the {exp}->{imp} {sector} flow"
    if not missing:
        return None
    return missing if len(exporters) == 1 and len(importers) == 1 else \
        f"{PLACEHOLDER}: share of HS {' '.join(codes)} in the selected flows"


def scenario_measure(m: TradeMeasure) -> dict:
    """The scenario table of one measure (placeholders where the article is silent)."""
    codes = sorted({c for p in m.products for c in p.hs})
    implementer = _labels([m.implementer]) if m.implementer else f"{PLACEHOLDER}: ISO3 of the implementer"
    affected = _labels(m.affected) if m.affected else "all"
    out: dict = {}
    if m.flow == "import" and m.instrument in {"tariff", "anti_dumping", "countervailing", "safeguard",
                                               "tariff_suspension"}:
        out["kind"] = "tariff"
        out["importer"], out["exporter"] = implementer, affected
        if m.rate is None:
            out["add"] = f"{PLACEHOLDER}: rate, e.g. \"24%\""
        elif m.rate.prior is not None:
            out["add"] = _pct(m.rate.new - m.rate.prior)  # a stated change stacks on today's rate
        else:
            out["add"] = _pct(-m.rate.new if m.direction == "liberalising" else m.rate.new)
    elif m.flow == "import":
        out["kind"] = "import_ban" if m.instrument not in {"quota", "import_licensing"} else "curb"
        out["importer"], out["exporter"] = implementer, affected
        if m.instrument in {"quota", "import_licensing"}:
            out["cut"] = f"{PLACEHOLDER}: share of the flow the quota removes"
    else:
        out["kind"] = "export_control"
        out["exporter"], out["importer"] = implementer, affected
    if codes:
        out["hs"] = codes
        if isinstance(implementer, list) and isinstance(affected, list):
            exporters, importers = (affected, implementer) if m.flow == "import" else (implementer, affected)
            share = _share(codes, exporters, importers)
            if share is not None:
                out["share"] = share
        else:
            out["share"] = f"{PLACEHOLDER}: share of HS {' '.join(codes)} in the flows"
    elif out["kind"] == "tariff":
        out["sector"] = "goods"
    else:
        out["hs"] = f"{PLACEHOLDER}: HS codes of the products"
    date = m.in_force or m.announced
    if date is not None and date.value:
        out["date"] = date.value
    return out


def _label(m: TradeMeasure) -> str:
    what = " ".join(p.text for p in m.products) or "goods"
    target = ", ".join(m.affected) or "all partners"
    return f"{m.implementer or '?'} {m.instrument.replace('_', ' ')} on {what} {'from' if m.flow == 'import' else 'to'} {target}"


def draft_scenario(x: Extraction, *, name: str | None = None, baseline: str = "icio2022") -> str:
    """A scenario TOML text from an extraction; placeholders mark what the analyst must fill in."""
    lines = ["# Draft scenario written by `tradesim news` from a news article. Review every measure:",
             f"# each quotes its evidence; fields set to \"{PLACEHOLDER}: ...\" must be filled in before",
             "# `tradesim run` accepts the file.", "#"]
    runnable = [m for m in x.measures if m.modality in {"historical", "future"}
                and m.status in {"in_force", "announced", "suspended"} and m.direction == "restrictive"
                or (m.direction == "liberalising" and m.rate is not None and m.status != "lifted"
                    and m.modality in {"historical", "future"})]
    others = [m for m in x.measures if m not in runnable]
    if others:
        lines.append("# Measures not drafted (not in force, or lifted: a lifting is the world without the measure):")
        for m in others:
            lines.append(f"#   - {_label(m)} [{m.status}, {m.modality}]: \"{_quote(m.evidence['instrument'].text)}\" "
                         f"in \"{_quote(m.sentence.text if m.sentence else '', 120)}\"")
    if x.events:
        lines.append("# Events that are not measures (PLOVER kinds):")
        for e in x.events:
            prods = f" products HS {' '.join(c for p in e.products for c in p.hs)}" if e.products else ""
            lines.append(f"#   - {e.kind} ({e.subtype}) {e.actor or '?'} -> {e.target or '?'}{prods}: "
                         f"\"{_quote(e.summary, 120)}\"")
    if x.figures:
        lines.append("# Stated figures:")
        for f in x.figures:
            lines.append(f"#   - {f.what} {f.subject or '?'} in {f.partner or '?'}: {f.value:.0%} (\"{f.evidence.text}\")")
    lines += ["", f"name = {_toml(name or 'Draft from news' + (f' of {x.published}' if x.published else ''))}",
              f"baseline = {_toml(baseline)}",
              f"description = {_toml('Drafted by tradesim news; evidence quoted above each measure.')}", ""]
    for i, m in enumerate(runnable, 1):
        table = scenario_measure(m)
        lines.append(f"# Evidence: \"{_quote(m.sentence.text if m.sentence else m.evidence['instrument'].text)}\"")
        for key in ("implementer", "affected", "products", "rate", "status", "motive"):
            if key in m.evidence:
                lines.append(f"#   {key}: \"{_quote(m.evidence[key].text, 80)}\"")
        for note in m.notes:
            lines.append(f"#   see also: \"{_quote(note.text, 160)}\"")
        lines.append("[[measures]]")
        lines.append(f"label = {_toml(_label(m))}")
        for key, value in table.items():
            lines.append(f"{key} = {_toml(value)}")
        lines.append(f"source = {_toml('news: ' + _quote(m.evidence['instrument'].text, 80) + (f' (published {x.published})' if x.published else ''))}")
        lines.append("")
    if not runnable:
        lines.append("# No measure in force or announced was found: nothing to run.")
    return "\n".join(lines) + "\n"


def count_placeholders(draft: str) -> int:
    """Number of fields of a draft that are placeholders (values starting with ``"FILL-IN``), not counting
    the comments that explain them."""
    count = 0
    for line in draft.splitlines():
        if line.lstrip().startswith("#"):
            continue
        count += line.count(f'"{PLACEHOLDER}')
    return count
