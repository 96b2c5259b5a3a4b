"""The resolved scenario: what was actually solved, as one self-contained TOML file.

A scenario file may lean on others (``include``, ``reference``) and leave the
baseline's version, its elasticity set and the closure to defaults or to the
command line. The resolved scenario writes all of them out: the included measures
inlined in order, the reference world as an inline ``[reference]`` table with its
own ``[[reference.measures]]``, and ``baseline``, ``baseline_version``,
``elasticity_set`` and ``closure`` explicit. Running the resolved text gives the
same numbers as the run it came from (a test reruns every library scenario this
way), and it is what runs record, save (``scenario.toml``) and export.

>>> from tradesim.scenario.spec import load_scenario
>>> scn = load_scenario("scenarios/us_japan_deal_2025_07.toml")          # doctest: +SKIP
>>> print(resolved_toml(scn, "icio2022", "2022.1", None, "fixed_deficit"))  # doctest: +SKIP
"""

from __future__ import annotations

import math
from dataclasses import fields, replace
from typing import Any

from tradesim.errors import ScenarioError
from tradesim.scenario.spec import SELECTORS, Measure, Scenario, parse_scenario, resolve_reference

#: Measure attributes written by their own logic (the rest are written by name when set).
_STRUCTURAL = {"kind", "index", "selectors", "exclude", "params"}
#: Scenario fields written by their own logic or not at all (the rest by name when set).
_TOP_WRITTEN = {"name", "baseline", "baseline_version", "elasticity_set", "closure", "description", "source",
                "measures", "text", "reference", "path"}
#: Scenario fields a resolved scenario may differ in from the one it resolves.
_NOT_COMPARED = {"text", "path", "reference"}


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _value(v: Any) -> str:
    """One TOML value (the types a parsed scenario holds)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        text = repr(v)  # shortest text that reads back as the same float
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(v, str):  # a TOML basic string: escape backslash, quote and control characters
        return '"' + "".join(_ESCAPES.get(c, c if ord(c) >= 0x20 and ord(c) != 0x7F else f"\\u{ord(c):04X}")
                             for c in v) + '"'
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise ScenarioError(f"resolved scenario: cannot write a value of type {type(v).__name__} ({v!r})")


def _key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() else _value(k)


def measure_table(m: Measure) -> dict[str, Any]:
    """A measure as the TOML table that parses back to it."""
    out: dict[str, Any] = {"kind": m.kind}
    for key in SELECTORS:
        sel = m.selectors.get(key, "all")
        out[key] = "all" if sel == "all" else list(sel)
        if key in m.exclude:
            out[f"exclude_{key}"] = list(m.exclude[key])
    out.update(m.params)
    for f in fields(m):  # label, source, date, override, and fields added later
        value = getattr(m, f.name)
        if f.name not in _STRUCTURAL and value is not None and value != f.default:
            out[f.name] = value
    return out


def _measures(lines: list[str], measures, prefix: str) -> None:
    for m in measures:
        lines += ["", f"[[{prefix}measures]]"]
        lines += [f"{_key(k)} = {_value(v)}" for k, v in measure_table(m).items()]


def to_toml(scenario: Scenario, reference: Scenario | None = None) -> str:
    """The TOML text of a scenario whose measures are all its own (includes already
    applied), with ``reference`` (if any) inlined."""
    lines = ["# Resolved scenario: includes inlined, reference world inline, baseline version,",
             "# elasticity set and closure explicit. `tradesim run` on this file gives the same numbers."]
    top = {"name": scenario.name, "baseline": scenario.baseline, "baseline_version": scenario.baseline_version,
           "elasticity_set": scenario.elasticity_set, "closure": scenario.closure,
           "description": scenario.description or None, "source": scenario.source}
    for f in fields(scenario):  # fields added later (e.g. a regime hook), by name
        value = getattr(scenario, f.name)
        if f.name not in _TOP_WRITTEN and value is not None and value != f.default:
            top[f.name] = value
    lines += [f"{k} = {_value(v)}" for k, v in top.items() if v is not None]
    _measures(lines, scenario.measures, "")
    if reference is not None:
        lines += ["", "[reference]", f"name = {_value(reference.name)}"]
        _measures(lines, reference.measures, "reference.")
    return "\n".join(lines) + "\n"


def resolve(scenario: Scenario, baseline: str, version: str, elasticity_set: str | None,
            closure: str) -> Scenario:
    """The scenario actually solved: ``scenario`` on ``baseline`` (``version``, with
    ``elasticity_set``) under ``closure``, its reference inlined, its text the
    resolved TOML (:func:`to_toml`). Its path (hence its key) is kept."""
    reference = resolve_reference(scenario)
    solved = replace(scenario, baseline=baseline, baseline_version=version, elasticity_set=elasticity_set,
                     closure=closure)
    text = to_toml(solved, reference)
    again = replace(parse_scenario(text, name=scenario.name, path=scenario.path), name=scenario.name)
    differ = [f.name for f in fields(solved) if f.name not in _NOT_COMPARED
              and getattr(again, f.name) != getattr(solved, f.name)]
    if differ:  # the writer must be exact; never record what would not rerun
        raise ScenarioError(f"scenario '{scenario.name}': its resolved TOML does not read back to the same "
                            f"{', '.join(differ)}")
    return again
