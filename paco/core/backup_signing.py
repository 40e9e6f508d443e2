"""The backup key and the signature that authenticates a ``paco backup`` archive.

The manifest lists every member's SHA-256, so a signature over the manifest
covers the whole archive. The signature is an HMAC-SHA256 with a key that is
never written into an archive:

* ``PACO_BACKUP_KEY`` (at least 32 characters), if set; otherwise
* ``PACO_DATA_DIR/backup_key``, generated once (like the secret key) the first
  time a backup is made.

Someone who edits an archive (adds a superuser to ``database.json``) and
recomputes the checksums cannot recompute the signature without the key, so
``paco restore`` refuses the archive. To restore on a new machine, the town's IT
person gives the key kept elsewhere with ``paco restore --key-file``
(docs/deployment.md, "Backup and restore").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings

from paco.env import env_str

SIGNATURE = "manifest.sig"
ALGORITHM = "HMAC-SHA256"
KEY_FILE = "backup_key"
MIN_KEY_LENGTH = 32


class SignatureError(Exception):
    """A pt-BR message about the backup key (raised as BackupError by the caller)."""


def key_path() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE


def _checked(raw: str, where: str) -> bytes:
    key = raw.strip()
    if len(key) < MIN_KEY_LENGTH:
        raise SignatureError(
            f"A chave das cópias de segurança em {where} é curta demais "
            f"(mínimo de {MIN_KEY_LENGTH} caracteres)."
        )
    return key.encode()


def installation_key(*, create: bool) -> bytes | None:
    """This installation's key: ``PACO_BACKUP_KEY``, or the key file (made if ``create``)."""
    explicit = env_str("PACO_BACKUP_KEY")
    if explicit:
        return _checked(explicit, "PACO_BACKUP_KEY")
    path = key_path()
    if not path.exists():
        if not create:
            return None
        path.write_text(secrets.token_urlsafe(48) + "\n")
        path.chmod(0o600)
    return _checked(path.read_text(), str(path))


def read_key_file(path: Path) -> bytes:
    try:
        raw = Path(path).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise SignatureError(f"Não foi possível ler a chave em {path}: {exc}.") from exc
    return _checked(raw, str(path))


def adopt_key(key: bytes) -> bool:
    """Keep ``key`` as this installation's key if it has none yet (a new machine)."""
    if env_str("PACO_BACKUP_KEY") or key_path().exists():
        return False
    key_path().write_text(key.decode() + "\n")
    key_path().chmod(0o600)
    return True


def key_id(key: bytes) -> str:
    """A short, public fingerprint of the key, to tell keys apart in messages."""
    return hashlib.sha256(b"paco-backup-key-id:" + key).hexdigest()[:16]


def sign(manifest: bytes, key: bytes) -> bytes:
    signature = {
        "algorithm": ALGORITHM,
        "key_id": key_id(key),
        "hmac": hmac.new(key, manifest, hashlib.sha256).hexdigest(),
    }
    return json.dumps(signature, indent=1).encode()


def check(manifest: bytes, signature: bytes | None, key: bytes | None) -> None:
    """Raise ``SignatureError`` unless ``signature`` is ``key``'s HMAC of ``manifest``."""
    if signature is None:
        raise SignatureError(
            "A cópia de segurança não tem assinatura: foi feita por uma versão antiga do Paço "
            "ou alterada. Só cópias assinadas são restauradas."
        )
    try:
        data: dict[str, Any] = json.loads(signature)
        mac, their_id = str(data["hmac"]), str(data["key_id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise SignatureError("A assinatura da cópia de segurança está ilegível.") from exc
    if key is None:
        raise SignatureError(
            f"Esta instalação não tem a chave das cópias de segurança (a cópia foi assinada "
            f"com a chave {their_id}). Informe o arquivo da chave com --key-file."
        )
    if their_id != key_id(key):
        raise SignatureError(
            f"A cópia foi assinada com outra chave ({their_id}); a chave em uso é "
            f"{key_id(key)}. Informe a chave da instalação de origem com --key-file."
        )
    expected = hmac.new(key, manifest, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, mac):
        raise SignatureError(
            "A assinatura da cópia de segurança não confere: o arquivo foi alterado depois "
            "de gravado (ou não foi feito pelo Paço)."
        )
