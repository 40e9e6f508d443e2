"""A whole town's worth of records, built through the apps' actions, for the walk tests.

:func:`build_world` gives a municipality one record of every kind the back
office, the staff pages and the APIs show: units, categories, life events, a
draft service with a step and versions, a plan with a stage in a unit and a
stage without one, a published dataset with a resource and a version, an
inventory entry, a request to open data, a servant and an API token. Every
name carries ``marker`` (``Ypsilon`` for town Y), so a walk can look for the
marker in every response.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from paco.accounts.actions import grant_role
from paco.accounts.models import ApiToken, Role, User
from paco.accounts.tokens import create_token
from paco.atendimento.actions import Requester, open_case
from paco.catalog import actions as catalog
from paco.catalog.models import Category, LifeEvent, Service, Status, Step
from paco.datarequests import actions as datarequests
from paco.datarequests.models import DataRequest
from paco.opendata import actions as opendata
from paco.opendata.models import Dataset, InventoryItem, Resource, ResourceVersion
from paco.opendata.testing import publish_table
from paco.plans import actions as plans
from paco.plans.models import Plan, Stage
from paco.receipts.actions import issue_receipt
from paco.receipts.models import Receipt
from paco.tenancy import actions as tenancy
from paco.tenancy.models import Municipality, Unit
from paco.tenancy.scoping import SHARED_MODELS, scoped_queryset

#: a word every world's names share, so a search finds both towns' records
SHARED_WORD = "Zebu"


@dataclass
class World:
    town: Municipality
    marker: str
    unit: Unit
    category: Category
    life_event: LifeEvent
    service: Service
    step: Step
    plan: Plan
    stage: Stage
    unitless_stage: Stage
    dataset: Dataset
    resource: Resource
    version: ResourceVersion
    inventory_item: InventoryItem
    data_request: DataRequest
    tracking_token: str
    receipt: Receipt
    admin: User
    token: ApiToken
    token_secret: str
    extra: dict[str, Any] = field(default_factory=dict)

    def first_of(self, model: type[models.Model]) -> models.Model | None:
        """This town's first record of ``model`` (``None`` for a shared vocabulary)."""
        if model._meta.label_lower in SHARED_MODELS:
            return None
        return scoped_queryset(model, self.town).order_by("pk").first()


def build_world(town: Municipality, marker: str, *, requests: int = 1) -> World:
    """Records of every kind in ``town``, named with ``marker``, made by the actions."""
    slug = marker.lower()
    unit = tenancy.save_unit(
        None,
        Unit(municipality=town, name=f"Secretaria {marker} {SHARED_WORD}", acronym=f"S{slug}"),
    )
    category = Category(municipality=town, name=f"Categoria {marker} {SHARED_WORD}")
    catalog.save_taxonomy(None, category)
    life_event = LifeEvent(municipality=town, name=f"Evento {marker} {SHARED_WORD}")
    catalog.save_taxonomy(None, life_event)
    service = Service(
        municipality=town,
        name=f"Serviço {marker} {SHARED_WORD}",
        description=f"Rascunho do serviço {marker}.",
        unit=unit,
        status=Status.DRAFT,
    )
    catalog.save_service(None, service, is_new=True)
    service.categories.set([category])
    service.life_events.set([life_event])
    step = Step.objects.create(service=service, order=1, title=f"Etapa do serviço {marker}")
    catalog.record_service_version(None, service)

    plan = plans.save_plan(
        None, Plan(municipality=town, title=f"Cronograma {marker} {SHARED_WORD}", is_public=True)
    )
    stage = plans.create_stage(
        None,
        Stage(
            municipality=town,
            plan=plan,
            number=1,
            description=f"Etapa {marker} da unidade",
            deadline=datetime.date(2026, 1, 31),
            unit=unit,
        ),
    )
    unitless_stage = plans.create_stage(
        None,
        Stage(municipality=town, plan=plan, number=2, description=f"Etapa {marker} sem unidade"),
    )

    resource = publish_table(
        town, unit, dataset=f"conjunto-{slug}", title=f"Conjunto {marker} {SHARED_WORD}"
    )
    resource = opendata.update_resource(None, resource, title=f"Recurso {marker}")
    dataset = resource.dataset
    version = resource.current_version
    assert version is not None
    inventory_item = opendata.save_inventory_item(
        None, town, None, name=f"Base {marker} {SHARED_WORD}", unit=unit, stage=stage
    )
    for _ in range(requests):
        data_request, tracking_token = datarequests.submit_request(
            town,
            title=f"Pedido {marker} {SHARED_WORD}",
            description=f"Dados da {marker}.",
            name=f"Requerente {marker}",
            email=f"requerente@{slug}.example.org",
        )
    datarequests.assign_unit(None, data_request, unit)
    receipt = issue_receipt(
        town,
        kind="datarequests.pedido",
        subject=data_request,
        number=data_request.protocol,
        title=f"Comprovante {marker}",
        issued_at=data_request.received_at,
        lines=[("Pedido", f"Pedido {marker} {SHARED_WORD}")],
        public_summary=f"Pedido {marker} {SHARED_WORD}",
    )

    admin = User.objects.create_user(
        username=f"{slug}.admin",
        first_name=f"Admin {marker}",
        email=f"admin@{slug}.example.org",
        password="senha-de-teste-123",
        is_staff=True,
    )
    grant_role(None, town, admin, Role.ADMIN)
    token, secret = create_token(None, town, admin, f"Token {marker}")
    from django.core.files.uploadedfile import SimpleUploadedFile

    from paco.protocol.models import ProtocolOffice

    # each town its own protocol code, so a number names one town's case only
    ProtocolOffice.objects.create(
        municipality=town, code=f"{sum(map(ord, marker)) % 90000 + 10000}"
    )

    case = open_case(
        town,
        kind="esic",
        subject=f"Atendimento {marker} {SHARED_WORD}",
        description=f"Pedido da {marker}.",
        requester=Requester(name=f"Requerente {marker}", document="RG 1"),
        unit=unit,
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")],
    ).case
    service_case = open_case(
        town,
        kind="servico",
        subject=f"Pedido {marker}",
        description=f"Pedido de serviço {marker} {SHARED_WORD}.",
        requester=Requester(name=f"Requerente {marker}"),
        service=service,
    ).case
    world = World(
        town=town,
        marker=marker,
        unit=unit,
        category=category,
        life_event=life_event,
        service=service,
        step=step,
        plan=plan,
        stage=stage,
        unitless_stage=unitless_stage,
        dataset=dataset,
        resource=resource,
        version=version,
        inventory_item=inventory_item,
        data_request=data_request,
        tracking_token=tracking_token,
        receipt=receipt,
        admin=admin,
        token=token,
        token_secret=secret,
        extra={"case_number": service_case.number},
    )
    world.extra["case"] = case
    return world


def fingerprint(town: Municipality) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model that belongs to ``town``, to prove nothing changed."""
    from django.apps import apps

    from paco.tenancy.scoping import municipality_path

    rows: dict[str, list[tuple[Any, ...]]] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SHARED_MODELS or municipality_path(model) is None:
            continue
        qs = scoped_queryset(model, town).order_by("pk")
        names = [f.attname for f in model._meta.concrete_fields]
        rows[label] = [tuple(map(repr, r)) for r in qs.values_list(*names)]
    rows["tenancy.municipality"] = [
        tuple(map(repr, r)) for r in Municipality.objects.filter(pk=town.pk).values_list()
    ]
    return rows
