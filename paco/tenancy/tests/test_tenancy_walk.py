"""Walk test (issue 8 §2): nothing of town Y, from anywhere in town X.

As the administrator of X and as an editor of X limited to one unit, the walk
visits every page of every model registered in the back office (list with its
filters rendered, search, add, change, delete, history, every action, every
autocomplete and every related field given Y's record), every URL of the
resolver (staff pages, public pages, APIs — with the session and with an API
token of X), instantiated with Y's records, and the town-wide records of X.

It fails on any name of Y in a response, on anything but a refusal (403, 404,
a redirect to the login or to the back office's index) when a request targets
Y's records, on any change to Y's rows, and on a unit-scoped editor changing a
town-wide record. It iterates ``site._registry`` and the URL resolver, so a new
model or URL is walked without touching this file; a URL pattern the walk
cannot instantiate fails the test unless listed, with the reason, in
:data:`NOT_INSTANTIATED`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from paco.accounts.actions import grant_role
from paco.accounts.models import Role, User
from paco.conftest import HOST_X, make_staff
from paco.core.admin import TenantAdmin, site
from paco.opendata.models import Theme
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.tenancy.tests.world import SHARED_WORD, World, build_world, fingerprint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

#: what no response in town X may contain (case-insensitive): Y's marker and name
FORBIDDEN = re.compile(r"ypsilon|ypiranga", re.IGNORECASE)

#: URL patterns the walk does not instantiate, and why (a new one must be added here)
NOT_INSTANTIATED = {
    # the admin's catch-all (a 404 for any unknown address under /gestao/)
    "gestao/(?P<url>.*)$",
    # a secret sent by e-mail to the account's address; knowing it is owning the account,
    # whatever the host, and the page names nobody (password reset tests cover it)
    "conta/senha/redefinir/<uidb64>/<token>/",
    "conta/recuperar/<uidb64>/<token>/",  # the citizens' password reset: the same reason
}

#: URLs that answer alike whatever the id, by design, and change nothing of Y (the
#: fingerprint of Y's rows proves it): not a refusal, not a leak either
ANSWER_ALIKE = {
    # the visit-counting pixel: a GIF for any id, counting only X's published datasets
    "dados/visita/<uuid:dataset_id>.gif",
    # the form of a kind of request (ouvidoria, e-SIC): the same in every town, no record
    "atendimento/novo/<slug:kind_slug>/",
    # an e-mail confirmation link: the account is a person's, not a town's; a link that
    # does not confirm anything says so in every town
    "conta/confirmar/<str:token>/",
    # town X's own annual report of that year (Y's marker never appears: FORBIDDEN)
    "painel/relatorio/<int:year>/",
    "painel/relatorio/<int:year>/relatorio.pdf",
}


def _walk_patterns(patterns: Any, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk_patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _admin_model(route: str) -> Any:
    from django.apps import apps

    match = re.match(r"gestao/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/", route)
    return apps.get_model(match["app"], match["model"]) if match else None


def _values(route: str, y: World) -> list[dict[str, Any]] | None:
    """Parameter sets aimed at Y's records (``None``: the walk cannot instantiate it)."""
    model = _admin_model(route)
    if model is not None:
        target = y.first_of(model)
        if target is None:  # a shared vocabulary: walk it with its first record
            target = model._default_manager.order_by("pk").first()
        return [{"object_id": target.pk}] if target is not None else None
    theme = Theme.objects.order_by("pk").first()
    assert theme is not None
    by_route: dict[str, list[dict[str, Any]]] = {
        "gestao/r/<path:content_type_id>/<path:object_id>/": [
            {"content_type_id": ContentType.objects.get_for_model(o).pk, "object_id": o.pk}
            for o in (y.category, y.service, y.dataset, y.unit, y.plan)
        ],
        "gestao/^(?P<app_label>tenancy|accounts|audit|catalog|plans|opendata)/$": [],
    }
    case = y.extra["case"]
    file_pk = case.attachments.get().pk
    by_route |= {
        "atendimento/novo/<slug:kind_slug>/": [{"kind_slug": "ouvidoria"}],
        "atendimento/<str:number>/": [{"number": case.slug}],
        "atendimento/<str:number>/arquivos/<int:pk>/": [{"number": case.slug, "pk": file_pk}],
        "atendimento/<str:number>/comprovante.pdf": [{"number": case.slug}],
        # Open311: Y's service (a draft, never listed)
        "open311/v2/services/<str:code>.json": [{"code": y.service.slug}],
        "gestao/atendimento/<str:number>/": [{"number": case.slug}],
        "gestao/atendimento/<str:number>/arquivos/<int:pk>/": [
            {"number": case.slug, "pk": file_pk}
        ],
        "api/v1/atendimento/casos/<str:number>": [{"number": case.slug}],
        "api/v1/atendimento/casos/<str:number>/documentos": [{"number": case.slug}],
        "api/v1/atendimento/casos/<str:number>/avaliacao": [{"number": case.slug}],
        "api/v1/atendimento/caixa/<str:number>": [{"number": case.slug}],
        "api/v1/atendimento/caixa/<str:number>/<slug:action>": [
            {"number": case.slug, "action": "note"}
        ],
    }
    if route in by_route:
        return by_route[route]
    if route.startswith(("api/3/action/", "api/action/")):
        return [{"name": "package_list"}]  # the actions with Y's ids: _walk_ckan
    names = {m["name"] for m in PARAM.finditer(route)}
    common = {
        "pk": None,
        "slug": None,
        "protocol": y.data_request.protocol,
        "token": y.tracking_token,
        "code": y.receipt.display_code,
        "resource_id": y.resource.pk,
        "dataset_id": y.dataset.pk,
        "number": y.version.number,
        "name": y.dataset.name,
        "resource": y.resource.name,
        "fmt": "csv",
        "key": theme.key,
        "content_type_id": None,
        "year": y.service.created_at.year,  # the annual report of the year Y has cases in
        # Open311: Y's case
        "request_id": y.extra.get("case_number"),
        "rest": "services.xml",
    }
    slug_by_prefix = {
        "cronograma/": y.plan.slug,
        "servicos/categoria/": y.category.slug,
        "servicos/evento/": y.life_event.slug,
        "servicos/unidade/": y.unit.slug,
        "servicos/publico/": "cidadaos",
        "servicos/": y.service.slug,
        "dados/feeds/organizacao/": y.unit.slug,
        "organization/": y.unit.slug,
    }
    pk_by_prefix = {
        "cronograma/etapas/": [y.stage.pk, y.unitless_stage.pk],
        "api/bnsp/servicos/": [y.service.pk],
        "servicos/gestao/": [y.step.pk],
        "dados/gestao/tokens/": [y.token.pk],
    }
    values: dict[str, Any] = {}
    for name in names:
        if name == "slug":
            prefix = next((p for p in slug_by_prefix if route.startswith(p)), None)
            if prefix is None:
                return None
            values[name] = slug_by_prefix[prefix]
        elif name == "pk":
            prefix = next((p for p in pk_by_prefix if route.startswith(p)), None)
            if prefix is None:
                return None
            values[name] = pk_by_prefix[prefix]
        elif name == "fmt" and route.startswith(("catalog.", "dataset/")):
            values[name] = "ttl"
        elif common.get(name) is not None:
            values[name] = common[name]
        else:
            return None
    # a pattern with several primary keys to try gives one set per key
    sets: list[dict[str, Any]] = [{}]
    for name, value in values.items():
        options = value if isinstance(value, list) else [value]
        sets = [{**s, name: option} for s in sets for option in options]
    return sets


def _fill(route: str, values: dict[str, Any]) -> str:
    return "/" + PARAM.sub(lambda m: str(values[m["name"]]), route)


def _targets_y(route: str, values: dict[str, Any], y: World) -> bool:
    """Whether these values name a record of Y (a theme or an audience is everyone's)."""
    shared = {"key", "fmt"}
    if route.startswith(("servicos/publico/", "api/3/action/", "api/action/")):
        return False
    model = _admin_model(route)
    if model is not None:
        return y.first_of(model) is not None
    return any(name not in shared for name in values)


# --- reading responses ----------------------------------------------------------------------


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    location = response.get("Location", "")
    return body.decode("utf-8", "replace") + "\n" + location


def _refused(response: Any) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    if response.status_code in (301, 302):
        location = response.get("Location", "").split("?", 1)[0]
        return location.rstrip("/").endswith(("/conta/entrar", "/gestao/login", "/gestao"))
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            payload = response.json()
        except ValueError:
            return False
        return isinstance(payload, dict) and payload.get("success") is False
    return False


class Walk:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.requests = 0

    def check(self, who: str, method: str, url: str, response: Any, *, must_refuse: bool) -> None:
        self.requests += 1
        text = _text(response)
        # a page may echo the address it was asked (a "next" field): that is not Y's data
        for echo in {url, url.split("?", 1)[0], quote(url, safe="/"), quote(url, safe="")}:
            text = text.replace(echo, "")
        found = FORBIDDEN.search(text)
        if found:
            start = max(found.start() - 80, 0)
            excerpt = text[start : found.end() + 80].replace("\n", " ")
            self.problems.append(f"{who} {method} {url}: nome de Y na resposta: …{excerpt}…")
        if must_refuse and not _refused(response):
            self.problems.append(
                f"{who} {method} {url}: esperava recusa, veio {response.status_code} "
                f"{response.get('Location', '')}"
            )


# --- the cast ----------------------------------------------------------------------------------


@pytest.fixture
def worlds(town_x: Any, town_y: Any, unit_x_a: Any) -> tuple[World, World]:
    # Y numbers two requests, so its request's protocol is not one X also has
    return build_world(town_x, "Xis"), build_world(town_y, "Ypsilon", requests=2)


@pytest.fixture
def walkers(worlds: tuple[World, World], unit_x_a: Any) -> dict[str, tuple[User, Client]]:
    x, _ = worlds
    editor = make_staff("editora_unidade_x", x.town, Role.CATALOG_EDITOR, x.unit)
    for role in (Role.PLAN_EDITOR, Role.DATA_EDITOR):
        grant_role(None, x.town, editor, role, x.unit)
    cast = {}
    for label, user in (("administrador de X", x.admin), ("editor de unidade de X", editor)):
        client = Client(HTTP_HOST=HOST_X)
        client.force_login(user)
        cast[label] = (user, client)
    return cast


def _request_for(user: User, town: Any) -> Any:
    request = RequestFactory(HTTP_HOST=HOST_X).get("/gestao/")
    request.user = user
    request.municipality = town  # type: ignore[attr-defined]
    return request


# --- the back office ---------------------------------------------------------------------------


def _walk_admin(walk: Walk, who: str, user: User, client: Client, x: World, y: World) -> None:
    for model, model_admin in site._registry.items():
        info = f"/gestao/{model._meta.app_label}/{model._meta.model_name}"
        for url in (f"{info}/", f"{info}/?q={SHARED_WORD}", f"{info}/?_facets=1", f"{info}/add/"):
            walk.check(who, "GET", url, client.get(url), must_refuse=False)
        for name in model_admin.autocomplete_fields:
            url = (
                f"/gestao/autocomplete/?app_label={model._meta.app_label}&model_name="
                f"{model._meta.model_name}&field_name={name}&term={SHARED_WORD}"
            )
            walk.check(who, "GET", url, client.get(url), must_refuse=False)
        # every related field given Y's record: the re-rendered form names nothing of Y
        for field in [*model._meta.fields, *model._meta.many_to_many]:
            related = field.related_model
            if related is None or not field.editable:
                continue
            target = y.first_of(related)
            if target is not None:
                url = f"{info}/add/"
                walk.check(
                    who, "POST", url, client.post(url, {field.name: target.pk}), must_refuse=False
                )
        target = y.first_of(model)
        if target is not None:
            _walk_foreign_record(walk, who, client, info, model_admin, user, x, target)
        if isinstance(model_admin, TenantAdmin) and who.startswith("editor"):
            _walk_town_wide(walk, who, client, info, model_admin, user, x)


def _walk_foreign_record(
    walk: Walk,
    who: str,
    client: Client,
    info: str,
    model_admin: Any,
    user: User,
    x: World,
    obj: Any,
) -> None:
    for suffix in ("change/", "delete/", "history/"):
        url = f"{info}/{obj.pk}/{suffix}"
        walk.check(who, "GET", url, client.get(url), must_refuse=True)
    for suffix, data in (("change/", {}), ("delete/", {"post": "yes"})):
        url = f"{info}/{obj.pk}/{suffix}"
        walk.check(who, "POST", url, client.post(url, data), must_refuse=True)
    for action in model_admin.get_actions(_request_for(user, x.town)):
        payload: dict[str, Any] = {"action": action, "_selected_action": [obj.pk], "post": "yes"}
        response = client.post(f"{info}/", payload)
        walk.check(who, f"POST action {action}", f"{info}/", response, must_refuse=False)


def _walk_town_wide(
    walk: Walk, who: str, client: Client, info: str, model_admin: Any, user: User, x: World
) -> None:
    """A unit-scoped editor changes no record without a unit (town-wide)."""
    qs = model_admin.model._default_manager.all()
    town_wide = (
        [
            o
            for o in model_admin.get_queryset(_request_for(user, x.town))
            if not _unit_of(model_admin, o)
        ]
        if qs.exists()
        else []
    )
    for obj in town_wide[:3]:
        for suffix, data in (("change/", {}), ("delete/", {"post": "yes"})):
            url = f"{info}/{obj.pk}/{suffix}"
            walk.check(
                f"{who} (registro sem unidade)",
                "POST",
                url,
                client.post(url, data),
                must_refuse=True,
            )
        before = fingerprint(x.town)
        for action in model_admin.get_actions(_request_for(user, x.town)):
            payload: dict[str, Any] = {
                "action": action,
                "_selected_action": [obj.pk],
                "post": "yes",
            }
            client.post(f"{info}/", payload)
        if fingerprint(x.town) != before:
            walk.problems.append(f"{who}: uma ação em {info} alterou um registro sem unidade")


def _unit_of(model_admin: TenantAdmin, obj: Any) -> Any:
    return model_admin.record_unit(obj)


# --- every URL of the resolver -----------------------------------------------------------------


def _walk_urls(walk: Walk, clients: dict[str, Client], y: World) -> list[str]:
    uninstantiated: list[str] = []
    for route, _pattern in _walk_patterns(get_resolver().url_patterns):
        if route in NOT_INSTANTIATED:
            continue
        if not PARAM.search(route) and "(?P<" not in route:
            for who, client in clients.items():
                url = "/" + route.replace("^", "").replace("$", "")
                walk.check(who, "GET", url, client.get(url), must_refuse=False)
            continue
        if _admin_model(route) is not None:
            continue  # every registered model's record pages: walked by _walk_admin
        sets = _values(route, y)
        if sets is None:
            uninstantiated.append(route)
            continue
        if route.startswith("gestao/^"):
            for label in ("tenancy", "accounts", "audit", "catalog", "plans", "opendata"):
                for who, client in clients.items():
                    url = f"/gestao/{label}/"
                    walk.check(who, "GET", url, client.get(url), must_refuse=False)
            continue
        for values in sets:
            url = _fill(route, values)
            refuse = _targets_y(route, values, y) and route not in ANSWER_ALIKE
            for who, client in clients.items():
                walk.check(who, "GET", url, client.get(url), must_refuse=refuse)
                if refuse:
                    walk.check(who, "POST", url, client.post(url, {}), must_refuse=True)
            if route.startswith("api/3/action/"):
                _walk_ckan(walk, clients, y)
    return uninstantiated


CKAN_CALLS = [
    ("package_show", "id", lambda y: y.dataset.name),
    ("package_show", "id", lambda y: y.dataset.pk),
    ("resource_show", "id", lambda y: y.resource.pk),
    ("organization_show", "id", lambda y: y.unit.slug),
    ("datastore_search", "resource_id", lambda y: y.resource.pk),
    ("datastore_info", "id", lambda y: y.resource.pk),
]
CKAN_LISTS = [
    "package_list",
    "current_package_list_with_resources",
    "organization_list",
    "group_list",
    "tag_list",
    f"package_search?q={SHARED_WORD}",
    "package_search?fq=organization:sypsilon",
]


def _walk_ckan(walk: Walk, clients: dict[str, Client], y: World) -> None:
    for who, client in clients.items():
        for action, param, value in CKAN_CALLS:
            url = f"/api/3/action/{action}?{param}={value(y)}"
            walk.check(who, "GET", url, client.get(url), must_refuse=True)
        for call in CKAN_LISTS:
            url = f"/api/3/action/{call}"
            walk.check(who, "GET", url, client.get(url), must_refuse=False)


def test_nothing_of_town_y_reaches_town_x(worlds, walkers) -> None:
    x, y = worlds
    before_y = fingerprint(y.town)
    walk = Walk()
    for who, (user, client) in walkers.items():
        _walk_admin(walk, who, user, client, x, y)
    clients = {who: client for who, (_, client) in walkers.items()}
    clients["token de API de X"] = Client(
        HTTP_HOST=HOST_X, HTTP_AUTHORIZATION=f"Token {x.token_secret}"
    )
    uninstantiated = _walk_urls(walk, clients, y)
    assert not uninstantiated, (
        "Padrões de URL que a caminhada não sabe instanciar (ensine _values ou justifique "
        f"em NOT_INSTANTIATED): {uninstantiated}"
    )
    assert fingerprint(y.town) == before_y, "a caminhada alterou registros do município Y"
    assert walk.requests > 500  # the walk really walked
    assert not walk.problems, f"{len(walk.problems)} problemas:\n" + "\n".join(
        sorted(set(walk.problems))
    )
