"""The GE model on gegravity's Canada-Japan example: baseline, compat numbers, identities, properties."""

import numpy as np
import pytest

from tests.gravity import can_jpn, gegravity_baseline, sample_data

pytestmark = [pytest.mark.shared]

# gegravity 0.3 (pip install gegravity==0.3), its documented example: sigma = 5, reference DEU,
# OneSectorGE.build_baseline(omr_rescale=1); model.baseline_mr (printed with 12 significant digits).
GEGRAVITY_BASELINE_MR = {  # country: (baseline omr, baseline imr)
    "AUS": (0.0618448533956, 1.42708964664), "CAN": (0.0572525135996, 1.34457811741),
    "CHN": (0.0539219665098, 0.972114868688), "DEU": (0.050346460773, 1.0),
    "HKG": (0.0353870101696, 1.36294660682), "JPN": (0.0536928123835, 0.960711019986),
    "MEX": (0.0573305228623, 1.3131392238), "USA": (0.0440931169928, 1.12533727358),
    "ZAF": (0.0655259036662, 1.40371418873),
}
# gegravity 0.3, same run: country_results after simulate() (percent) and trade_share(['CAN'], ['USA', 'MEX']).
GEGRAVITY_GDP = {"CAN": 0.418261316, "JPN": 0.053754883, "USA": -0.007411107, "CHN": -0.002595898}
GEGRAVITY_PRICE = {"CAN": -0.135769976, "JPN": 0.245392257}
GEGRAVITY_WELFARE_STAT = {"CAN": 0.995834808, "JPN": 0.999462740}


@pytest.fixture(scope="module")
def base():
    return gegravity_baseline()


@pytest.fixture(scope="module")
def compat(base):
    from tradesim.model.gravity.ge import simulate

    return simulate(base, can_jpn(), compat="gegravity")


@pytest.fixture(scope="module")
def consistent(base):
    from tradesim.model.gravity.ge import simulate

    return simulate(base, can_jpn())


@pytest.mark.reference
def test_baseline_mr_match_gegravity(base):
    mr = base.mr_table()
    for c, (omr, imr) in GEGRAVITY_BASELINE_MR.items():
        assert mr.loc[c, "omr"] == pytest.approx(omr, rel=1e-8), c
        assert mr.loc[c, "imr"] == pytest.approx(imr, rel=1e-8), c


@pytest.mark.reference
def test_trade_cost_change(base):
    ch = base.cost_change(can_jpn()).set_index(["exporter", "importer"])
    assert sorted(ch.index) == [("CAN", "JPN"), ("JPN", "CAN")]
    np.testing.assert_allclose(ch["cost_change_pct"], 60.18165, atol=5e-6)


@pytest.mark.reference
def test_compat_reproduces_gegravity(compat):
    t = compat.table()
    for c, v in GEGRAVITY_GDP.items():
        assert t.loc[c, "gdp_pct"] == pytest.approx(v, abs=1e-5), c
    for c, v in GEGRAVITY_PRICE.items():
        assert t.loc[c, "factory_gate_price_pct"] == pytest.approx(v, abs=1e-5), c
    for c, v in GEGRAVITY_WELFARE_STAT.items():
        assert t.loc[c, "welfare_statistic"] == pytest.approx(v, abs=1e-8), c
    s = compat.trade_share(["CAN"], ["USA", "MEX"]).iloc[0]
    assert s["baseline"] == pytest.approx(22.021883, abs=1e-5)
    assert s["experiment"] == pytest.approx(21.578895, abs=1e-5)


def test_consistent_identities(consistent):
    v = consistent.values
    t1, y1, e1 = v["trade1"], v["output1"], v["expenditure1"]
    assert np.max(np.abs(t1.sum(axis=0) / y1 - 1)) < 1e-10        # every market clears
    assert np.max(np.abs(t1.sum(axis=1) / e1 - 1)) < 1e-10        # spending adds up
    assert abs(e1.sum() / y1.sum() - 1) < 1e-10                   # world balance
    assert abs(v["imr_hat"][consistent.baseline.ref] - 1) < 1e-12  # numeraire P_ref' = 1
    phi0 = v["expenditure0"] / v["output0"]
    phi1 = e1 / y1
    np.testing.assert_allclose(phi1 / phi0, phi1[0] / phi0[0], rtol=1e-12)  # phi fixed up to one scale
    assert consistent.max_residual < 1e-10


def test_compat_breaks_adding_up(compat):
    # What the consistent solve fixes: gegravity's flows do not add up to the new expenditure.
    v = compat.values
    assert np.max(np.abs(v["trade1"].sum(axis=1) / v["expenditure1"] - 1)) > 1e-5


def test_zero_shock_is_no_change(base):
    from tradesim.gravity import Experiment
    from tradesim.model.gravity.ge import simulate

    for mode in ("consistent", "gegravity"):
        t = simulate(base, Experiment("none", ()), compat=mode).table()
        assert np.max(np.abs(t.drop(columns="welfare_statistic", errors="ignore").to_numpy())) < 1e-9


def test_real_outcomes_do_not_depend_on_reference(consistent):
    from tradesim.model.gravity.ge import simulate

    other = simulate(gegravity_baseline("USA"), can_jpn()).table()
    np.testing.assert_allclose(other["welfare_pct"], consistent.table()["welfare_pct"], atol=1e-9)
    np.testing.assert_allclose(other["gdp_pct"], consistent.table()["gdp_pct"], atol=1e-9)


def test_jacobian_matches_finite_differences(base):
    import jax
    import jax.numpy as jnp

    from tradesim.model.gravity import equations as eq

    trade0 = base.modeled_trade()
    e0, y0 = trade0.sum(axis=1), trade0.sum(axis=0)
    args = (jnp.asarray(base.log_cost * 0 + 0.1 * np.eye(len(y0))), jnp.asarray(trade0 / e0[:, None]),
            jnp.asarray(y0), jnp.asarray(e0 / y0), 5.0)
    fn = lambda x: eq.equilibrium_residuals(x, *args, base.ref)  # noqa: E731
    x = jnp.asarray(np.random.default_rng(0).normal(0, 0.01, len(y0)))
    jac = np.asarray(jax.jacfwd(fn)(x))
    h = 1e-6
    fd = np.stack([(np.asarray(fn(x.at[k].add(h))) - np.asarray(fn(x.at[k].add(-h)))) / (2 * h)
                   for k in range(len(y0))], axis=1)
    np.testing.assert_allclose(jac, fd, atol=1e-7)


def test_nonconvergence_raises(base):
    from tradesim.errors import NonConvergenceError
    from tradesim.model.gravity.ge import simulate
    from tradesim.model.newton import NewtonOptions

    with pytest.raises(NonConvergenceError, match="Newton stopped"):
        simulate(base, can_jpn(), options=NewtonOptions(max_iter=1))


def test_tariff_lowers_bilateral_trade(base):
    from tradesim.gravity import Experiment, TariffChange
    from tradesim.model.gravity.ge import simulate

    r = simulate(base, Experiment("tariff", (TariffChange(0.25, ("CHN",), ("USA",)),)))
    b = r.bilateral().set_index(["exporter", "importer"])
    assert b.loc[("CHN", "USA"), "change_pct"] < -50 and r.max_residual < 1e-10


def test_uncertainty_is_seeded(base):
    from tradesim.gravity.estimate import estimate_ppml
    from tradesim.gravity.uncertainty import simulate_draws, summarize_draws
    from tests.gravity import FORMULA

    est = estimate_ppml(sample_data(), FORMULA)
    a = simulate_draws(base, est, can_jpn(), draws=20, seed=3)
    b = simulate_draws(base, est, can_jpn(), draws=20, seed=3)
    assert a.equals(b) and a["converged"].all()
    s = summarize_draws(a)
    assert s.loc["CAN", "welfare_pct_p5"] < s.loc["CAN", "welfare_pct_mean"] < s.loc["CAN", "welfare_pct_p95"]
    assert s.loc["CAN", "welfare_pct_sd"] > 0
