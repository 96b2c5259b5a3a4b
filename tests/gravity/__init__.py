"""Shared helpers of the gravity tests (cached, so each object is built once per session)."""

from functools import lru_cache
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SAMPLE = SHARED / "gegravity" / "sample_data_set.dlm"

# gegravity 0.3's documented example (package docstring, "Prepare the trade cost parameters").
GEGRAVITY_COEFS = {"lndist": -0.3898623, "contiguity": 0.891577, "common_language": 0.0326249, "pta": 0.4711383,
                   "international": -3.412584, "constant": 16.32434}
FORMULA = "trade ~ lndist + contiguity + common_language + pta + international"


def need_sample():
    if not SAMPLE.exists():
        pytest.skip(f"gegravity sample data not found at {SAMPLE} (../shared/data is beside the repo in CI)")


@lru_cache(maxsize=None)
def sample_data():
    from tradesim.gravity import GravityData

    need_sample()
    return GravityData.read(SAMPLE)


@lru_cache(maxsize=None)
def gegravity_baseline(reference="DEU"):
    from tradesim.model.gravity.ge import build_baseline

    return build_baseline(sample_data(), GEGRAVITY_COEFS, sigma=5, reference=reference)


def can_jpn():
    from tradesim.gravity import CostChange, Experiment

    return Experiment("CAN-JPN PTA", (CostChange("pta", 1.0, ("CAN",), ("JPN",)),))
