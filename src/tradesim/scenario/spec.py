"""Scenario files: what a policy change *says*, before it meets a baseline.

A scenario is a TOML file::

    name = "NAFTA tariff reductions"
    baseline = "cp2015"            # a shipped baseline (tradesim baselines)
    closure = "zero_deficit"       # or "fixed_deficit" (default)
    elasticity_set = "CP"          # optional, baselines that ship several sets
    baseline_version = "..."       # optional: refuse a baseline of another version
    reference = "other.toml"       # optional: measure against that scenario's world
                                   # (or an inline [reference] table with its own [[reference.measures]])
    include = ["other.toml"]       # optional: that file's measures come first
    regime = "us-2025-11-14"       # optional: the tariffs in force on that date (tradesim.scenario.regime)
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

Measures apply in file order; a measure that sets a rate another one already set
must say ``override = true`` to win (otherwise the two contradict and the scenario
is refused). Tariffs below zero need ``subsidy = true``. Own-country flows (importer = exporter) are never
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
from tradesim.literals import CLOSURES, Closure, check_closure  # noqa: F401  (re-exported)
from tradesim.scenario.kinds import KINDS, kind_names

#: Largest scenario file read (bytes): the dashboard's request limit, for the CLI as for the web.
MAX_SCENARIO_BYTES = 2 * 1024 * 1024  # a dated tariff regime written out is ~0.5 MB
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
    override: bool = False
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
    reference: str | dict | None = None
    path: Path | None = None
    baseline_version: str | None = None

    @property
    def key(self) -> str:
        """Short identifier: the file name without extension, else the name."""
        return self.path.stem if self.path else self.name


_COMMON = {"kind", "importer", "exporter", "sector", "source", "date", "label", "note", "group",
           "exclude_importer", "exclude_exporter", "exclude_sector", "override"}
_TOP = {"name", "baseline", "closure", "measures", "elasticity_set", "description", "source", "date", "title",
        "reference", "include", "baseline_version", "regime"}


def _measure(raw: Any, index: int) -> Measure:
    where = f"measure {index + 1}"
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: each [[measures]] entry must be a table")
    kind = raw.get("kind")
    if kind not in KINDS:  # the kinds and their fields: tradesim.scenario.kinds
        raise ScenarioError(f"{where}: unknown kind {kind!r}; known kinds: {', '.join(kind_names())}")
    where = f"measure {index + 1} ({kind})"
    for key, value in raw.items():
        values = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and v.startswith(PLACEHOLDER) for v in values):
            raise ScenarioError(f"{where}: '{key}' is a placeholder ({value!r}); fill it in before running")
    unknown = set(raw) - _COMMON - KINDS[kind].fields
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
    params = {k: v for k, v in raw.items() if k in KINDS[kind].fields}
    for text_field in ("source", "label", "group"):  # a date may be a TOML date or text
        if text_field in raw and not isinstance(raw[text_field], str):
            raise ScenarioError(f"{where}: '{text_field}' must be text")
    if not isinstance(raw.get("override", False), bool):
        raise ScenarioError(f"{where}: 'override' must be true or false, not {raw['override']!r}")
    return Measure(kind, index, selectors, exclude, params, raw.get("source"),
                   str(raw["date"]) if "date" in raw else None, raw.get("label"), raw.get("override", False),
                   raw.get("group"))


def parse_scenario(text: str, *, name: str | None = None, path: Path | None = None) -> Scenario:
    """Parse scenario TOML text; raise :class:`ScenarioError` naming what is wrong
    (also for empty, binary or oversized text: :func:`check_text`)."""
    check_text(text, path.name if path else "scenario")
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
    closure = check_closure(raw.get("closure", "fixed_deficit"), "scenario: closure")
    measures = raw.get("measures", [])
    if not isinstance(measures, list):
        raise ScenarioError("scenario: 'measures' must be an array of tables ([[measures]])")
    baseline = raw.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        raise ScenarioError("scenario: 'baseline' must be a baseline name")
    if "regime" in raw:  # a dated tariff regime: its measures come before the file's own
        from tradesim.scenario.regime import expand_regime
        measures = expand_regime(raw["regime"], baseline) + measures
    for text_field in ("baseline_version", "elasticity_set"):
        if raw.get(text_field) is not None and not isinstance(raw[text_field], str):
            raise ScenarioError(f"scenario: '{text_field}' must be text, not {raw[text_field]!r}")
    reference = raw.get("reference")
    if reference is not None and not isinstance(reference, (str, dict)):
        raise ScenarioError("scenario: 'reference' must be a scenario file name or an inline [reference] table")
    return Scenario(
        name=str(raw.get("name", name or "scenario")),
        baseline=baseline,
        closure=closure,
        measures=tuple(_measure(m, i) for i, m in enumerate(measures)),
        elasticity_set=raw.get("elasticity_set"),
        description=str(raw.get("description", "")),
        source=raw.get("source"),
        text=text,
        reference=reference,
        path=path,
        baseline_version=raw.get("baseline_version"),
    )


def load_scenario(path: str | Path, _seen: tuple[Path, ...] = ()) -> Scenario:
    """Read and parse a scenario file (with the measures of the files it includes)."""
    path = Path(path)
    if path.resolve() in _seen:
        raise ScenarioError(f"scenario {path.name} includes itself (through {' -> '.join(p.name for p in _seen)})")
    return _with_includes(read_scenario_text(path), path, _seen)


def _with_includes(text: str, path: Path, _seen: tuple[Path, ...] = ()) -> Scenario:
    """Parse ``text`` as the file ``path`` (its includes are siblings of ``path``)."""
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


def check_text(text: str, what: str = "scenario") -> None:
    """Refuse what is no scenario file: empty, binary (NUL bytes) or over
    :data:`MAX_SCENARIO_BYTES`. Same checks for the CLI, the API and the web."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SCENARIO_BYTES:
        raise ScenarioError(f"{what}: larger than {MAX_SCENARIO_BYTES // 1024} KiB; a scenario is a short "
                            "TOML file")
    if "\x00" in text:
        raise ScenarioError(f"{what}: binary data (NUL bytes), not scenario TOML text")
    if not text.strip():
        raise ScenarioError(f"{what}: empty; a scenario needs a name and [[measures]] (see docs/scenarios.md)")


def read_scenario_text(path: str | Path) -> str:
    """A scenario file's text, refused (:class:`ScenarioError`) if missing, not UTF-8,
    binary, empty or oversized."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SCENARIO_BYTES:
            raise ScenarioError(f"scenario file {path}: {size / 1024:.0f} KiB is larger than "
                                f"{MAX_SCENARIO_BYTES // 1024} KiB; a scenario is a short TOML file")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(f"scenario file not found: {path}") from None
    except IsADirectoryError:
        raise ScenarioError(f"scenario file {path} is a folder, not a file") from None
    if b"\x00" in data:
        raise ScenarioError(f"scenario file {path}: binary data (NUL bytes), not scenario TOML text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(f"scenario file {path} is not UTF-8 text: {err}") from None
    check_text(text, f"scenario file {path}")
    return text


def check_runnable(scenario: Scenario) -> None:
    """Refuse a scenario that changes nothing: no measures and no reference world."""
    if not scenario.measures and scenario.reference is None:
        raise ScenarioError(f"scenario '{scenario.name}': no [[measures]] (and no reference): it changes nothing")


def library_names(library: Path) -> list[str]:
    """The scenario names of a library folder (its ``*.toml`` files but ``library.toml``)."""
    return sorted(p.stem for p in Path(library).glob("*.toml") if p.stem != "library")


def scenario_in_library(text: str, library: str | Path, *, name: str = "pasted") -> Scenario:
    """Parse scenario text (pasted in the dashboard) whose ``include`` and ``reference``
    name scenarios of ``library`` by name only: a name with a path, a folder or a
    suffix other than ``.toml`` is refused, so nothing the text says reaches a file
    outside the library. Otherwise the scenario is read as a file of the library
    would be, with the same errors."""
    library = Path(library)
    raw = parse_scenario(text, name=name)  # the TOML errors first
    known = library_names(library)
    data = tomllib.loads(text)
    includes = data.get("include", [])
    wanted = ([includes] if isinstance(includes, str) else includes if isinstance(includes, list) else [includes])
    refs = [("include", x) for x in wanted] + ([("reference", raw.reference)] if isinstance(raw.reference, str) else [])
    for field_name, value in refs:
        stem = value.removesuffix(".toml") if isinstance(value, str) else value
        if not isinstance(stem, str) or stem not in known:
            shown = ", ".join(known[:40]) or "none"
            raise ScenarioError(f"scenario '{raw.name}': '{field_name}' = {value!r} is not a scenario of the library "
                                f"(by name only, no paths; the library has: {shown})")
    return _with_includes(text, library / f"{name}.toml")


def _sibling(path: Path, name: str) -> Path:
    return path.parent / (name if name.endswith(".toml") else f"{name}.toml")


def resolve_reference(scenario: Scenario) -> Scenario | None:
    """The scenario a scenario is measured against (``reference = "other.toml"``,
    relative to the scenario's folder), or ``None``."""
    if scenario.reference is None:
        return None
    if isinstance(scenario.reference, dict):  # inlined, as in a resolved scenario (tradesim.scenario.resolve)
        ref = scenario_from_dict(scenario.reference, name="reference")
    else:
        ref = load_scenario(_sibling(scenario.path or Path.cwd() / "x.toml", scenario.reference))
    if ref.reference is not None:
        raise ScenarioError(f"scenario '{scenario.name}': its reference '{ref.name}' has a reference itself; "
                            "chains are not supported")
    return ref
