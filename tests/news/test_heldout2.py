"""The second wire held-out part: well formed, disjoint from the other sets, frozen.

These tests read the labels only; they never run the extractor on the held-out text (it is
scored once, by ``evaluate_sets(heldout2=True)``, and the score is reported in docs/news.md).
"""

from tradesim.news.evaluate import (PASSAGES, WIRE_DEV, WIRE_HELDOUT, WIRE_HELDOUT2, heldout_is_frozen,
                                    load_passages)
from tradesim.news.schema import MAST_CHAPTER


def test_second_heldout_part_is_well_formed_new_and_frozen():
    held2 = load_passages(WIRE_HELDOUT2)
    others = {p["id"] for path in (PASSAGES, WIRE_DEV, WIRE_HELDOUT) for p in load_passages(path)}
    texts = {p["text"] for path in (PASSAGES, WIRE_DEV, WIRE_HELDOUT) for p in load_passages(path)}
    assert len(held2) >= 80 and len({p["id"] for p in held2}) == len(held2)
    assert not {p["id"] for p in held2} & others and not {p["text"] for p in held2} & texts
    negatives = sum(not p["measures"] for p in held2)
    assert 0.25 <= negatives / len(held2) <= 0.4  # about a third
    for p in held2:
        assert p["source"] and p["kind"] and p["published"] and p["split"] == "heldout2"
        for m in p["measures"]:
            assert m["instrument"] in MAST_CHAPTER and (m["rate"] is None or m["rate"] > 0)
            assert all(len(h) == 2 and h.isdigit() for h in m["hs_chapters"])
    assert heldout_is_frozen(WIRE_HELDOUT2) and heldout_is_frozen(WIRE_HELDOUT)
