"""Measure kinds: each kind of ``[[measures]]`` entry declared once, in one table.

A :class:`MeasureKind` says everything tradesim knows about a kind: the fields
a measure of that kind may carry beyond the common ones (selectors, exclusions,
``source``, ``date``, ``label``, ``note``, ``group``, ``override``: see
:mod:`tradesim.scenario.spec`), the function that applies it to
a :class:`~tradesim.scenario.apply.Policy`, and whether a ``retaliation`` may
mirror it. :mod:`tradesim.scenario.spec` checks a measure's fields here,
:mod:`tradesim.scenario.apply` finds its applier here, and
:func:`~tradesim.scenario.measures.apply_retaliation` resolves the kind it
answers here.

An applier is named by ``"module:function"`` and imported when a measure of the
kind is first applied, so parsing a scenario (:mod:`~tradesim.scenario.spec`)
loads no numerics, and this module imports no other tradesim module.

>>> KINDS["curb"].fields
frozenset({'cut'})
>>> sorted(KINDS)
['curb', 'export_control', 'iceberg', 'import_ban', 'retaliation', 'tariff']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

#: ``applier(measure, baseline, policy)`` changes ``policy`` in place.
Applier = Callable[[Any, Any, Any], None]

#: Fields of the measures that name products by HS code and may state their share.
PRODUCT_FIELDS = frozenset({"hs", "share"})


@dataclass(frozen=True)
class MeasureKind:
    """One kind of measure.

    Attributes
    ----------
    name : str
        The ``kind = "..."`` of the scenario file.
    fields : frozenset of str
        Fields of this kind beyond the common ones; any other field is refused.
    applier : str or callable
        ``"module:function"`` (imported on first use) or the function itself:
        ``applier(measure, baseline, policy)`` changes the policy arrays.
    mirrorable : bool
        Whether ``kind = "retaliation"`` may answer a measure of this kind.
    summary : str
        One line for listings.
    """

    name: str
    fields: frozenset[str]
    applier: str | Applier
    mirrorable: bool = False
    summary: str = ""

    def apply(self, measure, baseline, policy) -> None:
        """Apply ``measure`` (of this kind) to ``policy`` on ``baseline``."""
        fn = _load(self.applier) if isinstance(self.applier, str) else self.applier
        fn(measure, baseline, policy)


@cache
def _load(path: str) -> Applier:
    module, _, name = path.partition(":")
    return getattr(import_module(module), name)


_MEASURES = "tradesim.scenario.measures"

#: Every known kind, by name (:func:`register_kind` adds one).
KINDS: dict[str, MeasureKind] = {k.name: k for k in (
    MeasureKind("tariff", frozenset({"set", "add", "schedule", "subsidy", "exempt_hs", "exempt_share"})
                | PRODUCT_FIELDS, f"{_MEASURES}:apply_tariff", mirrorable=True,
                summary="ad valorem tariff on sectors or products (HS), with product exemptions"),
    MeasureKind("iceberg", frozenset({"change"}), "tradesim.scenario.apply:apply_iceberg",
                summary="multiplicative change in iceberg trade costs"),
    MeasureKind("import_ban", PRODUCT_FIELDS, f"{_MEASURES}:apply_import_ban", mirrorable=True,
                summary="importer bans products or whole sectors from the selected exporters"),
    MeasureKind("export_control", PRODUCT_FIELDS | {"cut"}, f"{_MEASURES}:apply_export_control", mirrorable=True,
                summary="exporter stops a share 'cut' of its sales of products to the selected importers"),
    MeasureKind("curb", frozenset({"cut"}), f"{_MEASURES}:apply_curb", mirrorable=True,
                summary="cut the selected bilateral flows by a share 'cut' at unchanged prices"),
    MeasureKind("retaliation", frozenset({"mirror", "set", "add", "subsidy"}) | PRODUCT_FIELDS,
                f"{_MEASURES}:apply_retaliation",
                summary="mirror an earlier labelled measure: importer and exporter swap"),
)}


def register_kind(kind: MeasureKind) -> MeasureKind:
    """Add (or replace) a measure kind; returns it."""
    KINDS[kind.name] = kind
    return kind


def kind_names() -> list[str]:
    """The known kinds, sorted (as error messages list them)."""
    return sorted(KINDS)
