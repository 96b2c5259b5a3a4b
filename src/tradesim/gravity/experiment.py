"""Counterfactual experiments: changes of estimated trade-cost variables and tariffs.

An :class:`Experiment` is a list of :class:`CostChange` (set a cost variable,
e.g. ``pta``, to a new value for some exporter->importer pairs) and
:class:`TariffChange` (an additional ad valorem tariff). Both are applied to the
baseline's cost variables by :func:`counterfactual_log_cost`; domestic pairs
(i = j) are never changed.

Tariffs enter as iceberg-equivalent trade costs,
``t_hat^(1-sigma) = (1 + tau)^(1-sigma)``; the endowment economy has no
tariff revenue (expenditure follows ``E = phi Y``), so a tariff here is a pure
trade cost of the same size.

Example
-------
>>> Experiment("CAN-JPN PTA", (CostChange("pta", 1.0, ("CAN",), ("JPN",)),))  # doctest: +ELLIPSIS
Experiment(name='CAN-JPN PTA', ...)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tradesim.errors import ScenarioError


@dataclass(frozen=True)
class CostChange:
    """Set cost ``variable`` to ``value`` on every exporter->importer pair named
    (both directions when ``symmetric``). ``("all",)`` selects every country."""

    variable: str
    value: float
    exporters: tuple[str, ...]
    importers: tuple[str, ...]
    symmetric: bool = True


@dataclass(frozen=True)
class TariffChange:
    """An additional ad valorem tariff ``rate`` (0.1 = 10%) on the pairs named."""

    rate: float
    exporters: tuple[str, ...]
    importers: tuple[str, ...]
    symmetric: bool = False


@dataclass(frozen=True)
class Experiment:
    name: str
    changes: tuple[CostChange | TariffChange, ...] = ()


@dataclass(frozen=True)
class ExperimentSpec:
    """A TOML experiment file: the data's use (formula, fixed effects, year), the
    model's parameters (sigma, reference importer, compat) and the experiment."""

    experiment: Experiment
    sigma: float = 5.0
    reference_importer: str = "DEU"
    year: Any = None
    formula: str | None = None
    fixed_effects: tuple[str, ...] = ("exporter", "importer")
    vcov: str = "pair"
    coefficients: dict[str, float] | None = None
    compat: str = "consistent"
    draws: int = 0
    seed: int = 0
    show: tuple[str, ...] = field(default_factory=tuple)


_TOP = {"name", "sigma", "reference_importer", "year", "formula", "fixed_effects", "vcov", "coefficients",
        "compat", "change", "tariff", "uncertainty", "show", "description"}
# read by ``tradesim run`` (the gravity family's scenario files, tradesim.model.gravity.scenario), ignored here
_TOP |= {"model", "baseline", "baseline_version"}


def _labels(entry: dict, key: str, where: str) -> tuple[str, ...]:
    v = entry.get(key)
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not v or not all(isinstance(c, str) for c in v):
        raise ScenarioError(f"{where}: '{key}' must be a country code or a list of them")
    return tuple(v)


def _unknown(entry: dict, allowed: set, where: str) -> None:
    extra = sorted(set(entry) - allowed)
    if extra:
        raise ScenarioError(f"{where}: unknown key(s) {', '.join(extra)}; allowed: {', '.join(sorted(allowed))}")


def parse_experiment(text: str, source: str = "experiment") -> ExperimentSpec:
    """Parse a TOML experiment spec (see ``scenarios/gravity_can_jpn.toml``)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{source}: not valid TOML: {err}") from err
    _unknown(raw, _TOP, source)
    changes: list[CostChange | TariffChange] = []
    for k, c in enumerate(raw.get("change", [])):
        where = f"{source}: change {k + 1}"
        _unknown(c, {"variable", "value", "exporters", "importers", "symmetric"}, where)
        if not isinstance(c.get("variable"), str) or not isinstance(c.get("value"), (int, float)):
            raise ScenarioError(f"{where}: needs 'variable' (a cost variable) and a numeric 'value'")
        changes.append(CostChange(c["variable"], float(c["value"]), _labels(c, "exporters", where),
                                  _labels(c, "importers", where), bool(c.get("symmetric", True))))
    for k, c in enumerate(raw.get("tariff", [])):
        where = f"{source}: tariff {k + 1}"
        _unknown(c, {"rate", "exporters", "importers", "symmetric"}, where)
        rate = c.get("rate")
        if not isinstance(rate, (int, float)) or rate <= -1:
            raise ScenarioError(f"{where}: 'rate' must be a number above -1 (0.1 = 10%)")
        changes.append(TariffChange(float(rate), _labels(c, "exporters", where), _labels(c, "importers", where),
                                    bool(c.get("symmetric", False))))
    if not changes:
        raise ScenarioError(f"{source}: no [[change]] or [[tariff]] entries: the experiment changes nothing")
    sigma = raw.get("sigma", 5.0)
    if not isinstance(sigma, (int, float)) or sigma <= 1:
        raise ScenarioError(f"{source}: 'sigma' must be a number above 1, not {sigma!r}")
    unc = raw.get("uncertainty", {})
    _unknown(unc, {"draws", "seed"}, f"{source}: [uncertainty]")
    coefs = raw.get("coefficients")
    if coefs is not None and not all(isinstance(v, (int, float)) for v in coefs.values()):
        raise ScenarioError(f"{source}: [coefficients] values must be numbers")
    if coefs is None and raw.get("formula") is None:
        raise ScenarioError(f"{source}: give a 'formula' to estimate or fixed [coefficients]")
    return ExperimentSpec(
        experiment=Experiment(str(raw.get("name", Path(source).stem)), tuple(changes)),
        sigma=float(sigma), reference_importer=str(raw.get("reference_importer", "DEU")), year=raw.get("year"),
        formula=raw.get("formula"), fixed_effects=tuple(raw.get("fixed_effects", ("exporter", "importer"))),
        vcov=str(raw.get("vcov", "pair")), coefficients=None if coefs is None else {k: float(v) for k, v in coefs.items()},
        compat=str(raw.get("compat", "consistent")), draws=int(unc.get("draws", 0)), seed=int(unc.get("seed", 0)),
        show=tuple(raw.get("show", ())))


def load_experiment(path: str | Path) -> ExperimentSpec:
    path = Path(path)
    if not path.exists():
        raise ScenarioError(f"experiment file not found: {path}")
    return parse_experiment(path.read_text(encoding="utf-8"), str(path))


def _mask(countries: tuple[str, ...], exporters, importers, symmetric: bool, where: str) -> np.ndarray:
    """(importer, exporter) boolean mask of the pairs selected, domestic pairs excluded."""
    index = {c: k for k, c in enumerate(countries)}

    def pick(labels):
        if tuple(labels) == ("all",):
            return np.ones(len(countries), dtype=bool)
        unknown = [c for c in labels if c not in index]
        if unknown:
            raise ScenarioError(f"{where}: unknown country code(s) {', '.join(unknown)}")
        m = np.zeros(len(countries), dtype=bool)
        m[[index[c] for c in labels]] = True
        return m

    ex, im = pick(exporters), pick(importers)
    mask = im[:, None] & ex[None, :]
    if symmetric:
        mask |= mask.T
    np.fill_diagonal(mask, False)
    return mask


def counterfactual_log_cost(countries, variables, coefficients, cost_data, experiment: Experiment, sigma: float):
    """``log t'^(1-sigma)`` (importer, exporter) after the experiment's changes.

    cost_data: (N, N, K) values of the K cost variables, (importer, exporter, variable).
    """
    x = np.array(cost_data, dtype=float, copy=True)
    extra = np.zeros(x.shape[:2])
    for k, ch in enumerate(experiment.changes):
        where = f"experiment {experiment.name!r}, change {k + 1}"
        mask = _mask(tuple(countries), ch.exporters, ch.importers, ch.symmetric, where)
        if isinstance(ch, CostChange):
            if ch.variable not in variables:
                raise ScenarioError(f"{where}: {ch.variable!r} is not a cost variable of the model "
                                    f"({', '.join(variables)})")
            x[..., list(variables).index(ch.variable)][mask] = ch.value
        else:
            extra[mask] += (1.0 - sigma) * np.log1p(ch.rate)
    return x @ np.asarray(coefficients, dtype=float) + extra
