"""Broken corpus manifests through ``nqpf ingest``.

A manifest applies to every file, so a manifest that cannot be trusted stops the command before any
file is read (exit 2, one line naming ``manifest.yaml`` and the line, byte or field at fault), and the
store of an earlier run stays as it was. Suspicious but usable manifests (a duplicate entry, an entry
for a missing file) give a located warning and the corpus is read.
"""

from __future__ import annotations

import hashlib
import re

import pytest

FATAL = [
    ("invalid_yaml.yaml", r"line 5: invalid YAML: expected ',' or '\]', but got '<stream end>'"),
    ("wrong_year.yaml", r"files\[0\]\.year: year must be a whole number, got '二〇二四'"),
    (
        "title_mapping.yaml",
        r"files\[0\]\.title: title must be a string, a number or a list of them, got a dict",
    ),
    ("pieces_not_list.yaml", r"files\[0\]\.pieces: pieces must be a list of \{line: N, \.\.\.\}"),
    (
        "path_escape.yaml",
        r"files\[0\]\.path: path '\.\./\.\./outside/secret\.txt' leaves the corpus root; refused",
    ),
    ("absolute_path.yaml", r"files\[0\]\.path: path '/etc/hostname' leaves the corpus root; refused"),
    ("alias_bomb.yaml", r" YAML aliases expand to more than 100,000 nodes; refused"),
    (
        "python_tag.yaml",
        r"line 4: invalid YAML: could not determine a constructor for the tag "
        r"'tag:yaml\.org,2002:python/object/apply:os\.system'",
    ),
    ("bad_date.yaml", r"files\[0\]\.date: unreadable date '去年秋天'"),
    ("not_utf8.yaml", r"byte \d+: manifest is not UTF-8 text \(invalid start byte\)"),
]


def _digest(path) -> str:  # type: ignore[no-untyped-def]
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("manifest", "message"), FATAL, ids=[f[0] for f in FATAL])
def test_untrustworthy_manifest_stops_before_reading_and_keeps_the_old_store(
    manifest, message, nqpf, make_corpus, read_store, good_docs, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # where a !!python payload would drop its file
    corpus = make_corpus()
    out = tmp_path / "out"
    assert nqpf("ingest", corpus, "--out", out).code == 0  # an earlier, good run
    before = _digest(out / "nqpf.duckdb")
    make_corpus(manifest=manifest)
    run = nqpf("ingest", corpus, "--out", out)
    where = re.escape(f"{corpus}/manifest.yaml")
    assert re.fullmatch(rf"nqpf: error: {where}:?{message}", run.line("manifest.yaml")), run.stderr
    assert run.code == 2 and len(run.lines) == 1
    assert _digest(out / "nqpf.duckdb") == before  # nothing half-written
    assert set(read_store(out).documents) == good_docs(corpus)
    assert not list(tmp_path.glob("pwned*"))  # the YAML tag did not run


def test_duplicate_entry_is_named_and_the_first_wins(nqpf, make_corpus, read_store, good_docs, tmp_path):
    corpus = make_corpus(manifest="duplicate_entries.yaml")
    run = nqpf("ingest", corpus, "--out", tmp_path / "out")
    assert run.line("manifest.yaml") == (
        f"nqpf: warning: {corpus}/manifest.yaml:files[1]: manifest entry good_a.txt duplicates files[0] "
        "(same path); only the first is used"
    )
    assert run.code == 0
    store = read_store(tmp_path / "out")
    assert set(store.documents) == good_docs(corpus)
    assert store.documents[f"{corpus}/good_a.txt"]["title"] == "第一条"


def test_entry_for_a_missing_file_is_named_and_the_rest_applies(
    nqpf, make_corpus, read_store, good_docs, tmp_path
):
    corpus = make_corpus(manifest="unknown_file.yaml")
    run = nqpf("ingest", corpus, "--out", tmp_path / "out")
    assert run.line("manifest.yaml") == (
        f"nqpf: warning: {corpus}/manifest.yaml:files[1]: manifest entry missing.txt matches no file in the "
        "corpus (sha256 None)"
    )
    assert run.code == 0
    store = read_store(tmp_path / "out")
    assert set(store.documents) == good_docs(corpus)
    assert store.documents[f"{corpus}/good_a.txt"]["title"] == "有文件"


def test_run_with_a_path_escaping_manifest_writes_no_report(nqpf, make_corpus, tmp_path):
    corpus = make_corpus(manifest="path_escape.yaml")
    run = nqpf("run", "--corpus", corpus, "--out", tmp_path / "out", "--quiet")
    assert run.line("manifest.yaml") == (
        f"nqpf: error: {corpus}/manifest.yaml:files[0].path: path '../../outside/secret.txt' leaves the "
        "corpus root; refused"
    )
    assert run.code == 2
    assert not (tmp_path / "out" / "report.html").exists()
