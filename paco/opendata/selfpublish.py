"""Datasets the platform publishes about itself, refreshed when their source changes.

Four open datasets per municipality, each marked by ``Dataset.system_key``:

- ``carta``: the Carta de Serviços (published services, main fields);
- ``cronograma``: the stages of the public implementation plans;
- ``pedidos-de-abertura``: the requests to open a database and their answers,
  without personal data (the same columns as the public list);
- ``painel-de-atendimento``: the panel's aggregates per year (:mod:`paco.panel.dataset`),
  refreshed when a case or a rating changes (scheduled by :mod:`paco.panel.facts`).

Each refresh builds a CSV and pushes it through the real pipeline
(:func:`~paco.opendata.pipeline.actions.submit_version`, processing,
:func:`~paco.opendata.pipeline.actions.publish_version`, ``actor=None``). A new
version is created only when the CSV's SHA-256 differs from the last version's,
so the version history records real changes only. The CSVs carry no
"today"-dependent column (days overdue…): a day passing is not a change.

Trigger: ``post_save``/``post_delete`` receivers on ``catalog.Service``,
``plans.Plan``/``plans.Stage`` and ``datarequests.DataRequest`` schedule, *on
commit*, one task per municipality and dataset — never work inside the web
request. Scheduling is debounced: while a refresh is pending (a cache flag, for
:data:`DEBOUNCE_SECONDS`), further changes do not enqueue another one; with a
backend that can defer (the database worker), the task runs after that delay so
a burst of edits gives one version. ``paco publish-self`` (and the demo) refresh
synchronously.

A table without rows is not published (the pipeline refuses it): the dataset
appears with the first service, stage or request.

When the LGPD screening flags a column, the version is left *needs review* for
the data officer instead of being published with an automatic legal basis.

``PACO_SELF_PUBLISH`` (default on; off in the test settings unless a test turns
it on) switches the automatic refresh off.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_tasks import default_task_backend, task

from paco.core import csvsafe
from paco.core.csvsafe import safe_cell
from paco.opendata import actions, vocab
from paco.opendata.models import Dataset, Resource, ResourceVersion, VersionStatus
from paco.tenancy.models import Municipality, Unit

logger = logging.getLogger("paco.opendata.selfpublish")

DEBOUNCE_SECONDS = 30
RESOURCE_NAME = "dados"


@dataclass(frozen=True)
class Spec:
    key: str
    name: str
    title: str
    description: str
    resource_title: str
    themes: list[str]
    keywords: list[str]
    build: Callable[[Municipality], tuple[list[str], list[list[Any]]]]
    dictionary: dict[str, str] = field(default_factory=dict)


# --- the tables -----------------------------------------------------------------
def _cell(value: Any) -> str:
    """ISO dates (local day for timestamps), one-line text, formula-safe (CSV injection)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    elif isinstance(value, str):
        value = " ".join(value.split())
    return safe_cell(value)


def to_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csvsafe.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def carta_table(town: Municipality) -> tuple[list[str], list[list[Any]]]:
    from paco.catalog.models import Service

    header = [
        "identificador",
        "nome_servico",
        "sigla",
        "descricao",
        "unidade",
        "categorias",
        "publico",
        "situacao_digital",
        "endereco_digital",
        "prazo",
        "revisado_em",
        "atualizado_em",
    ]
    services = (
        Service.objects.for_municipality(town)
        .published()
        .select_related("unit")
        .prefetch_related("categories", "audiences")
        .order_by("name", "pk")
    )
    rows = []
    for s in services:
        deadline = ""
        if s.time_max or s.time_min:
            amount = s.time_max or s.time_min
            deadline = f"{amount} {s.get_time_unit_display()}".strip()
        rows.append(
            [
                s.slug,
                s.name,
                s.acronym,
                s.description,
                s.unit.name if s.unit_id else "",
                "; ".join(sorted(c.name for c in s.categories.all())),
                "; ".join(sorted(a.name for a in s.audiences.all())),
                s.get_digital_status_display(),
                s.digital_url,
                deadline,
                s.last_reviewed,
                s.updated_at,
            ]
        )
    return header, rows


def cronograma_table(town: Municipality) -> tuple[list[str], list[list[Any]]]:
    from paco.plans.models import Stage

    header = [
        "cronograma",
        "tipo",
        "etapa",
        "descricao",
        "prazo",
        "inicio",
        "prazo_final",
        "situacao",
        "unidade",
        "observacao",
    ]
    stages = (
        Stage.objects.for_municipality(town)
        .filter(plan__is_public=True)
        .select_related("plan", "unit")
        .order_by("plan__title", "plan_id", "number")
    )
    rows = [
        [
            s.plan.title,
            s.plan.get_kind_display(),
            s.number,
            s.description,
            s.duration,
            s.start,
            s.deadline,
            s.get_status_display(),
            s.unit.name if s.unit_id else "",
            s.observation,
        ]
        for s in stages
    ]
    return header, rows


def pedidos_table(town: Municipality) -> tuple[list[str], list[list[Any]]]:
    from paco.datarequests.models import DataRequest

    header = [
        "protocolo",
        "base_pedida",
        "descricao",
        "recebido_em",
        "unidade",
        "situacao",
        "prazo_resposta",
        "prorrogado",
        "justificativa_prorrogacao",
        "respondido_em",
        "resultado",
        "resposta",
        "conjunto_de_dados",
        "recurso_em",
        "recurso_decidido_em",
        "decisao_recurso",
        "fundamentacao_recurso",
    ]
    requests = (
        DataRequest.objects.for_municipality(town).for_public_list().order_by("received_at", "pk")
    )
    rows = []
    for r in requests:
        published = r.dataset_id and r.dataset and r.dataset.state == "published"
        rows.append(
            [
                r.protocol,
                r.title,
                r.description,
                r.received_at,
                r.unit.name if r.unit_id else "",
                r.get_status_display(),
                r.due_date,
                r.extended_at is not None,
                r.extension_reason,
                r.answered_at,
                r.get_outcome_display() if r.answered_at else "",
                r.answer,
                r.dataset.name if published else "",
                r.appealed_at,
                r.appeal_decided_at,
                r.get_appeal_outcome_display() if r.appeal_decided_at else "",
                r.appeal_decision,
            ]
        )
    return header, rows


def _panel_table(town: Municipality) -> tuple[list[str], list[list[Any]]]:
    from paco.panel.dataset import table

    return table(town)


SPECS: dict[str, Spec] = {
    spec.key: spec
    for spec in [
        Spec(
            key="carta",
            name="carta-de-servicos",
            title="Carta de Serviços",
            description="Os serviços que a Prefeitura presta, com a unidade responsável, "
            "o público, a situação digital e o prazo. Gerado automaticamente a partir da "
            "Carta de Serviços publicada e atualizado a cada alteração.",
            resource_title="Serviços da Carta",
            themes=["administracao"],
            keywords=["carta de serviços", "serviços públicos", "lei 13.460"],
            build=carta_table,
        ),
        Spec(
            key="cronograma",
            name="cronograma",
            title="Cronograma de implementação",
            description="As etapas dos planos da Prefeitura (governo digital, Plano de Dados "
            "Abertos), com prazos e situação. Gerado automaticamente e atualizado a cada "
            "alteração de etapa.",
            resource_title="Etapas dos cronogramas",
            themes=["planejamento-e-gestao"],
            keywords=["cronograma", "governo digital", "lei 14.129"],
            build=cronograma_table,
        ),
        Spec(
            key="pedidos-de-abertura",
            name="pedidos-de-abertura",
            title="Pedidos de abertura de bases de dados",
            description="Todos os pedidos de abertura de bases de dados (Lei nº 14.129/2021, "
            "art. 30) e as respostas, sem dados pessoais de quem pediu. Atualizado "
            "automaticamente a cada etapa de um pedido.",
            resource_title="Pedidos e respostas",
            themes=["administracao"],
            keywords=["dados abertos", "pedidos de abertura", "transparência"],
            build=pedidos_table,
        ),
        Spec(
            key="painel-de-atendimento",
            name="painel-de-atendimento",
            title="Painel de atendimento",
            description="Números dos atendimentos da Prefeitura por ano (Lei nº 14.129/2021, "
            "art. 22): recebidos, em andamento, concluídos, tempo de atendimento (médio, "
            "mediano e 90%), proporção no prazo e satisfação, com o número de avaliações; no "
            "total, por tipo, por unidade e por serviço. Só agregados, sem dados pessoais. "
            "Atualizado automaticamente.",
            resource_title="Números do atendimento por ano",
            themes=["administracao"],
            keywords=["atendimento", "ouvidoria", "lei 13.460", "satisfação"],
            build=_panel_table,
        ),
    ]
}


# --- refreshing -----------------------------------------------------------------
def _known_themes(keys: list[str]) -> list[str]:
    known = {t.key for t in vocab.themes()}
    return [k for k in keys if k in known]


def ensure_dataset(town: Municipality, spec: Spec) -> Dataset | None:
    dataset = Dataset.objects.for_municipality(town).filter(system_key=spec.key).first()
    if dataset is not None:
        return dataset
    unit = Unit.objects.for_municipality(town).main_unit()
    if unit is None:
        logger.info("%s: sem unidade principal; %s não publicado", town, spec.key)
        return None
    name = spec.name
    if Dataset.objects.for_municipality(town).filter(name=name).exists():
        name = f"{spec.name}-sistema"
    return actions.create_dataset(
        None,
        town,
        title=spec.title,
        name=name,
        unit=unit,
        system_key=spec.key,
        description=spec.description,
        themes=_known_themes(spec.themes),
        keywords=spec.keywords,
        contact_name=unit.name,
        contact_email=unit.email or town.email,
        # republished whenever its source changes: "sob demanda", with no due date
        periodicity="SOB_DEMANDA",
        version="1",
    )


def ensure_resource(dataset: Dataset, spec: Spec) -> Resource:
    resource = dataset.resources.filter(name=RESOURCE_NAME).first()
    if resource is None:
        resource = actions.create_resource(
            None, dataset, title=spec.resource_title, name=RESOURCE_NAME, format="csv"
        )
    return resource


def _last_sha(resource: Resource) -> str:
    """The SHA-256 of the latest version not failed or rejected (published or on its way)."""
    latest = (
        ResourceVersion.objects.filter(resource=resource)
        .exclude(status__in=[VersionStatus.FAILED, VersionStatus.REJECTED])
        .order_by("-number")
        .values_list("sha256", flat=True)
        .first()
    )
    return latest or ""


def refresh(town: Municipality, key: str) -> ResourceVersion | None:
    """Rebuild one self-published dataset; a new version only when its content changed."""
    from paco.opendata.pipeline.processing import import_now

    spec = SPECS[key]
    header, rows = spec.build(town)
    if not rows:
        # The pipeline refuses a table without rows: nothing to publish yet (or any more;
        # the last published version then stays current).
        return None
    content = to_csv(header, rows)
    dataset = ensure_dataset(town, spec)
    if dataset is None:
        return None
    resource = ensure_resource(dataset, spec)
    if hashlib.sha256(content).hexdigest() == _last_sha(resource):
        return None
    # personal data (no legal basis given) stops the version as "needs review"
    version = import_now(resource, io.BytesIO(content), f"{key}.csv")
    if version.status == VersionStatus.PUBLISHED:
        if dataset.version != str(version.number):  # the dataset's version follows the table's
            actions.update_dataset(None, dataset, version=str(version.number))
        return version
    logger.warning(
        "%s: a versão %s de %s ficou como %s (%s)",
        town,
        version.number,
        key,
        version.status,
        version.error or version.personal_data,
    )
    return version


def refresh_all(town: Municipality) -> dict[str, ResourceVersion | None]:
    return {key: refresh(town, key) for key in SPECS}


# --- scheduling -----------------------------------------------------------------
def enabled() -> bool:
    return bool(getattr(settings, "PACO_SELF_PUBLISH", True))


def _flag(town_id: int, key: str) -> str:
    return f"paco:selfpublish:pending:{town_id}:{key}"


@task()
def refresh_task(town_id: int, key: str) -> str:
    """Worker side of :func:`schedule`: clear the flag first, so later changes schedule again."""
    cache.delete(_flag(town_id, key))
    town = Municipality.objects.filter(pk=town_id).first()
    if town is None or key not in SPECS:
        return "missing"
    version = refresh(town, key)
    return "unchanged" if version is None else str(version.status)


def schedule(town_id: int | None, key: str) -> None:
    """After the current transaction commits, refresh ``key`` for the town (debounced)."""
    if town_id is None or not enabled():
        return

    def enqueue() -> None:
        if not cache.add(_flag(town_id, key), 1, DEBOUNCE_SECONDS * 4):
            return  # a refresh is already pending
        job = refresh_task
        if default_task_backend.supports_defer:
            run_after = timezone.now() + datetime.timedelta(seconds=DEBOUNCE_SECONDS)
            job = refresh_task.using(run_after=run_after)
        try:
            job.enqueue(town_id, key)
        except Exception:
            cache.delete(_flag(town_id, key))
            logger.exception("Não foi possível agendar a atualização de %s", key)

    transaction.on_commit(enqueue)


def _receiver(key: str) -> Callable[..., None]:
    def receive(sender: Any, instance: Any, **kwargs: Any) -> None:
        if enabled() and not kwargs.get("raw"):
            schedule(getattr(instance, "municipality_id", None), key)

    receive.__name__ = f"selfpublish_{key.replace('-', '_')}"
    return receive


_RECEIVERS: list[Callable[..., None]] = []


def connect_receivers() -> None:
    """Connect the refresh triggers (called once, from the datarequests app's ``ready``)."""
    if _RECEIVERS:
        return
    from paco.catalog.models import Service
    from paco.datarequests.models import DataRequest
    from paco.plans.models import Plan, Stage

    for model, key in [
        (Service, "carta"),
        (Plan, "cronograma"),
        (Stage, "cronograma"),
        (DataRequest, "pedidos-de-abertura"),
    ]:
        handler = _receiver(key)
        _RECEIVERS.append(handler)
        uid = f"paco.selfpublish.{model._meta.label_lower}"
        post_save.connect(handler, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(handler, sender=model, dispatch_uid=uid + ".delete", weak=False)


def demo_load(town: Municipality, units: dict[str, Unit]) -> None:
    """``paco demo`` step (last): publish the self-describing datasets at once."""
    refresh_all(town)
