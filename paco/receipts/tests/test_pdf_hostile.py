"""Whatever a citizen types, the PDF renders: long texts, odd Unicode, markup, many lines."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from paco.receipts import content
from paco.receipts.pdf import printable, render_pdf
from paco.receipts.tests.test_pdf import flat, pdf_text

pytestmark = pytest.mark.django_db

HOSTILE = {
    "emoji": "Buraco enorme 😡🕳️ na rua 👨‍👩‍👧‍👦 — urgente!",
    "rtl": "مرحبا بالعالم · שלום עולם · abc",
    "cjk": "漢字かなカナ한국어",
    "combining": "Z̵̡̢͈͙a̴̛͖l̸͕g̷o̶ — acentos a\u0301 c\u0327",
    "invisible": "a\u200bb\u200c\u200d\ufeffc\u2060d",
    "markup": "<b>negrito</b> <para>&amp; <font name='x' size='200'>x</font> <br/> "
    "<img src='/etc/passwd'/>",
    "latin_extra": "Łódź Ærø Œuvre ő ű ş ğ ı ñ €",
    "math": "𝕳𝖊𝖑𝖑𝖔 ∑∫√∞ ≠ ≤",
}


@pytest.fixture(autouse=True)
def hang_guard() -> Iterator[None]:
    """A rendering that never ends fails the test instead of stalling the suite."""

    def stop(*_: object) -> None:
        raise TimeoutError("a geração do PDF não terminou em 60 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_odd_unicode_prints_what_the_font_can_and_question_marks_for_the_rest(issue, town_x):
    receipt = issue(town_x, lines=list(HOSTILE.items()))
    text = flat(pdf_text(render_pdf(receipt)))
    assert "Buraco enorme ?? na rua ???? — urgente!" in text
    assert "????? ??????? · ???? ???? · abc" in text
    assert "acentos á ç" in text and "Zalgo" in text
    assert "abcd" in text
    assert "<b>negrito</b> <para>&amp; <font name='x' size='200'>x</font>" in text
    assert "?ódz Ærø Œuvre o u s g ? ñ €" in text
    assert "Hello ???? ? ?" in text


def test_the_largest_receipt_allowed_renders_on_several_pages(issue, town_x):
    word = "palavra-sem-espaco" * 200  # one word wider than the page
    per_line = content.MAX_TOTAL // content.MAX_LINES
    lines = [(f"Campo {i} {HOSTILE['emoji']}", (word + " ")[:per_line]) for i in range(60)]
    receipt = issue(
        town_x,
        lines=lines,
        explanation=["passo " + "muito longo " * 80] * content.MAX_EXPLANATION_LINES,
        title=("Título (com parênteses) \\ barra ) ( <x> " * 10)[: content.MAX_TITLE],
        number="N" * 40,
    )
    data = render_pdf(receipt)
    text = pdf_text(data)
    assert data.count(b"/Type /Page\n") > 5
    assert receipt.display_code in flat(text)
    assert "Título (com parênteses) \\ barra ) ( <x>" in flat(text)


def test_an_empty_value_and_lonely_marks_do_not_break_a_line(issue, town_x):
    receipt = issue(
        town_x, lines=[("Vazio", ""), ("Marcas", "\u0301\u0327\u20dd"), ("\ufe0f", "x")]
    )
    assert "Vazio" in pdf_text(render_pdf(receipt))


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("ação ÇÃO àéíóú ü", "ação ÇÃO àéíóú ü"),
        ("“aspas” – travessão — … € •", "“aspas” – travessão — … € •"),
        ("tab\there", "tab    here"),
        ("😀", "?"),
        ("ﬁ", "fi"),
        ("≠ ≮ ½", "? ? ½"),
        ("\u202etexto", "texto"),
    ],
)
def test_printable(text, printed):
    assert printable(text) == printed
