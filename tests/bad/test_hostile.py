"""Hostile content: corpus text and metadata never act, user strings are never evaluated, and outputs
stay inside ``--out``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import nqpf_text

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
QUOTE = '"><svg onload=alert(4)>'
BODY = f"{SCRIPT}江苏研发投入强度持续提高，{IMG}规模以上工业企业研发经费投入增长。\n北京推动科技创新。\n"
MANIFEST = f"""manifest: 1
files:
  - path: a_hostile.txt
    title: '{SCRIPT}标题'
    author: '{IMG}'
    outlet: '{QUOTE}'
  - path: b_formula.txt
    title: '=HYPERLINK("http://example.invalid/","点击")'
    author: '[点我](javascript:alert(5))'
"""
SKIPPED_NAMES = ("<svg onload=alert(6)>.xlsx", "[x](javascript:alert(7)).xlsx")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[Path]]:
    """``nqpf run`` on a corpus whose text, titles, authors, outlets and file names carry payloads."""
    from typer.testing import CliRunner

    from nqpf_text.cli import app

    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "a_hostile.txt").write_text(BODY, encoding="utf-8")
    (corpus / "b_formula.txt").write_text(
        "浙江发展数字经济，集成电路和新材料产业集群加快形成。\n", encoding="utf-8"
    )
    (corpus / "..%2F..%2Fescape.txt").write_text("上海加快建设国际科技创新中心。\n", encoding="utf-8")
    for name in SKIPPED_NAMES:
        (corpus / name).write_bytes(b"PK")
    (corpus / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
    before = {p for p in root.rglob("*")}
    result = CliRunner().invoke(app, ["run", "--corpus", str(corpus), "--out", str(root / "out"), "--quiet"])
    assert result.exit_code == 3, result.output  # the two .xlsx files are skipped
    return root, root / "out", {p for p in root.rglob("*")} - before


def test_report_html_shows_payloads_escaped_and_runs_nothing(hostile_run):
    _, out, _ = hostile_run
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()  # the page has no script of its own, and none from the corpus
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", page, re.I)  # no event-handler attribute
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", page, re.I)
    for shown in ("&lt;script&gt;alert(1)&lt;/script&gt;标题", "&lt;img src=x onerror=alert(2)&gt;"):
        assert shown in page  # the title, the author and the statement text are displayed, as text
    assert "&quot;&gt;&lt;svg onload=alert(4)&gt;" in page  # the outlet cannot close an attribute
    assert "&lt;svg onload=alert(6)&gt;.xlsx" in page  # a skipped file's name
    assert "default-src &#x27;none&#x27;" in page  # the CSP forbids scripts and fetches as well


def test_summary_md_is_inert(hostile_run):
    _, out, _ = hostile_run
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert not re.search(r"<\s*(script|img|svg|iframe)", summary, re.I)
    assert not re.search(r"(?<!\\)\]\(javascript:", summary) and "![" not in summary
    assert "&lt;svg onload=alert(6)&gt;.xlsx" in summary
    assert r"\[x\](javascript:alert(7)).xlsx" in summary  # shown, but not a link


def test_spreadsheet_cells_stay_data_and_csv_keeps_the_text_verbatim(hostile_run):
    from openpyxl import load_workbook

    _, out, _ = hostile_run
    formula = '=HYPERLINK("http://example.invalid/","点击")'
    book = load_workbook(out / "tables.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == formula]
    assert cells and all(c.data_type == "s" for c in cells)  # text, not a formula
    csv_text = (out / "tables" / "documents.csv").read_text(encoding="utf-8-sig")
    assert '"=HYPERLINK(""http://example.invalid/"",""点击"")"' in csv_text  # never silently altered


def test_nothing_is_written_outside_out(hostile_run):
    root, out, created = hostile_run
    outside = sorted(str(p.relative_to(root)) for p in created if out != p and out not in p.parents)
    assert outside == []
    assert (out / "report.html").is_file() and any(p.name == "documents.csv" for p in created)


def test_a_table_name_cannot_lead_outside_out(tmp_path):
    import pandas as pd

    from nqpf_text.report.write import write_reports

    out = tmp_path / "deep" / "out"
    with pytest.raises(ValueError, match="escapes"):
        write_reports({"../../evil": pd.DataFrame({"a": [1]})}, out)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


# --------------------------------------------------------------------------- no evaluation

_BANNED_CALLS = {
    "eval", "exec", "compile", "__import__", "breakpoint", "input",
    "yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load",
    "yaml.full_load_all", "pickle.load", "pickle.loads", "marshal.load", "marshal.loads", "shelve.open",
    "os.system", "os.popen", "pd.read_pickle", "pandas.read_pickle", "pd.eval", "joblib.load", "dill.loads",
}  # fmt: skip
_BANNED_METHODS = {"eval", "query", "read_pickle"}  # DataFrame.eval/query evaluate their string
_UNSAFE_LOADERS = {"Loader", "UnsafeLoader", "FullLoader", "CLoader", "CUnsafeLoader", "CFullLoader"}
# Reviewed exceptions: the lazy attribute table of nqpf_text/__init__.py names fixed modules only;
# the result cache unpickles only entries signed with this user's key (tested below).
# cache.py reads only entries signed with this user's secret; engine.py reads the private file (mkstemp,
# mode 0600) its own main process just wrote to hand a shared value to its workers.
_ALLOWED = {
    ("__init__.py", "importlib.import_module"),
    ("cache.py", "pickle.loads"),
    ("engine.py", "pickle.load"),
}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def evaluation_sites(source: str, filename: str) -> list[str]:
    """Calls that run, unpickle or evaluate a string: ``file:line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            shell = any(k.arg == "shell" and getattr(k.value, "value", False) is True for k in node.keywords)
            pickle_ok = any(
                k.arg == "allow_pickle" and getattr(k.value, "value", False) is True for k in node.keywords
            )
            if (filename, name) in _ALLOWED:
                continue
            if (
                name in _BANNED_CALLS
                or method in _BANNED_METHODS
                or shell
                or pickle_ok
                or name.endswith("import_module")
            ):
                found.append(f"{where}: {name or method}")
        elif (
            isinstance(node, ast.Attribute) and node.attr in _UNSAFE_LOADERS and _dotted(node.value) == "yaml"
        ):
            found.append(f"{where}: yaml.{node.attr}")
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        "eval(text)",
        "exec(code)",
        "yaml.load(fh, Loader=yaml.Loader)",
        "yaml.unsafe_load(text)",
        "pickle.loads(blob)",
        "frame.query(user_string)",
        "subprocess.run(cmd, shell=True)",
        "np.load(path, allow_pickle=True)",
        "importlib.import_module(name)",
    ],
)
def test_the_scanner_finds_evaluation(snippet):
    assert evaluation_sites(snippet, "x.py"), snippet


def test_package_source_evaluates_no_user_string():
    package = Path(nqpf_text.__file__).parent
    files = sorted(package.rglob("*.py"))
    assert len(files) > 20
    found = [hit for path in files for hit in evaluation_sites(path.read_text(encoding="utf-8"), path.name)]
    assert found == []
    yaml_calls = [
        path.name
        for path in files
        if re.search(r"yaml\.(?!safe_load|compose|SafeLoader|YAMLError|MarkedYAMLError|Node|MappingNode|"
                     r"SequenceNode|ScalarNode)\w+", path.read_text(encoding="utf-8"))
    ]  # fmt: skip
    assert yaml_calls == []  # YAML is read with safe_load / compose(SafeLoader) only


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.marker,))


def test_planted_cache_pickles_are_not_loaded(hostile_run, tmp_path):
    """An output folder received from someone else may carry a result cache: its entries are pickles,
    and only entries signed with this user's key are ever unpickled."""
    import pickle
    import zlib

    from typer.testing import CliRunner

    from nqpf_text.cli import app

    root, out, _ = hostile_run
    entries = [p for p in (out / ".nqpf-cache").rglob("*") if p.is_file() and not p.name.startswith(".")]
    if not entries:
        pytest.skip("this build keeps no result cache in the output folder")
    marker = tmp_path / "pwned"
    planted = zlib.compress(pickle.dumps(_Payload(marker)))
    for entry in entries:
        head = entry.read_bytes()[:13]
        entry.write_bytes(head + bytes(32) + planted)
    result = CliRunner().invoke(app, ["run", "--corpus", str(root / "corpus"), "--out", str(out), "--quiet"])
    assert result.exit_code == 3, result.output
    assert not marker.exists()
    assert (out / "report.html").is_file()


def test_python_tags_in_every_yaml_input_are_refused(nqpf, bad_dir, tmp_path, monkeypatch):
    """Lexicons, manifests and frameworks: a ``!!python/object/apply`` tag is an error with file and
    line, and its command never runs."""
    monkeypatch.chdir(tmp_path)
    framework = tmp_path / "framework.yaml"
    framework.write_text(
        'framework: evil\nversion: "1"\nname: !!python/object/apply:os.system ["touch pwned-fw"]\nindicators: []\n',
        encoding="utf-8",
    )
    run = nqpf("link", "--framework", framework, "--text", "北京推动科技创新。")
    assert run.line("framework.yaml").startswith(
        f"nqpf: error: {framework}:line 3: invalid YAML: could not determine"
    )
    assert run.code == 2
    assert not list(tmp_path.glob("pwned*"))
