"""Fixtures for the scoring tests: a framework file written from the contract's hqe21 table."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType, SimpleNamespace

import numpy as np
import pytest
import yaml

# The contract's hqe21 table: leaf id → direction; second-level nodes under T, E, Q.
HQE21_COST = {"E3.1", "E3.2", "E3.3", "E3.4"}
HQE21_LEAVES = [
    "T1.1", "T1.2", "T2.1", "T2.2", "T2.3", "T3.1", "T3.2", "T3.3",
    "E1.1", "E2.1", "E2.2", "E3.1", "E3.2", "E3.3", "E3.4",
    "Q1.1", "Q1.2", "Q1.3", "Q2.1", "Q2.2", "Q2.3",
]  # fmt: skip
HQE21_LEVELS = {
    "T": ("高科技", {"T1": "创新投入", "T2": "创新产出", "T3": "数智化水平"}),
    "E": ("高效能", {"E1": "产业升级", "E2": "经济效能", "E3": "节能减排"}),
    "Q": ("高质量", {"Q1": "绿色发展", "Q2": "人力资本"}),
}


def contract_directions() -> dict[str, str]:
    return {k: "-" if k in HQE21_COST else "+" for k in HQE21_LEAVES}


@pytest.fixture(scope="session")
def hqe21_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A framework YAML in the SCHEMA.md layout, built from the contract table."""
    data = {
        "framework": "hqe21",
        "version": "test",
        "levels": [
            {"id": top, "name": name, "children": [{"id": c, "name": cn} for c, cn in kids.items()]}
            for top, (name, kids) in HQE21_LEVELS.items()
        ],
        "indicators": [
            {"id": k, "parent": k.split(".")[0], "direction": d} for k, d in contract_directions().items()
        ],
    }
    path = tmp_path_factory.mktemp("fw") / "hqe21.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def random_panel(rng: np.random.Generator, units: int, times: int, k: int, negative: bool = False):
    """A long DataFrame with columns unit, time, x0..x{k-1}."""
    import pandas as pd

    rows = units * times
    values = rng.normal(size=(rows, k)) * 10 if negative else rng.gamma(2.0, 3.0, size=(rows, k))
    frame = pd.DataFrame(values, columns=[f"x{j}" for j in range(k)])
    frame.insert(0, "time", np.repeat([str(2000 + t) for t in range(times)], units))
    frame.insert(0, "unit", np.tile([f"u{i:03d}" for i in range(units)], times))
    return frame


@pytest.fixture(scope="session")
def ref() -> ModuleType:
    """The independent loop-based reference implementations (``ref_impl.py``)."""
    spec = importlib.util.spec_from_file_location(
        "nqpf_scoring_ref_impl", Path(__file__).with_name("ref_impl.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def hqe21() -> SimpleNamespace:
    """The contract's hqe21 table: leaves in order, cost ids, directions."""
    return SimpleNamespace(leaves=list(HQE21_LEAVES), cost=set(HQE21_COST), directions=contract_directions())


@pytest.fixture(scope="session")
def make_panel():
    """``make_panel(rng, units, times, k, negative=False)`` → long DataFrame (unit, time, x0..)."""
    return random_panel
