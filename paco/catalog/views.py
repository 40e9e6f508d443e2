"""Public pages of the Carta de Serviços."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from paco.catalog import jsonld
from paco.catalog.models import Audience, Category, DigitalStatus, LifeEvent, Service
from paco.core.cache import public_page
from paco.tenancy.access import current_municipality, get_for_request
from paco.tenancy.models import Unit

PAGE_SIZE = 30


def _published_count() -> Count:
    return Count("services", filter=Q(services__status="published"), distinct=True)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    services = Service.objects.for_municipality(town).published()
    context = {
        "categories": Category.objects.for_municipality(town)
        .annotate(n=_published_count())
        .filter(n__gt=0),
        "audiences": Audience.objects.filter(services__municipality=town)
        .annotate(n=_published_count())
        .filter(n__gt=0)
        .order_by("order"),
        "life_events": LifeEvent.objects.for_municipality(town)
        .annotate(n=_published_count())
        .filter(n__gt=0),
        "digital_services": services.filter(digital_status=DigitalStatus.DIGITAL)
        .for_cards()
        .order_by("-last_reviewed", "name")[:6],
        "total": services.count(),
        "total_digital": services.exclude(digital_status=DigitalStatus.IN_PERSON).count(),
    }
    return render(request, "catalog/home.html", context)


def _filtered(request: HttpRequest, base: Any) -> tuple[Any, dict[str, str]]:
    params = {k: request.GET.get(k, "").strip() for k in ("q", "digital", "unidade")}
    qs = base
    if params["digital"] in DigitalStatus.values:
        qs = qs.filter(digital_status=params["digital"])
    if params["unidade"]:
        qs = qs.filter(unit__slug=params["unidade"])
    if params["q"]:
        qs = qs.search(params["q"])
    return qs, params


def _listing(
    request: HttpRequest, *, title: str, intro: str = "", base: Any, filter_obj: Any = None
) -> HttpResponse:
    qs, params = _filtered(request, base.for_cards())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {
        "title": title,
        "intro": intro,
        "page": page,
        "params": params,
        "pager_keep": urlencode({k: v for k, v in params.items() if v}),
        "filter_obj": filter_obj,
        "digital_choices": DigitalStatus.choices,
    }
    return render(request, "catalog/list.html", context)


@public_page
def service_list(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    return _listing(
        request,
        title="Carta de Serviços",
        intro="Todos os serviços da Prefeitura: o que é, quem pode pedir, documentos, custos, "
        "prazos e onde ser atendido.",
        base=Service.objects.for_municipality(town).published(),
    )


@public_page
def category(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_for_request(request, Category, slug=slug)
    base = Service.objects.for_municipality(obj.municipality).published().filter(categories=obj)
    return _listing(
        request, title=f"Serviços de {obj.name}", intro=obj.description, base=base, filter_obj=obj
    )


@public_page
def life_event(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_for_request(request, LifeEvent, slug=slug)
    base = Service.objects.for_municipality(obj.municipality).published().filter(life_events=obj)
    return _listing(request, title=obj.name, intro=obj.description, base=base, filter_obj=obj)


@public_page
def audience(request: HttpRequest, slug: str) -> HttpResponse:
    town = current_municipality(request)
    obj = Audience.objects.filter(slug=slug).first()
    if obj is None:
        raise Http404("Público não encontrado.")
    base = Service.objects.for_municipality(town).published().filter(audiences=obj)
    return _listing(request, title=f"Serviços para {obj.name}", base=base, filter_obj=obj)


@public_page
def unit(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_for_request(request, Unit, slug=slug)
    base = Service.objects.for_municipality(obj.municipality).published().filter(unit=obj)
    where = " — ".join(x for x in (obj.address, obj.opening_hours, obj.phone, obj.email) if x)
    return _listing(
        request, title=f"Serviços de {obj.name}", intro=where, base=base, filter_obj=obj
    )


@public_page
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    town = current_municipality(request)
    service = (
        Service.objects.for_municipality(town).published().for_detail().filter(slug=slug).first()
    )
    if service is None:
        raise Http404("Serviço não encontrado.")
    url = request.build_absolute_uri(service.get_absolute_url())
    context = {
        "service": service,
        "canonical_url": url,
        "jsonld": jsonld.script_content(jsonld.government_service(service, url, town)),
    }
    return render(request, "catalog/detail.html", context)
