"""The dashboard's API serves the exact real-income change as its welfare figure
(reference: the equilibrium's own incomes and price index, CP 2015 eq. 20-21)."""

from __future__ import annotations

import httpx
import numpy as np
import pandas as pd
import pytest

import tradesim

from ..conftest import SCENARIOS


@pytest.mark.slow
def test_the_dashboard_api_serves_the_exact_headline(server):
    result = tradesim.run(SCENARIOS / "china_seafood_ban.toml", store=False)
    r = httpx.post(f"{server}/api/runs", data={"library": "china_seafood_ban", "wait": "true"}, timeout=300)
    assert r.status_code == 200, r.text
    body = httpx.get(f"{server}/api/runs/{r.json()['run_id']}", timeout=60).json()
    got = pd.Series({row["country"]: row["welfare_pct"] for row in body["welfare"]})
    ds = result.to_xarray()
    exact = pd.Series((ds["income_after"] / ds["income_before"] / ds["price_index_hat"]).values * 100 - 100,
                      index=result.countries)
    np.testing.assert_allclose(got.loc[exact.index], exact, rtol=1e-10, atol=1e-13)
