"""Evaluation of the extractor on hand-written passages with gold labels.

``eval/passages.jsonl`` holds short news-style passages about documented trade
measures of 2018-2025 and negatives (talks, opinion, rumours, denials), each with
gold measures (implementer, affected, instrument, HS chapters, status, direction)
and events. The rules were tuned on the ``tune`` split only; ``heldout`` is
reported separately.

Scoring (per split):

* **measure detection** — a predicted measure (modality historical or future:
  hypothetical and negated mentions are not measures) matches a gold measure of
  the same passage and instrument family (import tariff incl. anti-dumping; import
  restriction; export restriction), one to one, preferring same implementer;
  precision, recall and F1 over matches;
* **ISO3 exact** — among matched pairs, implementer equal *and* affected set equal;
* **HS chapter accuracy** — among matched pairs whose gold names products, the
  predicted set of HS chapters equals the gold set;
* instrument, status and direction accuracy among matched pairs; event detection
  P/R/F1 by (kind, actor).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tradesim.news.extract import extract

PASSAGES = Path(__file__).parent / "eval" / "passages.jsonl"
_FAMILY = {"tariff": "t", "anti_dumping": "t", "tariff_suspension": "t", "import_ban": "i", "quota": "i",
           "sps_measure": "i", "export_ban": "e", "export_control": "e", "export_licensing": "e"}


def load_passages(path: str | Path = PASSAGES) -> list[dict]:
    """The evaluation passages (one JSON object per line)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@dataclass
class Scores:
    """Counts and rates of one split."""

    passages: int
    gold: int
    predicted: int
    matched: int
    iso3_exact: int
    hs_scored: int
    hs_correct: int
    instrument_correct: int
    status_correct: int
    direction_correct: int
    events_gold: int
    events_predicted: int
    events_matched: int

    @staticmethod
    def _f1(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
        p = tp / pred if pred else (1.0 if not gold else 0.0)
        r = tp / gold if gold else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def detection(self) -> tuple[float, float, float]:
        """(precision, recall, F1) of measure detection."""
        return self._f1(self.matched, self.predicted, self.gold)

    @property
    def events(self) -> tuple[float, float, float]:
        """(precision, recall, F1) of events by (kind, actor)."""
        return self._f1(self.events_matched, self.events_predicted, self.events_gold)

    def rate(self, name: str) -> float:
        """A share among matched pairs: ``iso3_exact``, ``instrument``, ``status``, ``direction``; ``hs`` among
        matched pairs with gold products."""
        if name == "hs":
            return self.hs_correct / self.hs_scored if self.hs_scored else float("nan")
        value = {"iso3_exact": self.iso3_exact, "instrument": self.instrument_correct,
                 "status": self.status_correct, "direction": self.direction_correct}[name]
        return value / self.matched if self.matched else float("nan")


def _match(pred: list, gold: list[dict]) -> list[tuple]:
    pairs, used = [], set()
    for g in gold:
        options = [(i, p) for i, p in enumerate(pred) if i not in used
                   and _FAMILY[p.instrument] == _FAMILY[g["instrument"]]]
        if not options:
            continue
        options.sort(key=lambda ip: (ip[1].implementer != g["implementer"], set(ip[1].affected) != set(g["affected"])))
        used.add(options[0][0])
        pairs.append((options[0][1], g))
    return pairs


def score(passages: list[dict]) -> Scores:
    """Score the extractor on passages (see the module docstring for the definitions)."""
    s = Scores(len(passages), *([0] * 12))
    for p in passages:
        x = extract(p["text"], published=p.get("published"))
        pred = [m for m in x.measures if m.modality in {"historical", "future"}]
        gold = p["measures"]
        s.gold += len(gold)
        s.predicted += len(pred)
        for m, g in _match(pred, gold):
            s.matched += 1
            s.iso3_exact += m.implementer == g["implementer"] and set(m.affected) == set(g["affected"])
            s.instrument_correct += m.instrument == g["instrument"]
            s.status_correct += m.status == g["status"]
            s.direction_correct += m.direction == g["direction"]
            if g["hs_chapters"]:
                s.hs_scored += 1
                s.hs_correct += m.hs_chapters == sorted(g["hs_chapters"])
        pe = {(e.kind, e.actor) for e in x.events}
        ge = {(e["kind"], e["actor"]) for e in p["events"]}
        s.events_gold += len(ge)
        s.events_predicted += len(pe)
        s.events_matched += len(pe & ge)
    return s


def evaluate(path: str | Path = PASSAGES) -> dict[str, Scores]:
    """Scores of the ``tune`` and ``heldout`` splits."""
    passages = load_passages(path)
    return {split: score([p for p in passages if p["split"] == split]) for split in ("tune", "heldout")}
