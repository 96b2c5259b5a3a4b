"""Ossa (2014) optimal / Nash tariffs and talks against external references: the author's
stored optimal tariffs (DATA.mat), a closed-form optimal tariff in the symmetric two-country
one-industry case, and finite differences. The model's own tests (the purge, the factual
fixed point, bad inputs) are in tests/model/test_ossa.py."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from tradesim.errors import ScenarioError
from tradesim.model.ossa import OssaModel, load_ossa2014
from tradesim.strategy.tariffs import best_response, gov_gradient, nash_tariffs, trade_talks


@pytest.fixture(scope="module")
def data():
    return load_ossa2014()


@pytest.fixture(scope="module")
def ossa(data):
    return OssaModel.from_dataset(data).purged()


def test_gradient_matches_finite_differences(ossa):
    """d(-log G_USA)/d(own MFN tariffs) from the implicit function theorem vs central
    differences along a random direction, at a random point: 1e-6 relative."""
    rng = np.random.default_rng(7)
    x = rng.uniform(0.0, 1.0, ossa.s)
    v = rng.normal(size=ossa.s)
    _, grad, res = gov_gradient(ossa, ossa.tariff, 6, x=x)
    assert res < 1e-12
    h = 1e-5
    fp = gov_gradient(ossa, ossa.tariff, 6, x=x + h * v)[0]
    fm = gov_gradient(ossa, ossa.tariff, 6, x=x - h * v)[0]
    fd = (fp - fm) / (2 * h)
    assert grad @ v == pytest.approx(fd, rel=1e-6)


def test_us_optimal_tariffs_match_author(data, ossa):
    """US optimal MFN tariffs with political-economy weights vs the author's stored
    MFNOPTIMALTARIFFPOL (column USA)."""
    br = best_response(ossa, ossa.tariff, "USA")
    ref = data["ref_optimal_mfn_tariff"].sel(region="USA").values
    np.testing.assert_allclose(br.own, ref, atol=5e-3)
    assert np.median(br.own) == pytest.approx(np.median(ref), abs=1e-3)  # 57.5%
    assert br.gov_hat > 1


# --------------------------------------------------------------- closed form
def _symmetric(sigma, dom=8.0, foreign=2.0):
    trade = np.array([[[dom], [foreign]], [[foreign], [dom]]])  # (importer, exporter, sector)
    return OssaModel.from_arrays(trade, np.zeros_like(trade), [sigma])


def _closed_form_optimal_tariff(sigma, dom, foreign):
    """Independent reference (no tradesim code). With one industry and a fixed mass of
    firms, all sales income accrues to the producing country, so the model is an
    Armington endowment economy. Bickerdike: t* = 1/(eps* - 1), eps* = Foreign's
    import-demand elasticity = 1 + (sigma - 1) lambda_FF, so t* = 1/((sigma-1) lambda_FF),
    lambda_FF evaluated at the equilibrium under t* (derivation in docs/strategy.md)."""
    y0 = dom + foreign

    def lam_ff(t):
        def balance(lp):
            p = np.exp(lp)
            m_h = foreign * (1 + t) ** (1 - sigma) / (dom * p ** (1 - sigma) + foreign * (1 + t) ** (1 - sigma))
            e_h = p * y0 / (1 - t * m_h / (1 + t))
            s_f = foreign * p ** (1 - sigma) / (dom + foreign * p ** (1 - sigma))
            return m_h * e_h / (1 + t) - s_f * y0

        p = np.exp(brentq(balance, -3, 3, xtol=1e-15))
        return dom / (dom + foreign * p ** (1 - sigma))

    return brentq(lambda t: t * (sigma - 1) * lam_ff(t) - 1, 1e-6, 10, xtol=1e-14)


@pytest.mark.parametrize("sigma", [3.0, 5.0])
def test_symmetric_optimal_tariff_closed_form(sigma):
    m = _symmetric(sigma)
    br = best_response(m, m.tariff, 0)
    ref = _closed_form_optimal_tariff(sigma, 8.0, 2.0)
    assert br.own[0] == pytest.approx(ref, rel=1e-6)
    # a small importer facing a nearly closed partner: Gros' limit 1/(sigma - 1)
    tiny = OssaModel.from_arrays(np.array([[[1.0], [1e-3]], [[1e-3], [1e4]]]), np.zeros((2, 2, 1)), [sigma])
    assert best_response(tiny, tiny.tariff, 0).own[0] == pytest.approx(1 / (sigma - 1), rel=1e-4)


def test_symmetric_nash_and_talks():
    """Symmetric Nash: equal tariffs, each a best response to the other, both lose;
    talks from Nash restore free trade (the efficient point with tariffs >= 0)."""
    sigma = 4.0
    m = _symmetric(sigma)
    nash = nash_tariffs(m, tol=1e-8)
    t = nash.tariff
    assert t[0, 1, 0] == pytest.approx(t[1, 0, 0], rel=1e-6)
    assert 0 < t[0, 1, 0] < _closed_form_optimal_tariff(sigma, 8.0, 2.0)  # retaliation lowers it here
    assert best_response(m, t, 0).own[0] == pytest.approx(t[0, 1, 0], rel=1e-6)
    assert (nash.gov_hat < 1).all()
    talks = trade_talks(m, start=t, lower=0.0)
    np.testing.assert_allclose(talks.tariff, 0, atol=1e-6)
    assert talks.common_gain > 0


def test_small_nash_is_nash(tmp_path):
    """3 regions x 2 industries, random data: at the Nash point no region's best
    response moves its tariffs (is_nash), and deviations lower its objective."""
    rng = np.random.default_rng(3)
    trade = rng.uniform(1, 5, (3, 3, 2)) + np.eye(3)[:, :, None] * 20
    m = OssaModel.from_arrays(trade, rng.uniform(0, 0.1, (3, 3, 2)), [3.0, 6.0]).purged()
    ck = str(tmp_path / "nash.npy")
    nash = nash_tariffs(m, tol=1e-7, checkpoint=ck)
    again = nash_tariffs(m, tol=1e-7, checkpoint=ck)  # resumes at the equilibrium: one round
    assert again.rounds == 1
    np.testing.assert_allclose(again.tariff, nash.tariff, atol=1e-7)
    for j in range(3):
        br = best_response(m, nash.tariff, j)
        np.testing.assert_allclose(br.tariff, nash.tariff, atol=1e-5)
        dev = nash.tariff.copy()
        dev[j, [k for k in range(3) if k != j], 0] *= 1.1
        assert m.solve(dev).gov_hat[j] < nash.gov_hat[j]


def test_bad_region():
    m = _symmetric(3.0)
    with pytest.raises(ScenarioError, match="XYZ"):
        best_response(m, m.tariff, "XYZ")


@pytest.mark.slow
def test_paper_headline_numbers(ossa):
    """Ossa (2014) abstract: optimal tariffs average 62%, Nash 63%, the trade war costs
    governments 2.9% and talks gain 0.5% (averages over the 7 regions of per-region
    medians / changes). Tolerance: +-2 points on tariffs, +-0.3 points on welfare."""
    from tradesim.strategy.report import summary_table
    from tradesim.strategy.tariffs import optimal_tariffs

    opt = [np.median(np.delete(b.tariff[k], k, axis=0)[0]) for k, b in enumerate(optimal_tariffs(ossa))]
    assert np.mean(opt) * 100 == pytest.approx(62, abs=2)        # ours: 62.66
    nash = nash_tariffs(ossa)
    tab = summary_table(ossa, nash.tariff, nash.gov_hat, nash.welfare_hat)
    assert tab.median_tariff_pct.mean() == pytest.approx(63, abs=2)  # ours: 63.34
    assert tab.gov_welfare_pct.mean() == pytest.approx(-2.9, abs=0.3)  # ours: -2.89
    talks = trade_talks(ossa)  # tariffs >= -50%; with >= 0 the common gain is 0.34%
    assert talks.common_gain * 100 == pytest.approx(0.5, abs=0.3)  # ours: 0.508
    np.testing.assert_allclose(talks.gov_hat, 1 + talks.common_gain, rtol=1e-8)
