"""PPML estimation on gegravity's sample data against statsmodels GLM with dummy fixed effects."""

import numpy as np
import pandas as pd
import pytest

from tests.gravity import FORMULA, GEGRAVITY_COEFS, sample_data

pytestmark = [pytest.mark.shared, pytest.mark.reference]
VARS = ["lndist", "contiguity", "common_language", "pta", "international"]


@pytest.fixture(scope="module")
def est():
    from tradesim.gravity.estimate import estimate_ppml

    return estimate_ppml(sample_data(), FORMULA, ("exporter", "importer"), vcov="pair")


@pytest.fixture(scope="module")
def glm():
    sm = pytest.importorskip("statsmodels.api")
    f = sample_data().frame
    x = pd.concat([f[VARS].astype(float), pd.get_dummies(f.exporter, prefix="x", dtype=float),
                   pd.get_dummies(f.importer, prefix="m", dtype=float).iloc[:, 1:]], axis=1)
    model = sm.GLM(f.trade.astype(float), x, family=sm.families.Poisson())
    return model.fit(tol=1e-13, maxiter=300, cov_type="cluster", cov_kwds={"groups": np.arange(len(f))})


def test_coefficients_match_statsmodels(est, glm):
    np.testing.assert_allclose(est.coef[VARS].to_numpy(), glm.params[VARS].to_numpy(), rtol=0, atol=1e-6)


def test_clustered_se_match_statsmodels(est, glm):
    # Both apply G/(G-1) * (N-1)/(N-K); K differs by one (statsmodels counts the dropped importer dummy).
    np.testing.assert_allclose(est.se[VARS].to_numpy(), glm.bse[VARS].to_numpy(), rtol=2e-6)


def test_coefficients_are_gegravitys_example(est):
    # gegravity's documented example lists these PPML estimates (7 significant digits).
    for v in VARS:
        assert est.coef[v] == pytest.approx(GEGRAVITY_COEFS[v], abs=1e-6)


def test_small_sample_factor_documented(est):
    from tradesim.gravity.estimate import estimate_ppml

    het = estimate_ppml(sample_data(), FORMULA, ("exporter", "importer"), vcov="hetero")
    n, k, g = 900, 5 + 30 + 29, 900
    raw = het.se * np.sqrt((n - k) / n)  # pyfixest "hetero": HC0 * N/(N-K)
    # gegravity's example standard errors are Stata-style robust ones, HC0 * N/(N-1).
    assert raw["lndist"] * np.sqrt(n / (n - 1)) == pytest.approx(0.0729915, abs=1e-6)
    assert raw["pta"] * np.sqrt(n / (n - 1)) == pytest.approx(0.1076578, abs=1e-6)
    np.testing.assert_allclose(est.se**2, raw**2 * g / (g - 1) * (n - 1) / (n - k), rtol=1e-9)


def test_table_is_tidy(est):
    t = est.table()
    assert list(t.columns) == ["estimate", "std_error", "z", "p_value", "ci_low", "ci_high"]
    assert t.index.name == "variable" and list(t.index) == VARS
