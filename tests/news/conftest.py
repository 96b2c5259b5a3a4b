from pathlib import Path

import pytest

from tradesim.news import extract

#: ``../shared/examples`` beside the repository (a worktree under ``wt/`` looks one level further up).
EXAMPLE = next((p / "shared" / "examples" / "news-japan-balancing-2025-04.txt" for p in Path(__file__).resolve().parents[3:5]
                if (p / "shared" / "examples" / "news-japan-balancing-2025-04.txt").exists()),
               Path(__file__).resolve().parents[3] / "shared" / "examples" / "news-japan-balancing-2025-04.txt")


@pytest.fixture(scope="session")
def example_text() -> str:
    if not EXAMPLE.exists():
        pytest.skip("../shared/examples is not beside the repo")
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example(example_text):
    """The example article, published 21 April 2025 (a Monday; the visit begins 'Tuesday')."""
    return extract(example_text, published="2025-04-21")
