"""Shared fixtures. Tests marked ``shared`` read ../shared; without it they skip, unless
NQPF_REQUIRE_SHARED=1 (set by .ci/run), which turns that skip into a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NQPF_SHARED", ROOT.parent / "shared"))


def _require_shared() -> Path:
    if SHARED.is_dir() and (SHARED / "corpus").is_dir():
        return SHARED
    message = f"../shared not found at {SHARED}"
    if os.environ.get("NQPF_REQUIRE_SHARED") == "1":
        pytest.fail(message + " (NQPF_REQUIRE_SHARED=1 forbids skipping)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _require_shared()


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


@pytest.fixture(scope="session")
def external_dir(shared_dir: Path) -> Path:
    return shared_dir / "external"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A test marked ``shared`` gets the check even if it forgot to ask for the fixture.
    for item in items:
        if item.get_closest_marker("shared") and "shared_dir" not in getattr(item, "fixturenames", ()):
            item.fixturenames.append("shared_dir")
