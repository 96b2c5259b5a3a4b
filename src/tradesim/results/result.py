"""Results of a counterfactual as labelled arrays and tidy tables.

Values are in the baseline's currency units (``Result.units``), measured in the
numeraire (world value added is held fixed), so "nominal" changes are changes
relative to world income. Percent changes are ``100 * (after / before - 1)``.

The headline welfare figure, ``welfare_pct`` in every table, is the exact change
in real income ``100 * (I'/I / P_hat - 1)`` (Caliendo and Parro 2015's welfare
measure, eq. 20-21: Cobb-Douglas final demand, so real income is welfare), and
``ev_usd`` is the same change in US dollars at the reference world's prices
(the equivalent variation). The paper's one-step decomposition (terms of trade +
volume of trade + technical efficiency evaluated in one discrete step, as in its
Table 2) is first order: it keeps explicit names, ``*_first_order_pct``.
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
from tradesim.errors import OptionError
from tradesim.literals import check_choice
from tradesim.model.counterfactual import Counterfactual
from tradesim.results import welfare as wf
from tradesim.results.columns import SUMMARY_KEYS
from tradesim.results.units import sector_labels, usd_per_unit
from tradesim.scenario.spec import Scenario

#: the one-step (first-order) CP decomposition's columns; ``tot_pct``, ``vot_pct`` and
#: ``tech_pct`` are reserved for the decomposition integrated along the shock's path.
FIRST_ORDER = {"tot": "tot_first_order_pct", "vot": "vot_first_order_pct", "tech": "tech_first_order_pct"}


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

    @property
    def usd_per_unit(self) -> float:
        """US dollars per unit of the baseline's values (1e6 for "USD million")."""
        return usd_per_unit(self.units)

    @cached_property
    def sector_labels(self) -> dict[str, str]:
        """``{code: "name (code)"}`` for the baseline's sectors (see :func:`units.sector_labels`)."""
        return sector_labels(self.baseline)

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

    @property
    def flow_arrays(self) -> dict[str, np.ndarray]:
        """Bilateral sectoral flows at basic prices (before tariffs) in the baseline's units,
        (importer, exporter, sector): ``before``, ``after``; tariffs ``tariff_before``,
        ``tariff_after``; and per country ``income_before``, ``income_after``."""
        a, v = self._arrays, self.solution.equilibrium.values
        return {"before": a["flows0"], "after": a["flows1"], "tariff_before": a["tariff0"],
                "tariff_after": np.asarray(v["tariff"]), "income_before": a["income0"],
                "income_after": np.asarray(v["income"])}

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
        """Per country, the welfare change and what lies behind it.

        Columns: ``welfare_pct``, the exact change in real income
        ``100 * (I'/I / P_hat - 1)`` (the headline); ``ev_usd``, the equivalent
        variation ``I * (I'/I / P_hat - 1)`` in US dollars (baseline income ``I`` at
        the reference world's prices, converted from the baseline's units, e.g. USD
        million x 1e6); ``income_usd``, that baseline income; ``real_wage_pct``,
        ``price_index_pct``, ``wage_pct``; the paper's one-step decomposition
        ``welfare_first_order_pct`` = ``tot_first_order_pct`` + ``vot_first_order_pct``
        + ``tech_first_order_pct`` (first order: it can differ from the exact change
        in size and even sign for large shocks); and ``real_income_pct``, the
        headline's former name, equal to ``welfare_pct``. World sums: :meth:`world`.
        """
        v, a = self.solution.equilibrium.values, self._arrays
        p_hat = v["price_index_hat"]
        # summed as xarray would (NaN-skipping), without building the labelled components
        tot, vot, tech = (np.nansum(self._component_arrays[k], axis=(1, 2)) for k in ("tot", "vot", "tech"))
        exact = wf.real_income_change(v["income"], a["income0"], p_hat)
        income_usd = a["income0"] * self.usd_per_unit
        return pd.DataFrame(
            {
                "welfare_pct": exact * 100,
                "ev_usd": wf.equivalent_variation(v["income"], a["income0"], p_hat) * self.usd_per_unit,
                "income_usd": income_usd,
                "real_wage_pct": (v["wage_hat"] / p_hat - 1) * 100,
                "price_index_pct": (p_hat - 1) * 100,
                "wage_pct": (v["wage_hat"] - 1) * 100,
                "welfare_first_order_pct": tot + vot + tech,
                "tot_first_order_pct": tot,
                "vot_first_order_pct": vot,
                "tech_first_order_pct": tech,
                "real_income_pct": exact * 100,
            },
            index=pd.Index(self.countries, name="country"),
        )

    def welfare_pct(self) -> pd.Series:
        """Per country, the exact real-income change in percent (the headline; the family-result
        protocol, :class:`tradesim.model.family.FamilyResult`)."""
        return self.welfare()["welfare_pct"]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every result table by name, tidy, as :meth:`save` writes them."""
        return {"welfare": self.welfare().reset_index(), "trade": self.trade(),
                "bilateral_trade": self.bilateral_trade(), "output": self.output(),
                "tariff_revenue": self.tariff_revenue(),
                "welfare_by_partner": self.welfare_by("partner"),
                "welfare_by_sector": self.welfare_by("sector")}

    def world(self) -> pd.Series:
        """The world's welfare change: ``ev_usd`` (the sum of countries' equivalent
        variations, USD), ``income_usd`` (world baseline income) and ``welfare_pct``
        = 100 * ev_usd / income_usd, the change in world real income at the
        reference world's prices."""
        w = self.welfare()
        ev, income = float(w["ev_usd"].sum()), float(w["income_usd"].sum())
        return pd.Series({"ev_usd": ev, "income_usd": income, "welfare_pct": 100 * ev / income}, name="world")

    def welfare_by(self, by: str = "partner") -> pd.DataFrame:
        """The one-step (first-order) CP decomposition by ``"partner"`` or ``"sector"``
        (tidy): columns ``tot_first_order_pct``, ``vot_first_order_pct``, ``tech_first_order_pct``."""
        check_choice("by", by, ("partner", "sector"), OptionError)
        other = "sector" if by == "partner" else "partner"
        ds = self.components.sum(other)
        return ds.to_dataframe().reset_index().rename(columns=FIRST_ORDER)

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

    def diversion(self, top: int | None = 5) -> pd.DataFrame:
        """Trade diversion per bilateral measure: the importer's purchases in the touched
        sectors by source (own production, targeted exporters, third countries), USD;
        ``top`` named third countries (``None``: every source). See :mod:`tradesim.results.diversion`."""
        from tradesim.results import diversion as dv

        table = dv.diversion(self)
        return table if top is None else dv.diversion_summary(table, top)

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
        """JSON-ready headline numbers: per ISO3 country the keys of ``SUMMARY_KEYS``
        (``welfare_pct`` the exact real-income change, ``ev_usd`` in US dollars), the
        world's sums (:meth:`world`), and the solver diagnostics."""
        w = self.welfare()
        keys = list(SUMMARY_KEYS)
        return {
            "scenario": self.scenario.name,
            "baseline": self.baseline.name,
            "baseline_version": self.baseline.version,
            "closure": self.solution.closure,
            "elasticity_set": self.baseline.ds.attrs.get("elasticity_set"),
            "units": "welfare_pct: exact real-income change, %; ev_usd: equivalent variation, US dollars",
            "countries": {c: {k: float(w.loc[c, k]) for k in keys} for c in w.index},
            "world": {k: float(v) for k, v in self.world().items()},
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
        return ds.merge(self.components.rename(FIRST_ORDER))

    def save(self, folder: str | Path) -> Path:
        """Write tables as Parquet, ``summary.json`` and the scenario text to ``folder``.

        Files are written to a temporary name and moved into place, so an
        interrupted save never leaves a half-written table over a good one.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name, df in self.tables().items():
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
