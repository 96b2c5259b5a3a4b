"""Many counterfactuals on one baseline at once, along a leading scenario axis.

:func:`solve_batch` runs the single solver's compiled Newton-Broyden loop
(:func:`tradesim.model.solver.loop.broyden_loop`, built on :mod:`tradesim.model.equations`)
for every scenario inside one compiled program: ``jax.lax.map`` over the scenario
axis, ``width`` scenarios side by side (``jax.vmap``) in each group. One dispatch
for the batch; every scenario gets the same final residual checks
(:func:`tradesim.model.solver.solution.solution_values`) and the same acceptance rule as a
single solve (:func:`tradesim.model.solver.solution.accepted`).

Each scenario keeps its own state and convergence flag, so a scenario whose
iteration breaks down (non-finite values, no progress) cannot affect the others.
The loop starts from the baseline's exact Jacobian and, one scenario at a time
(``width = 1``), takes the exact Jacobian again where Broyden stalls, as a single solve
does; a scenario it leaves unconverged is solved again by
:func:`~tradesim.model.solve.solve_equilibrium` before it is reported as failed, by
name, with its residual.

Shapes: ``S`` scenarios, ``N`` countries, ``J`` sectors; every value in a
:class:`BatchEquilibrium` has the scenario axis first. The scenarios of one batch share a
numeraire (:attr:`~tradesim.model.solver.problem.Shock.numeraire`): it is part of the
compiled program.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Sequence

import jax
import jax.numpy as jnp
import numpy as np

from tradesim.errors import NonConvergenceError, ScenarioError
from tradesim.literals import check_numeraire
from tradesim.model.solve import solve_equilibrium
from tradesim.model.solver import (Equilibrium, ModelInputs, Shock, SolverOptions, accepted, baseline_jacobian,
                                   broyden_loop, no_shock, numeraire_of, solution_values)

# Scenarios solved side by side within a batch (see solve_batch); measured in benchmarks/bench_batch.py.
WIDTH = 1


@dataclass(frozen=True)
class BatchEquilibrium:
    """Solved scenarios, labelled by ``names``.

    values: as :class:`~tradesim.model.solve.Equilibrium` values with a leading
        scenario axis (numpy, float64), e.g. ``wage_hat`` (S, N).
    residuals: each equilibrium condition's largest residual, (S,) per condition.
    iterations, converged: (S,) arrays. ``fallback`` marks the scenarios that the
        batch left unconverged and the single solver re-solved.
    """

    names: tuple[str, ...]
    values: dict[str, np.ndarray]
    residuals: dict[str, np.ndarray]
    iterations: np.ndarray
    converged: np.ndarray
    fallback: np.ndarray
    options: SolverOptions

    def __len__(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise ScenarioError(f"scenario: no scenario named {name!r} in this batch "
                                f"({len(self.names)} scenarios)") from None

    def equilibrium(self, key: int | str) -> Equilibrium:
        """One scenario's :class:`Equilibrium` (by position or name)."""
        k = self.index(key) if isinstance(key, str) else int(key)
        return Equilibrium({n: v[k] for n, v in self.values.items()}, int(self.iterations[k]),
                           {n: float(v[k]) for n, v in self.residuals.items()}, bool(self.converged[k]),
                           self.options)

    def max_residual(self) -> np.ndarray:
        """(S,) largest residual of any condition, per scenario (NaN where non-finite)."""
        stacked = np.stack(list(self.residuals.values()))
        return np.where(np.isfinite(stacked).all(axis=0), stacked.max(axis=0), np.nan)

    def failures(self) -> dict[str, float]:
        """Scenarios that did not converge: name -> largest residual."""
        worst = self.max_residual()
        return {self.names[k]: float(worst[k]) for k in np.flatnonzero(~self.converged)}

    def check(self) -> "BatchEquilibrium":
        """Raise :class:`NonConvergenceError` naming every failed scenario; else return self."""
        failed = self.failures()
        if failed:
            listed = "; ".join(f"{name!r}: largest residual {r:.3g}" for name, r in failed.items())
            raise NonConvergenceError(f"{len(failed)} of {len(self)} scenarios did not converge "
                                      f"(tolerance {self.options.check_tol:g}): {listed}",
                                      residual=float(np.nanmax(list(failed.values()) + [np.nan])),
                                      iterations=int(self.iterations.max()))
        return self

    def to_xarray(self, countries: Sequence[str], sectors: Sequence[str]):
        """Wages, prices, expenditure and residuals as an ``xarray.Dataset`` with a
        ``scenario`` dimension (bilateral arrays as importer, exporter, sector)."""
        import xarray as xr

        dims = {1: ("country",), 2: ("country", "sector"), 3: ("importer", "exporter", "sector")}
        data = {k: (("scenario",) + dims[v.ndim - 1], v) for k, v in self.values.items()}
        data.update({f"residual_{k}": (("scenario",), v) for k, v in self.residuals.items()})
        data["converged"] = (("scenario",), self.converged)
        data["iterations"] = (("scenario",), self.iterations)
        return xr.Dataset(data, coords={"scenario": list(self.names), "country": list(countries),
                                        "importer": list(countries), "exporter": list(countries),
                                        "sector": list(sectors)})


@partial(jax.jit, static_argnames=("opts", "batched_inputs", "batched_jacobian", "width"))
def _solve_batched(inputs, shocks, jac0, opts, batched_inputs, batched_jacobian, width):
    n = shocks.deficit.shape[-1]

    def one(inp, shock, jac):
        # One scenario at a time: a stalled scenario can take the exact Jacobian there and
        # then; side by side (vmapped), that branch would run on every step of every lane.
        end = broyden_loop(inp, shock, jnp.zeros(n), jac, opts, refresh=width == 1)
        values, residuals = solution_values(end.log_w, inp, shock, opts, end.log_cost_hat, end.expenditure)
        return values, residuals, end.norm, end.evaluated_at, end.steps

    # lax.map runs ``width`` scenarios side by side (vmapped) and the groups one after
    # another: a vmapped loop runs as long as its slowest lane, so narrow groups waste
    # less on mixed batches while wide ones share each pass over the baseline arrays.
    xs = (inputs if batched_inputs else None, shocks, jac0 if batched_jacobian else None)
    return jax.lax.map(lambda x: one(inputs if x[0] is None else x[0], x[1], jac0 if x[2] is None else x[2]),
                       xs, batch_size=None if width == 1 else width)


def stack_shocks(shocks: Sequence[Shock]) -> Shock:
    """Stack scenarios' shocks along a leading axis (they must share a numeraire)."""
    if not shocks:
        raise ScenarioError("shocks: a batch needs at least one scenario")
    numeraires = {s.numeraire for s in shocks}
    if len(numeraires) > 1:
        raise ScenarioError(f"numeraire: the shocks of one batch share a numeraire, got {sorted(map(str, numeraires))}")
    return Shock(*(jnp.stack([jnp.asarray(getattr(s, f)) for s in shocks]) for f in ("tariff", "iceberg_hat",
                                                                                        "deficit")),
                 numeraire=shocks[0].numeraire)


def stack_inputs(inputs: Sequence[ModelInputs]) -> ModelInputs:
    """Stack baselines (same shape, e.g. different elasticities) along a leading axis."""
    return jax.tree_util.tree_map(lambda *xs: jnp.stack([jnp.asarray(x) for x in xs]), *inputs)


def _take(tree, k):
    return jax.tree_util.tree_map(lambda x: x[k], tree)


def solve_batch(inputs: ModelInputs, shocks: Shock | Sequence[Shock], options: SolverOptions | None = None, *,
                jacobian=None, names: Sequence[str] | None = None, batched_inputs: bool = False,
                pad_to: int | None = None, fallback: bool = True, width: int = WIDTH) -> BatchEquilibrium:
    """Solve ``S`` counterfactuals at once.

    Parameters
    ----------
    inputs : the baseline (:class:`ModelInputs`), or with ``batched_inputs`` one
        baseline per scenario stacked along a leading axis (:func:`stack_inputs`),
        e.g. the same world under different trade elasticities.
    shocks : a :class:`Shock` with a leading scenario axis, or a list of shocks.
    jacobian : starting Jacobian (N, N), or (S, N, N) one per scenario; default the
        exact Jacobian at the (first) baseline, :func:`~tradesim.model.solve.baseline_jacobian`.
    names : scenario labels (default ``"0"``, ``"1"``, ...).
    pad_to : pad the batch to this many scenarios (no-change scenarios, which cost
        one evaluation each) so that batches of different sizes reuse one compiled program.
    fallback : re-solve scenarios the batch leaves unconverged with the single
        solver (exact Jacobian refreshes) before reporting them.
    width : scenarios solved side by side (vectorised); groups of ``width`` run one
        after another inside the same compiled program.

    Returns
    -------
    BatchEquilibrium. It does not raise for failed scenarios: see
    :meth:`BatchEquilibrium.failures` and :meth:`BatchEquilibrium.check`.
    """
    opts = options or SolverOptions()
    if not isinstance(shocks, Shock):
        shocks = stack_shocks(list(shocks))
    size = int(shocks.tariff.shape[0])
    names = tuple(str(x) for x in (names if names is not None else range(size)))
    if len(names) != size or len(set(names)) != size:
        raise ScenarioError(f"names: need {size} distinct scenario names, got {len(names)} "
                            f"({len(set(names))} distinct)")
    if int(width) < 1:
        raise ScenarioError(f"width: need at least one scenario side by side, got {width!r}")
    check_numeraire(numeraire_of(shocks, opts), int(shocks.deficit.shape[-1]))
    if jacobian is None:
        jacobian = baseline_jacobian(_take(inputs, 0) if batched_inputs else inputs, opts)
    jac = jnp.asarray(jacobian, dtype=jnp.float64)
    batched_jacobian = jac.ndim == 3
    pad = max((pad_to or size) - size, 0)
    if pad:
        extend = lambda x: jnp.concatenate([x, jnp.repeat(x[-1:], pad, axis=0)])  # noqa: E731
        # padding scenarios are "no change" on the last baseline: solved at the first evaluation
        filler = no_shock(_take(inputs, -1) if batched_inputs else inputs, shocks.numeraire)
        shocks = jax.tree_util.tree_map(lambda x, f: jnp.concatenate([x, jnp.repeat(f[None], pad, axis=0)]),
                                        shocks, filler)
        inputs = jax.tree_util.tree_map(extend, inputs) if batched_inputs else inputs
        jac = extend(jac) if batched_jacobian else jac
    values, residuals, norm, evaluated_at, k = _solve_batched(inputs, shocks, jac, opts, batched_inputs,
                                                              batched_jacobian, min(width, len(names) + pad))
    values = {key: np.array(v[:size]) for key, v in values.items()}
    residuals = {key: np.array(v[:size]) for key, v in residuals.items()}
    norm, evaluated_at, iterations = np.asarray(norm[:size]), np.asarray(evaluated_at[:size]), np.array(k[:size])
    ok = accepted(norm, evaluated_at, residuals, opts)     # the single solver's rule
    iterations = iterations + ok
    redone = np.zeros(size, bool)
    if fallback:
        for s in np.flatnonzero(~ok):
            one = solve_equilibrium(_take(inputs, s) if batched_inputs else inputs, _take(shocks, s), opts,
                                    throw=False, jacobian=np.asarray(jac[s] if batched_jacobian else jac))
            redone[s] = True
            for key in values:
                values[key][s] = one.values[key]
            for key in residuals:
                residuals[key][s] = one.residuals[key]
            iterations[s] += one.iterations
            ok[s] = one.converged
    return BatchEquilibrium(names, values, residuals, iterations, ok, redone, opts)
