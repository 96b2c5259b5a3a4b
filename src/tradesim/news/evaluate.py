"""Evaluation of the extractor on hand-written passages with gold labels.

Three sets (``eval/``), one JSON object a line with gold measures (implementer,
affected, instrument, HS chapters, status, direction, and in the wire sets the rate
in percent and the ``source`` act of the labels) and events:

* ``passages.jsonl`` — the original 49 passages (splits ``tune`` and ``heldout``),
  written by the authors of the first rules;
* ``wire_dev.jsonl`` — 101 wire-style passages used to develop the rules of issue 19;
* ``wire_heldout.jsonl`` — 69 wire-style passages, frozen before the rules changed
  (SHA-256 in ``eval/HELDOUT.sha256``, checked by :func:`heldout_is_frozen`);
* ``wire_heldout2.jsonl`` — 86 further wire-style passages about other measures, written and
  frozen (second line of ``eval/HELDOUT.sha256``) before their author read the rules or ran the
  extractor; scored once, with the final rules of the follow-up to issue 19;
* ``wire_heldout3.jsonl`` — a third wire-style held-out set, written by a session that never read the rules and
  frozen (third line of ``eval/HELDOUT.sha256``); :func:`evaluate_sets` scores it only after checking its hash.

Scoring (per set):

* **measure detection** — a predicted measure (modality historical or future:
  hypothetical and negated mentions are not measures) matches a gold measure of
  the same passage and instrument family (import tariff incl. trade remedies;
  import restriction; export restriction), one to one, preferring same implementer,
  affected set and HS chapters; precision, recall and F1 over matches;
* **ISO3 exact** — among matched pairs, implementer equal *and* affected set equal;
* **HS chapter accuracy** — among matched pairs whose gold names products, the
  predicted set of HS chapters equals the gold set;
* **rate within 0.1 point** — among matched pairs whose gold states a rate, the
  predicted new rate is within 0.1 percentage point of it;
* **false positives on negatives** — the share of passages without gold measures
  where any measure is predicted;
* instrument, status and direction accuracy among matched pairs; event detection
  P/R/F1 by (kind, actor).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from tradesim.errors import NewsEvaluationError
from tradesim.news.extract import extract

EVAL = Path(__file__).parent / "eval"
PASSAGES = EVAL / "passages.jsonl"
WIRE_DEV = EVAL / "wire_dev.jsonl"
WIRE_HELDOUT = EVAL / "wire_heldout.jsonl"
WIRE_HELDOUT2 = EVAL / "wire_heldout2.jsonl"
WIRE_HELDOUT3 = EVAL / "wire_heldout3.jsonl"
_FAMILY = {"tariff": "t", "anti_dumping": "t", "countervailing": "t", "safeguard": "t", "tariff_suspension": "t",
           "import_ban": "i", "quota": "i", "sps_measure": "i", "import_licensing": "i",
           "export_ban": "e", "export_control": "e", "export_licensing": "e"}


def load_passages(path: str | Path = PASSAGES) -> list[dict]:
    """The evaluation passages (one JSON object per line)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def heldout_is_frozen(path: str | Path = WIRE_HELDOUT) -> bool:
    """True when the held-out file's SHA-256 equals the one recorded for its name in ``eval/HELDOUT.sha256``
    (``sha256sum`` format, one line a file)."""
    path = Path(path)
    recorded = {name: digest for digest, name in
                (line.split() for line in (path.parent / "HELDOUT.sha256").read_text().splitlines() if line.strip())}
    return hashlib.sha256(path.read_bytes()).hexdigest() == recorded.get(path.name)


@dataclass
class Scores:
    """Counts and rates of one set."""

    passages: int
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    iso3_exact: int = 0
    hs_scored: int = 0
    hs_correct: int = 0
    rate_scored: int = 0
    rate_correct: int = 0
    instrument_correct: int = 0
    status_correct: int = 0
    direction_correct: int = 0
    events_gold: int = 0
    events_predicted: int = 0
    events_matched: int = 0
    negatives: int = 0
    negatives_with_fp: int = 0

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

    @property
    def false_positive_share(self) -> float:
        """Share of negative passages (no gold measure) where a measure was predicted."""
        return self.negatives_with_fp / self.negatives if self.negatives else float("nan")

    def rate(self, name: str) -> float:
        """A share among matched pairs: ``iso3_exact``, ``instrument``, ``status``, ``direction``; ``hs`` among
        matched pairs with gold products; ``rate`` among matched pairs with a gold rate."""
        if name == "hs":
            return self.hs_correct / self.hs_scored if self.hs_scored else float("nan")
        if name == "rate":
            return self.rate_correct / self.rate_scored if self.rate_scored else float("nan")
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
        options.sort(key=lambda ip: (ip[1].implementer != g["implementer"], set(ip[1].affected) != set(g["affected"]),
                                     ip[1].hs_chapters != sorted(g["hs_chapters"]), ip[0]))
        used.add(options[0][0])
        pairs.append((options[0][1], g))
    return pairs


def score_one(s: Scores, p: dict, x) -> None:
    """Add passage ``p`` with extraction ``x`` to the counts ``s``."""
    pred = [m for m in x.measures if m.modality in {"historical", "future"}]
    gold = p["measures"]
    s.gold += len(gold)
    s.predicted += len(pred)
    if not gold:
        s.negatives += 1
        s.negatives_with_fp += bool(pred)
    for m, g in _match(pred, gold):
        s.matched += 1
        s.iso3_exact += m.implementer == g["implementer"] and set(m.affected) == set(g["affected"])
        s.instrument_correct += m.instrument == g["instrument"]
        s.status_correct += m.status == g["status"]
        s.direction_correct += m.direction == g["direction"]
        if g["hs_chapters"]:
            s.hs_scored += 1
            s.hs_correct += m.hs_chapters == sorted(g["hs_chapters"])
        if g.get("rate") is not None:
            s.rate_scored += 1
            s.rate_correct += m.rate is not None and abs(m.rate.new * 100 - g["rate"]) <= 0.1 + 1e-9
    pe = {(e.kind, e.actor) for e in x.events}
    ge = {(e["kind"], e["actor"]) for e in p["events"]}
    s.events_gold += len(ge)
    s.events_predicted += len(pe)
    s.events_matched += len(pe & ge)


def score(passages: list[dict]) -> Scores:
    """Score the extractor on passages (see the module docstring for the definitions)."""
    s = Scores(len(passages))
    for p in passages:
        score_one(s, p, extract(p["text"], published=p.get("published")))
    return s


def evaluate(path: str | Path = PASSAGES) -> dict[str, Scores]:
    """Scores of the ``tune`` and ``heldout`` splits of the original passages."""
    passages = load_passages(path)
    return {split: score([p for p in passages if p["split"] == split]) for split in ("tune", "heldout")}


def evaluate_sets(heldout: bool = False, heldout2: bool = False, heldout3: bool = False) -> dict[str, Scores]:
    """Scores of the original 49 passages, the wire development parts and, when asked, the frozen wire
    held-out parts (score each once: they are the test, not a tuning aid).

    Since the scoring of held-out part 2 the first two held-out parts are development material too (see
    docs/news.md); held-out part 3 is the test.

    Raises
    ------
    NewsEvaluationError
        ``heldout3`` is asked for and the file's SHA-256 is not the one recorded when it was frozen.
    """
    if heldout3 and not heldout_is_frozen(WIRE_HELDOUT3):
        raise NewsEvaluationError(f"{WIRE_HELDOUT3.name}: its SHA-256 is not the one frozen in "
                                  f"{(EVAL / 'HELDOUT.sha256').name}; the held-out set was changed")
    out = {"original 49": score(load_passages(PASSAGES)), "wire dev": score(load_passages(WIRE_DEV))}
    if heldout:
        out["wire held-out"] = score(load_passages(WIRE_HELDOUT))
    if heldout2:
        out["wire held-out 2"] = score(load_passages(WIRE_HELDOUT2))
    if heldout3:
        out["wire held-out 3"] = score(load_passages(WIRE_HELDOUT3))
    return out
