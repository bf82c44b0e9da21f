"""Broken province panels through ``nqpf score entropy-topsis``.

Policy (``scoring/panel.py``): a cell that is not a number under the documented rules, an empty
label, a duplicate unit-year row or too few rows stop the score with one line naming the file, row
and column (exit 2), and an earlier ``--out`` file stays as it was. Thousand separators, full-width
digits, a BOM and GBK are read as the numbers they spell; a constant indicator gets weight 0 with a
warning and every row is still scored.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

FATAL = [
    ("non_numeric.csv", r":row 5, column T1\.1: not a number: '约4\.4'"),
    ("bad_grouping.csv", r":row 4, column T1\.2: not a number: '13,1'"),
    ("overflow.csv", r":row 7, column E3\.1: not a number: '1e400'"),
    ("missing_year.csv", r":row 6, column year: empty time cell"),
    ("merged_cells.csv", r":row 3, column province: empty unit cell"),
    ("duplicate_rows.csv", r":row 8: duplicate unit-time row: unit '北京' time '2022' \(also row 3\)"),
    ("one_row.csv", r": needs at least 2 data rows; got 1"),
    ("all_constant.csv", r": every indicator is constant \(all 3 rows\); no weights can be computed"),
    (
        "ragged.csv",
        r": cannot parse CSV: Error tokenizing data\. C error: Expected 5 fields in line 5, saw 6",
    ),
]


def _score(nqpf, panel: Path, out: Path, unit: str = "province", time: str = "year"):  # type: ignore[no-untyped-def]
    return nqpf(
        "score", "entropy-topsis", panel, "--unit", unit, "--time", time, "--format", "json", "--out", out
    )


@pytest.fixture
def earlier(nqpf, bad_dir: Path, tmp_path: Path) -> tuple[Path, str]:
    """An --out file from an earlier, good run, and its digest."""
    out = tmp_path / "scores.json"
    assert _score(nqpf, bad_dir / "panels" / "good.csv", out).code == 0
    return out, hashlib.sha256(out.read_bytes()).hexdigest()


@pytest.mark.parametrize(("name", "message"), FATAL, ids=[f[0] for f in FATAL])
def test_unusable_panel_is_refused_with_row_and_column(name, message, nqpf, bad_dir, earlier):
    out, digest = earlier
    panel = bad_dir / "panels" / name
    run = _score(nqpf, panel, out)
    assert re.fullmatch(rf"nqpf: error: {re.escape(str(panel))}{message}", run.line(name)), run.stderr
    assert run.code == 2 and len(run.lines) == 1
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest  # the earlier result is intact


def test_merged_cells_in_a_workbook_are_located(nqpf, bad_dir, earlier, tmp_path):
    from openpyxl import Workbook

    lines = (bad_dir / "panels" / "good.csv").read_text(encoding="utf-8").split()
    wb = Workbook()
    ws = wb.active
    ws.append(lines[0].split(","))
    for line in lines[1:]:
        unit, year, *values = line.split(",")
        ws.append([unit, int(year), *map(float, values)])
    ws.merge_cells("A2:A3")  # 北京 spans its two years, as spreadsheets are often laid out
    panel = tmp_path / "merged.xlsx"
    wb.save(panel)
    out, digest = earlier
    run = _score(nqpf, panel, out)
    assert run.line("merged.xlsx") == f"nqpf: error: {panel}:row 3, column province: empty unit cell"
    assert run.code == 2
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest


def _scores(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_thousand_separators_and_full_width_digits_are_the_numbers_they_spell(nqpf, bad_dir, tmp_path):
    plain = (bad_dir / "panels" / "good.csv").read_text(encoding="utf-8").replace("6.53", "1006.53", 1)
    (tmp_path / "plain.csv").write_text(plain, encoding="utf-8")
    assert _score(nqpf, tmp_path / "plain.csv", tmp_path / "plain.json").code == 0
    run = _score(nqpf, bad_dir / "panels" / "thousands_fullwidth.csv", tmp_path / "odd.json")
    assert run.code == 0 and "thousands_fullwidth" not in run.stderr.replace("wrote", ""), run.stderr
    assert _scores(tmp_path / "odd.json") == _scores(tmp_path / "plain.json")


@pytest.mark.parametrize(
    ("name", "unit", "time"), [("bom.csv", "province", "year"), ("gbk.csv", "省份", "年份")]
)
def test_bom_and_gbk_panels_score_like_the_utf8_one(name, unit, time, nqpf, bad_dir, tmp_path):
    assert _score(nqpf, bad_dir / "panels" / "good.csv", tmp_path / "good.json").code == 0
    run = _score(nqpf, bad_dir / "panels" / name, tmp_path / "other.json", unit, time)
    assert run.code == 0, run.stderr
    assert _scores(tmp_path / "other.json") == _scores(tmp_path / "good.json")
    assert len(_scores(tmp_path / "other.json")["scores"]) == 6


def test_constant_column_warns_gets_weight_zero_and_every_row_is_scored(nqpf, bad_dir, tmp_path):
    panel = bad_dir / "panels" / "constant_column.csv"
    run = _score(nqpf, panel, tmp_path / "s.json")
    assert (
        run.line("is constant")
        == f"nqpf: warning: {panel}: indicator T1.2 is constant (all 6 rows); weight 0"
    )
    assert run.code == 0
    result = _scores(tmp_path / "s.json")
    assert result["weights"]["T1.2"] == 0
    assert result["weights"]["T1.1"] > 0 and result["weights"]["E3.1"] > 0
    assert sorted((s["unit"], s["time"]) for s in result["scores"]) == sorted(
        (u, t) for u in ("北京", "上海", "江苏") for t in ("2021", "2022")
    )


def test_dagum_refuses_an_empty_group_cell_with_its_row(nqpf, bad_dir, tmp_path):
    text = (bad_dir / "panels" / "good.csv").read_text(encoding="utf-8").splitlines()
    rows = [text[0] + ",region"] + [
        line + (",east" if k != 3 else ",") for k, line in enumerate(text[1:], start=1)
    ]
    panel = tmp_path / "grouped.csv"
    panel.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = nqpf(
        "score",
        "dagum",
        panel,
        "--unit",
        "province",
        "--group",
        "region",
        "--time",
        "year",
        "--value",
        "T1.1",
    )
    assert run.line("grouped.csv") == f"nqpf: error: {panel}:row 4, column region: empty region cell"
    assert run.code == 2 and run.stdout == ""
