"""Scenario files of the gravity family (``model = "gravity"``), run by ``tradesim run``.

The file is a gravity experiment file (:func:`tradesim.gravity.experiment.parse_experiment`:
``sigma``, ``reference_importer``, ``year``, ``compat``, either a PPML ``formula`` (with
``fixed_effects``, ``vcov``) or fixed ``[coefficients]``, then ``[[change]]`` and ``[[tariff]]``
entries) with three more top-level fields: ``model = "gravity"``, ``baseline`` (the shipped panel
``"gegravity2006"``, the default) and, in a resolved scenario, ``baseline_version``. The same file
stays readable by ``tradesim gravity simulate DATA --experiment FILE``.

The *resolved* scenario (:func:`to_toml`) names every option and pins the baseline version and the
trade-cost coefficients (PPML repeats to about 1e-7 only, so a rerun of a formula would not give
the same bits); the results store keeps it for every run. Example: ``scenarios/gravity_can_jpn.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from tradesim.errors import ScenarioError
from tradesim.gravity.experiment import CostChange, ExperimentSpec, TariffChange, parse_experiment
from tradesim.gravity.literals import check_compat
from tradesim.model.scenario_tools import check_overrides, toml_value

MODEL = "gravity"
BASELINES = ("gegravity2006",)
#: the options a sweep, a Monte Carlo draw or ``run(..., **overrides)`` may replace
OPTIONS = ("sigma", "reference_importer", "compat")


@dataclass(frozen=True)
class GravityScenario:
    """A parsed gravity scenario: the experiment file's :class:`ExperimentSpec` and where it runs."""

    name: str
    spec: ExperimentSpec
    baseline: str = BASELINES[0]
    baseline_version: str | None = None
    description: str = ""
    path: Path | None = None
    model: str = MODEL

    @property
    def key(self) -> str:
        """The file's stem (the library key), else the name."""
        return self.path.stem if self.path is not None else self.name

    def with_options(self, **overrides) -> GravityScenario:
        """The scenario with some of :data:`OPTIONS` replaced (checked as the file's are)."""
        check_overrides(MODEL, overrides, OPTIONS)
        if "sigma" in overrides and not float(overrides["sigma"]) > 1:
            raise ScenarioError(f"sigma: must be above 1, not {overrides['sigma']!r}")
        if "compat" in overrides:
            check_compat(overrides["compat"])
        values = {k: (float(v) if k == "sigma" else str(v)) for k, v in overrides.items()}
        return replace(self, spec=replace(self.spec, **values))

    def pinned(self, coefficients: dict[str, float], version: str) -> GravityScenario:
        """The scenario with fixed ``coefficients`` and the baseline ``version``."""
        return replace(self, spec=replace(self.spec, coefficients=dict(coefficients)), baseline_version=version)


def parse_gravity_scenario(text: str, source: str = "scenario", path: Path | None = None) -> GravityScenario:
    """A :class:`GravityScenario` from TOML text; a :class:`ScenarioError` naming the field otherwise."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{source}: not valid TOML: {err}") from None
    if raw.get("model", MODEL) != MODEL:
        raise ScenarioError(f"{source}: model '{raw.get('model')}' is not '{MODEL}'")
    baseline = str(raw.get("baseline", BASELINES[0]))
    if baseline not in BASELINES:
        raise ScenarioError(f"baseline: the gravity family runs on {', '.join(BASELINES)}, not '{baseline}'")
    spec = parse_experiment(text, source)
    check_compat(spec.compat)
    version = raw.get("baseline_version")
    return GravityScenario(spec.experiment.name, spec, baseline, None if version is None else str(version),
                           str(raw.get("description", "")), path)


def load_gravity_scenario(path: str | Path) -> GravityScenario:
    """Read and parse a gravity scenario file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"scenario file not found: {path}") from None
    return parse_gravity_scenario(text, str(path), path)


def to_toml(sc: GravityScenario) -> str:
    """The resolved scenario as TOML (every option explicit; coefficients and baseline version as
    pinned by :meth:`GravityScenario.pinned`); parsing it solves to the same bits."""
    s = sc.spec
    if s.coefficients is None or sc.baseline_version is None:
        raise ScenarioError("scenario: pin the coefficients and the baseline version before writing it resolved")
    lines = [f"name = {toml_value(sc.name)}", f"model = {toml_value(MODEL)}", f"baseline = {toml_value(sc.baseline)}",
             f"baseline_version = {toml_value(sc.baseline_version)}"]
    if sc.description:
        lines.append(f"description = {toml_value(sc.description)}")
    if s.year is not None:
        lines.append(f"year = {toml_value(s.year)}")
    lines += [f"sigma = {toml_value(s.sigma)}", f"reference_importer = {toml_value(s.reference_importer)}",
              f"compat = {toml_value(s.compat)}"]
    if s.show:
        lines.append(f"show = {toml_value(list(s.show))}")
    if s.formula is not None:  # how the pinned coefficients were estimated (fixed coefficients win)
        lines += [f"formula = {toml_value(s.formula)}", f"fixed_effects = {toml_value(list(s.fixed_effects))}",
                  f"vcov = {toml_value(s.vcov)}"]
    lines += ["", "[coefficients]"] + [f"{toml_value(k)} = {toml_value(v)}" for k, v in s.coefficients.items()]
    for ch in s.experiment.changes:
        head = "[[change]]" if isinstance(ch, CostChange) else "[[tariff]]"
        first = ([f"variable = {toml_value(ch.variable)}", f"value = {toml_value(ch.value)}"]
                 if isinstance(ch, CostChange) else [f"rate = {toml_value(ch.rate)}"])
        lines += ["", head, *first, f"exporters = {toml_value(list(ch.exporters))}",
                  f"importers = {toml_value(list(ch.importers))}", f"symmetric = {toml_value(ch.symmetric)}"]
    kinds = [isinstance(ch, TariffChange) for ch in s.experiment.changes]
    if kinds != sorted(kinds):  # the file format reads every [[change]] before every [[tariff]]
        raise ScenarioError("scenario: a resolved gravity scenario lists its cost changes before its tariffs")
    return "\n".join(lines) + "\n"
