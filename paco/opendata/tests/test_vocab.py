"""The DCAT-BR vocabularies as read from the vendored files."""

from __future__ import annotations

from paco.opendata import vocab

SEI = "https://dcat-br.github.io/dcat-br/docs/vocabularies/SEI/"


def test_lai_labels_with_commas_are_whole():
    labels = {term.uri: term.label for term in vocab.access_rights()}
    assert labels[SEI + "5"] == (
        "Restrito - Protocolo pendente de análise de restrição "
        "(Art. 6º, III, da Lei nº 12.527/2011)"
    )
    assert labels[SEI + "1"] == "Público"
    for label in labels.values():  # no label cut inside its legal reference
        assert label.count("(") == label.count(")"), label


def test_quoted_and_unquoted_labels(tmp_path, monkeypatch):
    (tmp_path / "v.csv").write_text(
        'http://x/1,"Com vírgula, entre aspas"\nhttp://x/2,Sem aspas, com vírgula\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(vocab, "VOCAB_DIR", tmp_path)
    assert vocab._rows("v.csv") == [
        ("http://x/1", "Com vírgula, entre aspas"),
        ("http://x/2", "Sem aspas, com vírgula"),
    ]
