from __future__ import annotations

from spacy.tokens import DocBin

from nqpf_text.spacy_tagger import SPANS_KEY, blank_pipeline, export_docbin, render_mentions


def test_component_sets_spans_and_entities_and_exports(tmp_path, toy_lexicons):
    nlp = blank_pipeline(lexicons=[str(p) for p in toy_lexicons], shipped=False, backend="jieba")
    assert nlp.pipe_names == ["nqpf_tagger"]
    doc = nlp("浙江西部集中部署科技人才，南京市数据要素")
    labels = [(s.text, s.label_) for s in doc.spans[SPANS_KEY]]
    assert ("浙江", "region:330000") in labels
    assert ("科技人才", "dimension:labor") in labels
    assert ("数据要素", "dimension:objects") in labels and ("数据要素", "dimension:means") in labels
    assert not any(s.label_.startswith("region:macro") for s in doc.spans[SPANS_KEY])
    assert len(doc.ents) == len(labels) - 1  # the second 数据要素 overlaps the first
    html = render_mentions(doc, page=True)
    assert "region:330000" in html and "<html" in html
    path = export_docbin([("a", "南京市科技人才"), ("b", "浙江")], tmp_path / "corpus.spacy", nlp=nlp)
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    assert [d.user_data["nqpf_doc"] for d in docs] == ["a", "b"]
    assert [e.text for e in docs[0].ents] == ["南京市", "科技人才"]
