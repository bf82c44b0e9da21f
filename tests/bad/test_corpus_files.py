"""Broken corpus files through ``nqpf ingest``: one line naming the file (and place), the exit status,
and the good files beside it still in the store.

Skipped files exit 3 (finished, something left out); files read with damage exit 0 and carry a
warning with the byte offset. The store's ``skipped`` and ``warnings`` tables say the same.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest

A = "发展新质生产力要因地制宜。江苏加快建设现代化产业体系，研发投入强度持续提高。"
B = "北京推动科技创新和产业创新深度融合，培育人工智能等未来产业。"
C = "浙江发展数字经济，集成电路和新材料产业集群加快形成。"

SKIPPED = [
    ("empty.txt", r"empty file"),
    ("whitespace.txt", r"file holds only whitespace"),
    ("only_nul.txt", r"file holds only NUL bytes \(an interrupted download\?\)"),
    ("binary.txt", r"binary file \(NUL bytes\), not text"),
    ("html_saved_as.docx", r"not a \.docx file: it holds HTML/XML text \(a web page saved as \.docx\?\)"),
    ("rtf_saved_as.docx", r"not a \.docx file: it holds RTF"),
    ("legacy_doc_saved_as.docx", r"not a \.docx file: it holds an old binary Word \.doc"),
    ("table.xlsx", r"unsupported file type \(\.xlsx\)"),
]


def _ingest(nqpf, corpus: Path, out: Path):  # type: ignore[no-untyped-def]
    return nqpf("ingest", corpus, "--out", out)


def _assert_skipped(run, store, corpus: Path, name: str, reason: str, good: set[str]) -> None:  # type: ignore[no-untyped-def]
    path = f"{corpus}/{name}"
    assert re.fullmatch(rf"nqpf: skipped: {re.escape(path)}: {reason}", run.line(name)), run.stderr
    assert run.code == 3, run.stderr
    assert re.fullmatch(reason, store.skipped[path])
    assert set(store.documents) == good  # the rest of the corpus was read


@pytest.mark.parametrize(("name", "reason"), SKIPPED, ids=[s[0] for s in SKIPPED])
def test_unusable_file_is_skipped_and_the_rest_is_read(
    name, reason, nqpf, make_corpus, read_store, good_docs, tmp_path
):
    corpus = make_corpus(name)
    run = _ingest(nqpf, corpus, tmp_path / "out")
    _assert_skipped(run, read_store(tmp_path / "out"), corpus, name, reason, good_docs(corpus))


DAMAGED = [
    # name, warning (byte offset, message), the text the document keeps
    ("stray_nul.txt", (len(C.encode()) + 1, "NUL byte, replaced with U+FFFD"), C + "\ufffd" + A),
    (
        "nul_padded.txt",
        (len(C.encode()) + 1, "300 NUL byte(s) pad the end of the file (an interrupted download?); dropped"),
        C,
    ),
    (
        "truncated_utf8.txt",
        (len((C + "\n" + A).encode()) - 3, "invalid UTF-8 (truncated UTF-8 sequence), replaced with U+FFFD"),
        C + A[:-1] + "\ufffd",
    ),
    (
        "mixed_encodings.txt",
        (len(C.encode()) + 1, "line in GBK, not UTF-8 like the rest of the file; decoded as gbk"),
        C + A + B,
    ),
]


@pytest.mark.parametrize(("name", "warning", "kept"), DAMAGED, ids=[d[0] for d in DAMAGED])
def test_damaged_file_is_read_with_a_located_warning(
    name, warning, kept, nqpf, make_corpus, read_store, good_docs, tmp_path
):
    corpus = make_corpus(name)
    run = _ingest(nqpf, corpus, tmp_path / "out")
    path = f"{corpus}/{name}"
    offset, message = warning
    assert run.line(name) == f"nqpf: warning: {path}:byte {offset}: {message}"
    assert run.code == 0, run.stderr
    store = read_store(tmp_path / "out")
    assert set(store.documents) == good_docs(corpus) | {path}
    assert store.documents[path]["text"].replace("\n", "") == kept  # nothing else lost or altered
    assert (path, f"byte {offset}", message) in store.warnings


@pytest.mark.parametrize(
    ("name", "encoding"), [("utf16le_nobom.txt", "utf-16-le"), ("utf16be_nobom.txt", "utf-16-be")]
)
def test_utf16_without_bom_is_detected(name, encoding, nqpf, make_corpus, read_store, good_docs, tmp_path):
    corpus = make_corpus(name)
    run = _ingest(nqpf, corpus, tmp_path / "out")
    assert run.code == 0 and name not in run.stderr, run.stderr
    store = read_store(tmp_path / "out")
    doc = store.documents[f"{corpus}/{name}"]
    assert doc["encoding"] == encoding and doc["text"] == C + "\n" + A
    assert set(store.documents) == good_docs(corpus) | {f"{corpus}/{name}"}


def test_encrypted_image_only_and_half_downloaded_pdfs(
    nqpf, make_corpus, read_store, good_docs, tmp_path, pdfs
):
    import pypdf

    text = pdfs["text"]("New quality productive forces 2024")
    corpus = make_corpus(
        ("a_text.pdf", text), ("c_scan.pdf", pdfs["image"]()), ("d_half.pdf", text[: len(text) // 2])
    )
    locked = pypdf.PdfWriter(clone_from=pypdf.PdfReader(corpus / "a_text.pdf"))
    locked.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    with open(corpus / "b_locked.pdf", "wb") as fh:
        locked.write(fh)
    run = _ingest(nqpf, corpus, tmp_path / "out")
    store = read_store(tmp_path / "out")
    for name, reason in [
        ("b_locked.pdf", r"encrypted PDF \(a password is needed\)"),
        ("c_scan.pdf", r"PDF has no text layer \(scanned images\?\); OCR it first"),
        ("d_half.pdf", r"not a readable PDF \(\w+: .+\)"),
    ]:
        _assert_skipped(run, store, corpus, name, reason, good_docs(corpus) | {f"{corpus}/a_text.pdf"})
    assert store.documents[f"{corpus}/a_text.pdf"]["text"] == "New quality productive forces 2024"


def test_pdf_text_with_lone_surrogates_is_kept_with_a_warning(
    nqpf, make_corpus, read_store, good_docs, tmp_path, pdfs
):
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"2 beginbfchar <41> <D800> <42> <0041> endbfchar\nendcmap CMapName currentdict /CMap "
        b"defineresource pop end end"
    )
    corpus = make_corpus(("odd.pdf", pdfs["text"]("BAB", to_unicode=cmap)))
    run = _ingest(nqpf, corpus, tmp_path / "out")
    path = f"{corpus}/odd.pdf"
    message = "1 character(s) of the .pdf text were invalid Unicode; replaced with U+FFFD"
    assert run.line("odd.pdf") == f"nqpf: warning: {path}:byte 0: {message}"
    assert run.code == 0
    store = read_store(tmp_path / "out")
    assert store.documents[path]["text"] == "A\ufffdA"
    assert set(store.documents) == good_docs(corpus) | {path}


def test_symbolic_link_loop_and_dangling_link(nqpf, make_corpus, read_store, good_docs, tmp_path):
    corpus = make_corpus()
    os.symlink("loop_b.txt", corpus / "loop_a.txt")
    os.symlink("loop_a.txt", corpus / "loop_b.txt")
    os.symlink("gone.txt", corpus / "dangling.txt")
    run = _ingest(nqpf, corpus, tmp_path / "out")
    store = read_store(tmp_path / "out")
    for name in ("loop_a.txt", "loop_b.txt"):
        _assert_skipped(run, store, corpus, name, r"cannot read: .*symbolic links", good_docs(corpus))
    _assert_skipped(
        run, store, corpus, "dangling.txt", r"cannot read: dangling symbolic link", good_docs(corpus)
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_unreadable_entry_a_fifo_not_even_root_can_read(
    nqpf_process, make_corpus, read_store, good_docs, tmp_path
):
    """Tests may run as root, which reads any chmod 000 file; a FIFO named like a text file is an
    entry nobody can read as a file (opening it waits for a writer forever), so it stands for
    'unreadable'. It runs in a subprocess so that code opening the FIFO fails the test, not the suite."""
    corpus = make_corpus()
    os.mkfifo(corpus / "pipe.txt")
    run = nqpf_process("ingest", corpus, "--out", tmp_path / "out")
    _assert_skipped(
        run,
        read_store(tmp_path / "out"),
        corpus,
        "pipe.txt",
        r"cannot read: not a regular file",
        good_docs(corpus),
    )


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads chmod 000 files")
def test_unreadable_permissions(nqpf, make_corpus, read_store, good_docs, tmp_path):
    corpus = make_corpus("stray_nul.txt")
    (corpus / "stray_nul.txt").chmod(0)
    try:
        run = _ingest(nqpf, corpus, tmp_path / "out")
        store = read_store(tmp_path / "out")
    finally:
        (corpus / "stray_nul.txt").chmod(0o644)
    _assert_skipped(run, store, corpus, "stray_nul.txt", r"cannot read: Permission denied", good_docs(corpus))


def test_docx_zip_bomb_is_refused_by_its_unpacked_size(
    nqpf, make_corpus, read_store, good_docs, tmp_path, monkeypatch
):
    corpus = make_corpus()
    with zipfile.ZipFile(corpus / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b" " * (3 * 2**20))  # 3 MB of blanks pack into a few KB
    assert (corpus / "bomb.docx").stat().st_size < 2**20
    monkeypatch.setenv("NQPF_MAX_FILE_MB", "1")
    run = _ingest(nqpf, corpus, tmp_path / "out")
    _assert_skipped(
        run,
        read_store(tmp_path / "out"),
        corpus,
        "bomb.docx",
        r"\.docx unpacks to 3 MB, over the 1 MB limit",
        good_docs(corpus),
    )


def test_duplicate_files_under_two_names_are_both_kept_with_the_same_hash(
    nqpf, make_corpus, read_store, good_docs, tmp_path, bad_dir
):
    """Decision: a copy is a document of its own (the same speech filed under two outlets is common);
    both are ingested, and the shared ``sha256`` column makes the copies easy to find and drop."""
    data = (bad_dir / "corpus" / "good_a.txt").read_bytes()
    corpus = make_corpus(("copy_of_a.txt", data))
    run = _ingest(nqpf, corpus, tmp_path / "out")
    assert run.code == 0, run.stderr
    store = read_store(tmp_path / "out")
    assert set(store.documents) == good_docs(corpus) | {f"{corpus}/copy_of_a.txt"}
    first, copy = store.documents[f"{corpus}/good_a.txt"], store.documents[f"{corpus}/copy_of_a.txt"]
    assert first["sha256"] == copy["sha256"] and first["text"] == copy["text"]


def test_file_name_in_gbk_bytes_does_not_stop_the_corpus(nqpf, make_corpus, read_store, good_docs, tmp_path):
    corpus = make_corpus()
    with open(os.path.join(os.fsencode(corpus), "政策.txt".encode("gbk")), "wb") as fh:
        fh.write(C.encode("utf-8"))
    run = _ingest(nqpf, corpus, tmp_path / "out")
    assert run.code in (0, 3), run.stderr
    assert good_docs(corpus) <= set(read_store(tmp_path / "out").documents)


def test_tag_skips_a_bad_file_argument_and_tags_the_others(nqpf, bad_dir, tmp_path):
    good = bad_dir / "corpus" / "good_b.txt"
    empty = bad_dir / "files" / "empty.txt"
    run = nqpf("tag", good, empty, "--format", "jsonl")
    assert run.line("empty.txt") == f"nqpf: skipped: {empty}: empty file"
    assert run.code == 3
    docs = {line.split('"doc": ')[1].split(",")[0].strip('"') for line in run.stdout.splitlines()}
    assert docs == {str(good)}  # the good file's mentions are all there
    assert '"id": "110000"' in run.stdout


def test_tag_refuses_text_the_shell_could_not_decode(nqpf):
    run = nqpf("tag", "--text", "北京\udcff")
    assert run.lines == [
        "nqpf: error: --text:character 2: not valid UTF-8 (bytes the shell could not decode); pass a UTF-8 file"
    ]
    assert run.code == 2 and run.stdout == ""
