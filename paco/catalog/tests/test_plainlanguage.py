from paco.catalog.plainlanguage import MAX_SENTENCE_WORDS, analyze


def test_plain_text_has_no_hints():
    report = analyze("Peça a segunda via do boleto pela internet. É rápido e de graça.")
    assert report.ok
    assert report.messages() == []
    assert report.sentences == 2


def test_long_sentence_is_flagged():
    long = " ".join(["palavra"] * (MAX_SENTENCE_WORDS + 1)) + "."
    short = " ".join(["palavra"] * MAX_SENTENCE_WORDS) + "."
    assert analyze(long).long_sentences
    assert not analyze(short).long_sentences
    assert "Frase longa" in analyze(long).messages()[0]


def test_jargon_with_and_without_accents():
    report = analyze(
        "O requerente deve protocolizar o pedido mediante formulário. O munícipe aguarda."
    )
    terms = [t for t, _ in report.jargon]
    assert "requerente" in terms
    assert "protocolizar" in terms
    assert "mediante" in terms
    assert "munícipe" in terms
    assert len(terms) == len(set(terms))
    assert any("Jargão" in m for m in report.messages())


def test_jargon_matches_whole_words_only():
    assert analyze("Os intermediantes chegaram.").jargon == []


def test_acronym_not_spelled_out_is_flagged():
    assert analyze("Leve o comprovante do ITBI.").acronyms == ["ITBI"]
    explained = "Leve o comprovante do Imposto sobre Transmissão de Bens Imóveis (ITBI)."
    assert analyze(explained).acronyms == []
    assert analyze("Leve o CPF.").acronyms == []


def test_long_words():
    report = analyze("É uma inconstitucionalidade evidente.")
    assert report.long_words == ["inconstitucionalidade"]


def test_empty_text():
    assert analyze("").ok
    assert analyze(None).ok
