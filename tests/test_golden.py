"""Golden outputs (issue 15): every library scenario's welfare, sector-output and bilateral
tables, Ossa (2014)'s headline figures and the gravity example, as computed before the model
refactor (``scripts/make_golden.py``, tests/golden/golden.npz written at commit time of the
file), recomputed now and compared to 1e-12 (relative, with 1e-12 absolute for values near
zero). Regenerate only for a deliberate change of numbers, and say so in the commit."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
spec = importlib.util.spec_from_file_location("make_golden", ROOT / "scripts" / "make_golden.py")
make_golden = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_golden)

GOLDEN = np.load(ROOT / "tests" / "golden" / "golden.npz")
CASES = dict(make_golden.cases())


@pytest.mark.parametrize("case", list(CASES))
def test_unchanged(case):
    if case == "gravity_can_jpn" and not (SHARED / "gegravity").exists():
        pytest.skip("needs ../shared/data/gegravity")
    if case == "gravity_can_jpn":  # PPML repeats to ~1e-7 only: GE on the golden coefficients
        names = GOLDEN[f"{case}|coefficients|variable"]
        coefs = pd.Series(GOLDEN[f"{case}|coefficients|coef"], index=names)
        tables = make_golden.gravity_tables(coefs)
        again = tables["coefficients"]["coef"].reindex(names).to_numpy()
        np.testing.assert_allclose(again, coefs.to_numpy(), rtol=1e-6)
        tables["coefficients"] = pd.DataFrame({"coef": coefs.rename_axis("variable")})
    else:
        tables = CASES[case]()
    now = make_golden.flatten(case, tables)
    kept = {k for k in GOLDEN.files if k.startswith(f"{case}|")}
    assert kept, f"no golden outputs for {case}"
    assert set(now) == kept, f"{case}: tables or columns changed: {sorted(set(now) ^ kept)[:6]}"
    for key in sorted(kept):
        before, after = GOLDEN[key], now[key]
        assert before.shape == after.shape, key
        if before.dtype.kind in "US":
            assert (before == after).all(), key
        else:
            np.testing.assert_allclose(after, before, rtol=1e-12, atol=1e-12, equal_nan=True, err_msg=key)
