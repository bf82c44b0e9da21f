"""The commands as a user's script drives them: exit codes, JSON on stdout, messages on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from nqpf_text.cli import app

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "lexicon" / "data"
runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


COMMANDS = [
    [], ["run"], ["ingest"], ["tag"], ["link"], ["kwic"], ["report"], ["lexicon"], ["lexicon", "check"], ["lexicon", "stats"],
    ["eval"], ["eval", "tag"], ["eval", "link"], ["score"], ["score", "entropy-topsis"], ["score", "dagum"],
]  # fmt: skip


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "nqpf")
def test_every_command_has_help(words):
    result = invoke(*words, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_tag_jsonl_contract_fields_and_offsets():
    text = "江苏省南京市和北京大学推进科技创新，發展新能源汽車產業。"
    result = runner.invoke(app, ["tag", "--text", text, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(r["doc"] == "-" for r in rows)
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    by_text = {r["text"]: r for r in rows}
    assert by_text["南京市"]["id"] == "320100" and by_text["南京市"]["province"] == "320000"
    assert by_text["南京市"]["macro"] == "macro.east"
    assert by_text["北京"]["role"] == "org"
    assert by_text["新能源汽车产业"]["group"] == "strategic_emerging"
    assert by_text["科技创新"]["category"] == "dimension" and by_text["科技创新"]["id"] == "tech"
    raw = runner.invoke(app, ["tag", "--text", text, "--offsets", "raw"])
    raw_rows = [json.loads(line) for line in raw.stdout.splitlines()]
    assert [text[r["start"] : r["end"]] for r in raw_rows] == [r["text"] for r in raw_rows]
    assert "新能源汽車產業" in [r["text"] for r in raw_rows]  # the original surface form


def test_tag_files_names_documents_and_reports_skips(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("浙江西部山区发展数字经济。", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["tag", str(good), str(empty)])
    assert result.exit_code == 3
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["doc"] for r in rows} == {str(good)}
    assert [r["id"] for r in rows if r["category"] == "region"] == ["330000"]
    assert f"skipped: {empty}" in result.stderr


@pytest.mark.parametrize(
    ("text", "first"),
    [("单位国内生产总值能耗降低2.5%左右", "E3.1"), ("加大基础研究投入，提高研发经费占GDP比重", "T1.1")],
)
def test_link_ranks_the_indicator_first(text, first):
    result = invoke("link", "--text", text, "--framework", "hqe21", "--format", "json")
    assert result.exit_code == 0
    statements = json.loads(result.stdout)
    assert statements[0]["links"][0]["indicator"] == first
    for st in statements:
        scores = [lk["score"] for lk in st["links"]]
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
        for lk in st["links"]:
            for term, (s, e) in zip(lk["evidence"], lk["evidence_spans"], strict=False):
                assert text[s:e] == term


def test_link_returns_nothing_for_a_party_building_sentence():
    result = invoke("link", "--text", "各级党组织认真组织开展党史学习教育专题读书班。", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("gold", "floors"),
    [
        ("gold_regions.jsonl", {"region": 0.99}),
        ("gold_dimensions.jsonl", {"dimension": 0.97, "industry": 0.95}),
    ],
)
def test_eval_tag_on_the_gold_sets(gold, floors):
    result = invoke("eval", "tag", str(GOLD / gold))
    assert result.exit_code == 0
    scores = json.loads(result.stdout)["categories"]
    for category, floor in floors.items():
        assert scores[category]["f1"] >= floor, scores


def test_ingest_writes_the_store_lists_skips_and_is_idempotent(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("上海市推进集成电路产业发展。\n", encoding="utf-8")
    (corpus / "b.txt").write_bytes("广东省发展新质生产力。\n".encode("gbk"))
    (corpus / "c.txt").write_bytes(b"\x00\x01\x02\x03binary\x00\x00")
    (corpus / "d.txt").write_bytes(b"")
    outs = []
    for run in ("one", "two"):
        result = runner.invoke(app, ["ingest", str(corpus), "--out", str(tmp_path / run), "--jsonl"])
        assert result.exit_code == 3, result.output  # finished, but something was skipped
        assert f"skipped: {corpus / 'c.txt'}" in result.stderr
        con = duckdb.connect(str(tmp_path / run / "nqpf.duckdb"), read_only=True)
        tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
        assert {"documents", "paragraphs", "sentences", "footnotes", "skipped", "warnings"} <= tables
        docs = con.execute("SELECT doc, encoding, text FROM documents ORDER BY doc").fetchall()
        skipped = con.execute("SELECT file FROM skipped ORDER BY file").fetchall()
        con.close()
        assert [d[0] for d in docs] == [str(corpus / "a.txt"), str(corpus / "b.txt")]
        assert docs[1][1].lower() in ("gb18030", "gbk", "gb2312")
        assert [s[0] for s in skipped] == [str(corpus / "c.txt"), str(corpus / "d.txt")]
        outs.append((docs, skipped))
        assert (tmp_path / run / "documents.jsonl").read_text(encoding="utf-8").count("\n") == 2
    assert outs[0] == outs[1]


def test_kwic_by_id_and_by_term():
    by_id = invoke("kwic", "320000", "--format", "jsonl")
    assert by_id.exit_code == 0
    rows = [json.loads(line) for line in by_id.stdout.splitlines()]
    assert rows and all(r["match"] in ("江苏", "江苏省") for r in rows)
    by_term = invoke("kwic", "低空经济", "--format", "jsonl", "--window", "5")
    rows = [json.loads(line) for line in by_term.stdout.splitlines()]
    assert rows and all(r["match"] == "低空经济" and len(r["left"]) <= 5 for r in rows)


def test_lexicon_stats_counts_matches_in_a_corpus():
    result = invoke("lexicon", "stats", "--corpus", str(ROOT / "corpus" / "demo"), "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    counts = {(r["lexicon"], r["term"]): r["matches"] for r in rows}
    assert counts[("industries", "低空经济")] >= 1
    assert counts[("regions", "台湾省")] == 0  # a dead entry shows as 0


def test_bad_input_is_one_line_without_traceback(tmp_path):
    result = runner.invoke(app, ["link", "--text", "x", "--framework", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "missing.yaml" in lines[0] and "Traceback" not in result.stderr


def test_a_link_out_of_the_corpus_folder_is_skipped_not_followed(tmp_path):
    outside = tmp_path / "private.txt"
    outside.write_text("北京市的私人笔记。", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "in.txt").write_text("上海市发展集成电路。", encoding="utf-8")
    (corpus / "alias.txt").symlink_to("in.txt")
    (corpus / "leak.txt").symlink_to(outside)
    result = runner.invoke(app, ["tag", str(corpus)])
    assert result.exit_code == 3
    assert (
        f"skipped: {corpus / 'leak.txt'}: symbolic link to a file outside the corpus folder" in result.stderr
    )
    docs = {json.loads(line)["doc"] for line in result.stdout.splitlines()}
    assert docs == {str(corpus / "in.txt"), str(corpus / "alias.txt")}


@pytest.mark.parametrize("kind", ["coverage", "regions", "indicators"])
def test_report_kind_writes_only_that_report(tmp_path, kind):
    result = invoke("report", kind, "--out", str(tmp_path))
    assert result.exit_code == 0
    assert (tmp_path / f"report_{kind}.html").is_file() and (tmp_path / f"summary_{kind}.md").is_file()
    assert not (tmp_path / "report.html").exists() and not (tmp_path / "nqpf.duckdb").exists()
    tables = {p.name for p in (tmp_path / "tables").glob("*.csv")}
    expected = {
        "coverage": "keyword_coverage.csv",
        "regions": "region_year_panel.csv",
        "indicators": "indicator_links.csv",
    }
    assert expected[kind] in tables


def test_report_kind_must_be_known(tmp_path):
    result = runner.invoke(app, ["report", "bogus", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "unknown report 'bogus'" in result.stderr
