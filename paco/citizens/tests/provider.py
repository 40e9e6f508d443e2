"""Start the test OpenID Connect provider (``oidc_provider``) and log in through it.

:func:`running_provider` starts it as a subprocess on a free port and returns once it
printed its port and answered its discovery document (no sleeping). :func:`consent`
drives its login and consent pages with ``requests``, as a person would in a browser,
and returns the address the provider sends back to Paço (``…/retorno/?code=…&state=…``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

from paco.citizens.tests.oidc_provider.serve import CLIENT_ID, CLIENT_SECRET

#: people with a gov.br-like account: sub = CPF, reliability_info.level in English, as gov.br
MARIA = {
    "cpf": "52998224725",
    "password": "senha-da-maria-no-provedor",
    "name": "Maria da Silva",
    "email": "maria@exemplo.org",
    "level": "silver",
}
JOAO = {
    "cpf": "11144477735",
    "password": "senha-do-joao-no-provedor",
    "name": "João Souza",
    "email": "joao@exemplo.org",
    "level": "gold",
}
ANA = {
    "cpf": "39053344705",
    "password": "senha-da-ana-no-provedor",
    "name": "Ana Lima",
    "email": "ana@exemplo.org",
    "level": "bronze",
}
PEOPLE = [MARIA, JOAO, ANA]


@dataclass
class Provider:
    port: int
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET


@contextmanager
def running_provider(redirect_uris: list[str], post_logout_uris: list[str]) -> Iterator[Provider]:
    env = {
        **os.environ,
        "OP_REDIRECT_URIS": json.dumps(redirect_uris),
        "OP_POST_LOGOUT_URIS": json.dumps(post_logout_uris),
        "OP_USERS": json.dumps(PEOPLE),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "paco.citizens.tests.oidc_provider.serve"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the provider is listening
        match = re.fullmatch(r"PORT (\d+)\n", line)
        assert match, f"o provedor de teste não iniciou: {line!r}"
        port = int(match.group(1))
        issuer = f"http://127.0.0.1:{port}/o"
        answer = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=30)
        assert answer.json()["issuer"] == issuer
        yield Provider(port=port, issuer=issuer)
    finally:
        process.terminate()
        process.wait(timeout=30)


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("type") == "hidden" and values.get("name"):
            self.fields[str(values["name"])] = values.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    reader = _Inputs()
    reader.feed(html)
    return reader.fields


def consent(
    authorize_url: str, person: dict[str, str], session: requests.Session | None = None
) -> str:
    """Log ``person`` in at the provider and authorize Paço; the redirect back to Paço."""
    browser = session or requests.Session()
    page = browser.get(authorize_url, timeout=30)
    if "/accounts/login/" in page.url:
        fields = hidden_fields(page.text)
        fields.update(username=person["cpf"], password=person["password"])
        page = browser.post(page.url, data=fields, timeout=30)
    assert "authorizationForm" in page.text, page.text[:500]
    fields = hidden_fields(page.text)
    fields["allow"] = "Autorizar"
    answer = browser.post(page.url, data=fields, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text[:500]
    return urljoin(page.url, answer.headers["Location"])
