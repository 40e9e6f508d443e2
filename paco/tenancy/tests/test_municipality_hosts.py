"""Host names, slug, IBGE code and the active flag belong to the installation superuser.

Reproduction (issue 8, "Why → Tenancy"): a municipality administrator edited the
town's host names in the back office; nothing kept host names unique across
towns, so another town's address then served the first town.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client

from paco.conftest import HOST_X, HOST_Y
from paco.tenancy.actions import update_municipality
from paco.tenancy.middleware import resolve_municipality
from paco.tenancy.models import Municipality, MunicipalityHost

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    from paco.accounts.models import User

    return User.objects.create_superuser("raiz", "raiz@paco.test", "senha-de-teste-123")


def test_reproduction_admin_cannot_take_another_towns_host_in_the_back_office(
    client_for, admin_x, town_x, town_y
):
    client = client_for(admin_x, town_x)
    page = client.get(f"/gestao/tenancy/municipality/{town_x.pk}/change/").content.decode()
    assert 'name="hosts"' not in page  # shown read-only, not as a field
    data = {
        "name": town_x.name,
        "uf": "SC",
        "cnpj": town_x.cnpj,
        "hosts": f"{HOST_X}\n{HOST_Y}",
        "slug": "outro",
        "ibge_code": "4205407",
        "is_active": "",
    }
    client.post(f"/gestao/tenancy/municipality/{town_x.pk}/change/", data)
    town_x.refresh_from_db()
    assert (town_x.host_list(), town_x.slug, town_x.is_active) == ([HOST_X], "town-x", True)
    assert resolve_municipality(HOST_Y) == town_y


@pytest.mark.parametrize(
    "field,value",
    [
        ("hosts", "novo.paco.test"),
        ("slug", "outro"),
        ("ibge_code", "4205407"),
        ("is_active", False),
    ],
)
def test_town_admin_cannot_change_installation_fields_through_the_action(
    admin_x, town_x, field, value
):
    with pytest.raises(PermissionDenied, match="administrador da instalação"):
        update_municipality(admin_x, town_x, **{field: value})


def test_town_admin_still_edits_the_towns_public_data(admin_x, town_x):
    update_municipality(admin_x, town_x, name="Xanxerê Renomeada", phone="(49) 3333-0000")
    town_x.refresh_from_db()
    assert town_x.name == "Xanxerê Renomeada"


def test_superuser_edits_hosts_in_the_back_office(superuser, town_x, town_y):
    client = Client(HTTP_HOST=HOST_X)
    client.force_login(superuser)
    url = f"/gestao/tenancy/municipality/{town_x.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="hosts"' in page
    data = {
        "name": town_x.name,
        "slug": town_x.slug,
        "uf": "SC",
        "ibge_code": town_x.ibge_code,
        "cnpj": town_x.cnpj,
        "hosts": f"{HOST_X}\nServicos.X.Paco.Test",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Municipality.objects.get(pk=town_x.pk).host_list() == [HOST_X, "servicos.x.paco.test"]
    # another town's host is refused in pt-BR, naming the owner
    response = client.post(url, {**data, "hosts": f"{HOST_X}\n{HOST_Y}"})
    assert response.status_code == 200
    assert "já pertence a Ypiranga do Teste/SC" in response.content.decode()
    assert resolve_municipality(HOST_Y) == town_y


def test_the_action_refuses_a_host_of_another_town(superuser, town_x, town_y):
    with pytest.raises(ValidationError, match="já pertence"):
        update_municipality(superuser, town_x, hosts=f"{HOST_X}\n{HOST_Y}")


def test_the_database_keeps_a_host_with_one_town(town_x, town_y):
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityHost.objects.create(municipality=town_y, host=HOST_X)
    insert = (
        "INSERT INTO tenancy_municipalityhost (municipality_id, host, position) VALUES (%s, %s, 0)"
    )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(insert, [town_y.pk, HOST_X])
    # a raw insert cannot dodge it with capitals either
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(insert, [town_y.pk, HOST_X.upper()])


def test_hosts_keep_the_text_interface(town_x):
    town_x.hosts = " A.Paco.Test \n\nb.paco.test\na.paco.test"
    assert town_x.host_list() == ["a.paco.test", "b.paco.test"]
    town_x.save()
    assert Municipality.objects.get(pk=town_x.pk).hosts == "a.paco.test\nb.paco.test"
    Municipality.objects.filter(pk=town_x.pk).update(hosts="c.paco.test")
    assert Municipality.objects.get(pk=town_x.pk).host_list() == ["c.paco.test"]


def test_malformed_host_is_refused_in_portuguese(superuser, town_x):
    with pytest.raises(ValidationError, match="não é um nome de host válido"):
        update_municipality(superuser, town_x, hosts="https://x.paco.test/")


# --- served fresh at once -------------------------------------------------------------------


@pytest.fixture
def cached(settings):
    settings.PACO_PAGE_CACHE_SECONDS = 300


def test_a_renamed_town_is_served_fresh_at_once(
    cached, anon_x, admin_x, town_x, django_capture_on_commit_callbacks
):
    assert "Xanxerê do Teste" in anon_x.get("/servicos/").content.decode()
    assert anon_x.get("/servicos/")["X-Paco-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        update_municipality(admin_x, town_x, name="Xaxim Renomeada")
    page = anon_x.get("/servicos/").content.decode()
    assert "Xaxim Renomeada" in page
    assert "Xanxerê do Teste" not in page


def test_a_deactivated_town_is_no_longer_served(
    cached, anon_x, superuser, town_x, town_y, django_capture_on_commit_callbacks
):
    assert anon_x.get("/servicos/").status_code == 200
    assert anon_x.get("/servicos/")["X-Paco-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        update_municipality(superuser, town_x, is_active=False)
    # not a stale page, and not the only town left either
    page = anon_x.get("/servicos/")
    assert page.status_code == 404
    assert "Ypiranga" not in page.content.decode()


def test_a_moved_host_serves_its_new_town_at_once(
    cached, superuser, town_x, town_y, django_capture_on_commit_callbacks
):
    visitor = Client(HTTP_HOST="novo.paco.test")
    with django_capture_on_commit_callbacks(execute=True):
        update_municipality(superuser, town_x, hosts=f"{HOST_X}\nnovo.paco.test")
    assert "Xanxerê do Teste" in visitor.get("/acessibilidade/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        update_municipality(superuser, town_x, hosts=HOST_X)
        update_municipality(superuser, town_y, hosts=f"{HOST_Y}\nnovo.paco.test")
    page = visitor.get("/acessibilidade/").content.decode()
    assert "Ypiranga do Teste" in page
    assert "Xanxerê do Teste" not in page


# --- the data migration --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_moves_hosts_to_their_table_keeping_the_oldest_owner():
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("tenancy", "0001_initial")])
    old_apps = executor.loader.project_state([("tenancy", "0001_initial")]).apps
    Old = old_apps.get_model("tenancy", "Municipality")
    common = {"uf": "SC", "cnpj": "46395000000139"}
    first = Old.objects.create(
        name="A", slug="a", ibge_code="4219507", hosts="A.paco.test\nshared.paco.test", **common
    )
    second = Old.objects.create(
        name="B", slug="b", ibge_code="4219705", hosts="shared.paco.test\nb.paco.test", **common
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Municipality.objects.get(pk=first.pk).host_list() == ["a.paco.test", "shared.paco.test"]
    assert Municipality.objects.get(pk=second.pk).host_list() == ["b.paco.test"]
