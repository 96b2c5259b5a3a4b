"""Evidence for the default elasticity set of the 2022 world (docs/data.md).

For each of the baseline's published trade-elasticity sets: how many sectors lie
outside 1.5-20 and the exact welfare change (%) of the USA, China and Japan in a few
library scenarios, with Japan's largest sector gain and loss (USD). Prints a
Markdown table. Run: ``python scripts/elasticity_sets_evidence.py`` (about a minute).
"""

from __future__ import annotations

import sys
from pathlib import Path

import tradesim
from tradesim.results.sectors import ELASTICITY_RANGE, most_affected_sectors
from tradesim.results.units import fmt_usd

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("us_reciprocal_2025_04", "escalation_2025_04", "japan_chip_equipment_controls")


def main() -> None:
    base = tradesim.load_baseline("icio2022")
    sets = [str(s) for s in base.ds["elasticity_set"].values]
    lo, hi = ELASTICITY_RANGE
    print("| set | sectors outside 1.5-20 | " + " | ".join(f"{k}: USA / CHN / JPN %" for k in SCENARIOS)
          + " | JPN top gain, loss (us_reciprocal) |")
    print("|---|---|" + "---|" * len(SCENARIOS) + "---|")
    for name in sets:
        theta = base.ds["trade_elasticity_sets"].sel(elasticity_set=name).values
        outside = [f"{s} {t:.3g}" for s, t in zip(base.sectors, theta) if not lo <= t <= hi]
        cells = []
        top = ""
        for key in SCENARIOS:
            r = tradesim.run(ROOT / "scenarios" / f"{key}.toml", elasticity_set=name, store=False)
            w = r.welfare()
            cells.append(" / ".join(f"{w.loc[c, 'welfare_pct']:+.3f}" for c in ("USA", "CHN", "JPN")))
            if key == "us_reciprocal_2025_04":
                m = most_affected_sectors(r, "JPN", 1)
                top = "; ".join(f"{x.sector} {fmt_usd(x.change_usd)} ({x.change_pct:+.1f}%)" for x in m.itertuples())
        print(f"| {name} | {', '.join(outside) or 'none'} | " + " | ".join(cells) + f" | {top} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
