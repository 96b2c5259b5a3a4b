"""Measures the way the news says them: product tariffs with exemptions, import
bans, export controls, curbs on trade with a country, and retaliation.

Products are named by HS 2022 codes (any level) and mapped to model sectors
through :mod:`tradesim.data.products`. A product measure hits only the product's
share ``s`` of the sector flow (given in the scenario as ``share``, a number or a
table by sector, or looked up in the shipped table of public-record shares).

Tariff equivalents (the product and the rest of its sector are CES varieties
with the sector's trade elasticity ``theta``):

* a trade-cost change ``kappa_p`` on a product with share ``s`` changes the
  sector's trade cost by ``kappa = [(1 - s) + s kappa_p^(-theta)]^(-1/theta)``;
  an extra tariff ``dt`` on the product is ``kappa_p = (1 + t + dt) / (1 + t)``
  and enters the sector tariff as ``t' = (1 + t) kappa - 1`` (so it raises revenue);
* a ban (or an export control, or a curb that cuts a share ``c`` of the flow)
  removes ``s`` (or ``c``) of the flow at unchanged prices:
  ``kappa = (1 - s)^(-1/theta)``, applied as an iceberg cost (no revenue: the
  rent of a quantity restriction is not collected). A full ban keeps a
  ``1e-12`` sliver of the flow so exact hat algebra stays defined.

Rates are checked: a tariff above :data:`MAX_RATE` (1000%) is refused (a ban says
that better), and a measure that drives a tariff below zero (an import subsidy) is
refused unless it says ``subsidy = true``. A later ``set`` on a flow an earlier
measure already set to another rate contradicts it, unless the later one says
``override = true`` (then it wins). Retaliation mirrors the measure it answers:
importer and exporter swap, the same products (``hs``) and sectors; a product's
share is that of the mirrored flow (from the shipped table, or the retaliation's
own ``share``), never the answered flow's. Its own ``sector`` or ``hs`` replace the
answered measure's (a ``sector`` without ``hs``: the whole sector).

A measure on flows that are zero in the baseline cannot act on them: exact hat
algebra scales flows, it cannot open one. A restrictive measure on a zero flow
is reported as having no effect; a liberalising one is an error.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tradesim.data import products
from tradesim.data.baseline import Baseline
from tradesim.errors import ScenarioError
from tradesim.scenario.apply import Policy, cell_mask
from tradesim.scenario.kinds import KINDS
from tradesim.scenario.spec import Measure, parse_rate

#: Share of a flow left by a full ban: keeps exact hat algebra defined.
BAN_FLOOR = 1e-12
#: Highest tariff a measure may set (1000%): beyond it, say ``kind = "import_ban"``.
MAX_RATE = 10.0

# The kinds these functions apply, with their fields: tradesim.scenario.kinds.


def sector_cost_change(share, product_cost_change, theta):
    """Sector trade-cost change of a change ``kappa_p`` on a product with value share
    ``share`` (:func:`tradesim.data.products.tariff_equivalent`)."""
    return products.tariff_equivalent(share, np.asarray(product_cost_change, float) - 1.0, theta)


def cut_cost_change(cut, theta):
    """Iceberg change that removes a share ``cut`` of a flow at unchanged prices
    (:func:`tradesim.data.products.ban_equivalent`), a full ban floored at :data:`BAN_FLOOR`."""
    return products.ban_equivalent(np.minimum(np.asarray(cut, float), 1.0 - BAN_FLOOR), theta)


def _hs_codes(measure: Measure, key: str = "hs") -> list[str] | None:
    raw = measure.params.get(key)
    if raw is None:
        return None
    codes = [raw] if isinstance(raw, str) else raw
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes) or not codes:
        raise ScenarioError(f"{measure.where}: '{key}' must be an HS code or a list of HS codes (text)")
    return codes


def _share_array(measure: Measure, baseline: Baseline, mask: np.ndarray, codes: list[str] | None,
                 key: str = "share", policy: Policy | None = None) -> np.ndarray:
    """Product share of each selected flow (N, N, J): 1 where no products are named."""
    shares = np.zeros(mask.shape)
    if codes is None:
        shares[mask] = 1.0
        return shares
    sectors = baseline.sectors
    try:
        in_sectors = products.sectors_for_hs(codes)
    except ScenarioError as err:
        raise ScenarioError(f"{measure.where}: {err}") from None
    given = measure.params.get(key)
    for j, sector in enumerate(sectors):
        if not mask[:, :, j].any() or sector not in in_sectors:
            continue
        if isinstance(given, dict):
            if sector not in given:
                raise ScenarioError(f"{measure.where}: '{key}' gives no share for sector {sector} "
                                    f"(HS {', '.join(codes)} falls in {', '.join(in_sectors)})")
            value = parse_rate(given[sector], f"{key}.{sector}", measure.where)
        elif given is not None:
            value = parse_rate(given, key, measure.where)
        else:
            value = None
        if value is not None:
            if not 0 <= value <= 1:
                raise ScenarioError(f"{measure.where}: '{key}' = {value:g} is not a share between 0 and 1")
            shares[:, :, j] = np.where(mask[:, :, j], value, 0.0)
            continue
        for n, i in zip(*np.nonzero(mask[:, :, j])):
            importer, exporter = baseline.countries[n], baseline.countries[i]
            try:
                value, source = products.product_share(codes, exporter, importer, sector)
            except ScenarioError as err:
                raise ScenarioError(f"{measure.where}: {err}") from None
            shares[n, i, j] = value
            if policy is not None:
                policy.notes.append(f"{measure.where}: HS {', '.join(codes)} is {value:.1%} of "
                                    f"{exporter}->{importer} {sector} ({source})")
    if not (shares > 0).any() and not (mask & np.isin(np.arange(len(sectors)),
                                                     [sectors.index(s) for s in in_sectors if s in sectors])).any():
        raise ScenarioError(f"{measure.where}: HS {', '.join(codes)} falls in sector(s) "
                            f"{', '.join(in_sectors)}, none of which the measure selects")
    return shares


def _theta(baseline: Baseline) -> np.ndarray:
    return baseline.ds["trade_elasticity"].values[None, None, :]


def _zero_flow_check(measure: Measure, baseline: Baseline, hit: np.ndarray, policy: Policy,
                     liberalising: bool) -> None:
    flows = baseline.ds["trade"].values
    if not hit.any():
        return
    zero = hit & (flows <= 0)
    if not zero.any():
        return
    cells = [f"{baseline.countries[n]}<-{baseline.countries[i]} {baseline.sectors[j]}"
             for n, i, j in zip(*np.nonzero(zero))][:3]
    if zero.sum() < hit.sum():
        return  # broad measures routinely include a few empty cells; only wholly empty ones matter
    if liberalising:
        raise ScenarioError(
            f"{measure.where}: the flow ({', '.join(cells)}) is zero in the baseline; exact hat algebra "
            "scales flows and cannot open one (a measure lifting an existing ban needs a baseline where "
            "the flow exists)")
    policy.notes.append(f"{measure.where} has no effect: its flows ({', '.join(cells)}) "
                        f"{'is' if len(cells) == 1 else 'are'} zero in the baseline")


def flow_label(baseline: Baseline, n: int, i: int, j: int) -> str:
    """A cell by its labels: ``importer USA, exporter JPN, sector C29``."""
    return f"importer {baseline.countries[n]}, exporter {baseline.countries[i]}, sector {baseline.sectors[j]}"


def _record(policy: Policy, measure: Measure, mask: np.ndarray, new_set: np.ndarray | None = None,
            baseline: Baseline | None = None) -> None:
    """Remember what each cell was set to, to catch measures that contradict each other
    (a later measure with ``override = true`` wins instead)."""
    set_by = policy.set_by
    if new_set is not None:
        for (n, i, j) in zip(*np.nonzero(mask)):
            key = (int(n), int(i), int(j))
            if key in set_by and abs(set_by[key][1] - new_set[n, i, j]) > 1e-12 and not measure.override:
                cell = flow_label(baseline, *key) if baseline is not None else f"cell {key}"
                raise ScenarioError(
                    f"{measure.where} contradicts {set_by[key][0]} on the same flow ({cell}): 'set' = "
                    f"{new_set[n, i, j]:.4g} here, {set_by[key][1]:.4g} there; say override = true on the later "
                    "measure to let it win, or use 'add' to stack")
            set_by[key] = (measure.where, float(new_set[n, i, j]))
    policy.touched[measure.where] = mask


def _check_rates(measure: Measure, baseline: Baseline, mask: np.ndarray, old: np.ndarray, target: np.ndarray,
                 how: str) -> None:
    """Refuse rates above :data:`MAX_RATE` and, unless ``subsidy = true``, rates driven below zero."""
    subsidy = measure.params.get("subsidy", False)
    if not isinstance(subsidy, bool):
        raise ScenarioError(f"{measure.where}: 'subsidy' must be true or false, not {subsidy!r}")
    if (target[mask] <= -1).any():
        raise ScenarioError(f"{measure.where}: tariff would fall to or below -100% (a subsidy cannot exceed the price)")
    high = mask & (target > MAX_RATE)
    if high.any():
        n, i, j = (int(x[0]) for x in np.nonzero(high))
        raise ScenarioError(f"{measure.where}: '{how}' takes the tariff on {flow_label(baseline, n, i, j)} to "
                            f"{target[n, i, j]:.0%}, above {MAX_RATE:.0%}; a prohibitive measure is better "
                            "said as kind = \"import_ban\"")
    low = mask & (target < 0) & (target < old)
    if low.any() and not subsidy:
        n, i, j = (int(x[0]) for x in np.nonzero(low))
        raise ScenarioError(f"{measure.where}: '{how}' drives the tariff on {flow_label(baseline, n, i, j)} below "
                            f"zero ({target[n, i, j]:.1%}: an import subsidy); say subsidy = true if that is meant")


def apply_tariff(measure: Measure, baseline: Baseline, policy: Policy) -> None:
    """Ad valorem tariffs on sectors or products, with product exemptions."""
    mask = cell_mask(measure, baseline)
    given = [k for k in ("set", "add", "schedule") if k in measure.params]
    if len(given) != 1:
        raise ScenarioError(f"{measure.where}: give exactly one of 'set', 'add' or 'schedule'")
    how = given[0]
    old = policy.tariff
    if how == "schedule":
        if _hs_codes(measure) or _hs_codes(measure, "exempt_hs"):
            raise ScenarioError(f"{measure.where}: 'schedule' takes whole sectors; drop 'hs'/'exempt_hs'")
        name = measure.params["schedule"]
        if not isinstance(name, str) or not name.startswith("tariff_") or name not in baseline.ds:
            shipped = [v for v in baseline.ds.data_vars if v.startswith("tariff_")]
            raise ScenarioError(f"{measure.where}: unknown tariff schedule {name!r}; "
                                f"this baseline ships {', '.join(shipped) or 'none'}")
        target = np.where(mask, baseline.ds[name].values, old)
    else:
        rate = parse_rate(measure.params[how], how, measure.where)
        target = np.where(mask, rate if how == "set" else old + rate, old)
    _check_rates(measure, baseline, mask, old, target, how)

    codes = _hs_codes(measure)
    share = _share_array(measure, baseline, mask, codes, policy=policy)
    exempt = _hs_codes(measure, "exempt_hs")
    if exempt:
        share = share * (1 - _share_array(measure, baseline, mask, exempt, key="exempt_share", policy=policy))
    hit = mask & (share > 0)
    if codes is not None and _no_product_flow(measure, policy, share,
                                              liberalising=bool((target[mask] < old[mask]).any())):
        policy.touched[measure.where] = hit
        return
    if codes is None and not exempt:
        new = target
    else:
        product_change = (1 + target) / (1 + old)
        kappa = sector_cost_change(share, product_change, _theta(baseline))
        new = np.where(hit, (1 + old) * kappa - 1, old)
    _zero_flow_check(measure, baseline, hit, policy, liberalising=bool((new[hit] < old[hit] - 1e-15).any()))
    _record(policy, measure, mask, target if (how == "set" and codes is None and not exempt) else None, baseline)
    policy.tariff = new


def _no_product_flow(measure: Measure, policy: Policy, shares: np.ndarray, liberalising: bool) -> bool:
    """A product measure whose product has no flow at all in the selected cells."""
    if measure.params.get("hs") is None or (shares > 0).any():
        return False
    if liberalising:
        raise ScenarioError(f"{measure.where}: the product's flow is zero in the baseline (share 0); exact hat "
                            "algebra scales flows and cannot open one")
    policy.notes.append(f"{measure.where} has no effect: the product's share of the selected flows is zero "
                        "in the baseline (exact hat algebra cannot act on a flow that does not exist)")
    return True


def _apply_cut(measure: Measure, baseline: Baseline, policy: Policy, cut: np.ndarray, mask: np.ndarray) -> None:
    hit = mask & (cut > 0)
    if _no_product_flow(measure, policy, cut, liberalising=False):
        policy.touched[measure.where] = hit
        return
    _zero_flow_check(measure, baseline, hit, policy, liberalising=False)
    policy.iceberg_hat = policy.iceberg_hat * np.where(hit, cut_cost_change(cut, _theta(baseline)), 1.0)
    _record(policy, measure, mask)


def apply_import_ban(measure: Measure, baseline: Baseline, policy: Policy) -> None:
    """Importer bans products (``hs``) or whole sectors from the selected exporters."""
    mask = cell_mask(measure, baseline)
    _apply_cut(measure, baseline, policy, _share_array(measure, baseline, mask, _hs_codes(measure), policy=policy), mask)


def apply_export_control(measure: Measure, baseline: Baseline, policy: Policy) -> None:
    """Exporter restricts sales of products to the selected destinations (``importer``);
    ``cut`` is the share of those sales stopped (default 1: a full ban)."""
    mask = cell_mask(measure, baseline)
    if measure.selectors.get("exporter") == "all":
        raise ScenarioError(f"{measure.where}: name the exporter that imposes the export control")
    cut = parse_rate(measure.params.get("cut", 1.0), "cut", measure.where)
    if not 0 < cut <= 1:
        raise ScenarioError(f"{measure.where}: 'cut' = {cut:g} must be a share in (0, 1]")
    share = _share_array(measure, baseline, mask, _hs_codes(measure), policy=policy)
    _apply_cut(measure, baseline, policy, share * cut, mask)


def apply_curb(measure: Measure, baseline: Baseline, policy: Policy) -> None:
    """Cut the selected bilateral flows by a stated share ``cut`` (at unchanged prices)."""
    mask = cell_mask(measure, baseline)
    if "cut" not in measure.params:
        raise ScenarioError(f"{measure.where}: give 'cut', the share of the flow removed (e.g. 0.3)")
    cut = parse_rate(measure.params["cut"], "cut", measure.where)
    if not 0 < cut <= 1:
        raise ScenarioError(f"{measure.where}: 'cut' = {cut:g} must be a share in (0, 1]")
    _apply_cut(measure, baseline, policy, np.where(mask, cut, 0.0), mask)


def apply_retaliation(measure: Measure, baseline: Baseline, policy: Policy) -> None:
    """Mirror an earlier measure (named by its ``label``): importer and exporter swap
    roles; ``set``/``add`` may replace its rate."""
    target = measure.params.get("mirror")
    earlier = policy.labelled
    if target not in earlier:
        raise ScenarioError(f"{measure.where}: 'mirror' = {target!r} names no earlier measure label "
                            f"(labels: {', '.join(earlier) or 'none'})")
    source = earlier[target]
    answered = KINDS.get(source.kind)
    if answered is None or not answered.mirrorable:
        mirrorable = sorted(k for k, v in KINDS.items() if v.mirrorable)
        raise ScenarioError(f"{measure.where}: 'mirror' = {target!r} names a measure of kind '{source.kind}'; "
                            f"a retaliation mirrors only a {', '.join(mirrorable[:-1])} or {mirrorable[-1]} measure")
    own = measure.params
    params = dict(source.params)
    for key in ("set", "add"):
        if key in own:
            params = {k: v for k, v in params.items() if k not in ("set", "add", "schedule")}
            params[key] = own[key]
    if "subsidy" in own:
        params["subsidy"] = own["subsidy"]
    selectors = dict(source.selectors)
    selectors["importer"], selectors["exporter"] = source.selectors["exporter"], source.selectors["importer"]
    exclude = {({"importer": "exporter", "exporter": "importer"}.get(k, k)): v for k, v in source.exclude.items()}
    if measure.selectors.get("sector", "all") != "all":  # its own sectors: the answered products go
        selectors["sector"] = measure.selectors["sector"]
        exclude.pop("sector", None)
        if "hs" not in own:
            for key in ("hs", "share", "exempt_hs", "exempt_share"):
                params.pop(key, None)
    if "hs" in own:  # its own products, with its own share (or the mirrored flow's from the table)
        for key in ("share", "exempt_hs", "exempt_share"):
            params.pop(key, None)
        params["hs"] = own["hs"]
    elif isinstance(params.get("share"), (int, float, str)) and "share" not in own and "hs" in params:
        # A stated share is the product's share of the answered flow, not of the mirrored one.
        raise ScenarioError(
            f"{measure.where}: the answered measure '{target}' states share = {params['share']!r} for HS "
            f"{params['hs']} in its own flow; state the share of those products in the mirrored flow "
            "(share = ...) or name other products (hs) or a whole sector (sector)")
    if "share" in own:
        if "hs" not in params:
            raise ScenarioError(f"{measure.where}: 'share' needs products: the answered measure names no 'hs'; "
                                "give 'hs' too")
        params["share"] = own["share"]
    mirrored = replace(measure, kind=source.kind, selectors=selectors, exclude=exclude, params=params,
                       label=measure.label or f"mirror of {target}")
    answered.apply(mirrored, baseline, policy)
    policy.touched[measure.where] = policy.touched.pop(mirrored.where)
