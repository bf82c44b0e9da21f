"""Reading files: formats, bad input (skipped with a reason, the rest still read), names and order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nqpf_text.errors import InputError
from nqpf_text.ingest import read_corpus, read_file

GOOD = "发展新质生产力要因地制宜。江苏加快建设现代化产业体系，研发投入强度持续提高。\n"


def _unreadable(path: Path) -> str:
    """A directory entry that cannot be read, honestly: chmod 000 where that blocks reading,
    otherwise (running as root) a dangling symbolic link."""
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        path.write_text(GOOD, encoding="utf-8")
        path.chmod(0)
        return "permission"
    path.symlink_to(path.parent / "does-not-exist.txt")
    return "dangling"


def test_bad_files_are_skipped_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    data = GOOD.encode("utf-8")
    (tmp_path / "d_truncated.txt").write_bytes(data + data[:-2])
    (tmp_path / "e_gbk.txt").write_bytes(GOOD.encode("gbk"))
    how = _unreadable(tmp_path / "f_unreadable.txt")
    (tmp_path / "g_table.xlsx").write_bytes(b"not read")
    result = read_corpus(tmp_path)
    skipped = {Path(s.file).name: s.reason for s in result.skipped}
    assert set(skipped) == {"b_empty.txt", "c_binary.txt", "f_unreadable.txt", "g_table.xlsx"}
    assert "empty" in skipped["b_empty.txt"]
    assert "binary" in skipped["c_binary.txt"]
    assert "cannot read" in skipped["f_unreadable.txt"] and (
        how in skipped["f_unreadable.txt"] or how == "permission"
    )
    docs = {Path(d.doc).name: d for d in result.documents}
    assert set(docs) == {"a_good.txt", "d_truncated.txt", "e_gbk.txt"}
    assert docs["e_gbk.txt"].encoding == "gbk" and docs["e_gbk.txt"].text == GOOD.strip()
    (issue,) = [i for i in result.issues if i.file.endswith("d_truncated.txt")]
    assert issue.place == f"byte {2 * len(data) - 4}"  # where the cut-off 。 starts
    frame = result.skipped_frame()
    assert list(frame.columns) == ["file", "reason"] and len(frame) == 4


def test_fifo_is_skipped_without_blocking(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(tmp_path / "pipe.txt")
    result = read_corpus(tmp_path)
    assert [s.reason for s in result.skipped] == ["cannot read: not a regular file"]


def test_read_file_raises_for_unusable_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.txt: empty file"):
        read_file(empty)


def test_names_order_and_idempotence(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# 标题\n" + GOOD, encoding="utf-8")
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    given = str(tmp_path) + os.sep
    first = read_corpus(given)
    assert [d.doc for d in first.documents] == [
        os.path.join(given, "a.txt"),
        os.path.join(given, "sub", "b.md"),
    ]
    assert first.documents[1].text.startswith("标题\n")  # Markdown heading marks are not text
    assert [d.doc for d in read_corpus(tmp_path, recursive=False).documents] == [str(tmp_path / "a.txt")]
    assert first.documents_frame().equals(read_corpus(given).documents_frame())


def test_docx_paragraphs_are_read(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("2024年广东省新质生产力发展报告")
    document.add_paragraph("广东加快发展低空经济和人工智能产业，研发投入强度超过3.5%。")
    path = tmp_path / "2024年广东省新质生产力发展报告.docx"
    document.save(path)
    (doc,) = read_corpus(tmp_path).documents
    assert doc.encoding == "docx"
    assert (
        doc.text
        == "2024年广东省新质生产力发展报告\n广东加快发展低空经济和人工智能产业，研发投入强度超过3.5%。"
    )
    assert doc.meta["year"] == 2024 and doc.meta["focal_region"] == "440000"


def test_pdf_text_layer_scans_and_encryption(tmp_path: Path, pdfs) -> None:
    pypdf = pytest.importorskip("pypdf")
    (tmp_path / "a_text.pdf").write_bytes(pdfs["text"]("New quality productive forces 2024"))
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=612, height=792)
    with open(tmp_path / "b_scan.pdf", "wb") as fh:
        writer.write(fh)
    locked = pypdf.PdfWriter(clone_from=pypdf.PdfReader(tmp_path / "a_text.pdf"))
    try:
        locked.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    except Exception:  # no crypto backend for this algorithm: leave the case out
        locked = None
    if locked is not None:
        with open(tmp_path / "c_locked.pdf", "wb") as fh:
            locked.write(fh)
    result = read_corpus(tmp_path)
    (doc,) = result.documents
    assert doc.encoding == "pdf" and doc.text == "New quality productive forces 2024"
    reasons = {Path(s.file).name: s.reason for s in result.skipped}
    assert "no text layer" in reasons["b_scan.pdf"]
    if locked is not None:
        assert "encrypted" in reasons["c_locked.pdf"] or "not a readable PDF" in reasons["c_locked.pdf"]
