"""Focal regions and the region-year panel on real texts (../shared): the commentary compilation 001
and the 31 provincial government work reports of 2025.

The reports' file names already name their province (ingestion reads it into the metadata), so the
accuracy check uses ``focal_region_text``, the answer the text alone gives.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nqpf_text.report import build_tables, write_reports

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def _tables(folder: Path):
    from nqpf_text.pipeline import build_tables as corpus_tables
    from nqpf_text.pipeline import ingest
    from nqpf_text.tag import Tagger

    documents, result = ingest(folder)
    return corpus_tables(documents, skipped=result.skipped, issues=result.issues, tagger=Tagger())


@pytest.fixture(scope="module")
def gwr(external_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("gwr")
    tables = build_tables(_tables(external_dir / "gwr2025"), candidates_top=0)
    write_reports(tables, out)
    return out


def _csv(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "tables" / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _own_province(doc: str, names: dict[str, str]) -> str:
    stem = Path(doc).name
    return next(code for code, name in names.items() if name[:2] in stem)


def test_gwr_focal_region_is_own_province(gwr):
    docs = _csv(gwr, "documents")
    assert len(docs) == 31
    panel = _csv(gwr, "region_year_panel")
    names = dict(zip(panel["region"], panel["name"], strict=False))
    provinces = {r: names[r] for r in panel[panel["level"] == "province"]["region"]}
    own = docs["doc"].map(lambda d: _own_province(d, provinces))
    assert (docs["focal_region"] == own).sum() >= 29
    assert (docs["focal_region_text"] == own).sum() >= 29  # the text alone, without the file name


def test_gwr_panel_has_2025_row_for_every_mentioned_province(gwr):
    mentions = _csv(gwr, "region_mentions")
    mentioned = set(
        mentions[(mentions["level"] == "province") & (mentions["count"].astype(int) > 0)]["region"]
    )
    panel = _csv(gwr, "region_year_panel")
    rows_2025 = panel[panel["year"] == "2025"]
    assert mentioned <= set(rows_2025["region"])
    assert len(mentioned) >= 25
    assert not rows_2025.duplicated("region").any()
    counts = rows_2025.set_index("region")["count"].astype(int)
    direct = (
        mentions[mentions["level"] == "province"]
        .groupby("region")["count"]
        .apply(lambda s: s.astype(int).sum())
    )
    assert (counts[direct.index] == direct).all()
    assert (gwr / "tables" / "region_year_panel.dta").is_file()


def test_corpus_001_focal_cities_and_heilongjiang(corpus_dir):
    tables = build_tables(_tables(corpus_dir), candidates_top=0)
    docs = tables["documents"]
    pieces = docs[docs["doc"].str.contains("001_")]
    for column in ("focal_region", "focal_region_text"):
        cities = pieces[pieces["focal_level"] == "city"] if column == "focal_region" else pieces
        top = cities[column].value_counts()
        top = top[[r for r in top.index if len(r) == 6 and not r.endswith("0000")]].head(3)
        assert {"621000", "320100"} <= set(top.index), (column, top)
    heilongjiang = pieces[pieces["author"].fillna("").str.contains("许勤")]
    assert heilongjiang["focal_region"].tolist() == ["230000"]
    assert heilongjiang["focal_region_text"].tolist() == ["230000"]
    focal = tables["focal_regions"]
    top_cities = focal[(focal["scope"] == "(all)") & (focal["level"] == "city")].head(3)
    assert {"621000", "320100"} <= set(top_cities["region"])
