from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nqpf_text.cli import app
from nqpf_text.errors import InputError
from nqpf_text.lexicon import Lexicon, check_lexicons

HEAD = "lexicon: demo\nversion: '1'\ncategory: dimension\nentries:\n"


def write(tmp_path: Path, body: str, name: str = "lex.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    return check_lexicons([Lexicon.from_yaml(path)])


def test_clean_lexicon_has_no_problems(tmp_path):
    path = write(tmp_path, "  - {id: tech, terms: [科技创新, 科技]}\n  - {id: labor, terms: [劳动者]}\n")
    assert problems(path) == []


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("  - {id: a, terms: [x1]}\n  - {id: a, terms: [x2]}\n", 6, "duplicate id 'a'"),
        ("  - {id: a, terms: [同词]}\n  - {id: b, terms: [同词]}\n", 6, "claimed by a"),
        ("  - {id: a, parent: nowhere, terms: [x]}\n", 5, "unknown parent 'nowhere'"),
        ("  - {id: a, terms: [' ']}\n", 5, "empty or whitespace"),
        ("  - {id: a, patterns: ['(unclosed']}\n", 5, "does not compile"),
        ("  - {id: a, patterns: ['x*']}\n", 5, "matches the empty string"),
        ("  - {id: a, expands: [ghost], terms: [x]}\n", 5, "expands to unknown id 'ghost'"),
    ],
)
def test_check_names_file_and_line(tmp_path, body, line, message):
    path = write(tmp_path, body)
    found = problems(path)
    assert any(p.startswith(f"{path}:{line}:") and message in p for p in found), found


def test_priority_or_multi_settle_a_shared_term(tmp_path):
    body = (
        "  - {id: a, terms: [{term: 数据, multi: true}]}\n  - {id: b, terms: [{term: 数据, multi: true}]}\n"
    )
    assert problems(write(tmp_path, body)) == []
    body = "  - {id: a, terms: [{term: 数据, priority: 1}]}\n  - {id: b, terms: [数据]}\n"
    assert problems(write(tmp_path, body, "p.yaml")) == []


@pytest.mark.parametrize(
    ("text", "place", "message"),
    [
        (HEAD + "  - {id: a, terms: [x]\n", "line 6", "invalid YAML"),
        (HEAD + "  - {id: a, terms: x, bogus: 1}\n", "line 5", "unknown key"),
        ("lexicon: demo\ncategory: dimension\nentries: {}\n", "line 1", "'entries' must be a list"),
        (HEAD + "  - {id: a, terms: [{term: x, boundary: maybe}]}\n", "line 5", "boundary must be"),
        (HEAD + "  - {id: a, terms: [3]}\n", "line 5", "must be a string or a mapping"),
    ],
)
def test_structural_errors_raise_with_line(tmp_path, text, place, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        Lexicon.from_yaml(path)
    assert info.value.place == place and message in str(info.value)
    assert str(info.value).startswith(f"{path}:{place}:")


def test_alias_bomb_is_refused(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 8):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="aliases expand"):
        Lexicon.from_yaml(path)


def test_cli_check_passes_on_shipped_and_fails_with_file_line(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["lexicon", "check"])
    assert ok.exit_code == 0, ok.output
    bad = write(tmp_path, "  - {id: a, terms: [x1]}\n  - {id: a, terms: [x2]}\n")
    result = runner.invoke(app, ["lexicon", "check", str(bad), "--no-shipped"])
    assert result.exit_code == 2
    assert re.search(rf"{re.escape(str(bad))}:6: duplicate id 'a'", result.output)
