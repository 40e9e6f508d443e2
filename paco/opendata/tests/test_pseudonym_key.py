"""The "hash" treatment's key is each town's own persisted secret (issue 8 §1).

Pseudonyms survive a rotation of Django's SECRET_KEY and a backup/restore; towns that
existed before keep the pseudonyms they published with the old derivation.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import io

import duckdb
import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command

from paco.audit.models import AuditEntry
from paco.core.backup import list_storage
from paco.opendata import actions, storage
from paco.opendata.models import Dataset, PseudonymKey, ResourceVersion
from paco.opendata.pipeline.actions import decide_lgpd, hash_secret, submit_version
from paco.opendata.pipeline.processing import run_version
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.tenancy.models import Municipality, Unit

pytestmark = pytest.mark.usefixtures("opendata_storage")

PEOPLE = "nome;cpf\nMaria Quintanilha;529.982.247-25\nJoão Barcelos;111.444.777-35\n"
migration = importlib.import_module("paco.opendata.migrations.0004_pseudonym_key")


def pseudonyms(town, unit) -> list[str]:
    """Import PEOPLE as a new version of ``p/r``, hash the names; the hashed column's values."""
    dataset = Dataset.objects.for_municipality(town).filter(name="p").first()
    if dataset is None:
        dataset = actions.create_dataset(None, town, title="P", unit=unit, name="p")
        actions.create_resource(None, dataset, title="R", name="r")
    resource = dataset.resources.get()
    version = submit_version(None, resource, io.BytesIO(PEOPLE.encode()), "p.csv", enqueue=False)
    processed = run_version(version.pk)
    assert processed is not None
    decide_lgpd(None, processed, treatments={"nome": "hash", "cpf": "drop"})
    version = ResourceVersion.objects.get(pk=version.pk)
    path = str(storage.local_path(version.parquet))
    with duckdb.connect() as con:
        return [r[0] for r in con.execute("SELECT nome FROM read_parquet(?)", [path]).fetchall()]


def expected(key: str, value: str) -> str:
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


@pytest.mark.django_db
def test_same_pseudonym_after_secret_key_rotation(settings, town_x, unit_x_a):
    settings.SECRET_KEY = "a" * 60
    first = pseudonyms(town_x, unit_x_a)
    settings.SECRET_KEY = "b" * 60
    assert pseudonyms(town_x, unit_x_a) == first
    key = PseudonymKey.objects.get(municipality=town_x).key
    assert first[0] == expected(key, "Maria Quintanilha")


@pytest.mark.django_db
def test_each_town_has_its_own_random_key_never_audited(town_x, town_y):
    key_x, key_y = hash_secret(town_x), hash_secret(town_y)
    assert key_x != key_y and len(key_x) == 64 and hash_secret(town_x) == key_x
    entries = AuditEntry.objects.filter(action="opendata.pseudonym_key.create")
    assert entries.count() == 2
    assert all(key_x not in str(e.changes) and key_y not in str(e.changes) for e in entries)


@pytest.mark.django_db
def test_towns_that_existed_keep_the_old_pseudonyms(settings, town_x, unit_x_a):
    settings.SECRET_KEY = "segredo-antigo-" * 4
    old = hmac.new(settings.SECRET_KEY.encode(), b"paco.opendata.lgpd-hash", hashlib.sha256)
    migration.keep_published_pseudonyms(apps, None)
    row = PseudonymKey.objects.get(municipality=town_x)
    assert (row.key, row.origin) == (old.hexdigest(), "secret_key")
    assert pseudonyms(town_x, unit_x_a)[0] == expected(old.hexdigest(), "Maria Quintanilha")
    settings.SECRET_KEY = "segredo-novo-" * 5  # rotated afterwards: nothing changes
    assert pseudonyms(town_x, unit_x_a)[0] == expected(old.hexdigest(), "Maria Quintanilha")


@pytest.mark.django_db(transaction=True)
def test_same_pseudonym_after_backup_and_restore(town_x, unit_x_a, tmp_path):
    first = pseudonyms(town_x, unit_x_a)
    archive = tmp_path / "copia.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    for name in list(list_storage(default_storage)):
        default_storage.delete(name)
    assert not PseudonymKey.objects.exists()
    call_command("restore", str(archive), verbosity=0)
    town = Municipality.objects.get(pk=town_x.pk)
    assert pseudonyms(town, Unit.objects.get(pk=unit_x_a.pk)) == first
