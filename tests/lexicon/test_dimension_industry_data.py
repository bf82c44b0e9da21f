"""The dimension, concept and industry lexicons as data, and the gold dev set written for them.

The YAML is checked twice: raw (keys allowed by lexicons/SCHEMA.md, ids, groups, terms) so a data
error is reported even if the loader changes, and through the project loader and
``check_lexicons``. The gold sentences are checked for well-formed offsets and ids, then scored
with the tagger restricted to these three lexicons.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from nqpf_text.lexicon import Lexicon, check_lexicons, pattern_problems
from nqpf_text.normalize import normalize_text

ROOT = Path(__file__).resolve().parents[2]
LEXICONS = ROOT / "lexicons"
FILES = {"dimensions": "dimensions.yaml", "concepts": "concepts.yaml", "industries": "industries.yaml"}
GOLD = Path(__file__).resolve().parent / "data" / "gold_dimensions.jsonl"

DIMENSION_IDS = {"labor", "means", "objects", "tech", "org"}  # contract, elements5
CONCEPT_IDS = {"relations", "tfp"}
GROUPS = {"strategic_emerging", "future", "traditional", "digital", "other"}
CATEGORIES = {"dimensions": "dimension", "concepts": "concept", "industries": "industry"}

TOP_KEYS = {"lexicon", "version", "category", "description", "exclude", "org_suffixes", "entries", "notes"}
ENTRY_KEYS = {
    "id", "name", "level", "parent", "group", "terms", "patterns", "boundary", "context",
    "expands", "priority", "multi", "notes",
}  # fmt: skip
TERM_KEYS = {"term", "pattern", "boundary", "context", "priority", "multi", "notes"}
CONTEXT_KEYS = {"followed_by", "not_followed_by", "preceded_by", "not_preceded_by", "not_after_place"}
CONTEXT_WINDOW = 8  # the tagger compares at most this many characters before/after a match

EIGHT_EMERGING = [
    "新一代信息技术",
    "新能源",
    "新材料",
    "高端装备",
    "新能源汽车",
    "绿色环保",
    "民用航空",
    "船舶与海洋工程装备",
]
NINE_FUTURE = [
    "元宇宙",
    "脑机接口",
    "量子信息",
    "人形机器人",
    "生成式人工智能",
    "生物制造",
    "未来显示",
    "未来网络",
    "新型储能",
]
SIX_DIRECTIONS = ["未来制造", "未来信息", "未来材料", "未来能源", "未来空间", "未来健康"]
SEI_2018 = [
    "新一代信息技术产业", "高端装备制造产业", "新材料产业", "生物产业", "新能源汽车产业",
    "新能源产业", "节能环保产业", "数字创意产业", "相关服务业",
]  # fmt: skip


def _raw(name: str) -> dict[str, Any]:
    return yaml.safe_load((LEXICONS / FILES[name]).read_text(encoding="utf-8"))


def _rules(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Every term and pattern of an entry as a mapping."""
    out = []
    for kind in ("terms", "patterns"):
        for item in entry.get(kind) or []:
            out.append(item if isinstance(item, dict) else {kind[:-1]: item})
    return out


def _terms(entry: dict[str, Any]) -> list[str]:
    return [r["term"] for r in _rules(entry) if "term" in r]


def _term_index(name: str) -> dict[str, str]:
    """term → entry group (industries) or id."""
    return {t: e.get("group", e["id"]) for e in _raw(name)["entries"] for t in _terms(e)}


@pytest.fixture(scope="module")
def gold() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- the YAML files -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FILES))
def test_header(name: str) -> None:
    data = _raw(name)
    assert set(data) <= TOP_KEYS, set(data) - TOP_KEYS
    assert data["lexicon"] == name
    assert data["category"] == CATEGORIES[name]
    assert isinstance(data["version"], str) and data["version"].strip()
    assert isinstance(data["entries"], list) and data["entries"]
    for text in data.get("exclude") or []:
        assert isinstance(text, str) and text.strip() == text and text


@pytest.mark.parametrize("name", sorted(FILES))
def test_entries_and_terms_are_well_formed(name: str) -> None:
    for entry in _raw(name)["entries"]:
        assert set(entry) <= ENTRY_KEYS, (entry["id"], set(entry) - ENTRY_KEYS)
        assert isinstance(entry["id"], str) and re.fullmatch(r"[A-Za-z0-9_.]+", entry["id"]), entry["id"]
        assert isinstance(entry.get("name"), str) and entry["name"].strip()
        rules = _rules(entry)
        assert rules, f"{entry['id']} has no terms"
        for rule in rules:
            assert set(rule) <= TERM_KEYS, (entry["id"], rule)
            assert ("term" in rule) != ("pattern" in rule), (entry["id"], rule)
            value = rule.get("term", rule.get("pattern"))
            assert isinstance(value, str) and value and value == value.strip(), (entry["id"], rule)
            assert rule.get("boundary", "auto") in (True, False, "auto"), (entry["id"], rule)
            if "pattern" in rule:
                assert not pattern_problems(rule["pattern"]), (entry["id"], pattern_problems(rule["pattern"]))
            context = {**(entry.get("context") or {}), **(rule.get("context") or {})}
            assert set(context) <= CONTEXT_KEYS, (entry["id"], context)
            for key in CONTEXT_KEYS - {"not_after_place"}:
                for text in context.get(key) or []:
                    assert isinstance(text, str) and 0 < len(text) <= CONTEXT_WINDOW, (entry["id"], key, text)


@pytest.mark.parametrize("name", sorted(FILES))
def test_ids_unique(name: str) -> None:
    counts = Counter(e["id"] for e in _raw(name)["entries"])
    assert not [i for i, n in counts.items() if n > 1]


def test_dimension_and_concept_ids() -> None:
    assert {e["id"] for e in _raw("dimensions")["entries"]} == DIMENSION_IDS
    assert {e["id"] for e in _raw("concepts")["entries"]} == CONCEPT_IDS


def test_industry_groups_and_parents() -> None:
    entries = _raw("industries")["entries"]
    ids = {e["id"] for e in entries}
    for entry in entries:
        assert entry.get("group") in GROUPS, entry["id"]
        assert entry.get("parent") is None or entry["parent"] in ids, entry["id"]
    assert {e["group"] for e in entries} == GROUPS


def test_gbt4754_sections_a_to_t() -> None:
    ids = {e["id"] for e in _raw("industries")["entries"]}
    sections = {i for i in ids if i.startswith("gbt4754.")}
    assert sections == {f"gbt4754.{chr(c)}" for c in range(ord("A"), ord("T") + 1)}


@pytest.mark.parametrize(
    ("names", "group"),
    [(EIGHT_EMERGING, "strategic_emerging"), (NINE_FUTURE, "future"), (SIX_DIRECTIONS, "future")],
)
def test_eight_plus_nine_list(names: list[str], group: str) -> None:
    index = _term_index("industries")
    assert {n: index.get(n) for n in names} == dict.fromkeys(names, group)


def test_strategic_emerging_classes_2018() -> None:
    index = _term_index("industries")
    assert {n: index.get(n) for n in SEI_2018} == dict.fromkeys(SEI_2018, "strategic_emerging")


def test_no_term_claimed_twice_without_multi_or_priority() -> None:
    for name in FILES:
        owners: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for entry in _raw(name)["entries"]:
            for rule in _rules(entry):
                if "term" in rule:
                    merged = {
                        "priority": entry.get("priority", 0),
                        "multi": entry.get("multi", False),
                        **rule,
                    }
                    owners.setdefault(rule["term"], []).append((entry["id"], merged))
        for term, claims in owners.items():
            ids = [i for i, _ in claims]
            assert len(ids) == len(set(ids)), f"{name}: {term} listed twice in one entry"
            if len(claims) > 1:
                top = max(r["priority"] for _, r in claims)
                winners = [r for _, r in claims if r["priority"] == top]
                assert len(winners) == 1 or all(r["multi"] for r in winners), f"{name}: {term} {ids}"


def test_files_do_not_share_terms() -> None:
    """A dimension term is never also a concept or industry term (that would emit both)."""
    sets = {name: {t for e in _raw(name)["entries"] for t in _terms(e)} for name in FILES}
    for a in FILES:
        for b in FILES:
            if a < b:
                assert not sets[a] & sets[b], (a, b, sets[a] & sets[b])


def test_contract_traps_are_claimed_by_the_right_file() -> None:
    dims = _term_index("dimensions")
    concepts = _term_index("concepts")
    industries = _term_index("industries")
    assert dims["科技人才"] == dims["技术工人"] == "labor"
    assert concepts["全要素生产率"] == concepts["劳动生产率"] == "tfp"
    assert (
        "数据" not in industries
        and "新能源汽车" not in dims
        and industries["新能源汽车"] == "strategic_emerging"
    )
    assert "组织" not in dims and dims["产业组织"] == "org"


@pytest.mark.parametrize("config", ["s2hk", "s2tw", "s2t"])
def test_terms_survive_traditional_script(config: str) -> None:
    """A term written in traditional script normalizes back to a term of the same entry."""
    import opencc

    converter = opencc.OpenCC(config)
    for name in FILES:
        index = {t: e["id"] for e in _raw(name)["entries"] for t in _terms(e)}
        lost = {
            t: normalize_text(converter.convert(t))
            for t, i in index.items()
            if index.get(normalize_text(converter.convert(t))) != i
        }
        assert not lost, (name, lost)


def test_project_loader_accepts_the_files() -> None:
    lexicons = [Lexicon.from_yaml(LEXICONS / f) for f in FILES.values()]
    assert check_lexicons(lexicons) == []
    assert {lex.category for lex in lexicons} == set(CATEGORIES.values())


# -- the gold dev set ----------------------------------------------------------------------------


def test_gold_is_well_formed(gold: list[dict[str, Any]]) -> None:
    ids = {
        "dimension": {e["id"] for e in _raw("dimensions")["entries"]},
        "industry": {e["id"]: e["group"] for e in _raw("industries")["entries"]},
    }
    assert len(gold) >= 60
    for item in gold:
        text = item["text"]
        normalized = normalize_text(text)
        assert len(normalized) == len(text), text  # traditional input converts character by character
        assert item["categories"] == ["dimension", "industry"]
        previous = (-1, -1)
        for m in item["mentions"]:
            assert normalized[m["start"] : m["end"]] == m["text"], (text, m)
            assert (m["start"], m["end"]) >= previous, (text, m)
            previous = (m["start"], m["end"])
            assert m["category"] in ids, m
            assert m["id"] in ids[m["category"]], m
            if m["category"] == "industry":
                assert m["group"] == ids["industry"][m["id"]], m
            else:
                assert "group" not in m


def test_gold_exercises_the_conventions(gold: list[dict[str, Any]]) -> None:
    texts = [g["text"] for g in gold]
    traditional = [t for t in texts if normalize_text(t) != t]
    assert len(traditional) >= 5
    empty = [g for g in gold if not g["mentions"]]
    assert len(empty) >= 6  # sentences where nothing may fire: TFP, 数据 as statistics, 组织 as a verb ...
    for trap in (
        "科技人才",
        "技术工人",
        "全要素生产率",
        "劳动生产率",
        "数据显示",
        "数据要素",
        "新能源汽车",
        "组织",
    ):
        assert any(trap in normalize_text(t) for t in texts), trap


def _score(gold: list[dict[str, Any]], predict: Any) -> dict[str, tuple[float, float, float]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for item in gold:
        truth = {(m["start"], m["end"], m["category"], m["id"]) for m in item["mentions"]}
        found = {x for x in predict(item["text"]) if x[2] in item["categories"]}
        for cat in item["categories"]:
            t = {x for x in truth if x[2] == cat}
            f = {x for x in found if x[2] == cat}
            tp[cat] += len(t & f)
            fp[cat] += len(f - t)
            fn[cat] += len(t - f)
    out = {}
    for cat in tp | fp | fn:
        p = tp[cat] / (tp[cat] + fp[cat]) if tp[cat] + fp[cat] else 0.0
        r = tp[cat] / (tp[cat] + fn[cat]) if tp[cat] + fn[cat] else 0.0
        out[cat] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def test_tagger_on_gold(gold: list[dict[str, Any]]) -> None:
    from nqpf_text.tag import Tagger

    tagger = Tagger([Lexicon.from_yaml(LEXICONS / f) for f in FILES.values()], backend="jieba")

    def predict(text: str) -> set[tuple[int, int, str, str]]:
        return {(m.start, m.end, m.category, m.id) for m in tagger.tag_text(text)}

    scores = _score(gold, predict)
    assert scores["dimension"][2] >= 0.97, scores
    assert scores["industry"][2] >= 0.95, scores
