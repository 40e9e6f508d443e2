"""Free-text detection and masking."""

from paco.privacy import cpf_is_valid, find_personal_data, mask_text


def test_cpf_check_digits():
    assert cpf_is_valid("52998224725")
    assert not cpf_is_valid("52998224724")
    assert not cpf_is_valid("11111111111")


def test_cpf_in_any_writing_is_found_and_masked():
    text = "Pago a Fulano CPF 529.982.247-25; outro 52998224725 e 529 982 247 25."
    assert [m.kind for m in find_personal_data(text)] == ["cpf", "cpf", "cpf"]
    assert "529" not in mask_text(text)


def test_invalid_cpf_and_other_numbers_are_kept():
    text = "Processo 123.456.789-00, nota 2024 e valor 1.234,56"
    assert mask_text(text) == text


def test_email_is_masked():
    masked = mask_text("escreva para a.b@exemplo.com.br hoje")
    assert masked == "escreva para [e-mail removido] hoje"
