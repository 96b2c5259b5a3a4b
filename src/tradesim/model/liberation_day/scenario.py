"""Scenario files of the Liberation Day family (``model = "liberation_day"``).

The layout is tradesim's scenario format (``docs/scenarios.md``) with two additions,
read here rather than by ``tradesim.scenario.spec``: a top-level ``model`` and an
``[options]`` table (the fields of :class:`~.options.LDOptions`). Measures, in order:

* ``kind = "tariff"``: ``importer`` and ``exporter`` (a label, a list or ``"all"``) and
  exactly one of ``set`` (a rate, or ``"optimal"``: the optimal uniform US tariff, with
  ``optimal_base = "expenditure"`` (default) or ``"income"`` as the authors' case 7 codes it),
  ``add`` (on top of the current rate) or ``schedule`` (a variable of the dataset, e.g.
  ``"us_tariff"``, by exporter; optional ``floor``, e.g. ``"10%"``);
* ``kind = "retaliation"``: ``mirror`` (label of an earlier tariff measure); its exporters
  charge the importer the mirrored rates (reciprocal retaliation), or ``set`` (a rate, or
  ``"optimal"``: the rest of the world's optimal uniform tariff).

Example: ``scenarios/liberation_day/ustr_tax_relief.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from tradesim.errors import ScenarioError
from tradesim.model.liberation_day import tariffs as tf
from tradesim.model.liberation_day.inputs import LDInputs
from tradesim.model.liberation_day.options import LDOptions, options_from_dict
from tradesim.scenario.spec import parse_rate

MODEL = "liberation_day"
TOP = {"name", "model", "baseline", "baseline_version", "description", "source", "options", "measures"}
FIELDS = {"tariff": {"importer", "exporter", "set", "add", "schedule", "floor", "optimal_base"},
          "retaliation": {"mirror", "importer", "set"}}
COMMON = {"kind", "label", "source", "date"}


@dataclass(frozen=True)
class LDMeasure:
    kind: str
    index: int
    params: dict
    label: str | None = None
    source: str | None = None
    date: str | None = None

    @property
    def where(self) -> str:
        return f"measure {self.index + 1}" + (f" '{self.label}'" if self.label else "") + f" ({self.kind})"


@dataclass(frozen=True)
class LDScenario:
    name: str
    baseline: str
    options: LDOptions
    measures: tuple[LDMeasure, ...]
    description: str = ""
    source: str | None = None
    path: Path | None = None
    model: str = MODEL
    baseline_version: str | None = None  # set in a resolved scenario (:func:`to_toml`)

    @property
    def key(self) -> str:
        """The file's stem (the library key), else the name."""
        return self.path.stem if self.path is not None else self.name


def _measure(raw: Any, index: int) -> LDMeasure:
    if not isinstance(raw, dict) or raw.get("kind") not in FIELDS:
        raise ScenarioError(f"measure {index + 1}: 'kind' must be one of {', '.join(FIELDS)}")
    kind = raw["kind"]
    unknown = set(raw) - FIELDS[kind] - COMMON
    if unknown:
        raise ScenarioError(f"measure {index + 1} ({kind}): unknown field(s) {', '.join(sorted(unknown))}")
    params = {k: v for k, v in raw.items() if k not in COMMON}
    m = LDMeasure(kind, index, params, raw.get("label"), raw.get("source"),
                  str(raw["date"]) if "date" in raw else None)
    if kind == "tariff" and sum(k in params for k in ("set", "add", "schedule")) != 1:
        raise ScenarioError(f"{m.where}: give exactly one of 'set', 'add', 'schedule'")
    if kind == "retaliation" and "mirror" not in params:
        raise ScenarioError(f"{m.where}: 'mirror' (the label of an earlier tariff measure) is required")
    return m


def scenario_from_dict(raw: dict, *, name: str | None = None, path: Path | None = None) -> LDScenario:
    """An :class:`LDScenario` from a parsed TOML table; a :class:`ScenarioError` naming the field otherwise."""
    unknown = set(raw) - TOP
    if unknown:
        raise ScenarioError(f"scenario: unknown top-level field(s) {', '.join(sorted(unknown))}")
    if raw.get("model", MODEL) != MODEL:
        raise ScenarioError(f"scenario: model '{raw.get('model')}' is not '{MODEL}'")
    measures = raw.get("measures", [])
    if not isinstance(measures, list):
        raise ScenarioError("scenario: 'measures' must be an array of tables ([[measures]])")
    return LDScenario(name=str(raw.get("name", name or "scenario")), baseline=str(raw.get("baseline", "baci2023")),
                      options=options_from_dict(raw.get("options")),
                      measures=tuple(_measure(m, i) for i, m in enumerate(measures)),
                      description=str(raw.get("description", "")), source=raw.get("source"), path=path,
                      baseline_version=raw.get("baseline_version"))


def load_ld_scenario(path: str | Path) -> LDScenario:
    """Read and parse a Liberation Day scenario file."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"scenario file not found: {path}") from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"scenario {path.name} is not valid TOML: {err}") from None
    return scenario_from_dict(raw, name=path.stem, path=path)


def _select(value: Any, inputs: LDInputs, field: str, where: str) -> np.ndarray:
    if value == "all" or value is None:
        return np.arange(inputs.n)
    labels = [value] if isinstance(value, str) else value
    if not isinstance(labels, list) or not all(isinstance(v, str) for v in labels):
        raise ScenarioError(f"{where}: '{field}' must be a label, a list of labels or \"all\"")
    bad = [c for c in labels if c not in inputs.countries]
    if bad:
        raise ScenarioError(f"{where}: unknown country '{bad[0]}' in '{field}'")
    return np.array([inputs.countries.index(c) for c in labels])


def _rate(m: LDMeasure, inputs: LDInputs, importers: np.ndarray, exporters: np.ndarray, *, retaliation: bool):
    value = m.params["set"]
    if value != "optimal":
        return parse_rate(value, "set", m.where)
    if retaliation:
        return tf.optimal_retaliation_rate(inputs)
    if list(importers) != [inputs.us]:
        raise ScenarioError(f"{m.where}: set = \"optimal\" is the optimal uniform tariff of the US; importer must be USA")
    return tf.optimal_us_rate(inputs, m.params.get("optimal_base", "expenditure"))


def tariff_matrix(scenario: LDScenario, inputs: LDInputs, ds: xr.Dataset) -> np.ndarray:
    """The (importer, exporter) tariff matrix the measures give, from zero baseline tariffs."""
    t = np.zeros((inputs.n, inputs.n))
    done: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for m in scenario.measures:
        if m.kind == "tariff":
            imp = _select(m.params.get("importer", "all"), inputs, "importer", m.where)
            exp = _select(m.params.get("exporter", "all"), inputs, "exporter", m.where)
            block = np.ix_(imp, exp)
            if "schedule" in m.params:
                if list(imp) != [inputs.us]:
                    raise ScenarioError(f"{m.where}: a 'schedule' gives the US tariff by partner; importer must be USA")
                floor = parse_rate(m.params.get("floor", 0.0), "floor", m.where)
                t[block] = tf.ustr_rates(ds, inputs, floor, m.params["schedule"])[exp][None, :]
            elif "add" in m.params:
                t[block] += parse_rate(m.params["add"], "add", m.where)
            else:
                t[block] = _rate(m, inputs, imp, exp, retaliation=False)
            if m.label:
                done[m.label] = (imp, exp)
        else:
            if m.params["mirror"] not in done:
                raise ScenarioError(f"{m.where}: mirror '{m.params['mirror']}' is not the label of an earlier tariff measure")
            imp, exp = done[m.params["mirror"]]
            retaliators = _select(m.params["importer"], inputs, "importer", m.where) if "importer" in m.params else exp
            if "set" in m.params:
                t[np.ix_(retaliators, imp)] = _rate(m, inputs, retaliators, imp, retaliation=True)
            else:
                t[np.ix_(retaliators, imp)] = t[np.ix_(imp, retaliators)].T
        np.fill_diagonal(t, 0.0)
    return t


def _toml_value(v: Any) -> str:
    """One TOML value (strings JSON-escaped, which TOML basic strings accept; floats by ``repr``)."""
    import json
    import math

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v) if not isinstance(v, float) or math.isfinite(v) else ("nan" if v != v else
                                                                              ("inf" if v > 0 else "-inf"))
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, str):
        return json.dumps(v)
    raise ScenarioError(f"scenario: cannot write {v!r} to TOML")


def to_toml(scenario: LDScenario, baseline_version: str | None = None) -> str:
    """The *resolved* scenario as TOML: every option explicit (``None`` ones, computed from the
    others, left out), the baseline version pinned; :func:`scenario_from_dict` of it solves to the
    same numbers (the results store keeps it for every run)."""
    from dataclasses import fields

    lines = [f"name = {_toml_value(scenario.name)}", f"model = {_toml_value(MODEL)}",
             f"baseline = {_toml_value(scenario.baseline)}"]
    version = baseline_version or scenario.baseline_version
    if version is not None:
        lines.append(f"baseline_version = {_toml_value(version)}")
    if scenario.description:
        lines.append(f"description = {_toml_value(scenario.description)}")
    if scenario.source:
        lines.append(f"source = {_toml_value(scenario.source)}")
    lines += ["", "[options]"]
    for f in fields(scenario.options):
        v = getattr(scenario.options, f.name)
        if v is not None:
            lines.append(f"{f.name} = {_toml_value(v)}")
    for m in scenario.measures:
        lines += ["", "[[measures]]", f"kind = {_toml_value(m.kind)}"]
        extra = {"label": m.label, "source": m.source, "date": m.date}
        for k, v in {**m.params, **extra}.items():
            if v is not None:
                lines.append(f"{k} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"
