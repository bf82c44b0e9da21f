"""A small synthetic corpus for the report tests: hand-made tables, no pipeline, no shared data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from nqpf_text.lexicon import Lexicon
from nqpf_text.link import Framework, statements_frame
from nqpf_text.pipeline import CorpusTables
from nqpf_text.types import IndicatorLink, Statement

XSS_SCRIPT = "<script>document.title='PWNED'</script>"
XSS_IMG = "<img src=x onerror=\"document.title='PWNED'\">"

LEXICONS = {
    "regions": """
lexicon: regions
version: "t1"
category: region
entries:
  - {id: macro.east, name: 东部, level: macro, terms: [东部]}
  - {id: macro.central, name: 中部, level: macro, terms: [中部]}
  - {id: macro.west, name: 西部, level: macro, terms: [西部]}
  - {id: macro.northeast, name: 东北, level: macro, terms: [东北]}
  - {id: "620000", name: 甘肃省, level: province, parent: macro.west, terms: [甘肃省, 甘肃]}
  - {id: "621000", name: 庆阳市, level: city, parent: "620000", terms: [庆阳市, 庆阳]}
  - {id: "620100", name: 兰州市, level: city, parent: "620000", terms: [兰州]}
  - {id: "320000", name: 江苏省, level: province, parent: macro.east, terms: [江苏]}
  - {id: "320100", name: 南京市, level: city, parent: "320000", terms: [南京]}
  - {id: "230000", name: 黑龙江省, level: province, parent: macro.northeast, terms: [黑龙江]}
  - {id: "230100", name: 哈尔滨市, level: city, parent: "230000", terms: [哈尔滨]}
  - {id: "110000", name: 北京市, level: province, parent: macro.east, terms: [北京]}
  - {id: zone.yrd, name: 长三角, level: zone, terms: [长三角]}
  - {id: zhongxibu, name: 中西部, level: macro, terms: [中西部], expands: [macro.central, macro.west]}
""",
    "dimensions": """
lexicon: dimensions
version: "t1"
category: dimension
entries:
  - {id: tech, name: 科技, terms: [科技创新, 研发]}
  - {id: labor, name: 劳动者, terms: [人才]}
  - {id: org, name: 产业组织, terms: [产业链]}
  - {id: objects, name: 劳动对象, terms: [劳动对象]}
""",
    "industries": """
lexicon: industries
version: "t1"
category: industry
entries:
  - {id: ai, name: 人工智能, group: digital, terms: [人工智能]}
  - {id: nev, name: 新能源汽车, group: strategic_emerging, terms: [新能源汽车]}
  - {id: quantum, name: 量子科技, group: future, terms: [量子科技]}
""",
}

# (doc, source, title, date, author, outlet, kind, focal_region, text)
DOCS = [
    (
        "a.txt#1",
        "a.txt",
        "庆阳篇",
        "2024-01-15",
        "刘某",
        "庆阳日报",
        "statement",
        None,
        "庆阳推进科技创新。庆阳市发展人工智能，庆阳人才集聚。甘肃支持庆阳产业链。生成式人工智能赋能庆阳。",
    ),
    (
        "a.txt#2",
        "a.txt",
        "南京篇",
        "2024-02-19",
        "南京日报评论员",
        "南京日报",
        "commentary",
        None,
        "南京加快新能源汽车产业链。南京的研发投入提高。江苏南京生成式人工智能。南京人才。",
    ),
    (
        "a.txt#3",
        "a.txt",
        "黑龙江篇",
        "2024-03",
        "许某",
        None,
        "article",
        None,
        "黑龙江发展量子科技。黑龙江科技创新，哈尔滨人才。黑龙江产业链。生成式人工智能在黑龙江。",
    ),
    (
        "b.txt",
        "b.txt",
        "全国篇",
        "2025",
        None,
        None,
        "commentary",
        None,
        "东部地区科技创新。东部人才，西部产业链。中西部研发。生成式人工智能。",
    ),
    (
        "c.txt",
        "c.txt",
        XSS_SCRIPT,
        "2025-05-01",
        XSS_IMG,
        XSS_IMG,
        "commentary",
        None,
        "江苏和北京的研发。" + XSS_SCRIPT + "北京人才。" + XSS_IMG + "北京科技创新。",
    ),
    ("d.txt", "d.txt", "给定篇", None, None, None, None, "320000", "北京人才。北京北京研发。"),
]


def load_lexicons(folder: Path) -> list[Lexicon]:
    out = []
    for name, text in LEXICONS.items():
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        out.append(Lexicon.from_yaml(path))
    return out


FRAMEWORK = """
framework: mini
levels:
  - id: T
    name: 高科技
    children: [{id: T1, name: 创新投入}, {id: T3, name: 数智化水平}]
  - id: E
    name: 高效能
    children: [{id: E3, name: 节能减排}]
indicators:
  - {id: T1.1, parent: T1, name: 研发经费投入, direction: "+", cues: [{term: 研发}]}
  - {id: T3.1, parent: T3, name: 人工智能企业, direction: "+", cues: [{term: 人工智能}]}
  - {id: E3.1, parent: E3, name: 能源强度, direction: "-", cues: [{term: 能耗}]}
"""


def framework(folder: Path) -> Framework:
    """A three-leaf framework with two first-level groups (E3.1 is never linked)."""
    path = folder / "mini.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    return Framework.from_file(path)


def _sentences(doc: str, text: str) -> list[dict[str, Any]]:
    rows = []
    for m in re.finditer(r"[^。]+。?", text):
        rows.append(
            {
                "doc": doc,
                "sentence": len(rows),
                "paragraph": 0,
                "start": m.start(),
                "end": m.end(),
                "text": m.group(0),
                "boilerplate": False,
            }
        )
    return rows


def _mentions(doc: str, text: str, lexicons: list[Lexicon], sentences: list[dict]) -> list[dict[str, Any]]:
    """Leftmost-longest plain matching, like the tagger, enough for report tests."""
    claims = []
    for lex in lexicons:
        for term, entry, _ in lex.terms():
            claims.append((term, lex, entry))
    claims.sort(key=lambda c: -len(c[0]))
    taken = [False] * len(text)
    rows = []
    for term, lex, entry in claims:
        for m in re.finditer(re.escape(term), text):
            s, e = m.span()
            if any(taken[s:e]):
                continue
            for i in range(s, e):
                taken[i] = True
            org = text.startswith("日报", e)
            sent = next(x for x in sentences if x["start"] <= s < x["end"])
            targets = [lex[t] for t in entry.expands] if entry.expands else [entry]
            for target in targets:
                province = macro = None
                if lex.category == "region" and target.level == "city":
                    province = target.parent
                    macro = lex[province].parent
                elif lex.category == "region" and target.level == "province":
                    province, macro = target.id, target.parent
                rows.append(
                    {
                        "doc": doc,
                        "start": s,
                        "end": e,
                        "text": term,
                        "category": lex.category,
                        "id": target.id,
                        "name": target.name,
                        "group": target.group if lex.category == "industry" else None,
                        "role": ("org" if org else "place") if lex.category == "region" else None,
                        "province": province,
                        "macro": macro,
                        "term": term,
                        "lexicon": lex.name,
                        "sentence": sent["sentence"],
                        "boilerplate": sent["boilerplate"],
                    }
                )
    return sorted(rows, key=lambda r: (r["start"], r["id"]))


def _links(sentences: pd.DataFrame) -> pd.DataFrame:
    """Hand-made links: 研发 → T1.1 (0.9), 人工智能 → T3.1 (0.6), best first."""
    statements = []
    for s in sentences.itertuples():
        found = []
        if "研发" in s.text:
            found.append(IndicatorLink("T1.1", 0.9, ("研发投入" if "研发投入" in s.text else "研发",)))
        if "人工智能" in s.text:
            found.append(IndicatorLink("T3.1", 0.6, ("人工智能",)))
        if found:
            statements.append(
                Statement(s.doc, s.sentence, s.start, s.end, s.text, tuple(found), s.boilerplate)
            )
    return statements_frame(statements)


def corpus(folder: Path) -> CorpusTables:
    lexicons = load_lexicons(folder)
    docs, sents, ments = [], [], []
    for doc, source, title, date, author, outlet, kind, focal, text in DOCS:
        docs.append(
            {
                "doc": doc,
                "source": source,
                "title": title,
                "date": date,
                "date_inferred": False,
                "date_cue": None,
                "author": author,
                "affiliation": None,
                "outlet": outlet,
                "kind": kind,
                "focal_region": focal,
                "encoding": "utf-8",
                "sha256": "",
                "line_start": 1,
                "line_end": 1,
                "chars": len(text),
                "text": text,
            }
        )
        s = _sentences(doc, text)
        sents += s
        ments += _mentions(doc, text, lexicons, s)
    sentences = pd.DataFrame(sents)
    return CorpusTables(
        documents=pd.DataFrame(docs),
        paragraphs=pd.DataFrame(),
        sentences=sentences,
        footnotes=pd.DataFrame(),
        mentions=pd.DataFrame(ments),
        links=_links(sentences),
        skipped=pd.DataFrame([("e.pdf", "no text layer")], columns=["file", "reason"]),
        issues=pd.DataFrame([("a.txt", "line 3", "bad byte")], columns=["file", "place", "message"]),
        lexicons=lexicons,
        framework=framework(folder),
    )
