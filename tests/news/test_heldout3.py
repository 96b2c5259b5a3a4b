"""The third wire held-out set: frozen, well formed and disjoint from the other sets.

These tests read the labels and the hash only; they never run the extractor on the held-out text (it was
scored once, by ``tradesim news --evaluate --heldout3``, and the score is reported in docs/news.md).
"""

import hashlib

from tradesim.news.evaluate import (EVAL, PASSAGES, WIRE_DEV, WIRE_HELDOUT, WIRE_HELDOUT2, WIRE_HELDOUT3,
                                    heldout_is_frozen, load_passages)
from tradesim.news.schema import MAST_CHAPTER

#: Recorded when the set was frozen (commit 46377ff), third line of eval/HELDOUT.sha256.
FROZEN = "376b4de84c10b333b962f2053c874388c25bd2904ef09b17891b9aff99426d13"


def test_third_heldout_set_is_frozen_at_its_recorded_hash():
    assert hashlib.sha256(WIRE_HELDOUT3.read_bytes()).hexdigest() == FROZEN
    assert f"{FROZEN}  wire_heldout3.jsonl" in (EVAL / "HELDOUT.sha256").read_text().splitlines()
    assert heldout_is_frozen(WIRE_HELDOUT3)


def test_third_heldout_set_is_well_formed_and_new():
    held3 = load_passages(WIRE_HELDOUT3)
    others = [p for path in (PASSAGES, WIRE_DEV, WIRE_HELDOUT, WIRE_HELDOUT2) for p in load_passages(path)]
    assert len(held3) >= 100 and len({p["id"] for p in held3}) == len(held3)
    assert not {p["id"] for p in held3} & {p["id"] for p in others}
    assert not {p["text"] for p in held3} & {p["text"] for p in others}
    for p in held3:
        assert p["text"] and "measures" in p and "events" in p
        for m in p["measures"]:
            assert m["instrument"] in MAST_CHAPTER and (m.get("rate") is None or m["rate"] > 0)
            assert all(len(h) == 2 and h.isdigit() for h in m["hs_chapters"])
