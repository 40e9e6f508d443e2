"""Walk test (issue 8 §3): every back-office write is audited, or refused.

For every model registered in the back office, the town's administrator adds a
record (submitting the add form as a browser would), changes it, runs every
action on it (the bulk delete included) and deletes it. After each request,
either the municipality's rows changed — and then an audit entry for that
model was written and the public pages' cache version moved — or nothing
changed and the request was refused (403, or an action that declined with a
message). Where the page says the administrator may do it, the write must
happen (so the walk cannot pass by refusing everything).

It iterates ``site._registry``, so a new model admin is walked without
touching this file.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client, RequestFactory

from paco.audit.models import AuditEntry
from paco.conftest import HOST_X
from paco.core.admin import site
from paco.core.cache import content_version
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.tenancy.tests.world import World, build_world, fingerprint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]


class FormReader(HTMLParser):
    """What a browser would submit from the form with ``id`` (fields, values, required)."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.required: dict[str, str] = {}  # name → input type ("select", "textarea"…)
        self.options: dict[str, list[str]] = {}  # select name → its non-empty values
        self._select: tuple[str, bool, bool] | None = None  # name, multiple, required
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._textarea: tuple[str, bool] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name", "")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
                return
            self.fields.append((name, a.get("value", "")))
            if "required" in a:
                self.required[name] = kind
        elif tag == "select" and name:
            self._select = (name, "multiple" in a, "required" in a)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._options.append((a.get("value", ""), "selected" in a))
            self._text = []
        elif tag == "textarea" and name:
            self._textarea = (name, "required" in a)
            self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            name, multiple, required = self._select
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self.fields.extend((name, v) for v in chosen)
            self.options[name] = [v for v, _ in self._options if v]
            if required:
                self.required[name] = "select"
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, required = self._textarea
            self.fields.append((name, "".join(self._text).lstrip("\n")))
            if required:
                self.required[name] = "textarea"
            self._textarea = None


def read_form(html: str, form_id: str) -> FormReader:
    reader = FormReader(form_id)
    reader.feed(html)
    return reader


def _as_post(fields: list[tuple[str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


_counter = iter(range(1, 10_000))


def _filled(reader: FormReader) -> dict[str, Any]:
    """The form as submitted, with required empty fields given plausible values."""
    data = _as_post(reader.fields)
    n = next(_counter)
    options = reader.options
    for name, kind in reader.required.items():
        if data.get(name) not in (None, ""):
            continue
        if kind == "select":  # a different choice each time, so two adds differ
            values = options.get(name) or [""]
            data[name] = values[n % len(values)]
        elif kind == "email":
            data[name] = f"novo{n}@x.example.org"
        elif kind == "url":
            data[name] = "https://example.org/novo"
        elif kind == "number":
            data[name] = str(90 + n)
        elif kind == "date":
            data[name] = "2026-03-01"
        elif kind == "password":
            data[name] = "cavalo-bateria-grampo-77"
        elif "slug" in name or (name in ("name", "username") and kind == "text"):
            data[name] = f"novo-registro-{n}"
        else:
            data[name] = f"Novo registro {n}"
    for name in ("slug", "name", "username"):  # identifiers JavaScript would prepopulate
        if name in data and data[name] == "":
            data[name] = f"novo-registro-{n}"
    return data


CHANGEABLE = ("name", "title", "description", "first_name", "observation", "acronym", "phone")


def _changed(data: dict[str, Any], reader: FormReader) -> dict[str, Any]:
    for name in CHANGEABLE:
        if isinstance(data.get(name), str):
            return {**data, name: f"{data[name]} (alterado)".strip()}
    for name, values in reader.options.items():  # else another choice in a list
        others = [v for v in values if v != data.get(name)]
        if isinstance(data.get(name), str) and others:
            return {**data, name: others[0]}
    raise AssertionError(f"nenhum campo para alterar entre {sorted(data)}")


# --- the walk ----------------------------------------------------------------------------------


class Probe:
    """The municipality's state before a request, to compare with after it."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.rows = fingerprint(world.town)
        self.last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.version = content_version(world.town.pk)

    def changed(self) -> bool:
        return fingerprint(self.world.town) != self.rows

    def new_entries(self, label: str) -> list[AuditEntry]:
        qs = AuditEntry.objects.filter(object_type=label)
        if self.last_entry is not None:
            qs = qs.filter(pk__gt=self.last_entry)
        return list(qs)

    def version_moved(self) -> bool:
        return content_version(self.world.town.pk) != self.version


def _refused(response: Any) -> bool:
    if response.status_code in (403, 404):
        return True
    location = response.get("Location", "").split("?", 1)[0]
    return response.status_code == 302 and location.rstrip("/").endswith(
        ("/conta/entrar", "/gestao/login", "/gestao")
    )


class AuditWalk:
    def __init__(self, world: World, client: Client, on_commit: Any) -> None:
        self.world = world
        self.client = client
        self.on_commit = on_commit  # runs what actions schedule on commit, as in production
        self.problems: list[str] = []
        self.audited: list[str] = []

    def post(
        self, what: str, label: str, url: str, data: dict[str, Any], *, allowed: bool | None
    ) -> Any:
        """``allowed``: what the page's permissions say (``None``: an action decides)."""
        probe = Probe(self.world)
        with self.on_commit(execute=True):
            response = self.client.post(url, data)
        if probe.changed():
            entries = probe.new_entries(label)
            if not entries:
                self.problems.append(f"{what}: alterou dados sem registro de auditoria de {label}")
            elif not probe.version_moved():
                self.problems.append(
                    f"{what}: auditado, mas o cache das páginas não foi invalidado"
                )
            else:
                self.audited.append(f"{what}: {', '.join(sorted({e.action for e in entries}))}")
            if allowed is False:
                self.problems.append(f"{what}: a página dizia não permitir, mas gravou")
        elif allowed:
            detail = re.findall(
                r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode()
            )
            self.problems.append(
                f"{what}: permitido, mas nada foi gravado ({response.status_code}) {detail[:3]}"
            )
        elif allowed is False and not _refused(response):
            self.problems.append(f"{what}: nada gravado, mas não recusado ({response.status_code})")
        return response


def _request(user: Any, town: Any) -> Any:
    request = RequestFactory(HTTP_HOST=HOST_X).get("/gestao/")
    request.user = user
    request.municipality = town  # type: ignore[attr-defined]
    return request


def _newest(model: Any, world: World, model_admin: Any, request: Any) -> Any:
    return model_admin.get_queryset(request).order_by("-pk").first()


def _add(walk: AuditWalk, model_admin: Any, info: str, label: str, request: Any) -> Any:
    allowed = model_admin.has_add_permission(request)
    page = walk.client.get(f"{info}/add/")
    if page.status_code != 200:
        walk.post(f"adicionar {label}", label, f"{info}/add/", {}, allowed=allowed)
        return None
    form_id = f"{model_admin.model._meta.model_name}_form"
    data = _filled(read_form(page.content.decode(), form_id))
    before = set(model_admin.get_queryset(request).values_list("pk", flat=True))
    walk.post(f"adicionar {label}", label, f"{info}/add/", data, allowed=allowed)
    after = set(model_admin.get_queryset(request).values_list("pk", flat=True))
    created = after - before
    return model_admin.model._default_manager.get(pk=created.pop()) if created else None


def _walk_model(walk: AuditWalk, model: Any, model_admin: Any, request: Any) -> None:
    label = model._meta.label_lower
    info = f"/gestao/{model._meta.app_label}/{model._meta.model_name}"
    target = _add(walk, model_admin, info, label, request)
    if target is None:
        target = _newest(model, walk.world, model_admin, request)
    if target is None:
        walk.problems.append(f"{label}: nenhum registro de X para percorrer")
        return
    # change
    allowed = model_admin.has_change_permission(request, target)
    page = walk.client.get(f"{info}/{target.pk}/change/")
    if page.status_code == 200 and allowed:
        reader = read_form(page.content.decode(), f"{model._meta.model_name}_form")
        data = _changed(_filled(reader), reader)
    else:
        data = {}
    walk.post(f"alterar {label}", label, f"{info}/{target.pk}/change/", data, allowed=allowed)
    # (a change may replace the record: a role is revoked and granted anew)
    target = model._default_manager.filter(pk=target.pk).first() or _newest(
        model, walk.world, model_admin, request
    )
    # every action but the bulk delete, then the bulk delete on a record of its own
    actions = model_admin.get_actions(request)
    for action in actions:
        if action == "delete_selected":
            continue
        data = {"action": action, "_selected_action": [target.pk]}
        walk.post(f"ação {action} em {label}", label, f"{info}/", data, allowed=None)
    if "delete_selected" in actions:
        victim = _add(walk, model_admin, info, label, request) or target
        allowed = model_admin.has_delete_permission(request, victim)
        data = {"action": "delete_selected", "_selected_action": [victim.pk], "post": "yes"}
        walk.post(f"exclusão em lote de {label}", label, f"{info}/", data, allowed=allowed)
    # delete
    if model._default_manager.filter(pk=target.pk).exists():
        allowed = model_admin.has_delete_permission(request, target)
        url = f"{info}/{target.pk}/delete/"
        walk.post(f"excluir {label}", label, url, {"post": "yes"}, allowed=allowed)


@pytest.fixture
def world(town_x: Any, town_y: Any, admin_x: Any) -> World:
    return build_world(town_x, "Xis")


def test_every_back_office_write_is_audited_or_refused(
    world, admin_x, django_capture_on_commit_callbacks
) -> None:
    client = Client(HTTP_HOST=HOST_X)
    client.force_login(admin_x)
    walk = AuditWalk(world, client, django_capture_on_commit_callbacks)
    request = _request(admin_x, world.town)
    for model, model_admin in site._registry.items():
        _walk_model(walk, model, model_admin, request)
    assert not walk.problems, "\n".join(walk.problems)
    # the walk really wrote: adds, changes, deletes and bulk deletes across the apps
    assert len(walk.audited) >= 20, walk.audited
