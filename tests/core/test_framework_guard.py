from __future__ import annotations

import re

import pytest

from nqpf_text.errors import InputError
from nqpf_text.link import Framework
from nqpf_text.resources import lexicon_dir


def test_a_catastrophic_framework_pattern_is_refused_with_file_and_line(tmp_path):
    source = (lexicon_dir() / "frameworks" / "hqe21.yaml").read_text(encoding="utf-8")
    lines = source.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "cues:")
    indent = re.match(r"\s*", lines[at + 1]).group(0)
    lines.insert(at + 1, f'{indent}- {{pattern: "(新|新新)+$", weight: 0.5}}')
    path = tmp_path / "bad.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        Framework.load(str(path))
    assert str(info.value).startswith(f"{path}:")
    assert f"line {at + 2}" in str(info.value) and "backtracks catastrophically" in str(info.value)
