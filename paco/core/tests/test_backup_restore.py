"""`paco backup` / `paco restore`: a full round trip, and refusal of bad archives."""

import gzip
import io
import json
import tarfile

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from paco.accounts.actions import create_staff_user
from paco.audit.models import AuditEntry
from paco.core.backup import EXCLUDED_MODELS, list_storage
from paco.tenancy.actions import update_municipality
from paco.tenancy.models import Municipality, Unit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _own_storage(settings, tmp_path):
    # The backup key and the restore's set-aside copies live in the data directory.
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": "/arquivos/"},
        },
    }


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (19, 81, 180)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def populated(town_x, town_y, unit_x_a, unit_x_b, admin_x, admin_y):
    update_municipality(
        admin_x,
        town_x,
        logo=SimpleUploadedFile("brasao.png", _png(), content_type="image/png"),
        phone="(49) 3333-0000",
    )
    create_staff_user(
        admin_x, town_x, username="servidora", password="Senha-Bem-Longa-123", email="s@x.gov.br"
    )
    default_storage.save("anexos/relatório final.pdf", io.BytesIO(b"%PDF-1.4 conteudo"))
    return town_x


def _state():
    """Every row of every backed-up model, plus every stored file's bytes."""
    rows = {}
    for model in apps.get_models():
        if model._meta.label in EXCLUDED_MODELS:
            continue
        rows[model._meta.label] = serializers.serialize(
            "json", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
    files = {}
    for name in list_storage(default_storage):
        with default_storage.open(name, "rb") as handle:
            files[name] = handle.read()
    return rows, files


def _wipe():
    call_command("flush", interactive=False, verbosity=0)
    for name in list(list_storage(default_storage)):
        default_storage.delete(name)


def test_round_trip_restores_every_row_and_file(populated, tmp_path):
    before_rows, before_files = _state()
    assert AuditEntry.objects.count() >= 3
    assert Unit.objects.count() >= 3
    assert populated.logo.name in before_files
    assert before_files["anexos/relatório final.pdf"] == b"%PDF-1.4 conteudo"
    archive = tmp_path / "copia.tar.gz"

    call_command("backup", str(archive), verbosity=0)
    _wipe()
    assert Municipality.objects.count() == 0
    assert list(list_storage(default_storage)) == []

    call_command("restore", str(archive), verbosity=0)
    after_rows, after_files = _state()
    assert after_rows == before_rows
    assert after_files == before_files
    town = Municipality.objects.get(pk=populated.pk)
    assert town.logo.read() == before_files[populated.logo.name]


def test_manifest_describes_the_archive(populated, tmp_path):
    archive = tmp_path / "copia.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert manifest["format"] == "paco-backup"
    assert manifest["database_vendor"] in {"sqlite", "postgresql"}
    assert set(manifest["members"]) | {"manifest.json", "manifest.sig"} == names
    assert f"media/{populated.logo.name}" in manifest["members"]
    assert ["tenancy", "0001_initial"] in manifest["migrations"]


def test_restore_refuses_a_non_empty_instance_without_force(populated, tmp_path):
    archive = tmp_path / "copia.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    Unit.objects.filter(slug="sa").update(name="Mudado depois da cópia")
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive), verbosity=0)
    assert Unit.objects.get(slug="sa").name == "Mudado depois da cópia"

    default_storage.save("extra.txt", io.BytesIO(b"novo"))
    call_command("restore", str(archive), force=True, verbosity=0)
    assert Unit.objects.get(slug="sa").name != "Mudado depois da cópia"
    assert not default_storage.exists("extra.txt")


def _rewrite(archive, target, change):
    """Copy ``archive`` to ``target`` with one member's bytes changed (manifest kept)."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for info in src:
            data = src.extractfile(info).read()
            data = change(info.name, data)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def _resign(archive, key):
    """Re-sign ``archive`` in place with ``key`` (as a newer Paço holding the key would)."""
    from paco.core import backup_signing

    with tarfile.open(archive) as tar:
        manifest = tar.extractfile("manifest.json").read()
    _rewrite(
        archive,
        archive.with_suffix(".tmp"),
        lambda name, data: backup_signing.sign(manifest, key) if name == "manifest.sig" else data,
    )
    archive.with_suffix(".tmp").replace(archive)


def _tampered_database(name, data):
    return data.replace(b"Secretaria", b"Secretarix") if name == "database.json" else data


def _truncate(archive, target):
    raw = archive.read_bytes()
    target.write_bytes(raw[: len(raw) // 2])


def _flipper(fraction):
    def flip(archive, target):
        raw = bytearray(archive.read_bytes())
        raw[int(len(raw) * fraction)] ^= 0xFF
        target.write_bytes(bytes(raw))

    return flip


def _foreign(archive, target):
    with tarfile.open(target, "w:gz") as tar:
        info = tarfile.TarInfo("database.json")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"[]"))


def _not_an_archive(archive, target):
    target.write_bytes(gzip.compress(b"isto nao e um tar") + b"lixo")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_truncate, "corrompida"),
        (_flipper(0.2), "corrompida"),
        (_flipper(0.5), "corrompida"),
        (_flipper(0.9), "corrompida"),
        (lambda a, t: _rewrite(a, t, _tampered_database), "Soma de verificação"),
        (_foreign, "não é uma cópia de segurança do Paço"),
        (_not_an_archive, "corrompida"),
    ],
    ids=[
        "truncated",
        "flip-20%",
        "flip-50%",
        "flip-90%",
        "tampered-member",
        "foreign",
        "not-an-archive",
    ],
)
def test_damaged_archive_is_refused_and_nothing_changes(populated, tmp_path, damage, message):
    archive = tmp_path / "copia.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    Unit.objects.filter(slug="sa").update(name="Estado atual")
    before = _state()
    damaged = tmp_path / "danificada.tar.gz"
    damage(archive, damaged)

    with pytest.raises(CommandError, match=message) as excinfo:
        call_command("restore", str(damaged), force=True, verbosity=0)
    assert "Nada foi alterado" in str(excinfo.value)
    assert _state() == before


def test_archive_from_a_newer_version_is_refused(populated, tmp_path):
    archive = tmp_path / "copia.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    newer = tmp_path / "nova.tar.gz"

    def add_migration(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"].append(["tenancy", "9999_do_futuro"])
        return json.dumps(manifest).encode()

    _rewrite(archive, newer, add_migration)
    from paco.core.backup_signing import installation_key

    _resign(newer, installation_key(create=False))
    before = _state()
    with pytest.raises(CommandError, match="versão mais nova"):
        call_command("restore", str(newer), force=True, verbosity=0)
    assert _state() == before
