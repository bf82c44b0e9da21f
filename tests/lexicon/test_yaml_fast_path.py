"""The libyaml path of ``load_yaml`` must load (or refuse) every file exactly as the pure-Python
path does: same data, same ``__line__`` numbers, same error message."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from nqpf_text import lexicon
from nqpf_text.errors import InputError
from nqpf_text.lexicon import default_lexicon_paths, load_yaml
from nqpf_text.resources import lexicon_dir

pytestmark = pytest.mark.skipif(lexicon._C_SAFE_LOADER is None, reason="PyYAML built without libyaml")


def outcome(path: Path) -> str:
    try:
        return repr(load_yaml(path))
    except InputError as exc:
        return f"error: {exc}"


def both_paths(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    fast = outcome(path)
    with monkeypatch.context() as m:
        m.setattr(lexicon, "_C_SAFE_LOADER", None)
        slow = outcome(path)
    return fast, slow


SHIPPED = [*default_lexicon_paths(), *sorted((lexicon_dir() / "frameworks").glob("*.yaml"))]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_load_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = both_paths(path, monkeypatch)
    assert not slow.startswith("error")
    assert fast == slow


EDGE_CASES = [
    "a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 2\n",  # merge key: lines read from an untouched tree
    "- &a [1, 2]\n- *a\n- {<<: {k: 1}, j: 2}\n",
    "a: 1\n---\nb: 2\n",  # two documents
    "",
    "# only a comment\n",
    "a: [1, 2\n",
    "a:\tb\n",  # libyaml takes a tab as a separator, PyYAML refuses it
    "a: |#\n  x\n",  # libyaml takes a comment glued to a block scalar header
    "a: 1\n\ufeffb: 2\n",
    "a: 1\r\nb: [x, y]\r\n",
    "key: 'unclosed\n",
    "a: b: c\n",
    "a: 1\n  b: 2\n",
    "entries:\n  - id: x\n    terms: [甲, 乙]\n  - id: y\n    terms:\n      - {term: 丙, boundary: true}\n",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_load_or_fail_the_same(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    fast, slow = both_paths(path, monkeypatch)
    assert fast == slow


def test_damaged_lexicons_load_or_fail_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Random insertions and deletions of YAML syntax characters in a shipped lexicon."""
    base = (lexicon_dir() / "dimensions.yaml").read_text(encoding="utf-8")
    rng = random.Random(20261122)
    alphabet = ":-[]{}&*!|>'\"#\t\n <,?%@`\r\x85\u2028\ufeff\x07"
    failures = 0
    for i in range(150):
        chars = list(base[: rng.randint(200, 3000)])
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(chars))
            if rng.random() < 0.4:
                del chars[pos]
            else:
                chars.insert(pos, rng.choice(alphabet))
        path = tmp_path / f"{i}.yaml"
        path.write_text("".join(chars), encoding="utf-8", newline="")
        fast, slow = both_paths(path, monkeypatch)
        assert fast == slow, path.read_text(encoding="utf-8")
        failures += slow.startswith("error")
    assert 0 < failures < 150  # the damage both breaks some files and leaves others loadable
