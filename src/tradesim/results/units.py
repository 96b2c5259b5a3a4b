"""Currency units, sector labels and number formats shared by every table a user reads.

Baselines state their currency in ``attrs["units"]`` (``"USD million"`` for the
2022 world, ``"USD"`` for Caliendo-Parro's 1993 NAFTA world). Results that a
briefing quotes in money are converted to US dollars with :func:`usd_per_unit`
and printed with :func:`fmt_usd` ("USD 23.4 bn"); percentages with
:func:`fmt_pct`, which keeps two significant figures for small changes instead
of printing a column of ``+0.00``.

>>> usd_per_unit("USD million")
1000000.0
>>> fmt_usd(-2.34e10), fmt_pct(0.0123), fmt_pct(-1.234)
('-USD 23.4 bn', '+0.012%', '-1.23%')
"""

from __future__ import annotations

import math

from tradesim.errors import DataError

#: changes smaller than this (percent) are numerical noise of a converged solve: printed as zero.
NOISE_PCT = 1e-9

_SCALES = {"": 1.0, "thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6, "mn": 1e6,
           "billion": 1e9, "billions": 1e9, "bn": 1e9}


def usd_per_unit(units: str) -> float:
    """US dollars per unit of a baseline's currency (``"USD"``, ``"USD thousand"``,
    ``"USD million"``, ``"USD billion"``); any other currency is a :class:`DataError`."""
    words = str(units).strip().split()
    if not words or words[0].upper() != "USD" or " ".join(words[1:]).lower() not in _SCALES:
        raise DataError(f"baseline units {units!r}: cannot convert to US dollars "
                        "(expected 'USD', 'USD thousand', 'USD million' or 'USD billion')")
    return _SCALES[" ".join(words[1:]).lower()]


def sector_labels(baseline) -> dict[str, str]:
    """``{code: "name (code)"}`` for a baseline's sectors (names from its ``sector_name``
    coordinate, e.g. ``"Motor vehicles (C29)"``); sectors whose code is already a
    name (Caliendo-Parro's ``"Auto"``) keep it as it is."""
    codes = [str(s) for s in baseline.ds["sector"].values]
    if "sector_name" not in baseline.ds.coords:
        return {c: c for c in codes}
    names = [str(n) for n in baseline.ds["sector_name"].values]
    return {c: c if n == c or not n else f"{n} ({c})" for c, n in zip(codes, names)}


def pct_decimals(values, sig: int = 3, least: int = 2, most: int = 6) -> int:
    """Decimals for a column of percentages: fixed for the whole column, enough that its
    largest entry shows ``sig`` significant figures (a seafood ban's 0.0040% is not 0.00%)."""
    finite = [abs(float(v)) for v in values if v is not None and math.isfinite(float(v)) and abs(v) > NOISE_PCT]
    if not finite:
        return least
    return int(min(most, max(least, sig - 1 - math.floor(math.log10(max(finite))))))


def fmt_pct(x: float, decimals: int | None = None, sign: bool = True, unit: str = "%") -> str:
    """A percent change with a sign: ``decimals`` fixed, or by default two decimals, or
    two significant figures where that would print zero (``+0.0012%``); ``n/a`` for NaN."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if abs(x) < NOISE_PCT:
        x = 0.0
    if decimals is None:
        decimals = 2 if x == 0 or abs(x) >= 1 else min(12, max(2, 1 - math.floor(math.log10(abs(x)))))
    return f"{x:{'+' if sign else ''}.{decimals}f}{unit}"


def fmt_usd(x: float) -> str:
    """US dollars with a unit word: ``USD 1.23 tn``, ``USD 23.4 bn``, ``-USD 512 mn``,
    ``USD 12.3 k``; three significant figures."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if abs(x) < 0.5:
        return "USD 0"
    sign, a = ("-" if x < 0 else ""), abs(x)
    for scale, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "mn"), (1e3, "k")):
        if a >= scale:
            v = a / scale
            break
    else:
        scale, word, v = 1.0, "", a
    text = f"{v:.3g}" if v < 100 else f"{v:.0f}"
    return f"{sign}USD {text} {word}".rstrip()
