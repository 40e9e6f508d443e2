"""Django-side steps of the scale test, run as ``python scale/seed.py STEP`` with a node's env.

Everything goes through Paço's actions (audited, caches invalidated on commit),
as an operator's script would. Each step prints one JSON object on stdout.

- ``prepare``: give the demo town its host name and an API token for its data editor;
- ``towns N DOMAIN``: create N more municipalities, each with its own host name.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def prepare(host: str) -> dict[str, Any]:
    from paco.accounts import tokens
    from paco.accounts.models import User
    from paco.plans.models import Stage
    from paco.tenancy import actions
    from paco.tenancy.models import Municipality

    town = Municipality.objects.get(slug="santa-rita-do-paco")
    actions.update_municipality(None, town, hosts=[host])
    editor = User.objects.get(username="dados")
    _, secret = tokens.create_token(None, town, editor, "teste de escala")
    stage = Stage.objects.filter(municipality=town, unit__acronym="CGD", plan__is_public=True)
    return {"town": town.name, "token": secret, "stage": stage.order_by("pk").first().pk}


def towns(count: int, domain: str) -> dict[str, Any]:
    from paco.tenancy import actions
    from paco.tenancy.validators import cnpj_check_digits, ibge_check_digit

    created = []
    for n in range(1, count + 1):
        ibge = f"43{n:04d}"
        base = f"{n:08d}0001"
        town = actions.create_municipality(
            None,
            name=f"Cidade Escala {n:03d}",
            slug=f"cidade-escala-{n:03d}",
            uf="RS",
            ibge_code=ibge + str(ibge_check_digit(ibge)),
            cnpj=base + cnpj_check_digits(base),
            hosts=[f"cidade-{n:03d}.{domain}"],
        )
        created.append({"name": town.name, "host": town.host_list()[0]})
    return {"towns": created}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paco.settings")
    import django

    django.setup()
    step, *args = argv
    if step == "prepare":
        result = prepare(args[0])
    elif step == "towns":
        result = towns(int(args[0]), args[1])
    else:
        raise SystemExit(f"unknown step {step!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
