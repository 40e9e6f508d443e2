"""``var/demo-credenciais.txt``: each demo user with their password and role in pt-BR."""

from __future__ import annotations

import pytest

from paco.accounts.models import Role, StaffMembership
from paco.tenancy import demo


@pytest.mark.django_db
def test_credentials_list_roles_and_include_a_data_editor(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(demo, "DEMO_LOADERS", [])  # the staff only, not the sample content
    result = demo.load_demo()
    text = (tmp_path / "demo-credenciais.txt").read_text()
    lines = {line.split(":", 1)[0].strip(): line for line in text.splitlines()[1:]}
    assert set(lines) == {"admin", "carta", "cronograma", "dados"}
    for username, password in result.credentials.items():
        assert f"{username}: {password} — " in lines[username]
    assert lines["admin"].endswith("— Administrador do município")
    assert lines["carta"].endswith("— Editor da Carta de Serviços")
    assert lines["cronograma"].endswith("— Editor do cronograma (unidade CGD)")
    assert lines["dados"].endswith("— Editor de dados abertos")
    editor = StaffMembership.objects.get(user__username="dados")
    assert editor.role == Role.DATA_EDITOR and editor.municipality == result.municipality
    assert editor.unit is None
