"""Report files: formats, byte-identical reruns, escaping of hostile corpus text."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from _report_synth import XSS_IMG, XSS_SCRIPT

from nqpf_text.report import write_reports
from nqpf_text.report.html import highlight
from nqpf_text.report.markdown import md_escape
from nqpf_text.report.write import xlsx_bytes

STAMP = "2030-01-02 03:04:05 UTC"


@pytest.fixture(scope="module")
def written(tables, tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("out")
    return out, write_reports(tables, out, generated=STAMP)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_files_written(written, tables):
    out, paths = written
    names = {p.relative_to(out).as_posix() for p in paths}
    assert {"report.html", "summary.md", "tables.xlsx", "tables/region_year_panel.dta"} <= names
    assert {f"tables/{name}.csv" for name in tables} <= names
    assert all(p.is_file() for p in paths)
    assert not list(out.rglob("*.tmp"))  # atomic writes leave no temporary files


def test_csv_has_bom_and_round_trips(written, tables):
    out, _ = written
    raw = (out / "tables" / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(
        out / "tables" / "documents.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    assert list(back.columns) == list(tables["documents"].columns)
    assert back.loc[back["doc"] == "c.txt", "title"].iloc[0] == XSS_SCRIPT  # data stays data in CSV


def test_rerun_is_byte_identical(tables, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_reports(tables, a, generated="one time")
    write_reports(tables, b, generated="another time")
    snap_a, snap_b = _snapshot(a), _snapshot(b)
    assert snap_a.keys() == snap_b.keys()
    differ = [name for name in snap_a if snap_a[name] != snap_b[name]]
    assert differ == ["report.html"]
    html_a = snap_a["report.html"].decode().replace("one time", "T")
    assert html_a == snap_b["report.html"].decode().replace("another time", "T")


def test_source_date_epoch(tables, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    write_reports(tables, tmp_path)
    assert "1970-01-02 00:00:00 UTC" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_xlsx_one_sheet_per_table(written, tables):
    from openpyxl import load_workbook

    out, _ = written
    wb = load_workbook(out / "tables.xlsx", read_only=True)
    assert len(wb.sheetnames) == len(tables)
    assert "region_year_panel" in wb.sheetnames
    ws = wb["documents"]
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    assert header == list(tables["documents"].columns)


def test_xlsx_formula_text_stays_text():
    from openpyxl import load_workbook

    frame = pd.DataFrame({"title": ['=HYPERLINK("http://x")', "plain\x07bell"]})
    wb = load_workbook(io.BytesIO(xlsx_bytes({"t": frame})))
    cells = [r[0] for r in wb["t"].iter_rows(min_row=2)]
    assert cells[0].data_type == "s" and cells[0].value.startswith("=HYPERLINK")
    assert cells[1].value == "plainbell"  # control characters Excel refuses are dropped
    assert xlsx_bytes({"t": frame}) == xlsx_bytes({"t": frame})
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes({"t": frame}))) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_dta_panel(written, tables):
    out, _ = written
    back = pd.read_stata(out / "tables" / "region_year_panel.dta")
    panel = tables["region_year_panel"]
    assert len(back) == len(panel)
    assert list(back.columns) == list(panel.columns)
    assert back["count"].sum() == panel["count"].sum()
    assert set(back["name"]) >= {"庆阳市", "黑龙江省"}


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_corpus_text(written):
    out, _ = written
    html = (out / "report.html").read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(html)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert not any(k.startswith("on") for _, k, _ in parser.attrs)
    text = "".join(parser.text)
    assert XSS_SCRIPT in text and XSS_IMG in text  # shown to the reader, as text
    assert "&lt;script&gt;" in html
    assert "Content-Security-Policy" in html


def test_html_has_no_external_references(written):
    out, _ = written
    parser = _Collect()
    parser.feed((out / "report.html").read_text(encoding="utf-8"))
    refs = [
        (t, k, v or "")
        for t, k, v in parser.attrs
        if k in {"src", "href", "action", "srcset", "data", "poster"}
    ]
    assert all(v.startswith("#") for _, _, v in refs), refs
    assert "svg" in parser.tags and "table" in parser.tags
    assert not re.search(r"url\(|@import", (out / "report.html").read_text(encoding="utf-8"))


def test_markdown_is_inert(written):
    out, _ = written
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "<script" not in md and "<img" not in md
    assert md.startswith("# nqpf_text summary")
    assert "tables/region_year_panel.csv" in md
    assert md_escape("a|b\n<c>") == "a\\|b &lt;c&gt;"


def test_highlight_escapes_and_marks():
    out = highlight("研发<b>投入</b>强度", ["研发", "投入"])
    assert out == "<mark>研发</mark>&lt;b&gt;<mark>投入</mark>&lt;/b&gt;强度"
    assert highlight("<i>", []) == "&lt;i&gt;"


def test_one_report_kind(tables, tmp_path):
    paths = write_reports(tables, tmp_path, kind="regions", generated=STAMP)
    names = {p.relative_to(tmp_path).as_posix() for p in paths}
    assert {"report_regions.html", "summary_regions.md", "tables_regions.xlsx"} <= names
    assert "tables/region_year_panel.csv" in names and "tables/keyword_coverage.csv" not in names
    page = (tmp_path / "report_regions.html").read_text(encoding="utf-8")
    assert 'id="regions"' in page and 'id="coverage"' not in page
    with pytest.raises(ValueError, match="unknown report"):
        write_reports(tables, tmp_path, kind="nonsense")
