r"""Attribution: how much of each result each group of measures causes -- additive, for any scenario.

Two methods, one output (:class:`Attribution`):

``path`` (subtotals; Harrison, Horridge and Pearson 2000, "Decomposing simulation results
with respect to exogenous shocks", *Computational Economics* 15, 227-249)
    The scenario's change in policy arrays is split into one part per group,
    :math:`\delta_g` (the change each measure made when it was applied, in file order,
    summed over the group's measures; tariffs in levels, iceberg costs in logs; a
    reference scenario's measures enter with the opposite sign). Along the straight path
    :math:`p(t) = p_0 + t\sum_g\delta_g`, group g's contribution to a result Y is
    :math:`\int_0^1 \partial Y/\partial s_g\,dt`, with the model's exact derivatives
    (:mod:`tradesim.model.path`), by Gauss-Legendre quadrature (:data:`PATH_NODES` nodes unless
    asked). The quadrature's error in the *sum* is known exactly, since the whole change is
    solved exactly: the groups' integrals miss it by ``quadrature_error`` (per result, stated in
    the output), and that gap is shared among the groups in proportion to the size of their
    integrals (:func:`distribute_gap`), so the contributions add up to the exact change at any
    node count (``accuracy``: what is left, rounding). Each group's own quadrature error is of
    the order of ``quadrature_error`` (measured on the story against 12 nodes in
    ``benchmarks/bench_attribution.py``; docs/attribution.md).
``shapley``
    Each group's Shapley value over the :math:`2^k` combinations of groups (k <= 8), all
    solved exactly: :math:`\phi_g = \sum_{S\not\ni g}\frac{|S|!(k-|S|-1)!}{k!}[Y(S\cup g)-Y(S)]`.
    They add up exactly (efficiency) and need no quadrature.

The two agree whenever the result is additive in the groups (e.g. a quantity linear in
the policy, or groups acting on separate economies); where the groups interact they may
differ: the path method splits an interaction along the straight path (each group is
credited with its marginal effect in the presence of the others' partial shocks), the
Shapley value averages it over every order of introducing the groups.

Results (per group): exact welfare (``welfare_pct``, the change in real income
``100 (I'/I / P_hat - 1)``) and the equivalent variation at baseline prices (``ev``,
``I_n (W_hat_n - 1)``, baseline currency units), ``real_wage_pct``, ``price_index_pct``,
``tariff_revenue`` (level), sector gross output (level and percent of the reference),
bilateral flows (level). Percent results are additive: log-point contributions are scaled
by one factor per country and result (:func:`tradesim.results.decomposition.percent_factor`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from tradesim.errors import ScenarioError
from tradesim.model.path import path_derivatives
from tradesim.results.decomposition import path_of, percent_factor

By = Literal["label", "implementer", "kind", "group"]
Method = Literal["path", "shapley"]
BY: tuple[str, ...] = ("label", "implementer", "kind", "group")
METHODS: tuple[str, ...] = ("path", "shapley")
MAX_SHAPLEY_GROUPS = 8
LOG_RESULTS = {"welfare_pct": "log_real_income", "price_index_pct": "log_price_index"}
COUNTRY_COLUMNS = ("welfare_pct", "ev", "real_wage_pct", "price_index_pct", "tariff_revenue")
#: Gauss-Legendre nodes of the path method unless a caller asks for another number. With the
#: sum's gap shared out (:func:`distribute_gap`) the node count buys only the accuracy of each
#: group's share: on the April 2025 story, 3 nodes put every group's welfare share within 2e-5 pp
#: of the 12-node one and its bilateral flows within 7 USD million (1e-5 of the largest flow
#: change); 4 nodes within 7e-6 pp and 3 USD million, at a third more cost (docs/attribution.md,
#: benchmarks/bench_attribution.py).
PATH_NODES = 3
#: Relative residual the path method's tangent systems are solved to: far below the quadrature's
#: error at ``PATH_NODES`` nodes (~1e-5 relative), and each GMRES step saved is a tangent product.
#: Like the quadrature's, its error is in ``quadrature_error`` (the gap is measured against the exact change).
TANGENT_TOL = 1e-7


def _selector_text(value) -> str:
    return "all" if value == "all" else ", ".join(value)


def group_of(measure, by: str) -> str:
    """The group a measure belongs to: its ``label``, its ``kind``, its implementer (the
    importer for tariffs, bans and retaliation; the exporter for export controls; for
    curbs the exporter when the label speaks of exports, else the importer), or its
    ``group`` field (falling back to the label)."""
    name = measure.label or measure.where
    if by == "label":
        return name
    if by == "kind":
        return measure.kind
    if by == "group":
        return measure.group or name
    if by == "implementer":
        side = "importer"
        if measure.kind == "export_control" or (measure.kind == "curb" and "export" in (measure.label or "").lower()):
            side = "exporter"
        return _selector_text(measure.selectors.get(side, "all"))
    raise ScenarioError(f"by: {by!r} is not one of {', '.join(BY)}")


def _written(measure) -> str:
    """A measure as written, without its position or group."""
    return repr((measure.kind, measure.label, measure.selectors, measure.exclude, measure.params))


def shock_parts(result, by: str = "group") -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Group names and each group's part of ``result``'s shock: tariffs (G, N, N, J) and log
    iceberg costs (G, N, N, J); groups whose part is zero (e.g. measures the reference
    scenario shares) are dropped. The parts sum to the solved shock (checked)."""
    from tradesim.scenario.apply import policy_steps
    from tradesim.scenario.spec import resolve_reference

    if by not in BY:
        raise ScenarioError(f"by: {by!r} is not one of {', '.join(BY)}")
    parts: dict[str, list[np.ndarray]] = {}
    named: dict[str, str] = {}      # a measure as written -> its group in the scenario

    def add(scenario, sign: float) -> None:
        for measure, dtar, dlog in policy_steps(scenario, result.baseline)[1]:
            # a reference measure the scenario repeats (e.g. an included status quo) falls in the
            # same group as the scenario's copy, where the two cancel
            key = _written(measure)
            name = named.setdefault(key, group_of(measure, by)) if sign > 0 else named.get(key, group_of(measure, by))
            acc = parts.setdefault(name, [np.zeros_like(dtar), np.zeros_like(dlog)])
            acc[0] += sign * dtar
            acc[1] += sign * dlog

    add(result.scenario, 1.0)
    ref = resolve_reference(result.scenario) if result.scenario.reference else None
    if ref is not None:
        add(ref, -1.0)
    names = tuple(k for k, (a, b) in parts.items() if np.abs(a).max() > 1e-15 or np.abs(b).max() > 1e-15)
    cf = result.solution
    shape = np.shape(cf.before.tariff)
    tar = np.stack([parts[k][0] for k in names]) if names else np.zeros((0,) + shape)
    dlog = np.stack([parts[k][1] for k in names]) if names else np.zeros((0,) + shape)
    want_t = cf.equilibrium["tariff"] - np.asarray(cf.before.tariff)
    want_d = np.log(cf.iceberg_hat)
    if np.abs(tar.sum(axis=0) - want_t).max() > 1e-9 or np.abs(dlog.sum(axis=0) - want_d).max() > 1e-9:
        raise ScenarioError(f"scenario '{result.scenario.name}': the measures' parts do not add up to the solved "
                            "shock (was the result solved with another closure or reference?)")
    return names, tar, dlog


@dataclass(frozen=True)
class Attribution:
    """Each group's contribution to every result of a scenario.

    groups: (G,) names. method: ``"path"`` or ``"shapley"``. country: dict of (G, N) arrays
    (``welfare_pct``, ``ev``, ``real_wage_pct``, ``price_index_pct``, ``tariff_revenue``);
    total: the same keys, (N) exact changes. output (G, N, J) and output_total (N, J): gross
    output changes (level); output_before (N, J). flows (G, N, N, J) and flows_total
    (N, N, J): bilateral flow changes (level; importer, exporter, sector). accuracy: per
    result, the largest ``|sum over groups - exact change|`` (percentage points for ``_pct``
    results, baseline units otherwise). quadrature_error: for the path method, the same gap
    before it was shared among the groups (:func:`distribute_gap`): the quadrature's error in
    the sum, and the order of each group's (zero for Shapley values). nodes: quadrature nodes
    (path) or solves (shapley).
    """

    scenario: str
    by: str
    method: str
    groups: tuple[str, ...]
    countries: list[str]
    sectors: list[str]
    units: str
    country: dict[str, np.ndarray]
    total: dict[str, np.ndarray]
    output: np.ndarray
    output_total: np.ndarray
    output_before: np.ndarray
    flows: np.ndarray
    flows_total: np.ndarray
    nodes: int
    accuracy: dict[str, float] = field(default_factory=dict)
    quadrature_error: dict[str, float] = field(default_factory=dict)

    def _index(self, countries) -> list[int]:
        if countries is None:
            return list(range(len(self.countries)))
        unknown = [c for c in countries if c not in self.countries]
        if unknown:
            raise ScenarioError(f"countries: unknown code(s) {', '.join(unknown)}")
        return [self.countries.index(c) for c in countries]

    def table(self, countries=None) -> pd.DataFrame:
        """Tidy rows ``{group, country, welfare_pct, ev, real_wage_pct, price_index_pct,
        tariff_revenue}``, with a ``total`` row per country (the exact change)."""
        rows = []
        for n in self._index(countries):
            for g, name in enumerate(self.groups):
                rows.append({"group": name, "country": self.countries[n],
                             **{k: float(self.country[k][g, n]) for k in COUNTRY_COLUMNS}})
            rows.append({"group": "total", "country": self.countries[n],
                         **{k: float(self.total[k][n]) for k in COUNTRY_COLUMNS}})
        return pd.DataFrame(rows)

    def sector_table(self, country: str, top: int = 5) -> pd.DataFrame:
        """The ``top`` sectors of ``country`` by the size of their gross-output change, each
        group's contribution (level, baseline units) and the total."""
        n = self._index([country])[0]
        order = np.argsort(-np.abs(self.output_total[n]))[:top]
        df = pd.DataFrame({name: self.output[g, n, order] for g, name in enumerate(self.groups)},
                          index=pd.Index([self.sectors[j] for j in order], name="sector"))
        df["total"] = self.output_total[n, order]
        df["total_pct"] = self.output_total[n, order] / self.output_before[n, order] * 100
        return df

    def records(self, countries=None, top_sectors: int = 5) -> list[dict]:
        """JSON-ready tidy records: one per (group, country) with the country results and the
        ``top_sectors`` largest sector-output contributions."""
        out = []
        for rec in self.table(countries).to_dict("records"):
            n = self.countries.index(rec["country"])
            order = np.argsort(-np.abs(self.output_total[n]))[:top_sectors]
            g = self.groups.index(rec["group"]) if rec["group"] != "total" else None
            values = self.output_total[n] if g is None else self.output[g, n]
            rec["sector_output"] = {self.sectors[j]: float(values[j]) for j in order}
            out.append(rec)
        return out

    def meta(self) -> dict:
        return {"scenario": self.scenario, "by": self.by, "method": self.method, "groups": list(self.groups),
                "units": self.units, "nodes": self.nodes, "accuracy": self.accuracy,
                "quadrature_error": self.quadrature_error}


def _exact_totals(result) -> dict[str, np.ndarray]:
    before, v = result.solution.before, result.solution.equilibrium.values
    t0 = np.asarray(before.tariff)
    flows0 = np.asarray(before.trade_share) * np.asarray(before.expenditure)[:, None, :] / (1 + t0)
    flows1 = v["trade_share"] * v["expenditure"][:, None, :] / (1 + v["tariff"])
    income0 = np.asarray(before.value_added) + (t0 * flows0).sum(axis=(1, 2)) + np.asarray(before.deficit)
    w = v["income"] / income0 / v["price_index_hat"] - 1
    return dict(welfare_pct=w * 100, ev=income0 * w, real_wage_pct=(v["wage_hat"] / v["price_index_hat"] - 1) * 100,
                price_index_pct=(v["price_index_hat"] - 1) * 100,
                tariff_revenue=v["tariff_revenue"] - (t0 * flows0).sum(axis=(1, 2)),
                output=flows1.sum(axis=0) - flows0.sum(axis=0), output_before=flows0.sum(axis=0),
                flows=flows1 - flows0, income0=income0)


def distribute_gap(parts, total) -> np.ndarray:
    """``parts`` (G, ...) shifted to sum to ``total`` (...) exactly: the gap
    ``total - parts.sum(0)`` is shared in proportion to each part's size ``|part|`` (equally
    where every part is zero). For quadrature sums: the gap is the quadrature's error in the sum,
    the group with the largest integral is the one whose integral the error is mostly in, and a
    group that does not move a result (a zero integral) is never given any of it."""
    parts = np.asarray(parts, float)
    if len(parts) == 0:
        return parts
    size = np.abs(parts)
    whole = size.sum(axis=0)
    share = np.where(whole > 0, size / np.where(whole > 0, whole, 1.0), 1.0 / len(parts))
    return parts + share * (np.asarray(total, float) - parts.sum(axis=0))[None]


def _gap(parts, total) -> float:
    return float(np.max(np.abs(parts.sum(axis=0) - total))) if len(parts) else 0.0


def _assemble(result, by, method, names, logs: dict, levels: dict, nodes: int) -> Attribution:
    """Turn per-group log-point contributions (``log_real_income``, ``log_wage``,
    ``log_price_index``: (G, N)) and level contributions (``tariff_revenue`` (G, N),
    ``flows`` (G, N, N, J)) into an :class:`Attribution`; for the path method the quadrature's
    gap in each sum is shared among the groups (:func:`distribute_gap`) and stated."""
    exact = _exact_totals(result)
    country = {}
    real_wage = logs["log_wage"] - logs["log_price_index"]
    for key, parts in (("welfare_pct", logs["log_real_income"]), ("real_wage_pct", real_wage),
                       ("price_index_pct", logs["log_price_index"])):
        country[key] = parts * percent_factor(parts.sum(axis=0))[None]
    country["ev"] = country["welfare_pct"] / 100 * exact["income0"][None]
    country["tariff_revenue"] = levels["tariff_revenue"]
    total = {k: exact[k] for k in COUNTRY_COLUMNS}
    flows = levels["flows"]
    quadrature = {k: _gap(country[k], total[k]) for k in COUNTRY_COLUMNS}
    quadrature["output"] = _gap(flows.sum(axis=1), exact["output"])
    quadrature["flows"] = _gap(flows, exact["flows"])
    if method == "path":
        for k in ("welfare_pct", "real_wage_pct", "price_index_pct", "tariff_revenue"):
            country[k] = distribute_gap(country[k], total[k])
        country["ev"] = country["welfare_pct"] / 100 * exact["income0"][None]
        flows = distribute_gap(flows, exact["flows"])
    else:
        quadrature = {k: 0.0 for k in quadrature}          # Shapley values: exact solves, no quadrature
    output = flows.sum(axis=1)                  # gross output is the flows' sum over importers
    accuracy = {k: _gap(country[k], total[k]) for k in COUNTRY_COLUMNS}
    accuracy["output"] = _gap(output, exact["output"])
    accuracy["flows"] = _gap(flows, exact["flows"])
    return Attribution(result.scenario.name, by, method, tuple(names), list(result.countries), list(result.sectors),
                       result.units, country, total, output, exact["output"], exact["output_before"], flows,
                       exact["flows"], nodes, accuracy, quadrature)


def _path(result, by, nodes):
    names, tar, dlog = shock_parts(result, by)
    logs = {k: np.zeros((len(names), len(result.countries))) for k in ("log_real_income", "log_wage",
                                                                       "log_price_index")}
    n, j = len(result.countries), len(result.sectors)
    levels = dict(tariff_revenue=np.zeros((len(names), n)), flows=np.zeros((len(names), n, n, j)))
    if names:
        inputs, path, jac = path_of(result, nodes)
        d = path_derivatives(inputs, path, tar, dlog, options=result.solution.equilibrium.options, jacobian=jac,
                             tol=TANGENT_TOL)
        for key in logs:
            logs[key] = path.integrate(d.derivatives[key])
        for key in levels:
            levels[key] = path.integrate(d.derivatives[key])
    return _assemble(result, by, "path", names, logs, levels, nodes)


def shapley_weights(k: int) -> np.ndarray:
    """(k, 2^k) weights ``w[g, S]`` such that ``phi_g = sum_S w[g, S] Y(S)`` (subsets S as bit
    masks): ``+|S|!(k-|S|-1)!/k!`` for S containing g (from ``S \\ g``), minus that for S without g."""
    from math import factorial

    out = np.zeros((k, 2 ** k))
    for s in range(2 ** k):
        size = bin(s).count("1")
        for g in range(k):
            if s >> g & 1:
                out[g, s] += factorial(size - 1) * factorial(k - size) / factorial(k)
            else:
                out[g, s] -= factorial(size) * factorial(k - size - 1) / factorial(k)
    return out


def _shapley(result, by):
    from tradesim.model.batch import solve_batch
    from tradesim.model.counterfactual import reference_world
    from tradesim.model.solve import Shock

    names, tar, dlog = shock_parts(result, by)
    k = len(names)
    if k > MAX_SHAPLEY_GROUPS:
        raise ScenarioError(f"method 'shapley': {k} groups need 2^{k} solves; at most {MAX_SHAPLEY_GROUPS} groups "
                            "(group the measures with --by or a 'group' field, or use the path method)")
    cf = result.solution
    inputs = cf.before
    t0 = np.asarray(inputs.tariff)
    masks = np.array([[s >> g & 1 for g in range(k)] for s in range(2 ** k)], float)
    shocks = [Shock(t0 + np.tensordot(m, tar, axes=(0, 0)), np.exp(np.tensordot(m, dlog, axes=(0, 0))),
                    np.asarray(inputs.deficit)) for m in masks]
    jac = reference_world(result.baseline, cf.closure)[2]
    batch = solve_batch(inputs, shocks, cf.equilibrium.options, jacobian=jac,
                        names=[f"subset {s}" for s in range(2 ** k)]).check()
    v = batch.values
    weights = shapley_weights(k)
    flows0 = np.asarray(inputs.trade_share) * np.asarray(inputs.expenditure)[:, None, :] / (1 + t0)
    income0 = np.asarray(inputs.value_added) + (t0 * flows0).sum(axis=(1, 2)) + np.asarray(inputs.deficit)
    flows = v["trade_share"] * v["expenditure"][:, :, None, :] / (1 + v["tariff"])
    per_subset = dict(log_real_income=np.log(v["income"] / income0) - np.log(v["price_index_hat"]),
                      log_wage=np.log(v["wage_hat"]), log_price_index=np.log(v["price_index_hat"]))
    logs = {key: weights @ val for key, val in per_subset.items()}
    levels = dict(tariff_revenue=weights @ v["tariff_revenue"], flows=np.tensordot(weights, flows, axes=(1, 0)))
    return _assemble(result, by, "shapley", names, logs, levels, 2 ** k)


def attribute(result, by: By = "group", method: Method = "path", nodes: int = PATH_NODES) -> Attribution:
    """Split every result of ``result`` (a :class:`~tradesim.results.result.Result`) into one
    additive contribution per group of measures.

    Parameters
    ----------
    by : ``"label"``, ``"implementer"``, ``"kind"`` or ``"group"`` (the measures' ``group``
        field, else their label); see :func:`group_of`.
    method : ``"path"`` (subtotals along the straight path, ``nodes`` Gauss-Legendre nodes,
        default :data:`PATH_NODES`) or ``"shapley"`` (2^k exact solves, k <= 8 groups).

    Raises :class:`~tradesim.errors.ScenarioError` for unknown options,
    :class:`~tradesim.errors.NonConvergenceError` if any solve or tangent system fails.
    """
    if method not in METHODS:
        raise ScenarioError(f"method: {method!r} is not one of {', '.join(METHODS)}")
    return _path(result, by, nodes) if method == "path" else _shapley(result, by)
