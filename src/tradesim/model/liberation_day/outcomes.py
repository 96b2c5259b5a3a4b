"""The paper's outcome columns per economy and its aggregates (``Balanced_Trade_EQ``'s
``results`` and ``print_tables_baseline.m``).

Columns, all in percent:

* ``welfare_pct`` = 100 (W^ - 1);
* ``deficit_change_pct`` = 100 (D' - D)/|D|, D = imports - exports (flows net of tariffs);
* ``exports_to_gdp_change_pct``, ``imports_to_gdp_change_pct``: change of (foreign sales or
  purchases, net of tariffs) / Y (Y' in the counterfactual);
* ``employment_change_pct`` = 100 (L^ - 1); ``price_change_pct`` = 100 (P^ - 1);
* ``revenue_pct`` = 100 R_i / E_i (factual E; Table 3 reports the US value as "% of GDP",
  and divides it by 0.23 for "% of Federal Budget").

Aggregates are weighted by baseline expenditure E_i: ``non-US`` (every economy but the
US) and ``EU``, the code's ``id_EU``: **25 members, the EU-27 without Czechia and
Slovakia** (reproduced as coded).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tradesim.model.liberation_day.inputs import LDInputs
from tradesim.model.liberation_day.solve import LDSolution

COLUMNS = ("welfare_pct", "deficit_change_pct", "exports_to_gdp_change_pct", "imports_to_gdp_change_pct",
           "employment_change_pct", "price_change_pct")
EU27 = ("AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA",
        "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE")
EU_AUTHORS = tuple(c for c in EU27 if c not in ("CZE", "SVK"))  # the code's id_EU (25 members)


def trade_balance_change(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """100 (D' - D)/|D| with D_i = sum_j X_ij - sum_k X_ki (imports minus exports)."""
    d0 = old.sum(axis=1) - old.sum(axis=0)
    d1 = new.sum(axis=1) - new.sum(axis=0)
    return 100 * (d1 - d0) / np.abs(d0)


def foreign(x: np.ndarray) -> np.ndarray:
    return x * (1 - np.eye(x.shape[0]))


def country_table(inputs: LDInputs, sol: LDSolution) -> pd.DataFrame:
    """One row per economy (ISO3 index), the columns above and ``revenue_pct``."""
    v = sol.values
    x0, x1 = inputs.flows, v["flows"]
    y0, y1 = inputs.income, v["income"]
    exports = 100 * ((foreign(x1).sum(axis=0) / y1) / (foreign(x0).sum(axis=0) / y0) - 1)
    imports = 100 * ((foreign(x1).sum(axis=1) / y1) / (foreign(x0).sum(axis=1) / y0) - 1)
    return pd.DataFrame({
        "welfare_pct": sol.welfare_pct,
        "deficit_change_pct": trade_balance_change(x0, x1),
        "exports_to_gdp_change_pct": exports,
        "imports_to_gdp_change_pct": imports,
        "employment_change_pct": 100 * (v["l_hat"] - 1),
        "price_change_pct": 100 * (v["p_hat"] - 1),
        "revenue_pct": 100 * v["revenue"] / inputs.expenditure,
    }, index=pd.Index(inputs.countries, name="country"))


def weighted_mean(table: pd.DataFrame, weights: np.ndarray, members) -> pd.Series:
    """Expenditure-weighted mean of every column over ``members``."""
    w = pd.Series(weights, index=table.index).loc[list(members)]
    return table.loc[list(members)].mul(w, axis=0).sum() / w.sum()


def aggregates(inputs: LDInputs, table: pd.DataFrame) -> pd.DataFrame:
    """The paper's ``non-US`` and ``EU`` (25 members) rows."""
    non_us = [c for c in inputs.countries if c != inputs.countries[inputs.us]]
    eu = [c for c in EU_AUTHORS if c in table.index]
    return pd.DataFrame({"non-US": weighted_mean(table, inputs.expenditure, non_us),
                         "EU": weighted_mean(table, inputs.expenditure, eu)}).T


def with_aggregates(inputs: LDInputs, sol: LDSolution) -> pd.DataFrame:
    """Every economy, then ``non-US`` and ``EU``."""
    t = country_table(inputs, sol)
    return pd.concat([t, aggregates(inputs, t)])
