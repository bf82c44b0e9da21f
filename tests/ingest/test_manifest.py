"""The corpus manifest: matched by SHA-256, overrides detection, warns on orphans, refuses escapes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from nqpf_text.errors import InputError
from nqpf_text.ingest import load_manifest, read_corpus

TEXT = "2025年湖南省推动新质生产力发展情况\n湖南围绕工程机械、先进计算和生物医药等产业，加快建设现代化产业体系，研发投入强度持续提高。\n"


def _corpus(tmp_path: Path, manifest: str) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "renamed_copy.txt").write_text(TEXT, encoding="utf-8")
    (root / "manifest.yaml").write_text(manifest, encoding="utf-8")
    return root


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_entry_matches_by_hash_and_overrides_detection(tmp_path: Path) -> None:
    root = _corpus(
        tmp_path,
        f"""manifest: 1
files:
  - sha256: {_sha(TEXT)}
    path: original_name.txt
    title: 湖南新质生产力发展观察
    author: 示例作者
    date: 2025-02-01
    kind: commentary
    focal_region: "430100"
""",
    )
    result = read_corpus(root)
    frame = result.documents_frame()
    assert result.issues == []
    row = frame.iloc[0]
    assert row["doc"] == str(root / "renamed_copy.txt")
    assert (row["title"], row["author"], row["date"], row["kind"]) == (
        "湖南新质生产力发展观察",
        "示例作者",
        "2025-02-01",
        "commentary",
    )
    assert row["focal_region"] == "430100"  # the name says 湖南 (430000); the manifest wins
    assert row["date_inferred"] == False  # noqa: E712  (a numpy/pandas bool)


def test_file_without_entry_keeps_detected_metadata(tmp_path: Path) -> None:
    root = _corpus(tmp_path, "manifest: 1\nfiles: []\n")
    (root / "renamed_copy.txt").rename(root / "2025年湖南省新质生产力观察.txt")
    row = read_corpus(root).documents_frame().iloc[0]
    assert row["focal_region"] == "430000"
    assert row["year"] == 2025
    assert row["title"] == "2025年湖南省推动新质生产力发展情况"


def test_unmatched_entry_is_reported(tmp_path: Path) -> None:
    orphan = "0" * 64
    root = _corpus(
        tmp_path, f"manifest: 1\nfiles:\n  - sha256: '{orphan}'\n    path: gone.txt\n    title: x\n"
    )
    result = read_corpus(root)
    assert len(result.documents) == 1
    (issue,) = result.issues
    assert issue.file.endswith("manifest.yaml") and issue.place == "files[0]"
    assert "matches no file" in issue.message


@pytest.mark.parametrize("escape", ["../outside.txt", "sub/../../outside.txt", "/etc/passwd"])
def test_path_leaving_the_corpus_root_is_refused(tmp_path: Path, escape: str) -> None:
    root = _corpus(tmp_path, f"manifest: 1\nfiles:\n  - sha256: {_sha(TEXT)}\n    path: {escape}\n")
    with pytest.raises(InputError) as err:
        read_corpus(root)
    assert "leaves the corpus root" in str(err.value)
    assert "files[0].path" in str(err.value)


def test_bad_manifest_fields_are_located(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("manifest: 1\nfiles:\n  - sha256: abc\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"files\[0\]\.sha256"):
        load_manifest(path, tmp_path)
    path.write_text("files: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid YAML"):
        load_manifest(path, tmp_path)


def test_shipped_manifest_describes_the_seed_corpus() -> None:
    shipped = Path(__file__).resolve().parents[2] / "corpus" / "manifest.yaml"
    manifest = load_manifest(shipped)
    assert len(manifest.entries) == 5
    pieces = next(e for e in manifest.entries if e.pieces and len(e.pieces) > 70).pieces
    assert pieces is not None
    assert {
        "speech excerpt",
        "news report",
        "official interpretation",
        "commentary",
        "academic paper",
        "interview",
    } <= {p.meta.get("kind") for p in pieces}
    assert all(p.cue for p in pieces)


def test_split_none_keeps_a_file_whole(tmp_path: Path) -> None:
    para = "新质生产力是创新起主导作用的先进生产力质态，各地要因地制宜，"
    lines = []
    for name in (" 东北大学工商管理学院 李明远 ", " 安徽日报评论员 "):
        lines += [name, "", *[x for k in range(0, len(para * 2), 16) for x in ((para * 2)[k : k + 16], "")]]
        lines[-2] = lines[-2] + "。 "
    text = "\n".join(lines)
    root = tmp_path / "c"
    root.mkdir()
    (root / "two.txt").write_text(text, encoding="utf-8")
    assert len(read_corpus(root).documents) == 2
    (root / "manifest.yaml").write_text(
        f"files:\n  - sha256: '{_sha(text)}'\n    split: none\n", encoding="utf-8"
    )
    (doc,) = read_corpus(root).documents
    assert doc.doc == str(root / "two.txt")
    assert "安徽日报评论员" in doc.text
