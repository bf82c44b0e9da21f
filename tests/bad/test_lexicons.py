"""Broken user lexicons through ``nqpf tag --lexicon`` and ``nqpf lexicon check``.

A lexicon that cannot be loaded stops ``nqpf tag`` with one line naming the file and line (exit 2),
before any output. A lexicon that loads but has problems only ``nqpf lexicon check`` can see (duplicate
ids, unknown parents, a catastrophically backtracking pattern) is refused by the check with
``file:line:``; ``nqpf tag`` still tags with it, and the rest of the lexicons work as before.
"""

from __future__ import annotations

import json
import re

import pytest

TEXT = "北京推动科技创新和人工智能。"

LOAD_ERRORS = [
    ("invalid_yaml.yaml", r"line 6: invalid YAML: expected ',' or '\]', but got '<stream end>'"),
    ("wrong_priority.yaml", r"line 5: priority must be an integer; got 'high'"),
    ("context_list.yaml", r"line 5: context must be a mapping \(entry 'mine'\)"),
    (
        "matches_everything.yaml",
        r"line 6: pattern '\.\+' matches almost any text \(entry 'anything'\); refused",
    ),
    ("bad_regex.yaml", r"line 5: pattern '科技\(创新' does not compile: .+"),
    ("alias_bomb.yaml", r" YAML aliases expand to more than 100,000 nodes; refused"),
    (
        "python_tag.yaml",
        r"line 7: invalid YAML: could not determine a constructor for the tag "
        r"'tag:yaml\.org,2002:python/object/apply:os\.system'",
    ),
]


@pytest.mark.parametrize(("name", "message"), LOAD_ERRORS, ids=[e[0] for e in LOAD_ERRORS])
def test_unloadable_lexicon_stops_tag_with_file_and_line(name, message, nqpf, bad_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = bad_dir / "lexicons" / name
    run = nqpf("tag", "--lexicon", path, "--text", TEXT)
    assert re.fullmatch(rf"nqpf: error: {re.escape(str(path))}:?{message}", run.line(name)), run.stderr
    assert run.code == 2 and run.stdout == ""
    assert not list(tmp_path.glob("pwned*"))
    if name != "bad_regex.yaml":  # `re` and the tagger's `regex` word the compile error differently
        check = nqpf("lexicon", "check", "--no-shipped", path)
        assert check.code == 2 and check.line(name) == run.line(name)


CHECK_ONLY = [
    ("duplicate_ids.yaml", 6, r"duplicate id 'mine' \(first at line 5\)"),
    ("unknown_parent.yaml", 5, r"unknown parent 'nowhere' of entry 'mine'"),
    (
        "catastrophic.yaml",
        6,
        r"pattern '\(新\|新新\)\+\$' backtracks catastrophically \(over 0\.25 s on a 40-character probe\) "
        r"\(entry 'slow'\)",
    ),
]


@pytest.mark.parametrize(("name", "line", "message"), CHECK_ONLY, ids=[c[0] for c in CHECK_ONLY])
def test_check_refuses_with_file_and_line_and_tag_still_runs(name, line, message, nqpf, bad_dir):
    path = bad_dir / "lexicons" / name
    check = nqpf("lexicon", "check", "--no-shipped", path)
    assert re.fullmatch(rf"{re.escape(str(path))}:{line}: {message}", check.line(name)), check.stderr
    assert check.code == 2 and check.lines[-1] == "nqpf: error: 1 problem(s) in the lexicons"
    run = nqpf("tag", "--lexicon", path, "--text", TEXT)
    assert run.code == 0, run.stderr
    mentions = [json.loads(row) for row in run.stdout.splitlines()]
    assert {(m["text"], m["lexicon"]) for m in mentions} >= {("北京", "regions"), ("科技创新", "dimensions")}
    assert ("科技创新", "mine", "hostile") in {(m["text"], m["id"], m["lexicon"]) for m in mentions}


def test_catastrophic_pattern_fails_the_tag_run_cleanly_on_adversarial_text(nqpf, bad_dir):
    """The tagger runs lexicon regexes with a 2 s timeout per document: the run stops with one line
    naming the lexicon file, the pattern's line and the document, instead of hanging."""
    path = bad_dir / "lexicons" / "catastrophic.yaml"
    run = nqpf("tag", "--lexicon", path, "--text", "科技创新" + "新" * 40 + "！")
    assert run.line("catastrophic.yaml") == (
        f"nqpf: error: {path}:line 6: pattern '(新|新新)+$' took over 2 s on -; refused"
    )
    assert run.code == 2 and run.stdout == ""
