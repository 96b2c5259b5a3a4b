"""The inputs of Ossa's (2014) model: the baseline record :class:`OssaModel` (a JAX pytree).

Flows ``trade`` are at producer prices ``V_jis`` (importer j, exporter i, sector s), tariffs
``t_jis`` are set by importer j, ``sigma_s`` are the elasticities of substitution and ``lam`` the
political-economy weights (``LAMBDAPOL`` in the author's files; one gives welfare).
:meth:`OssaModel.purged` is the paper's calibration step (Ossa 2014, Section III): the
equilibrium with factual tariffs and zero deficits becomes the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jax
import jax.numpy as jnp
import numpy as np
import xarray as xr

import tradesim.model  # noqa: F401  (x64 and the compile cache)
from tradesim.errors import DataError

if TYPE_CHECKING:
    from tradesim.model.ossa.solve import Solution


@jax.tree_util.register_pytree_node_class
@dataclass(frozen=True)
class OssaModel:
    """Baseline of the Ossa model. Shapes: N regions, S sectors.

    trade (N, N, S): flows at producer prices V_jis, (importer, exporter, sector).
    tariff (N, N, S): ad valorem tariffs t_jis imposed by importer j (fractions).
    sigma (S,): elasticities of substitution (> 1).
    lam (N, S): political-economy weights on industry profits.
    regions, sectors: labels (static, not traced).
    """

    trade: Any
    tariff: Any
    sigma: Any
    lam: Any
    regions: tuple = ()
    sectors: tuple = ()

    def tree_flatten(self):
        return (self.trade, self.tariff, self.sigma, self.lam), (self.regions, self.sectors)

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls(*children, *aux)

    # ------------------------------------------------------------------ set-up
    @classmethod
    def from_dataset(cls, ds: xr.Dataset, *, political_economy: bool = True) -> "OssaModel":
        """Build from a dataset with ``trade``, ``tariff``, ``sigma`` and ``lambda_pol``."""
        for name in ("trade", "tariff", "sigma"):
            if name not in ds:
                raise DataError(f"Ossa model: dataset lacks '{name}'")
        trade = ds["trade"].transpose("importer", "exporter", "sector").values.astype(float)
        tariff = ds["tariff"].transpose("importer", "exporter", "sector").values.astype(float)
        sigma = ds["sigma"].values.astype(float)
        n, _, s = trade.shape
        lam = (ds["lambda_pol"].transpose("region", "sector").values.astype(float)
               if political_economy and "lambda_pol" in ds else np.ones((n, s)))
        return cls.from_arrays(trade, tariff, sigma, lam, tuple(str(r) for r in ds["importer"].values),
                               tuple(str(x) for x in ds["sector"].values))

    @classmethod
    def from_arrays(cls, trade, tariff, sigma, lam=None, regions=(), sectors=()) -> "OssaModel":
        """Validated constructor; raises :class:`DataError` naming the field at fault."""
        trade, tariff, sigma = (np.asarray(a, float) for a in (trade, tariff, sigma))
        if trade.ndim != 3 or trade.shape[0] != trade.shape[1]:
            raise DataError(f"Ossa model: trade must be (N, N, S), got {trade.shape}")
        n, _, s = trade.shape
        if tariff.shape != trade.shape:
            raise DataError(f"Ossa model: tariff shape {tariff.shape} != trade shape {trade.shape}")
        if sigma.shape != (s,) or (sigma <= 1).any():
            raise DataError("Ossa model: sigma must be (S,) and > 1")
        if (trade < 0).any() or not np.isfinite(trade).all():
            raise DataError("Ossa model: trade has negative or non-finite flows")
        if (tariff <= -1).any():
            raise DataError("Ossa model: tariff must exceed -1")
        if (trade.sum(axis=1) <= 0).any():
            raise DataError("Ossa model: some importer-sector has zero spending")
        lam = np.ones((n, s)) if lam is None else np.asarray(lam, float)
        if lam.shape != (n, s):
            raise DataError(f"Ossa model: lam must be (N, S) = {(n, s)}, got {lam.shape}")
        regions = tuple(regions) or tuple(f"R{k}" for k in range(n))
        sectors = tuple(sectors) or tuple(f"S{k}" for k in range(s))
        return cls(jnp.asarray(trade), jnp.asarray(tariff), jnp.asarray(sigma), jnp.asarray(lam), regions, sectors)

    @property
    def n(self) -> int:
        return self.trade.shape[0]

    @property
    def s(self) -> int:
        return self.trade.shape[2]

    def with_weights(self, lam) -> "OssaModel":
        return OssaModel(self.trade, self.tariff, self.sigma, jnp.asarray(lam, float), self.regions, self.sectors)

    def deficit(self):
        """Trade deficit D_j = imports - exports at producer prices, (N,)."""
        v = self.trade
        return v.sum(axis=(1, 2)) - v.sum(axis=(0, 2))

    def purged(self) -> "OssaModel":
        """The same world with zero trade deficits (Ossa 2014, Section III): the
        counterfactual equilibrium with factual tariffs and ``D' = 0`` becomes the
        baseline, numeraire world labour income."""
        from tradesim.model.ossa.solve import check, solve

        sol = solve(self, self.tariff, deficit=jnp.zeros(self.n))
        check(sol)
        return OssaModel(sol.trade, self.tariff, self.sigma, self.lam, self.regions, self.sectors)

    def solve(self, tariff, *, deficit=None) -> "Solution":
        """The counterfactual equilibrium under ``tariff`` (N, N, S), checked
        (:func:`tradesim.model.ossa.solve.solve`, :func:`~tradesim.model.ossa.solve.check`)."""
        from tradesim.model.ossa.solve import check, solve

        sol = solve(self, jnp.asarray(tariff, float), deficit=deficit)
        check(sol)
        return sol
