import pytest

from paco.core.sanitize import clean_html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<p style="position:fixed" onclick="x()">texto</p>',
        '<iframe src="https://evil.example"></iframe>',
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_hostile_markup_is_removed(hostile):
    cleaned = clean_html(hostile)
    for needle in ("<script", "onerror", "javascript:", "onclick", "style=", "<iframe", "<svg"):
        assert needle not in cleaned


def test_plain_formatting_is_kept():
    html = '<p>Leve o <strong>RG</strong> e o <a href="https://gov.br">comprovante</a>.</p>'
    cleaned = clean_html(html)
    assert "<strong>RG</strong>" in cleaned
    assert 'href="https://gov.br"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned
