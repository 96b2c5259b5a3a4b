"""Scenario files of Ossa's (2014) model (``model = "ossa2014"``), run by ``tradesim run``.

Top level: ``name``, ``model = "ossa2014"``, ``baseline = "ossa2014"`` (the shipped dataset, the
default), ``description``, ``source``, and in a resolved scenario ``baseline_version``. An
``[options]`` table (every field optional):

* ``deficit``: ``"purged"`` (default; the paper's calibration, the zero-deficit equilibrium under
  factual tariffs is the baseline, :meth:`~tradesim.model.ossa.inputs.OssaModel.purged`) or
  ``"factual"`` (the raw flows, deficits held at their factual levels);
* ``political_economy``: ``true`` (default; the author's weights ``LAMBDAPOL`` in the government
  objective ``G``, which the ``gov_welfare_pct`` outcome reports) or ``false`` (all weights one);
* ``sigma_scale``: every industry's elasticity becomes ``1 + sigma_scale (sigma_s - 1)``
  (default 1: the paper's ``SIGMA``); the Monte Carlo draws it.

Measures, applied in order to the factual tariffs ``t_jis`` (importer j, exporter i, industry s),
each ``[[measures]]`` with ``kind = "tariff"``, ``importer`` and ``exporter`` (a region, a list or
``"all"``, the default), ``industry`` (GTAP sector codes, a list or ``"all"``, the default) and
exactly one of ``add_pp`` (percentage points added), ``set_pct`` (the new level, % ad valorem) or
``schedule`` (a (sector, region) variable of the dataset giving the importer's MFN rate per
industry, e.g. ``"ref_optimal_mfn_tariff"``: the author's optimal tariffs with political-economy
weights, DATA.mat ``MFNOPTIMALTARIFFPOL``). Domestic pairs never change; a tariff below zero is
an error. Examples: ``scenarios/ossa2014/*.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from tradesim.errors import ScenarioError
from tradesim.model.scenario_tools import check_overrides, toml_value

MODEL = "ossa2014"
BASELINES = ("ossa2014",)
TOP = {"name", "model", "baseline", "baseline_version", "description", "source", "options", "measures"}
FIELDS = {"kind", "importer", "exporter", "industry", "add_pp", "set_pct", "schedule", "label", "source"}
CHANGES = ("add_pp", "set_pct", "schedule")
DEFICITS = ("purged", "factual")


@dataclass(frozen=True)
class OssaOptions:
    """The model's switches (module docstring)."""

    deficit: str = "purged"
    political_economy: bool = True
    sigma_scale: float = 1.0

    def __post_init__(self):
        if self.deficit not in DEFICITS:
            raise ScenarioError(f"options: deficit must be one of {', '.join(DEFICITS)}, not {self.deficit!r}")
        if not isinstance(self.political_economy, bool):
            raise ScenarioError(f"options: political_economy must be true or false, not {self.political_economy!r}")
        if not isinstance(self.sigma_scale, (int, float)) or not self.sigma_scale > 0:
            raise ScenarioError(f"options: sigma_scale must be a number above 0, not {self.sigma_scale!r}")


OPTIONS = tuple(f.name for f in fields(OssaOptions))


@dataclass(frozen=True)
class OssaScenario:
    name: str
    options: OssaOptions
    measures: tuple[dict, ...]
    baseline: str = BASELINES[0]
    baseline_version: str | None = None
    description: str = ""
    source: str | None = None
    path: Path | None = None
    model: str = MODEL

    @property
    def key(self) -> str:
        """The file's stem (the library key), else the name."""
        return self.path.stem if self.path is not None else self.name

    def with_options(self, **overrides) -> OssaScenario:
        check_overrides(MODEL, overrides, OPTIONS)
        values = {k: (float(v) if k == "sigma_scale" else v) for k, v in overrides.items()}
        return replace(self, options=replace(self.options, **values))


def _where(k: int, m: dict) -> str:
    return f"measure {k + 1}" + (f" '{m['label']}'" if m.get("label") else "")


def _measure(raw: Any, k: int) -> dict:
    if not isinstance(raw, dict) or raw.get("kind") != "tariff":
        raise ScenarioError(f"measure {k + 1}: 'kind' must be \"tariff\" (the ossa2014 model's only measure)")
    unknown = sorted(set(raw) - FIELDS)
    if unknown:
        raise ScenarioError(f"{_where(k, raw)}: unknown field(s) {', '.join(unknown)}; "
                            f"allowed: {', '.join(sorted(FIELDS))}")
    if sum(c in raw for c in CHANGES) != 1:
        raise ScenarioError(f"{_where(k, raw)}: give exactly one of {', '.join(CHANGES)}")
    for c in ("add_pp", "set_pct"):
        if c in raw and (isinstance(raw[c], bool) or not isinstance(raw[c], (int, float))):
            raise ScenarioError(f"{_where(k, raw)}: '{c}' must be a number (percent), not {raw[c]!r}")
    return dict(raw)


def parse_ossa_scenario(text: str, source: str = "scenario", path: Path | None = None) -> OssaScenario:
    """An :class:`OssaScenario` from TOML text; a :class:`ScenarioError` naming the field otherwise."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{source}: not valid TOML: {err}") from None
    unknown = sorted(set(raw) - TOP)
    if unknown:
        raise ScenarioError(f"{source}: unknown top-level field(s) {', '.join(unknown)}")
    if raw.get("model", MODEL) != MODEL:
        raise ScenarioError(f"{source}: model '{raw.get('model')}' is not '{MODEL}'")
    baseline = str(raw.get("baseline", BASELINES[0]))
    if baseline not in BASELINES:
        raise ScenarioError(f"baseline: the ossa2014 family runs on {', '.join(BASELINES)}, not '{baseline}'")
    opts = raw.get("options", {})
    if not isinstance(opts, dict):
        raise ScenarioError(f"{source}: 'options' must be a table ([options])")
    check_overrides(MODEL, opts, OPTIONS)
    measures = raw.get("measures", [])
    if not isinstance(measures, list):
        raise ScenarioError(f"{source}: 'measures' must be an array of tables ([[measures]])")
    version = raw.get("baseline_version")
    return OssaScenario(str(raw.get("name", path.stem if path else "scenario")), OssaOptions(**opts),
                        tuple(_measure(m, k) for k, m in enumerate(measures)), baseline,
                        None if version is None else str(version), str(raw.get("description", "")),
                        raw.get("source"), path)


def load_ossa_scenario(path: str | Path) -> OssaScenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"scenario file not found: {path}") from None
    return parse_ossa_scenario(text, str(path), path)


def _pick(value: Any, labels: tuple[str, ...], field: str, where: str) -> np.ndarray:
    if value is None or value == "all":
        return np.arange(len(labels))
    chosen = [value] if isinstance(value, str) else value
    if not isinstance(chosen, list) or not all(isinstance(v, str) for v in chosen):
        raise ScenarioError(f"{where}: '{field}' must be a label, a list of labels or \"all\"")
    bad = [v for v in chosen if v not in labels]
    if bad:
        raise ScenarioError(f"{where}: unknown {field} '{bad[0]}' (known: {', '.join(labels)})")
    return np.array([labels.index(v) for v in chosen])


def tariff_array(sc: OssaScenario, factual: np.ndarray, regions: tuple[str, ...], sectors: tuple[str, ...],
                 ds: xr.Dataset) -> np.ndarray:
    """The new tariffs (importer, exporter, industry), fractions, from the factual ones."""
    t = np.array(factual, dtype=float, copy=True)
    home = np.eye(len(regions), dtype=bool)
    for k, m in enumerate(sc.measures):
        where = _where(k, m)
        imp = _pick(m.get("importer"), regions, "importer", where)
        exp = _pick(m.get("exporter"), regions, "exporter", where)
        ind = _pick(m.get("industry"), sectors, "industry", where)
        block = np.ix_(imp, exp, ind)
        if "add_pp" in m:
            t[block] += float(m["add_pp"]) / 100
        elif "set_pct" in m:
            t[block] = float(m["set_pct"]) / 100
        else:
            name = m["schedule"]
            if name not in ds or set(ds[name].dims) != {"sector", "region"}:
                raise ScenarioError(f"{where}: schedule '{name}' is not a (sector, region) variable of the dataset")
            rates = ds[name].transpose("region", "sector").values[np.ix_(imp, ind)]  # (importer, industry)
            t[block] = rates[:, None, :]
        t[home] = np.asarray(factual)[home]  # a region's tariff on itself is not a policy
        if (t < 0).any():
            raise ScenarioError(f"{where}: gives a tariff below zero (an import subsidy)")
    return t


def to_toml(sc: OssaScenario, version: str) -> str:
    """The resolved scenario as TOML: every option explicit, the dataset version pinned."""
    lines = [f"name = {toml_value(sc.name)}", f"model = {toml_value(MODEL)}", f"baseline = {toml_value(sc.baseline)}",
             f"baseline_version = {toml_value(version)}"]
    if sc.description:
        lines.append(f"description = {toml_value(sc.description)}")
    if sc.source:
        lines.append(f"source = {toml_value(sc.source)}")
    lines += ["", "[options]"] + [f"{k} = {toml_value(getattr(sc.options, k))}" for k in OPTIONS]
    for m in sc.measures:
        lines += ["", "[[measures]]"] + [f"{k} = {toml_value(v)}" for k, v in m.items()]
    return "\n".join(lines) + "\n"
