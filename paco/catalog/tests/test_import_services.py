import copy
import json

import pytest
from django.core.management import CommandError

from paco.audit.models import AuditEntry
from paco.catalog import bnsp
from paco.catalog.actions import ImportFailed, import_services
from paco.catalog.demo import demo_payload
from paco.catalog.models import Category, Service, ServiceVersion
from paco.cli import call

from .conftest import demo_units, detail


def write(tmp_path, payload, name="servicos.json"):
    path = tmp_path / name
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    return str(path)


def export(town):
    out = []
    for s in Service.objects.for_municipality(town).for_detail().order_by("slug"):
        data = bnsp.detail(s)
        data.pop("id")
        out.append(data)
    return out


def test_good_file_via_command(tmp_path, town_x, unit_x_a, capsys):
    path = write(tmp_path, {"servicos": [detail("Poda", unit_x_a), detail("Vacina", unit_x_a)]})
    call("import-services", path, "--municipality", town_x.slug)
    out = capsys.readouterr().out
    assert "2 serviço(s) criado(s)" in out
    assert Service.objects.for_municipality(town_x).count() == 2
    assert ServiceVersion.objects.count() == 2


def test_reimport_updates_and_creates_new_version(tmp_path, town_x, unit_x_a, capsys):
    call("import-services", write(tmp_path, [detail("Poda", unit_x_a)]), "--municipality", "town-x")
    changed = detail("Poda", unit_x_a, descricao="Texto revisado.")
    call("import-services", write(tmp_path, [changed]), "--municipality", "town-x")
    assert "1 atualizado(s)" in capsys.readouterr().out
    service = Service.objects.get()
    assert service.description == "Texto revisado."
    assert list(service.versions.values_list("number", flat=True)) == [2, 1]


def test_malformed_json_changes_nothing(tmp_path, town_x, unit_x_a):
    with pytest.raises(CommandError, match="não é um JSON válido"):
        call("import-services", write(tmp_path, "[{"), "--municipality", "town-x")
    assert not Service.objects.exists()


def test_one_bad_item_changes_nothing_and_names_the_item(tmp_path, town_x, unit_x_a, capsys):
    bad_channel = detail("Dois", unit_x_a)
    bad_channel["etapas"][0]["canaisDePrestacao"]["canaisDePrestacao"][0]["tipo"] = "pombo"
    items = [
        detail("Um", unit_x_a),
        bad_channel,
        detail("Três", unit_x_a, orgao={"id": "nao-existe", "nomeOrgao": "Secretaria Fantasma"}),
        {"descricao": "sem nome"},
        detail("Cinco", unit_x_a, tempoTotalEstimado={"ate": {"max": "x", "unidade": "dias"}}),
    ]
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="Nada foi importado"):
        call("import-services", write(tmp_path, items), "--municipality", "town-x")
    err = capsys.readouterr().err
    assert "Item 2 (“Dois”): tipo de canal desconhecido: “pombo”." in err
    assert "Item 3 (“Três”): unidade responsável não encontrada" in err
    assert "Item 4: o campo “nome” é obrigatório." in err
    assert "Item 5 (“Cinco”): o prazo máximo deve ser um número inteiro" in err
    assert "Item 1" not in err
    assert not Service.objects.exists()
    assert not Category.objects.exists()
    assert AuditEntry.objects.count() == before


def test_wrong_top_level_shape(town_x):
    with pytest.raises(ImportFailed) as info:
        import_services(None, town_x, {"outra": 1})
    assert "lista de serviços" in info.value.errors[0]


def test_duplicate_items_are_reported(town_x, unit_x_a):
    with pytest.raises(ImportFailed) as info:
        import_services(None, town_x, [detail("A", unit_x_a), detail("A", unit_x_a)])
    assert info.value.errors == ["Item 2 (“A”): repete o serviço do item 1."]


def test_unknown_municipality(tmp_path, town_x, town_y):
    with pytest.raises(CommandError, match="não encontrado"):
        call("import-services", write(tmp_path, []), "--municipality", "nada")
    with pytest.raises(CommandError, match="informe --municipality"):
        call("import-services", write(tmp_path, []))


def test_demo_round_trip(demo_x, town_y, tmp_path):
    first = export(demo_x)
    assert len(first) >= 22
    demo_units(town_y)
    call("import-services", write(tmp_path, first), "--municipality", town_y.slug)
    assert export(town_y) == first
    # importing the same again is idempotent: no new services, no new versions
    versions = ServiceVersion.objects.filter(municipality=town_y).count()
    import_services(None, town_y, copy.deepcopy(first))
    assert export(town_y) == first
    assert ServiceVersion.objects.filter(municipality=town_y).count() == versions


def test_demo_charter_is_complete(demo_x):
    services = list(Service.objects.for_municipality(demo_x).for_detail())
    assert len(services) == len(demo_payload()) >= 22
    statuses = {s.digital_status for s in services}
    assert statuses == {"digital", "parcialmente-digital", "presencial"}
    assert Category.objects.for_municipality(demo_x).count() >= 6
    for s in services:
        for field in ("popular_names", "description", "contact", "keywords", "legislation",
                      "priority", "accessibility", "service_standards",
                      "complaints"):  # fmt: skip
            assert getattr(s, field), (s.name, field)
        assert s.requesters.all() and s.steps.all() and s.audiences.all() and s.categories.all()
        assert all(step.channels.all() for step in s.steps.all()), s.name
        assert s.last_reviewed
        assert bool(s.digital_url) == (s.digital_status != "presencial"), s.name


def test_items_without_status_arrive_as_drafts(town_x, unit_x_a):
    item = detail("Sem situação", unit_x_a)
    del item["situacao"]
    import_services(None, town_x, [item])
    assert Service.objects.get().status == "draft"
