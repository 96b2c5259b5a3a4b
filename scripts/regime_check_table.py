"""Print the check of the built tariff regime against the tracker as Markdown (docs/scenarios.md).

    python scripts/regime_check_table.py [--all] [--library] [--sectors] [--docs]

For Japan, China, the EU, Canada, Mexico and Vietnam on every tracker date: the tracker's
effective US tariff (2024 weights), the built regime's trade-weighted US tariff on the 2022
flows, and the difference; ``--all`` lists every partner and date whose difference exceeds
the tolerance (tradesim.scenario.regime.CHECK_TOLERANCE); ``--library`` sets the library's
hand-written 2025 scenarios beside the regime of the date they describe (trade-weighted US
tariff over the 2024 base on the 2022 flows, and China's on US goods); ``--sectors`` the
regime's sector rates beside the tracker's HS2 snapshot on 7 August 2025; ``--docs`` all three,
as they stand in docs/scenarios.md (a test compares them).
"""

from __future__ import annotations

import argparse

from pathlib import Path

from tradesim.scenario.regime import (CHECK_TOLERANCE, CHECKED, EU27, LIBRARY_DATES, build_regime,
                                      check_against_tracker, check_sectors_against_hs2)

ROOT = Path(__file__).resolve().parents[1]


def library_table() -> None:
    """Library scenario vs regime of its date: trade-weighted additions over the 2024 base."""
    from tradesim.data.registry import load_baseline
    from tradesim.scenario.apply import policy_from_scenario
    from tradesim.scenario.spec import load_scenario

    base = load_baseline("icio2022")
    countries = list(base.countries)
    goods = base.ds["tradable"].values.astype(bool)
    flows = base.ds["trade"].values * goods
    us, cn = countries.index("USA"), countries.index("CHN")
    sq = policy_from_scenario(load_scenario(ROOT / "scenarios" / "status_quo_2018.toml"), base).tariff

    def mean(add, importer, partner):
        idx = [countries.index(c) for c in (EU27 if partner == "EU" else [partner])]
        w = flows[importer][idx]
        return 100 * float((w * add[importer][idx]).sum() / w.sum())

    print("| library scenario (regime date) | " + " | ".join(f"US on {p}" for p in CHECKED) + " | China on US |")
    print("|---|" + "---|" * (len(CHECKED) + 1))
    for name, date in LIBRARY_DATES.items():
        lib = policy_from_scenario(load_scenario(ROOT / "scenarios" / f"{name}.toml"), base).tariff - sq
        reg = build_regime(date).additions()
        cells = [f"{mean(lib, us, p):.1f} / {mean(reg, us, p):.1f}" for p in CHECKED]
        china = f"{mean(lib, cn, 'USA'):.1f} / {mean(reg, cn, 'USA'):.1f}"
        print(f"| {name} ({date}) | " + " | ".join(cells) + f" | {china} |")


def sectors_table() -> None:
    checked = check_sectors_against_hs2("2025-08-07")
    print("| partner | mean abs. difference (points, 2024 weights) | largest sectors: regime / HS2 snapshot |")
    print("|---|---|---|")
    for economy, (mad, table) in checked.items():
        big = table.sort_values("imports_2024_usd", ascending=False).head(4)
        cells = ", ".join(f"{r.sector} {r.regime_pct:.1f} / {r.hs2_pct:.1f}" for r in big.itertuples())
        print(f"| {economy} | {mad:.1f} | {cells} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="list every partner and date above the tolerance")
    parser.add_argument("--library", action="store_true", help="only the library scenarios against the regime")
    parser.add_argument("--sectors", action="store_true", help="only the sector check against the HS2 snapshot")
    parser.add_argument("--docs", action="store_true", help="the three tables of docs/scenarios.md")
    args = parser.parse_args(argv)
    if args.docs:
        main(["--all"])
        print()
        sectors_table()
        print()
        return library_table()
    if args.library:
        return library_table()
    if args.sectors:
        return sectors_table()
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
            print(f"| {r.date} | {r.partner} | {r.tracker_pct:.1f} | {r.regime_pct:.1f} | {r.diff_pts:+.1f} "
                  f"| {r.weights} |")


if __name__ == "__main__":
    main()
