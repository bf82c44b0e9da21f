from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _report_synth

from nqpf_text.pipeline import CorpusTables
from nqpf_text.report import build_tables


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> CorpusTables:
    return _report_synth.corpus(tmp_path_factory.mktemp("lex"))


@pytest.fixture(scope="module")
def tables(synth: CorpusTables) -> dict:
    return build_tables(synth)
