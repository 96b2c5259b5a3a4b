"""Ossa (2014) on the shipped data: all seven optimal MFN tariff vectors, the Nash
equilibrium (trade war) and efficient trade talks, timed; prints the paper's
headline numbers next to ours and saves everything under results/ossa2014/.

    .venv/bin/python benchmarks/bench_strategy.py [--skip-talks]

Targets (issue 6): optimal ~62%, Nash ~63%, trade war -2.9% government welfare,
talks +0.5%; whole Nash equilibrium < 10 min on 2 cores.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from tradesim.model.ossa import OssaModel, load_ossa2014
from tradesim.strategy.report import save, summary_table
from tradesim.strategy.tariffs import nash_tariffs, optimal_tariffs, trade_talks

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-talks", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "ossa2014")
    args = ap.parse_args()
    ds = load_ossa2014()
    t0 = time.perf_counter()
    m = OssaModel.from_dataset(ds).purged()
    print(f"purge deficits: {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    brs = optimal_tariffs(m)
    t_opt = time.perf_counter() - t0
    opt = np.stack([np.delete(b.tariff[k], k, axis=0)[0] for k, b in enumerate(brs)], axis=1)
    ref = ds["ref_optimal_mfn_tariff"].values
    print(f"7 optimal tariff vectors: {t_opt:.1f} s; max |ours - Ossa's MFNOPTIMALTARIFFPOL| = "
          f"{np.abs(opt - ref).max():.4f}; mean of regional medians {np.median(opt, 0).mean() * 100:.2f}% "
          f"(Ossa's stored: {np.median(ref, 0).mean() * 100:.2f}%; paper: 62%)")
    for k, b in enumerate(brs):
        print(f"  {b.region}: median {np.median(opt[:, k]) * 100:6.1f}%  G_hat {(b.gov_hat - 1) * 100:+.2f}%  "
              f"({b.iterations} L-BFGS-B iterations)")

    t0 = time.perf_counter()
    nash = nash_tariffs(m, progress=lambda k, j: print(f"  round {k} region {m.regions[j]} "
                                                         f"{time.perf_counter() - t0:.0f} s", flush=True))
    t_nash = time.perf_counter() - t0
    tab = summary_table(m, nash.tariff, nash.gov_hat, nash.welfare_hat)
    print(f"Nash: {t_nash:.1f} s, {nash.rounds} rounds, last change {nash.max_change:.1e}")
    print(tab.round(2).to_string())
    print(f"Nash mean of medians {tab.median_tariff_pct.mean():.2f}% (paper 63%); mean government welfare "
          f"{tab.gov_welfare_pct.mean():+.2f}% (paper -2.9%); mean welfare {tab.welfare_pct.mean():+.2f}%")
    cases = {"nash": {"tariff": nash.tariff, "gov_hat": nash.gov_hat, "welfare_hat": nash.welfare_hat,
                      "seconds": t_nash, "rounds": nash.rounds}}
    for k, b in enumerate(brs):
        s = m.solve(b.tariff)
        cases[f"optimal_{b.region}"] = {"tariff": b.tariff, "gov_hat": s.gov_hat, "welfare_hat": s.welfare_hat}
    if not args.skip_talks:
        for lower, name in ((-0.5, "talks"), (0.0, "talks_nonnegative")):
            t0 = time.perf_counter()
            talks = trade_talks(m, lower=lower)
            t_talks = time.perf_counter() - t0
            tab = summary_table(m, talks.tariff, talks.gov_hat, talks.welfare_hat)
            print(f"Talks from factual, tariffs >= {lower:.0%}: {t_talks:.1f} s, {talks.iterations} SLSQP iterations, "
                  f"common gain {talks.common_gain * 100:+.3f}% (paper +0.5%); lowest tariff {talks.tariff.min():.3f}")
            print(tab.round(2).to_string())
            cases[name] = {"tariff": talks.tariff, "gov_hat": talks.gov_hat, "welfare_hat": talks.welfare_hat,
                           "seconds": t_talks, "common_gain_pct": talks.common_gain * 100}
    print(f"saved to {save(args.out, m, cases)}")


if __name__ == "__main__":
    main()
