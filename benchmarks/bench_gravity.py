"""Benchmark: gegravity 0.3 vs tradesim on the Canada-Japan experiment, and a 120-country world.

    .venv/bin/python benchmarks/bench_gravity.py            # needs ../shared/data and gegravity==0.3

The GE step is gegravity's ``OneSectorGE.simulate()`` (conditional MRs, full GE,
result tables) against tradesim's ``simulate()`` (Newton solve, checks, values);
tradesim is timed cold (first call, JIT compilation included) and warm (median of
repeats, compiled).
"""

from __future__ import annotations

import statistics
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gegravity" / "sample_data_set.dlm"
COEFS = {"lndist": -0.3898623, "contiguity": 0.891577, "common_language": 0.0326249, "pta": 0.4711383,
         "international": -3.412584, "constant": 16.32434}


def _timed(fn, repeat=1):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return out, times


def run_gegravity():
    import gegravity as ge

    d = pd.read_csv(DATA)
    d["constant"] = 1
    b = ge.BaselineData(d, imp_var_name="importer", exp_var_name="exporter", year_var_name="year",
                        trade_var_name="trade", expend_var_name="E", output_var_name="Y")
    est = pd.DataFrame([(k, v) for k, v in COEFS.items()], columns=["var", "beta"])
    m = ge.OneSectorGE(baseline=b, cost_coeff_values=ge.CostCoeffs(est, identifier_col="var", coeff_col="beta"),
                       cost_variables=list(COEFS), year="2006", reference_importer="DEU", sigma=5, quiet=True)
    _, tb = _timed(m.build_baseline)
    x = m.baseline_data.copy()
    x.loc[(x.importer == "CAN") & (x.exporter == "JPN"), "pta"] = 1
    x.loc[(x.importer == "JPN") & (x.exporter == "CAN"), "pta"] = 1
    m.define_experiment(x)
    _, ts = _timed(m.simulate)
    return m, tb[0], ts[0]


def run_tradesim(compat):
    from tradesim.gravity import CostChange, Experiment, GravityData
    from tradesim.model.gravity.ge import build_baseline, simulate

    data = GravityData.read(DATA)
    exp = Experiment("CAN-JPN", (CostChange("pta", 1.0, ("CAN",), ("JPN",)),))
    base, tb = _timed(lambda: build_baseline(data, COEFS, sigma=5, reference="DEU"))
    res, cold = _timed(lambda: simulate(base, exp, compat=compat))
    _, warm = _timed(lambda: simulate(base, exp, compat=compat), repeat=20)
    return res, tb[0], cold[0], statistics.median(warm)


def synthetic(n=120, seed=0):
    from tradesim.gravity import CostChange, Experiment, GravityData
    from tradesim.model.gravity.ge import build_baseline, simulate

    rng = np.random.default_rng(seed)
    c = [f"C{k:03d}" for k in range(n)]
    xy = rng.uniform(0, 10, (n, 2))
    dist = np.log1p(np.linalg.norm(xy[:, None] - xy[None], axis=2))
    size = rng.lognormal(0, 1, n)
    imp, exp = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    intl = (imp != exp).astype(float)
    pta = (rng.uniform(size=(n, n)) < 0.2) * intl
    f = pd.DataFrame({"exporter": np.array(c)[exp.ravel()], "importer": np.array(c)[imp.ravel()], "year": 2020,
                      "lndist": dist.ravel(), "international": intl.ravel(), "pta": pta.ravel(),
                      "Y": size[exp.ravel()] * 1e3, "E": size[imp.ravel()] * 1e3, "trade": 1.0})
    data = GravityData(f)
    coefs = {"lndist": -0.8, "international": -2.0, "pta": 0.4}
    x = Experiment("bloc", (CostChange("pta", 1.0, tuple(c[:10]), tuple(c[:10])),))
    base, tb = _timed(lambda: build_baseline(data, coefs, sigma=5, reference=c[0]))
    res, cold = _timed(lambda: simulate(base, x))
    _, warm = _timed(lambda: simulate(base, x), repeat=20)
    return res, tb[0], cold[0], statistics.median(warm)


def main() -> None:
    warnings.simplefilter("ignore")
    res_c, tb_c, cold_c, warm_c = run_tradesim("gegravity")
    res_k, _, cold_k, warm_k = run_tradesim("consistent")
    print(f"tradesim baseline (cold, incl. JIT): {tb_c:.3f} s")
    print(f"tradesim GE step, compat='gegravity':  cold {cold_c:.3f} s, warm {warm_c * 1e3:.2f} ms")
    print(f"tradesim GE step, consistent:          cold {cold_k:.3f} s, warm {warm_k * 1e3:.2f} ms")
    try:
        m, tb_g, ts_g = run_gegravity()
    except ImportError:
        print("gegravity not installed (pip install gegravity==0.3): no comparison")
    else:
        gdp = m.country_results["GDP change (percent)"]
        diff = np.max(np.abs(gdp.to_numpy() - res_c.table().loc[gdp.index, "gdp_pct"].to_numpy()))
        print(f"gegravity 0.3: baseline {tb_g:.3f} s, GE step (simulate) {ts_g:.3f} s")
        print(f"GE-step speed-up, warm: {ts_g / warm_c:.0f}x (compat), {ts_g / warm_k:.0f}x (consistent); "
              f"cold: {ts_g / cold_c:.1f}x / {ts_g / cold_k:.1f}x")
        print(f"largest |GDP % difference| tradesim compat vs gegravity: {diff:.2e}")
    res, tb, cold, warm = synthetic()
    print(f"synthetic 120 countries: baseline {tb:.3f} s (cold), counterfactual cold {cold:.3f} s, "
          f"warm {warm * 1e3:.1f} ms, {res.iterations} Newton iterations, residual {res.max_residual:.1e}")


if __name__ == "__main__":
    main()
