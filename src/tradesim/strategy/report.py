"""Tables and saved results for the Ossa tariff games.

``summary_table`` gives, per region, the median tariff over industries and the
government-welfare and welfare changes (percent, against the factual). Results are
saved like :mod:`tradesim.results.result`: tariff matrices and welfare as Parquet,
headline numbers in ``summary.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from tradesim.model.ossa import OssaModel


def mfn_matrix(m: OssaModel, tariff) -> pd.DataFrame:
    """(sector x region) simple mean over partners of each importer's tariff."""
    t = np.asarray(tariff)
    n = m.n
    mean = np.stack([np.delete(t[j], j, axis=0).mean(axis=0) for j in range(n)], axis=1)
    return pd.DataFrame(mean, index=pd.Index(m.sectors, name="sector"), columns=pd.Index(m.regions, name="region"))


def summary_table(m: OssaModel, tariff, gov_hat, welfare_hat) -> pd.DataFrame:
    """Per region: median tariff (%), government welfare and welfare change (%)."""
    med = mfn_matrix(m, tariff).median(axis=0) * 100
    return pd.DataFrame({"median_tariff_pct": med.values,
                         "gov_welfare_pct": (np.asarray(gov_hat) - 1) * 100,
                         "welfare_pct": (np.asarray(welfare_hat) - 1) * 100},
                        index=pd.Index(m.regions, name="region"))


def tariff_long(m: OssaModel, tariff, name: str) -> pd.DataFrame:
    t = np.asarray(tariff)
    idx = pd.MultiIndex.from_product([m.regions, m.regions, m.sectors], names=["importer", "exporter", "sector"])
    return pd.DataFrame({name: t.ravel()}, index=idx).reset_index()


def save(out: Path, m: OssaModel, cases: dict[str, dict]) -> Path:
    """Write ``tariffs.parquet`` (long: importer, exporter, sector, one column per case),
    ``welfare.parquet`` (region x case) and ``summary.json``. ``cases`` maps a case
    name to ``{"tariff", "gov_hat", "welfare_hat", ...}``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tar = None
    rows, summary = [], {}
    for name, c in cases.items():
        df = tariff_long(m, c["tariff"], name)
        tar = df if tar is None else tar.merge(df, on=["importer", "exporter", "sector"])
        tab = summary_table(m, c["tariff"], c["gov_hat"], c["welfare_hat"])
        rows.append(tab.assign(case=name).reset_index())
        summary[name] = {"mean_of_median_tariff_pct": float(tab.median_tariff_pct.mean()),
                         "mean_gov_welfare_pct": float(tab.gov_welfare_pct.mean()),
                         "mean_welfare_pct": float(tab.welfare_pct.mean()),
                         **{k: v for k, v in c.items() if isinstance(v, (int, float, str))}}
    tar.to_parquet(out / "tariffs.parquet", index=False)
    pd.concat(rows).to_parquet(out / "welfare.parquet", index=False)
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    return out
