"""A bilateral trade panel for structural gravity, checked before any estimation.

:class:`GravityData` holds one tidy table (one row per exporter, importer and
year) and names its columns. :meth:`GravityData.check` raises
:class:`~tradesim.errors.DataError` for the problems that otherwise surface as
NaN estimates, singular systems or a panic in pyfixest's native demeaning code:
missing values, negative flows, duplicate or missing pairs (every year must be
square, domestic flows included), a country with no trade at all, and fixed
effects whose every group is a singleton.

Example
-------
>>> data = GravityData.read("sample_data_set.dlm")            # doctest: +SKIP
>>> data.check(["lndist", "pta"], fixed_effects=("exporter", "importer"))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tradesim.errors import DataError
from tradesim.gravity.literals import FIXED_EFFECTS, FixedEffect, check_fixed_effects

_SHOW = 5  # labels named in an error message before "and N more"


def _listing(labels: Sequence[str]) -> str:
    labels = list(labels)
    head = ", ".join(labels[:_SHOW])
    return head + (f" and {len(labels) - _SHOW} more" if len(labels) > _SHOW else "")


@dataclass(frozen=True)
class GravityData:
    """A bilateral trade panel: one row per (exporter, importer, year).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table. Country codes are strings; flows are non-negative.
    exporter, importer, year, trade : str
        Column names. ``year`` may be ``None`` for a single cross-section.
    output, expenditure : str or None
        Columns with each exporter's output ``Y_i`` and each importer's
        expenditure ``E_j`` (needed by the GE model, not by estimation).
    """

    frame: pd.DataFrame
    exporter: str = "exporter"
    importer: str = "importer"
    year: str | None = "year"
    trade: str = "trade"
    output: str | None = "Y"
    expenditure: str | None = "E"

    @classmethod
    def read(cls, path: str | Path, **columns) -> GravityData:
        """Read a delimited file (``.csv``, ``.dlm``, ``.tsv``; the delimiter is sniffed)
        or a Parquet file."""
        path = Path(path)
        if not path.exists():
            raise DataError(f"gravity data file not found: {path}")
        try:
            if path.suffix == ".parquet":
                frame = pd.read_parquet(path)
            else:
                frame = pd.read_csv(path, sep=None, engine="python")
        except (OSError, ValueError, pd.errors.ParserError) as err:
            raise DataError(f"cannot read gravity data {path}: {err}") from err
        return cls(frame, **columns)

    # -- labels ---------------------------------------------------------------------------

    @property
    def countries(self) -> tuple[str, ...]:
        """Every country that appears as exporter or importer, sorted."""
        f = self.frame
        return tuple(sorted(set(f[self.exporter].astype(str)) | set(f[self.importer].astype(str))))

    @property
    def years(self) -> tuple:
        return (None,) if self.year is None else tuple(sorted(self.frame[self.year].unique()))

    def select_year(self, year=None) -> GravityData:
        """The cross-section of one year (the only year when ``year`` is None)."""
        if self.year is None:
            return self
        years = self.years
        if year is None:
            if len(years) != 1:
                raise DataError(f"the panel has {len(years)} years ({_listing(map(str, years))}); "
                                "name the year to simulate")
            return self
        match = self.frame[self.frame[self.year].astype(str) == str(year)]
        if match.empty:
            raise DataError(f"year {year} is not in the panel (years: {_listing(map(str, years))})")
        return GravityData(match.reset_index(drop=True), self.exporter, self.importer, self.year,
                           self.trade, self.output, self.expenditure)

    # -- checks ---------------------------------------------------------------------------

    def check(self, variables: Iterable[str] = (), fixed_effects: Sequence[FixedEffect] = (),
              *, square: bool = True, need_output: bool = False) -> None:
        """Raise :class:`DataError` if the panel cannot be estimated or simulated.

        Parameters
        ----------
        variables : columns used besides the labels and the flow (cost variables).
        fixed_effects : fixed effects to be estimated (see ``literals.FIXED_EFFECTS``).
        square : require every (exporter, importer) pair, domestic included, in every year.
        need_output : require the output and expenditure columns (the GE model).
        """
        f = self.frame
        labels = [self.exporter, self.importer] + ([self.year] if self.year else [])
        used = labels + [self.trade] + list(variables)
        if need_output:
            used += [c for c in (self.output, self.expenditure) if c is not None]
            if self.output is None or self.expenditure is None:
                raise DataError("the GE model needs output and expenditure columns (output=..., expenditure=...)")
        missing_cols = [c for c in dict.fromkeys(used) if c not in f.columns]
        if missing_cols:
            raise DataError(f"gravity data lacks column(s) {_listing(missing_cols)}; "
                            f"it has {_listing(list(f.columns))}")
        if f.empty:
            raise DataError("gravity data has no rows")
        self._check_values(list(dict.fromkeys(used)))
        self._check_pairs(square)
        self._check_no_trade()
        if fixed_effects:
            self._check_singletons(check_fixed_effects(fixed_effects))

    def _pair_labels(self, rows: pd.DataFrame) -> list[str]:
        year = (lambda r: f" {r[self.year]}") if self.year else (lambda r: "")
        return [f"{r[self.exporter]}->{r[self.importer]}{year(r)}" for _, r in rows.iterrows()]

    def _check_values(self, used: list[str]) -> None:
        f = self.frame
        for col in used:
            bad = f[col].isna()
            if bad.any():
                raise DataError(f"column {col!r} has {int(bad.sum())} missing value(s), e.g. "
                                f"{_listing(self._pair_labels(f[bad]))}")
        numeric = [c for c in used if c not in (self.exporter, self.importer, self.year)]
        for col in numeric:
            if not pd.api.types.is_numeric_dtype(f[col]):
                raise DataError(f"column {col!r} must be numeric, not {f[col].dtype}")
            if not np.isfinite(f[col].to_numpy(dtype=float)).all():
                raise DataError(f"column {col!r} has infinite values")
        neg = f[self.trade] < 0
        if neg.any():
            raise DataError(f"column {self.trade!r} has {int(neg.sum())} negative flow(s): "
                            f"{_listing(self._pair_labels(f[neg]))}")
        for col in (self.output, self.expenditure):
            if col is not None and col in used and (f[col] <= 0).any():
                rows = f[f[col] <= 0]
                raise DataError(f"column {col!r} must be positive; it is not for "
                                f"{_listing(self._pair_labels(rows))}")

    def _check_pairs(self, square: bool) -> None:
        f = self.frame
        keys = [self.exporter, self.importer] + ([self.year] if self.year else [])
        dup = f.duplicated(keys, keep=False)
        if dup.any():
            raise DataError(f"{int(dup.sum())} rows repeat an (exporter, importer{', year' if self.year else ''}) "
                            f"key: {_listing(self._pair_labels(f[dup]))}")
        if not square:
            return
        countries = self.countries
        n = len(countries)
        groups = f.groupby(self.year) if self.year else [(None, f)]
        for year, g in groups:
            if len(g) == n * n:
                continue
            have = set(zip(g[self.exporter].astype(str), g[self.importer].astype(str)))
            absent = [f"{e}->{i}" for e in countries for i in countries if (e, i) not in have]
            when = f" in {year}" if year is not None else ""
            raise DataError(f"the panel is not square{when}: {len(absent)} of {n * n} exporter->importer pairs "
                            f"(domestic flows included) are missing: {_listing(absent)}")

    def _check_no_trade(self) -> None:
        f = self.frame
        groups = f.groupby(self.year) if self.year else [(None, f)]
        for year, g in groups:
            exports = g.groupby(self.exporter)[self.trade].sum()
            imports = g.groupby(self.importer)[self.trade].sum()
            total = exports.add(imports, fill_value=0.0)
            dead = sorted(map(str, total.index[total <= 0]))
            if dead:
                when = f" in {year}" if year is not None else ""
                raise DataError(f"country {_listing(dead)} has no trade at all{when} (every export and import "
                                f"flow, domestic included, is zero); drop it from the panel")

    def fixed_effect_codes(self, fe: FixedEffect) -> pd.Series:
        """The group labels of one fixed effect, as strings (e.g. ``"CAN|2006"``)."""
        f = self.frame
        parts = {"exporter": [self.exporter], "importer": [self.importer],
                 "pair": [self.exporter, self.importer],
                 "exporter-year": [self.exporter, self.year], "importer-year": [self.importer, self.year]}[fe]
        if None in parts:
            raise DataError(f"fixed effect {fe!r} needs a year column; this panel has none")
        codes = f[parts[0]].astype(str)
        for col in parts[1:]:
            codes = codes + "|" + f[col].astype(str)
        return codes

    def _check_singletons(self, fixed_effects: tuple[FixedEffect, ...]) -> None:
        """Fail if iteratively dropping singleton groups (as pyfixest does) leaves nothing."""
        codes = pd.DataFrame({fe: self.fixed_effect_codes(fe) for fe in fixed_effects})
        keep = np.ones(len(codes), dtype=bool)
        while True:
            drop = np.zeros_like(keep)
            for fe in fixed_effects:
                counts = codes.loc[keep, fe].map(codes.loc[keep, fe].value_counts())
                drop[np.flatnonzero(keep)[(counts == 1).to_numpy()]] = True
            if not drop.any():
                break
            keep &= ~drop
            if not keep.any():
                break
        if not keep.any():
            single = [fe for fe in fixed_effects if codes[fe].is_unique]
            why = (f"every group of the {_listing(single)} fixed effect(s) has one observation"
                   if single else "dropping singleton groups one after another removes every observation")
            raise DataError(f"{why}, so no observation is left to estimate "
                            f"{' + '.join(fixed_effects)}; pair fixed effects need a panel of several years")


__all__ = ["GravityData", "FIXED_EFFECTS"]
