"""Results of a counterfactual as labelled arrays and tidy tables.

Values are in the baseline's currency units (``Result.units``), measured in the
numeraire (world value added is held fixed), so "nominal" changes are changes
relative to world income. Percent changes are ``100 * (after / before - 1)``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from tradesim.data.baseline import Baseline
from tradesim.model.counterfactual import Counterfactual
from tradesim.results import welfare as wf
from tradesim.scenario.spec import Scenario

SUMMARY_KEYS = ("welfare_pct", "tot_pct", "vot_pct", "real_wage_pct")


def _pct(after, before):
    after, before = np.asarray(after, float), np.asarray(before, float)
    return np.divide(after - before, before, out=np.full_like(after, np.nan), where=before != 0) * 100.0


@dataclass(frozen=True)
class Result:
    """A solved scenario: ``scenario``, ``baseline``, ``solution`` (the
    :class:`Counterfactual`), ``seconds`` spent solving, and ``notes`` gathered
    while applying the measures (derived product shares, measures without effect)."""

    scenario: Scenario
    baseline: Baseline
    solution: Counterfactual
    seconds: float = float("nan")
    notes: tuple[str, ...] | list[str] = ()

    # -- raw arrays -----------------------------------------------------------
    @property
    def countries(self) -> list[str]:
        return self.baseline.countries

    @property
    def sectors(self) -> list[str]:
        return self.baseline.sectors

    @property
    def units(self) -> str:
        return str(self.baseline.ds["trade"].attrs.get("units", self.baseline.ds.attrs.get("units", "")))

    @cached_property
    def _arrays(self) -> dict[str, np.ndarray]:
        before, v = self.solution.before, self.solution.equilibrium.values
        t0 = np.asarray(before.tariff)
        flows0 = np.asarray(before.trade_share) * np.asarray(before.expenditure)[:, None, :] / (1 + t0)
        flows1 = v["trade_share"] * v["expenditure"][:, None, :] / (1 + v["tariff"])
        income0 = np.asarray(before.value_added) + (t0 * flows0).sum(axis=(1, 2)) + np.asarray(before.deficit)
        return dict(flows0=flows0, flows1=flows1, tariff0=t0, income0=income0,
                    output0=flows0.sum(axis=0), output1=flows1.sum(axis=0),
                    revenue0=(t0 * flows0).sum(axis=(1, 2)), value_added0=np.asarray(before.value_added))

    @cached_property
    def _component_arrays(self) -> dict[str, np.ndarray]:
        a, v = self._arrays, self.solution.equilibrium.values
        return {
            "tot": wf.terms_of_trade(a["flows0"], v["cost_hat"], a["income0"]),
            "vot": wf.volume_of_trade(a["flows0"], a["flows1"], a["tariff0"], v["cost_hat"], a["income0"]),
            "tech": wf.technical_efficiency(a["flows0"], a["tariff0"], self.solution.iceberg_hat,
                                            np.asarray(self.solution.before.trade_elasticity), a["income0"]),
        }

    @cached_property
    def components(self) -> xr.Dataset:
        """Welfare components in percent of income, dims (country, partner, sector)."""
        dims = ("country", "partner", "sector")
        coords = {"country": self.countries, "partner": self.countries, "sector": self.sectors}
        return xr.Dataset({k: (dims, v) for k, v in self._component_arrays.items()}, coords=coords,
                          attrs={"units": "percent of baseline income"})

    # -- tables -----------------------------------------------------------------
    def welfare(self) -> pd.DataFrame:
        """Per country: welfare (CP decomposition) and its parts, real wage,
        exact real income, price index and nominal wage changes, in percent."""
        v, a = self.solution.equilibrium.values, self._arrays
        p_hat = v["price_index_hat"]
        # summed as xarray would (NaN-skipping), without building the labelled components
        tot, vot, tech = (np.nansum(self._component_arrays[k], axis=(1, 2)) for k in ("tot", "vot", "tech"))
        return pd.DataFrame(
            {
                "welfare_pct": tot + vot + tech,
                "tot_pct": tot,
                "vot_pct": vot,
                "tech_pct": tech,
                "real_wage_pct": (v["wage_hat"] / p_hat - 1) * 100,
                "real_income_pct": (v["income"] / a["income0"] / p_hat - 1) * 100,
                "price_index_pct": (p_hat - 1) * 100,
                "wage_pct": (v["wage_hat"] - 1) * 100,
            },
            index=pd.Index(self.countries, name="country"),
        )

    def welfare_by(self, by: str = "partner") -> pd.DataFrame:
        """ToT and VoT contributions summed by ``"partner"`` or ``"sector"`` (tidy)."""
        if by not in ("partner", "sector"):
            raise ValueError("by must be 'partner' or 'sector'")
        other = "sector" if by == "partner" else "partner"
        ds = self.components.sum(other)
        return ds.to_dataframe().reset_index().rename(columns={"tot": "tot_pct", "vot": "vot_pct", "tech": "tech_pct"})

    def trade(self) -> pd.DataFrame:
        """Bilateral sectoral flows before/after (tidy), importer-exporter-sector."""
        a = self._arrays
        idx = pd.MultiIndex.from_product([self.countries, self.countries, self.sectors],
                                         names=["importer", "exporter", "sector"])
        df = pd.DataFrame({"before": a["flows0"].ravel(), "after": a["flows1"].ravel()}, index=idx)
        df["change_pct"] = _pct(df["after"].values, df["before"].values)
        return df.reset_index()

    def bilateral_trade(self) -> pd.DataFrame:
        """Flows summed over sectors, foreign partners only."""
        a = self._arrays
        f0, f1 = a["flows0"].sum(axis=2), a["flows1"].sum(axis=2)
        idx = pd.MultiIndex.from_product([self.countries, self.countries], names=["importer", "exporter"])
        df = pd.DataFrame({"before": f0.ravel(), "after": f1.ravel()}, index=idx).reset_index()
        df = df[df["importer"] != df["exporter"]].reset_index(drop=True)
        df["change_pct"] = _pct(df["after"].values, df["before"].values)
        return df

    def output(self) -> pd.DataFrame:
        """Gross output by country and sector, before/after (value in the numeraire)."""
        a, v = self._arrays, self.solution.equilibrium.values
        idx = pd.MultiIndex.from_product([self.countries, self.sectors], names=["country", "sector"])
        df = pd.DataFrame({"before": a["output0"].ravel(), "after": a["output1"].ravel(),
                           "cost_change_pct": (v["cost_hat"].ravel() - 1) * 100,
                           "price_change_pct": (v["price_hat"].ravel() - 1) * 100}, index=idx)
        df.insert(2, "change_pct", _pct(df["after"].values, df["before"].values))
        return df.reset_index()

    def tariff_revenue(self) -> pd.DataFrame:
        """Tariff revenue per importer, before/after, and as a share of income."""
        a, v = self._arrays, self.solution.equilibrium.values
        df = pd.DataFrame({"before": a["revenue0"], "after": v["tariff_revenue"],
                           "after_share_of_income_pct": v["tariff_revenue"] / v["income"] * 100},
                          index=pd.Index(self.countries, name="country"))
        df.insert(2, "change", df["after"] - df["before"])
        return df.reset_index()

    def diagnostics(self) -> dict:
        """Solver record: iterations, the residual of each condition, time."""
        eq = self.solution.equilibrium
        out = {"converged": eq.converged, "iterations": eq.iterations, "residuals": eq.residuals,
               "seconds": self.seconds, "closure": self.solution.closure, "notes": list(self.notes)}
        if self.solution.deficit_step is not None:
            step = self.solution.deficit_step
            out["zero_deficit_step"] = {"iterations": step.iterations, "residuals": step.residuals}
        return out

    def summary(self) -> dict:
        """JSON-ready headline numbers: per ISO3 country the keys of
        ``SUMMARY_KEYS`` plus real income, and the solver diagnostics."""
        w = self.welfare()
        keys = list(SUMMARY_KEYS) + ["real_income_pct", "tech_pct"]
        return {
            "scenario": self.scenario.name,
            "baseline": self.baseline.name,
            "baseline_version": self.baseline.version,
            "closure": self.solution.closure,
            "elasticity_set": self.baseline.ds.attrs.get("elasticity_set"),
            "countries": {c: {k: float(w.loc[c, k]) for k in keys} for c in w.index},
            "diagnostics": self.diagnostics(),
        }

    def to_xarray(self) -> xr.Dataset:
        """Every result as one labelled dataset."""
        v, a = self.solution.equilibrium.values, self._arrays
        bil = ("importer", "exporter", "sector")
        cs = ("country", "sector")
        ds = xr.Dataset(
            {
                "trade_before": (bil, a["flows0"]), "trade_after": (bil, a["flows1"]),
                "tariff_before": (bil, a["tariff0"]), "tariff_after": (bil, v["tariff"]),
                "cost_hat": (cs, v["cost_hat"]), "price_hat": (cs, v["price_hat"]),
                "output_before": (cs, a["output0"]), "output_after": (cs, a["output1"]),
                "wage_hat": (("country",), v["wage_hat"]),
                "price_index_hat": (("country",), v["price_index_hat"]),
                "income_before": (("country",), a["income0"]), "income_after": (("country",), v["income"]),
            },
            coords={"importer": self.countries, "exporter": self.countries, "country": self.countries,
                    "sector": self.sectors},
            attrs={"units": self.units, "scenario": self.scenario.name, "baseline": self.baseline.name},
        )
        return ds.merge(self.components.rename({k: f"{k}_pct" for k in ("tot", "vot", "tech")}))

    def save(self, folder: str | Path) -> Path:
        """Write tables as Parquet, ``summary.json`` and the scenario text to ``folder``.

        Files are written to a temporary name and moved into place, so an
        interrupted save never leaves a half-written table over a good one.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tables = {"welfare": self.welfare().reset_index(), "trade": self.trade(),
                  "bilateral_trade": self.bilateral_trade(), "output": self.output(),
                  "tariff_revenue": self.tariff_revenue(),
                  "welfare_by_partner": self.welfare_by("partner"),
                  "welfare_by_sector": self.welfare_by("sector")}
        for name, df in tables.items():
            tmp = folder / f".{name}.parquet.tmp"
            df.to_parquet(tmp, index=False)
            tmp.replace(folder / f"{name}.parquet")
        tmp = folder / ".summary.json.tmp"
        tmp.write_text(json.dumps(self.summary(), indent=2, default=float))
        tmp.replace(folder / "summary.json")
        if self.scenario.text:
            (folder / "scenario.toml").write_text(self.scenario.text)
        return folder

    def decomposition(self, by: str | None = None, nodes: int = 12):
        """Terms of trade, volume of trade, technical efficiency (and the closure's deficit
        part) integrated along the path of the shock, so that they add up to the exact
        welfare change; ``by=None`` per country, ``"partner"`` or ``"sector"`` tidy.
        See :func:`tradesim.results.decomposition.decomposition` (percent, additive)."""
        from tradesim.results.decomposition import decomposition

        return decomposition(self, by=by, nodes=nodes)
