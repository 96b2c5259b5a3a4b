"""What ``POST /api/runs`` brings, checked before any job is queued.

A submission names a library scenario (:class:`tradesim.scenario.library.Library`, by name), or
pastes or uploads scenario TOML, and may pick a baseline. :func:`prepare` finds the scenario,
checks it the way :func:`tradesim.run` will (:func:`tradesim.api.resolved`: options, baseline,
version, elasticity set; the labels of every measure against the baseline), and gives the run key
that identifies the run, so that a bad input is a 422 at once and twenty copies of one scenario
are one job. The solve itself is :func:`tradesim.api.run` (:mod:`tradesim.web.jobs`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from fastapi import HTTPException

from tradesim.scenario.library import Library


@dataclass(frozen=True)
class Submission:
    """A checked submission: what :func:`tradesim.run` is given, and the job's identity.

    ``source``: the library file, or the parsed pasted scenario; ``baseline``: the picked
    baseline's name (``None``: the scenario's); ``key``: the run key (same key, same run);
    ``family``: another model family's name (``None``: Caliendo-Parro)."""

    source: object
    baseline: str | None
    key: str
    label: str
    family: str | None = None


def check_baseline(name: str) -> None:
    """A 422 listing the baselines when ``name`` is not shipped (nor another family's)."""
    from tradesim.data.registry import available_baselines
    from tradesim.model.family import scenario_family_baselines

    shipped = available_baselines() + list(scenario_family_baselines())
    if name not in shipped:
        raise HTTPException(422, f"unknown baseline {name!r}; shipped baselines: {', '.join(shipped)}")


def prepare(library: Library, baseline: str, library_key: str, text: str | None) -> Submission:
    """Find and check a submission before any solve (errors: :class:`tradesim.errors.TradesimError`,
    or a 422 ``HTTPException``)."""
    from tradesim.web.families import family_of_text

    pasted = text if text is not None and text.strip() else None
    if pasted is None and not library_key:
        raise HTTPException(422, "choose a library scenario, or paste or upload scenario TOML")
    source: str | Path = pasted if pasted is not None else library.path_of(library_key)
    raw = pasted if pasted is not None else source.read_text(encoding="utf-8")
    if (family := family_of_text(raw)) is not None:
        return prepare_family(family, baseline, source, raw)
    scenario = library.pasted(pasted) if pasted is not None else source
    return prepare_cp(scenario, baseline or None)


def prepare_cp(scenario, baseline: str | None) -> Submission:
    """A Caliendo-Parro scenario resolved and checked as :func:`tradesim.run` will solve it."""
    from tradesim.api import resolved
    from tradesim.results.store import key_of
    from tradesim.scenario.apply import policy_from_scenario
    from tradesim.scenario.spec import check_runnable, load_scenario, resolve_reference

    parsed = load_scenario(scenario) if isinstance(scenario, Path) else scenario
    check_runnable(parsed)
    if baseline or parsed.baseline:
        check_baseline(baseline or parsed.baseline)
    scn, base = resolved(parsed, baseline)
    policy_from_scenario(scn, base)  # labels checked against the baseline: same errors as the CLI
    return Submission(scenario, baseline, key_of(scn, resolve_reference(scn), base, scn.closure), scn.name)


def prepare_family(family: str, baseline: str, source: str | Path, text: str) -> Submission:
    """A scenario of another model family, parsed and checked by the family before any solve."""
    from tradesim.model.family import scenario_family
    from tradesim.web.families import check_family_baseline

    fam = scenario_family(family)
    scn = fam.scenario(source)
    check_family_baseline(fam, baseline, scn)
    return Submission(scn, None, f"{family}:" + hashlib.sha256(text.encode()).hexdigest(), scn.name, family)
