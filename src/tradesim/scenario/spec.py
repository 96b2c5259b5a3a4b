"""Scenario files: what a policy change *says*, before it meets a baseline.

A scenario is a TOML file::

    name = "NAFTA tariff reductions"
    baseline = "cp2015"            # a shipped baseline (tradesim baselines)
    closure = "zero_deficit"       # or "fixed_deficit" (default)
    elasticity_set = "CP"          # optional, baselines that ship several sets
    reference = "other.toml"       # optional: measure against that scenario's world
    include = ["other.toml"]       # optional: that file's measures come first
    source = "Caliendo and Parro (2015), section 5"

    [[measures]]
    kind = "tariff"                # ad valorem tariff
    importer = ["CAN", "MEX", "USA"]   # a label, a list, or "all"
    exporter = ["CAN", "MEX", "USA"]
    sector = "all"
    exclude_sector = ["Auto"]      # optional exclusions on every selector
    schedule = "tariff_2005"       # take rates from a schedule shipped with the baseline
    # or:  set = 0.15    (new rate; 0.15 or "15%")
    # or:  add = 0.20    (stacks on the current rate: 34% + 20% = 54%)
    source = "..."                 # every measure may carry a source and a date
    date = "2005-01-01"
    group = "NAFTA tariffs"        # optional: the group `tradesim attribute --by group` credits

    [[measures]]
    kind = "iceberg"               # iceberg trade cost
    importer = "MEX"; exporter = "USA"; sector = "all"
    change = -0.05                 # d_hat = 0.95

Measures apply in file order. Own-country flows (importer = exporter) are never
touched by bilateral measures. Rates are fractions (``0.25``) or percent strings
(``"25%"``). This module only parses and checks the form of a scenario; labels
are checked against a baseline in :mod:`tradesim.scenario.apply`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from tradesim.errors import ScenarioError

Closure = Literal["zero_deficit", "fixed_deficit"]
CLOSURES: tuple[str, ...] = ("zero_deficit", "fixed_deficit")
SELECTORS = ("importer", "exporter", "sector")
#: Value that marks a field a drafted scenario leaves to the analyst (``add = "FILL-IN: rate"``).
PLACEHOLDER = "FILL-IN"


def parse_rate(value: Any, field_name: str, where: str) -> float:
    """A rate given as a fraction (0.25) or a percent string ("25%")."""
    if isinstance(value, bool):
        raise ScenarioError(f"{where}: '{field_name}' must be a number or a percent string, not {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        try:
            return float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            pass
    raise ScenarioError(f"{where}: '{field_name}' = {value!r} is not a rate (use 0.25 or \"25%\")")


def _labels(value: Any, field_name: str, where: str) -> tuple[str, ...] | Literal["all"]:
    if value == "all":
        return "all"
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ScenarioError(f"{where}: '{field_name}' must be a label, a list of labels or \"all\", not {value!r}")


@dataclass(frozen=True)
class Measure:
    """One policy measure, as written in the scenario.

    ``selectors`` maps importer/exporter/sector to label tuples or ``"all"``;
    ``exclude`` maps the same keys to labels taken out again. ``params`` keeps
    the kind-specific fields (``set``, ``add``, ``schedule``, ``change``, ...).
    """

    kind: str
    index: int
    selectors: dict[str, Any]
    exclude: dict[str, tuple[str, ...]]
    params: dict[str, Any]
    source: str | None = None
    date: str | None = None
    label: str | None = None
    group: str | None = None    # optional name to attribute the measure's effect to (tradesim attribute)

    @property
    def where(self) -> str:
        name = f" '{self.label}'" if self.label else ""
        return f"measure {self.index + 1}{name} ({self.kind})"


@dataclass(frozen=True)
class Scenario:
    """A parsed scenario: metadata plus an ordered tuple of measures."""

    name: str
    baseline: str | None
    closure: Closure
    measures: tuple[Measure, ...]
    elasticity_set: str | None = None
    description: str = ""
    source: str | None = None
    text: str = ""
    reference: str | None = None
    path: Path | None = None

    @property
    def key(self) -> str:
        """Short identifier: the file name without extension, else the name."""
        return self.path.stem if self.path else self.name


_MEASURE_FIELDS = {
    "tariff": {"set", "add", "schedule"},
    "iceberg": {"change"},
}
_COMMON = {"kind", "importer", "exporter", "sector", "source", "date", "label", "note", "group",
           "exclude_importer", "exclude_exporter", "exclude_sector"}
_TOP = {"name", "baseline", "closure", "measures", "elasticity_set", "description", "source", "date", "title",
        "reference", "include"}


def register_measure_kind(kind: str, fields: set[str]) -> None:
    """Allow a new measure kind with its own fields (used by the product measures)."""
    _MEASURE_FIELDS[kind] = set(fields)


def _measure(raw: Any, index: int) -> Measure:
    where = f"measure {index + 1}"
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: each [[measures]] entry must be a table")
    kind = raw.get("kind")
    if kind not in _MEASURE_FIELDS:
        raise ScenarioError(f"{where}: unknown kind {kind!r}; known kinds: {', '.join(sorted(_MEASURE_FIELDS))}")
    where = f"measure {index + 1} ({kind})"
    for key, value in raw.items():
        values = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and v.startswith(PLACEHOLDER) for v in values):
            raise ScenarioError(f"{where}: '{key}' is a placeholder ({value!r}); fill it in before running")
    unknown = set(raw) - _COMMON - _MEASURE_FIELDS[kind]
    if unknown:
        raise ScenarioError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    selectors = {key: _labels(raw.get(key, "all"), key, where) for key in SELECTORS}
    exclude = {}
    for key in SELECTORS:
        if f"exclude_{key}" in raw:
            ex = _labels(raw[f"exclude_{key}"], f"exclude_{key}", where)
            if ex == "all":
                raise ScenarioError(f"{where}: 'exclude_{key}' cannot be \"all\"")
            exclude[key] = ex
    params = {k: v for k, v in raw.items() if k in _MEASURE_FIELDS[kind]}
    for text_field in ("source", "label", "group"):  # a date may be a TOML date or text
        if text_field in raw and not isinstance(raw[text_field], str):
            raise ScenarioError(f"{where}: '{text_field}' must be text")
    return Measure(kind, index, selectors, exclude, params, raw.get("source"),
                   str(raw["date"]) if "date" in raw else None, raw.get("label"), raw.get("group"))


def parse_scenario(text: str, *, name: str | None = None, path: Path | None = None) -> Scenario:
    """Parse scenario TOML text; raise :class:`ScenarioError` naming what is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"scenario is not valid TOML: {err}") from None
    return scenario_from_dict(raw, name=name, path=path, text=text)


def scenario_from_dict(raw: dict, *, name: str | None = None, path: Path | None = None, text: str = "") -> Scenario:
    """A :class:`Scenario` from the parsed TOML table (as :func:`parse_scenario` reads it)."""
    unknown = set(raw) - _TOP
    if unknown:
        raise ScenarioError(f"scenario: unknown top-level field(s) {', '.join(sorted(unknown))}")
    closure = raw.get("closure", "fixed_deficit")
    if closure not in CLOSURES:
        raise ScenarioError(f"scenario: closure {closure!r} is not one of {', '.join(CLOSURES)}")
    measures = raw.get("measures", [])
    if not isinstance(measures, list):
        raise ScenarioError("scenario: 'measures' must be an array of tables ([[measures]])")
    baseline = raw.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        raise ScenarioError("scenario: 'baseline' must be a baseline name")
    return Scenario(
        name=str(raw.get("name", name or "scenario")),
        baseline=baseline,
        closure=closure,
        measures=tuple(_measure(m, i) for i, m in enumerate(measures)),
        elasticity_set=raw.get("elasticity_set"),
        description=str(raw.get("description", "")),
        source=raw.get("source"),
        text=text,
        reference=raw.get("reference"),
        path=path,
    )


def load_scenario(path: str | Path, _seen: tuple[Path, ...] = ()) -> Scenario:
    """Read and parse a scenario file (with the measures of the files it includes)."""
    path = Path(path)
    if path.resolve() in _seen:
        raise ScenarioError(f"scenario {path.name} includes itself (through {' -> '.join(p.name for p in _seen)})")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"scenario file not found: {path}") from None
    except (UnicodeDecodeError, IsADirectoryError) as err:
        raise ScenarioError(f"scenario file {path} cannot be read as text: {err}") from None
    scenario = parse_scenario(text, name=path.stem, path=path)
    raw = tomllib.loads(text).get("include", [])
    includes = [raw] if isinstance(raw, str) else raw
    if not isinstance(includes, list) or not all(isinstance(x, str) for x in includes):
        raise ScenarioError(f"scenario '{scenario.name}': 'include' must be a scenario file name or a list of them")
    if includes:
        # Included measures come first, in order; each keeps its own label and source.
        measures: list[Measure] = []
        for name in includes:
            other = load_scenario(_sibling(path, name), _seen + (path.resolve(),))
            # an included file's measures are grouped under its name unless they name a group
            measures += [m if m.group else replace(m, group=other.name) for m in other.measures]
        measures += list(scenario.measures)
        renumbered = tuple(replace(m, index=i) for i, m in enumerate(measures))
        scenario = replace(scenario, measures=renumbered)
    return scenario


def _sibling(path: Path, name: str) -> Path:
    return path.parent / (name if name.endswith(".toml") else f"{name}.toml")


def resolve_reference(scenario: Scenario) -> Scenario | None:
    """The scenario a scenario is measured against (``reference = "other.toml"``,
    relative to the scenario's folder), or ``None``."""
    if scenario.reference is None:
        return None
    ref = load_scenario(_sibling(scenario.path or Path.cwd() / "x.toml", scenario.reference))
    if ref.reference is not None:
        raise ScenarioError(f"scenario '{scenario.name}': its reference '{ref.name}' has a reference itself; "
                            "chains are not supported")
    return ref
