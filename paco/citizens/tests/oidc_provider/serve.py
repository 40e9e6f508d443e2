"""Run the test provider: ``python -m paco.citizens.tests.oidc_provider.serve``.

Binds a free port on 127.0.0.1 first, generates an RS256 key, migrates a fresh SQLite
database, creates the users (``OP_USERS``, JSON) and the client (``OP_REDIRECT_URIS``,
``OP_POST_LOGOUT_URIS``), prints ``PORT <n>`` and serves until killed.
"""

import json
import os
import secrets
import sys
import tempfile
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

CLIENT_ID = "paco-teste"
CLIENT_SECRET = "segredo-do-cliente-de-teste"


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def seed() -> None:
    from django.contrib.auth.models import User
    from oauth2_provider.models import get_application_model

    for person in json.loads(os.environ.get("OP_USERS", "[]")):
        first, _, last = person["name"].partition(" ")
        User.objects.create_user(
            username=person["cpf"],
            password=person["password"],
            email=person["email"],
            first_name=first,
            last_name=last,
        )
    get_application_model().objects.create(
        name="Paço (teste)",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=" ".join(json.loads(os.environ["OP_REDIRECT_URIS"])),
        post_logout_redirect_uris=" ".join(json.loads(os.environ.get("OP_POST_LOGOUT_URIS", "[]"))),
        algorithm="RS256",
        skip_authorization=False,
    )


def main() -> None:
    server = make_server(
        "127.0.0.1", 0, lambda e, s: [], server_class=ThreadingServer, handler_class=QuietHandler
    )
    port = server.server_port
    workdir = tempfile.mkdtemp(prefix="paco-op-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="paco.citizens.tests.oidc_provider.settings",
        OP_SECRET_KEY=secrets.token_urlsafe(40),
        OP_DB=os.path.join(workdir, "op.sqlite3"),
        OP_RSA_KEY=rsa_key(),
        OP_ISSUER=f"http://127.0.0.1:{port}/o",
    )
    import django
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", verbosity=0)
    seed()
    server.set_app(get_wsgi_application())
    sys.stdout.write(f"PORT {port}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
