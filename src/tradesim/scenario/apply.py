"""Turn a scenario's measures into the model's policy arrays on one baseline.

The result is a :class:`Policy`: new tariffs and iceberg-cost changes, both
``(importer, exporter, sector)`` like the baseline, plus a per-measure record of
the cells it touched. Unknown labels, impossible rates and measures that cannot
be expressed in the baseline raise :class:`ScenarioError` naming the measure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tradesim.data.baseline import Baseline
from tradesim.errors import ScenarioError
from tradesim.scenario.kinds import KINDS
from tradesim.scenario.spec import SELECTORS, Measure, Scenario, parse_rate


@dataclass
class Policy:
    """Policy arrays of a scenario on a baseline.

    tariff (N, N, J): counterfactual ad valorem tariffs (fractions).
    iceberg_hat (N, N, J): multiplicative change in iceberg trade costs.
    touched: measure description -> boolean mask of the cells it changed.
    labelled: measures applied so far, by label (for retaliation).
    set_by: cell -> (measure, rate) of tariffs set outright (to catch contradictions).
    notes: human-readable remarks gathered while applying (e.g. derived shares).
    """

    tariff: np.ndarray
    iceberg_hat: np.ndarray
    touched: dict[str, np.ndarray] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    labelled: dict[str, Measure] = field(default_factory=dict)
    set_by: dict[tuple[int, int, int], tuple[str, float]] = field(default_factory=dict)


def goods_mask(baseline: Baseline) -> np.ndarray:
    """Goods (tradable) sectors: the baseline's ``tradable`` coordinate if it has
    one, else ISIC sections A-C (agriculture, mining, manufacturing)."""
    if "tradable" in baseline.ds.coords:
        return baseline.ds["tradable"].values.astype(bool)
    return np.array([s[:1] in ("A", "B", "C") for s in baseline.sectors])


def _resolve(measure: Measure, key: str, labels: list[str], baseline: Baseline) -> np.ndarray:
    """Boolean mask over ``labels`` selected by the measure's ``key`` selector
    (labels, ``"all"``, or for sectors ``"goods"``)."""
    chosen = measure.selectors.get(key, "all")
    index = {lab: i for i, lab in enumerate(labels)}
    if chosen == ("goods",) and key == "sector" and "goods" not in index:
        mask = goods_mask(baseline)
    elif chosen == "all":
        mask = np.ones(len(labels), bool)
    else:
        mask = np.zeros(len(labels), bool)
        for lab in chosen:
            if lab not in index:
                kind = "country" if key != "sector" else "sector"
                raise ScenarioError(f"{measure.where}: unknown {kind} '{lab}' in '{key}' "
                                    f"(not in this baseline)")
            mask[index[lab]] = True
    for lab in measure.exclude.get(key, ()):
        if lab not in index:
            raise ScenarioError(f"{measure.where}: unknown label '{lab}' in 'exclude_{key}'")
        mask[index[lab]] = False
    return mask


def _shown(selector) -> str:
    return selector if selector == "all" else ", ".join(selector)


def cell_mask(measure: Measure, baseline: Baseline) -> np.ndarray:
    """(importer, exporter, sector) mask of a measure's selectors, never the
    diagonal: a country's policy does not apply to its own producers."""
    countries, sectors = baseline.countries, baseline.sectors
    m = {key: _resolve(measure, key, sectors if key == "sector" else countries, baseline) for key in SELECTORS}
    mask = m["importer"][:, None, None] & m["exporter"][None, :, None] & m["sector"][None, None, :]
    mask &= ~np.eye(len(countries), dtype=bool)[:, :, None]
    if not mask.any():
        chosen = ", ".join(f"{key} {_shown(measure.selectors.get(key, 'all'))}" for key in SELECTORS)
        raise ScenarioError(f"{measure.where}: selects no bilateral flow ({chosen}; own-country flows are "
                            "never touched)")
    return mask


def apply_iceberg(measure: Measure, baseline: Baseline, policy: Policy) -> None:
    """Multiply the selected flows' iceberg trade costs by ``1 + change``."""
    mask = cell_mask(measure, baseline)
    if "change" not in measure.params:
        raise ScenarioError(f"{measure.where}: give 'change' (e.g. -0.05 for a 5% fall in trade costs)")
    change = parse_rate(measure.params["change"], "change", measure.where)
    if change <= -1:
        raise ScenarioError(f"{measure.where}: 'change' must be above -100%")
    policy.iceberg_hat = np.where(mask, policy.iceberg_hat * (1 + change), policy.iceberg_hat)
    policy.touched[measure.where] = mask


def apply_measure(measure: Measure, baseline: Baseline, policy: Policy) -> None:
    """Apply one measure to ``policy`` with its kind's applier (:data:`tradesim.scenario.kinds.KINDS`),
    and remember it by its label (for retaliation)."""
    if measure.kind not in KINDS:
        raise ScenarioError(f"{measure.where}: no rule to apply kind '{measure.kind}'")
    KINDS[measure.kind].apply(measure, baseline, policy)
    if measure.label:
        policy.labelled[measure.label] = measure


def policy_from_scenario(scenario: Scenario, baseline: Baseline) -> Policy:
    """Apply the scenario's measures, in order, to the baseline's tariffs."""
    tariff = baseline.ds["tariff"].values.copy()
    policy = Policy(tariff=tariff, iceberg_hat=np.ones_like(tariff))
    for measure in scenario.measures:
        apply_measure(measure, baseline, policy)
    return policy


def policy_steps(scenario: Scenario, baseline: Baseline) -> tuple[Policy, list[tuple[Measure, np.ndarray, np.ndarray]]]:
    """:func:`policy_from_scenario` measure by measure: the policy and, for each measure in
    order, the change it made to tariffs and to log iceberg costs (both (N, N, J)). The
    changes sum to the scenario's whole change (used to attribute results to measures)."""
    tariff = baseline.ds["tariff"].values.copy()
    policy = Policy(tariff=tariff, iceberg_hat=np.ones_like(tariff))
    steps = []
    for measure in scenario.measures:
        before_t, before_d = policy.tariff.copy(), np.log(policy.iceberg_hat)
        apply_measure(measure, baseline, policy)
        steps.append((measure, policy.tariff - before_t, np.log(policy.iceberg_hat) - before_d))
    return policy, steps
