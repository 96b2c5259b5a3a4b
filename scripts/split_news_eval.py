"""Split the wire-style news evaluation passages into a development and a held-out part.

The passages (one JSON object a line, each with a ``kind`` stratum: tariff, remedy,
import_restriction, export_restriction, liberalising, negative) are sorted by id, then
within each kind shuffled with ``random.Random(SEED)`` and the first ``round(n * HELDOUT)``
go to the held-out part. The split depends only on the ids and kinds, so running the
script on the concatenation of the two output files gives the same two files again.

Usage::

    python scripts/split_news_eval.py ALL.jsonl src/tradesim/news/eval/wire_dev.jsonl \
        src/tradesim/news/eval/wire_heldout.jsonl

and record ``sha256sum src/tradesim/news/eval/wire_heldout.jsonl`` in
``src/tradesim/news/eval/HELDOUT.sha256`` in the same commit.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict

SEED = 20261201
HELDOUT = 0.4


def split(passages: list[dict], seed: int = SEED, heldout: float = HELDOUT) -> tuple[list[dict], list[dict]]:
    """(development, held-out) passages, stratified by ``kind``, each list sorted by id."""
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for p in sorted(passages, key=lambda p: p["id"]):
        by_kind[p["kind"]].append(p)
    rng = random.Random(seed)
    dev, held = [], []
    for kind in sorted(by_kind):
        group = by_kind[kind][:]
        rng.shuffle(group)
        k = round(len(group) * heldout)
        held += [dict(p, split="heldout") for p in group[:k]]
        dev += [dict(p, split="dev") for p in group[k:]]
    return sorted(dev, key=lambda p: p["id"]), sorted(held, key=lambda p: p["id"])


def _write(path: str, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main(argv: list[str]) -> None:
    src, dev_path, held_path = argv
    with open(src, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for r in rows:
        r.pop("split", None)
    dev, held = split(rows)
    _write(dev_path, dev)
    _write(held_path, held)
    print(f"{len(dev)} development, {len(held)} held-out passages")


if __name__ == "__main__":
    main(sys.argv[1:])
