"""The linker's shortcuts never change a result: the regex prefilter and the skipped TF-IDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nqpf_text.link import Framework, IndicatorLinker, required_literals
from nqpf_text.normalize import normalize_text


def _framework_patterns() -> list[str]:
    out = []
    for name in ("hqe21", "elements5"):
        fw = Framework.load(name)
        out += [c.pattern for leaf in fw.indicators for c in leaf.cues + leaf.anti if c.pattern]
        out += [c.pattern for c in fw.veto if c.pattern]
    return sorted(set(out))


PATTERNS = _framework_patterns()


def test_the_shipped_patterns_all_have_literals() -> None:
    assert len(PATTERNS) >= 40
    missing = [p for p in PATTERNS if required_literals(p) is None]
    assert not missing


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(?:研发|研究开发)[^，。]{0,4}(?:投入|经费)", ("投入", "经费")),  # the longer set wins
        ("单位(?:地区|国内)?GDP能耗", ("单位",)),  # optional parts and cased letters name nothing
        ("R&D人员", ("人员",)),  # cased letters cut the run: R&D may be written r&d
        ("新(?:开发|研制)的?产品", ("开发", "研制")),  # of equally long candidates, the first
        ("(?:ab|cd)", None),  # only cased letters: an ignore-case match may use other characters
        ("教育(?=投入)", ("教育",)),  # a lookahead is not part of the match
        ("x*", None),
        ("(?:研发){e<=1}", None),  # fuzzy matching (regex module only): no literal is certain
        (r"\p{Han}+", None),  # not standard-library syntax
        ("[[:alpha:]]x", None),  # a POSIX class (regex module) would read as a set and a literal ]
        ("[[=a=]]研发", None),  # any POSIX-like bracket refuses the whole pattern (conservative)
        ("(?:数字|智能)+化", ("数字", "智能")),
        ("(?:数字经济|智能)+", ("数字经济", "智能")),
    ],
)
def test_required_literals(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert required_literals(pattern) == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_match_holds_a_required_literal(data: st.DataObject) -> None:
    pattern = data.draw(st.sampled_from(PATTERNS))
    literals = required_literals(pattern)
    assert literals is not None
    text = data.draw(st.from_regex(re.compile(pattern), fullmatch=True))
    match = regex.fullmatch(pattern, text, regex.IGNORECASE)
    assert match is not None
    assert any(lit in text for lit in literals), (pattern, text, literals)


def _statements(folder: Path, limit: int) -> list[str]:
    from nqpf_text.segment import split_sentences

    out: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        text = normalize_text(path.read_text(encoding="utf-8"))
        out += [text[s:e] for s, e in split_sentences(text)]
        if len(out) >= limit:
            break
    return out[:limit]


@pytest.mark.shared
def test_skipping_hopeless_statements_changes_no_link(external_dir: Path) -> None:
    texts = _statements(external_dir / "gwr2025", 3000)
    linker = IndicatorLinker("hqe21").fit()
    fast = linker.link_statements(texts)
    full = [s for s in linker.link_statements(texts, keep_empty=True) if s.links]
    assert len(fast) > 150
    assert fast == full
    # and the prefilter skipped most statements' regexes and all of their TF-IDF: the cheap signal
    # decides alone for those, so a statement with no cue strength never links
    cue, _ = linker.features(texts)
    linked = {s.statement for s in fast}
    assert all(cue[i].max() > 0 for i in linked)
    assert (cue.max(axis=1) == 0).sum() > len(texts) // 3
