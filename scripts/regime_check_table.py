"""Print the check of the built tariff regime against the tracker as Markdown (docs/scenarios.md).

    python scripts/regime_check_table.py [--all]

For Japan, China, the EU, Canada, Mexico and Vietnam on every tracker date: the tracker's
effective US tariff (2024 weights), the built regime's trade-weighted US tariff on the 2022
flows, and the difference; ``--all`` lists every partner and date whose difference exceeds
the tolerance (tradesim.scenario.regime.CHECK_TOLERANCE).
"""

from __future__ import annotations

import argparse

from tradesim.scenario.regime import CHECK_TOLERANCE, CHECKED, check_against_tracker


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="list every partner and date above the tolerance")
    args = parser.parse_args(argv)
    table = check_against_tracker()
    six = table[table["partner"].isin(CHECKED)]
    wide = six.pivot(index="date", columns="partner", values=["tracker_pct", "regime_pct"])
    print("| date | " + " | ".join(f"{p} tracker / regime" for p in CHECKED) + " |")
    print("|---|" + "---|" * len(CHECKED))
    for date in wide.index:
        cells = []
        for p in CHECKED:
            t, r = wide.loc[date, ("tracker_pct", p)], wide.loc[date, ("regime_pct", p)]
            mark = " **!**" if abs(r - t) > CHECK_TOLERANCE else ""
            cells.append(f"{t:.1f} / {r:.1f}{mark}")
        print(f"| {date} | " + " | ".join(cells) + " |")
    over = table[table["diff_pts"].abs() > CHECK_TOLERANCE]
    print(f"\n{len(over)} of {len(table)} partner-dates differ by more than {CHECK_TOLERANCE} points "
          f"({len(over[over['partner'].isin(CHECKED)])} of them among the six above).")
    if args.all and len(over):
        print("\n| date | partner | tracker | regime | difference | weights |\n|---|---|---|---|---|---|")
        for r in over.itertuples():
            print(f"| {r.date} | {r.partner} | {r.tracker_pct:.1f} | {r.regime_pct:.1f} | {r.diff_pts:+.1f} | {r.weights} |")


if __name__ == "__main__":
    main()
