"""`paco restore` is all-or-nothing, and only restores archives signed with the backup key.

Every step of a restore is made to fail in turn; database rows, schema (tables,
columns, applied migrations, audit triggers) and stored files must be exactly as
before. Then the attack of issue 8: an archive edited to add a superuser, its
checksums recomputed, is refused.
"""

import copy
import errno
import hashlib
import io
import json
import tarfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection, connections
from django.db.migrations.recorder import MigrationRecorder

from paco.accounts.models import User
from paco.audit import triggers
from paco.audit.models import AuditEntry
from paco.core import backup, backup_files, backup_signing
from paco.core.tests import test_backup_restore as base
from paco.core.tests.test_backup_restore import _resign, _rewrite, _state
from paco.tenancy.actions import save_unit
from paco.tenancy.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)

# The round-trip tests' fixtures: own storage and data directory (autouse), a populated instance.
_own_storage = base._own_storage
populated = base.populated


def _schema():
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        columns = {
            table: sorted(
                c.name for c in connection.introspection.get_table_description(cursor, table)
            )
            for table in tables
        }
    applied = sorted(MigrationRecorder(connection).applied_migrations())
    return columns, applied, triggers.installed(connection)


def _everything():
    return _state(), _schema()


@pytest.fixture
def archive(populated, tmp_path):
    """An archive of the populated instance; the instance then moves on (rows, audit, files)."""
    path = tmp_path / "copia.tar.gz"
    call_command("backup", str(path), verbosity=0)
    unit = Unit.objects.get(slug="sa")
    unit.name = "Estado depois da cópia"
    save_unit(None, unit)
    default_storage.save("depois/novo.txt", io.BytesIO(b"arquivo novo"))
    default_storage.delete(populated.logo.name)
    default_storage.save(populated.logo.name, io.BytesIO(b"logo trocado"))
    return path


def _run_then_fail(original, exc=None):
    def step(*args, **kwargs):
        original(*args, **kwargs)
        raise exc or OperationalError("falha simulada")

    return step


def _fail_writing_files(monkeypatch):
    """The disk fills up while writing the archive's files (after the stale ones were removed)."""

    original = backup_files.FileSwap._put

    def put(self, name, path):
        if self.aside in path.parents:  # putting the originals back: the space is there again
            return original(self, name, path)
        assert not default_storage.exists("depois/novo.txt")  # already removed by then
        raise OSError(errno.ENOSPC, "Não há espaço disponível no dispositivo")

    monkeypatch.setattr(backup_files.FileSwap, "_put", put)

    monkeypatch.setattr(backup_files.FileSwap, "_put", put)


def _fail_at_commit(monkeypatch):
    """The database refuses the final COMMIT (disk full); later commits go through."""
    wrapper = connections["default"]
    real = type(wrapper).commit
    failed = []

    def commit(self):
        if not failed:
            failed.append(True)
            raise OperationalError("disco cheio ao gravar o banco")
        return real(self)

    monkeypatch.setattr(type(wrapper), "commit", commit)


STEPS = {
    "migrate-back": lambda mp: mp.setattr(
        backup, "_migrate_to", _run_then_fail(backup._migrate_to)
    ),
    "flush": lambda mp: mp.setattr(backup, "_flush", _run_then_fail(backup._flush)),
    "loaddata": lambda mp: mp.setattr(backup, "call_command", _run_then_fail(backup.call_command)),
    "migrate-forward": lambda mp: mp.setattr(
        backup, "_migrate_to_latest", _run_then_fail(backup._migrate_to_latest)
    ),
    "files-disk-full": _fail_writing_files,
    "commit": _fail_at_commit,
    "set-aside": lambda mp: mp.setattr(
        backup_files.shutil,
        "copyfileobj",
        _run_then_fail(backup_files.shutil.copyfileobj, OSError(5, "E/S")),
    ),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_failure_at_any_step_changes_nothing(archive, monkeypatch, step):
    before = _everything()
    STEPS[step](monkeypatch)
    with pytest.raises(CommandError, match="Nada foi alterado"):
        call_command("restore", str(archive), force=True, verbosity=0)
    monkeypatch.undo()
    assert _everything() == before
    assert Unit.objects.get(slug="sa").name == "Estado depois da cópia"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_the_same_restore_then_succeeds(archive):
    """The failures above are the injected ones: the archive itself restores."""
    call_command("restore", str(archive), force=True, verbosity=0)
    assert Unit.objects.get(slug="sa").name != "Estado depois da cópia"
    assert not default_storage.exists("depois/novo.txt")
    assert triggers.installed(connection)
    call_command("audit", "verify", verbosity=0)


def _edit_database(archive, target, change, *, key=None, keep_signature=True):
    """``change`` the rows of ``database.json`` and recompute every checksum in the manifest."""
    with tarfile.open(archive) as tar:
        members = {info.name: tar.extractfile(info).read() for info in tar}
    rows = json.loads(members["database.json"])
    members["database.json"] = json.dumps(change(rows)).encode()
    manifest = json.loads(members["manifest.json"])
    for name, data in members.items():
        if name in manifest["members"]:
            manifest["members"][name] = {
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
            }
    members["manifest.json"] = json.dumps(manifest, indent=1).encode()
    if key is not None:
        members["manifest.sig"] = backup_signing.sign(members["manifest.json"], key)
    elif not keep_signature:
        del members["manifest.sig"]
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _add_superuser(rows):
    user = copy.deepcopy(next(r for r in rows if r["model"] == "accounts.user"))
    user["pk"] = 9999
    user["fields"].update(username="intruso", is_superuser=True, is_staff=True, is_active=True)
    return [*rows, user]


@pytest.mark.parametrize(
    ("forger", "message"),
    [
        (dict(), "assinatura da cópia de segurança não confere"),
        (dict(keep_signature=False), "não tem assinatura"),
        (dict(key=b"chave-do-atacante-com-mais-de-32-caracteres"), "assinada com outra chave"),
    ],
    ids=["checksums-recomputed", "signature-removed", "signed-with-another-key"],
)
def test_an_archive_edited_to_add_a_superuser_is_refused(archive, tmp_path, forger, message):
    forged = tmp_path / "forjada.tar.gz"
    _edit_database(archive, forged, _add_superuser, **forger)
    before = _everything()
    with pytest.raises(CommandError, match=message) as excinfo:
        call_command("restore", str(forged), force=True, verbosity=0)
    assert "Nada foi alterado" in str(excinfo.value)
    assert not User.objects.filter(username="intruso").exists()
    assert _everything() == before


def test_the_forgery_is_a_valid_archive_but_for_the_signature(archive, tmp_path):
    """Control: signed with the installation's key, the very same edit restores."""
    forged = tmp_path / "forjada.tar.gz"
    _edit_database(
        archive, forged, _add_superuser, key=backup_signing.installation_key(create=False)
    )
    call_command("restore", str(forged), force=True, verbosity=0)
    assert User.objects.get(username="intruso").is_superuser


def test_a_new_machine_restores_with_the_key_file(archive, tmp_path, settings):
    key_copy = tmp_path / "chave-guardada.txt"
    key_copy.write_bytes(backup_signing.key_path().read_bytes())
    settings.DATA_DIR = tmp_path / "maquina-nova"
    settings.DATA_DIR.mkdir()
    with pytest.raises(CommandError, match="--key-file"):
        call_command("restore", str(archive), force=True, verbosity=0)
    out = io.StringIO()
    call_command("restore", str(archive), force=True, key_file=key_copy, stdout=out)
    assert "passou a ser a chave" in out.getvalue()
    assert backup_signing.key_path().read_bytes() == key_copy.read_bytes()
    assert Unit.objects.get(slug="sa").name != "Estado depois da cópia"


def test_an_unsigned_archive_of_format_1_is_refused(archive, tmp_path):
    old = tmp_path / "antiga.tar.gz"

    def downgrade(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["format_version"] = 1
        return json.dumps(manifest).encode()

    _rewrite(archive, old, downgrade)
    with pytest.raises(CommandError, match="formato 1, sem assinatura"):
        call_command("restore", str(old), force=True, verbosity=0)


def test_a_dangling_reference_in_the_archive_changes_nothing(archive, tmp_path):
    """A constraint error while loading (a unit whose town is missing) rolls everything back."""
    broken = tmp_path / "quebrada.tar.gz"

    def orphan(rows):
        unit = next(r for r in rows if r["model"] == "tenancy.unit")
        unit["fields"]["municipality"] = 424242
        return rows

    _edit_database(archive, broken, orphan, key=backup_signing.installation_key(create=False))
    before = _everything()
    with pytest.raises(CommandError, match="Nada foi alterado"):
        call_command("restore", str(broken), force=True, verbosity=0)
    assert _everything() == before


def test_an_archive_from_before_the_hash_chain_fails_without_leaving_the_schema_behind(
    archive, tmp_path
):
    """The reproduction of issue 8: the schema is migrated back, then loading fails.

    The archive claims the audit app stopped at 0001 (no chain columns), so the
    restore migrates ``audit`` backwards — dropping columns and triggers — before
    loading rows that do not fit. Everything must come back.
    """
    older = tmp_path / "anterior.tar.gz"

    def drop_chain_migration(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"] = [
            m for m in manifest["migrations"] if m[0] != "audit" or m[1] == "0001_initial"
        ]
        return json.dumps(manifest).encode()

    _rewrite(archive, older, drop_chain_migration)
    _resign(older, backup_signing.installation_key(create=False))
    before = _everything()
    assert ("audit", "0002_audit_hash_chain") in before[1][1]
    with pytest.raises(CommandError, match="Nada foi alterado"):
        call_command("restore", str(older), force=True, verbosity=0)
    assert _everything() == before
    assert AuditEntry.objects.exists()
    call_command("audit", "verify", verbosity=0)


def test_restored_trail_verifies_and_grows(archive):
    call_command("restore", str(archive), force=True, verbosity=0)
    entries = AuditEntry.objects.count()
    unit = Unit.objects.get(slug="sa")
    unit.name = "Depois da restauração"
    save_unit(None, unit)
    assert AuditEntry.objects.count() == entries + 1
    call_command("audit", "verify", verbosity=0)
