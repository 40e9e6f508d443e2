"""``paco import-resource DATASET_SLUG FILE``: import a file as a new version of a resource.

The dataset is created as a draft in the municipality's main unit when it does
not exist (``--publish`` publishes the dataset it created, once the version is
published). The file runs through the whole pipeline in this process (read,
type, validate, screen for personal data, Parquet) and the version is published
unless the pipeline stops it (personal data waits for a decision); validation
errors do not block (art. 32) and are listed. The last line of the output is one
JSON object that tells what the public can see: the dataset's and the version's
state, whether the version was published, and the public address only when the
data is public. The exit status is non-zero only when the file is rejected (or
the processing failed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.text import slugify

from paco.opendata import actions
from paco.opendata.models import (
    Dataset,
    DatasetState,
    Resource,
    ResourceKind,
    ResourceVersion,
    VersionStatus,
)
from paco.opendata.pipeline import actions as pipeline_actions
from paco.opendata.pipeline.actions import submit_version
from paco.opendata.pipeline.api import personal_columns, version_errors
from paco.opendata.pipeline.processing import recover_stale_versions, run_version
from paco.opendata.portal.webhooks import site_root
from paco.tenancy.cli import municipality_option
from paco.tenancy.models import Municipality, Unit

BAR_WIDTH = 30
#: errors listed in the JSON line (the version's report keeps up to 1000)
MAX_LISTED = 100


class Command(BaseCommand):
    help = (
        "Importa um arquivo (CSV, XLSX, ODS, JSON…) como nova versão de um recurso e o publica "
        "quando não há dados pessoais. A última linha da saída é um objeto JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", metavar="DATASET_SLUG", help="identificador do conjunto")
        parser.add_argument("file", metavar="FILE", help="arquivo a importar")
        parser.add_argument(
            "--resource",
            metavar="NAME",
            help="identificador do recurso (padrão: o único recurso do conjunto, ou o nome do "
            "arquivo)",
        )
        parser.add_argument(
            "--title", help="título do recurso (e do conjunto, quando ele for criado)"
        )
        parser.add_argument("--sheet", default="", help="planilha (XLSX/ODS); padrão: a primeira")
        parser.add_argument("--municipality", help="identificador (slug) do município")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publica também o conjunto criado por este comando (sem esta opção ele fica "
            "em rascunho e a versão não aparece para o público); só quando a versão é publicada",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Arquivo não encontrado: {path}")
        town = municipality_option(options["municipality"])
        recover_stale_versions()
        created = (
            not Dataset.objects.for_municipality(town).filter(name=options["dataset"]).exists()
        )
        dataset = self._dataset(town, options["dataset"], options["title"])
        resource = self._resource(dataset, path, options["resource"], options["title"])
        with path.open("rb") as fh:
            version = submit_version(
                None,
                resource,
                fh,
                path.name,
                sheet=options["sheet"],
                auto_publish=True,
                accept_errors=True,
                enqueue=False,
            )
        if version.status == VersionStatus.QUEUED:
            echo = self._progress_writer()
            done = run_version(version.pk, echo=echo)
            version = done or version
            if echo is not None:
                self.stderr.write("")
        version.refresh_from_db()
        if options["publish"] and created and version.status == VersionStatus.PUBLISHED:
            dataset = actions.set_dataset_state(None, dataset, DatasetState.PUBLISHED)
        dataset.refresh_from_db()
        summary = summarize(dataset, version)
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if summary["status"] in (VersionStatus.REJECTED, VersionStatus.FAILED):
            raise CommandError(version.error or "Arquivo rejeitado.")

    def _dataset(self, town: Municipality, slug: str, title: str | None) -> Dataset:
        dataset = Dataset.objects.for_municipality(town).filter(name=slug).first()
        if dataset is not None:
            return dataset
        if slugify(slug) != slug:
            raise CommandError(f"Identificador inválido: “{slug}” (use letras, números e hífens).")
        unit = Unit.objects.for_municipality(town).main_unit()
        if unit is None:
            raise CommandError("O município não tem unidades: crie a unidade principal antes.")
        self.stderr.write(f"Criando o conjunto “{slug}” como rascunho em {unit}.")
        title = title or slug.replace("-", " ").capitalize()
        return actions.create_dataset(None, town, title=title, unit=unit, name=slug)

    def _resource(
        self, dataset: Dataset, path: Path, name: str | None, title: str | None
    ) -> Resource:
        files = dataset.resources.filter(kind=ResourceKind.FILE)
        if not name and files.count() == 1:
            found = files.first()
            assert found is not None
            return found
        name = name or slugify(path.stem)[:100] or "dados"
        resource = dataset.resources.filter(name=name).first()
        if resource is not None:
            return resource
        return actions.create_resource(None, dataset, title=title or path.stem, name=name)

    def _progress_writer(self) -> Any:
        if not self.stderr.isatty():
            return None
        err = self.stderr

        def echo(percent: int, message: str) -> None:
            filled = BAR_WIDTH * percent // 100
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            err.write(f"\r[{bar}] {percent:3d}% {message[:40]:<40}", ending="")
            err.flush()

        return echo


def summarize(dataset: Dataset, version: ResourceVersion) -> dict[str, Any]:
    """The CLI's JSON line: read back from the database, never from what was asked for."""
    report = version.report or {}
    errors = version_errors(version)
    total = max(int(report.get("error_count") or 0), len(errors))
    if total > MAX_LISTED:
        more = f"… e mais {total - MAX_LISTED} problema(s); veja o relatório completo da versão."
        errors = [*errors[:MAX_LISTED], more]
    resource = Resource.objects.select_related("dataset").get(pk=version.resource_id)
    published = version.status == VersionStatus.PUBLISHED and resource.current_version_id == (
        version.pk
    )
    public = published and resource.dataset.state == DatasetState.PUBLISHED
    summary: dict[str, Any] = {
        "dataset": dataset.name,
        "dataset_state": str(resource.dataset.state),
        "resource_id": str(version.resource_id),
        "version": version.number,
        "version_state": str(version.status),
        "status": str(version.status),  # the same as version_state (older scripts read it)
        "published": published,
        "public": public,
        "visibility": visibility(resource.dataset, version, published),
        "rows": version.rows,
        "errors": errors,
        "warnings": list(report.get("warnings") or [])[:MAX_LISTED],
        "personal_data": personal_columns(version),
        # "Não publicada automaticamente: …" when it waits for a person (LGPD); else ""
        "review_required": pipeline_actions.held_for_review(version)
        if version.status != VersionStatus.PUBLISHED
        else "",
    }
    if public:
        town = resource.dataset.municipality
        summary["public_url"] = site_root(town) + reverse(
            "portal:dataset", args=[resource.dataset.name]
        )
    return summary


def visibility(dataset: Dataset, version: ResourceVersion, published: bool) -> str:
    """What the public sees, in pt-BR, from the stored states."""
    status = VersionStatus(version.status)
    if not published:
        waiting = {
            VersionStatus.NEEDS_REVIEW: "aguarda a decisão sobre os dados pessoais encontrados",
            VersionStatus.READY: "está pronta, mas não foi publicada",
            VersionStatus.REJECTED: "foi rejeitada",
            VersionStatus.FAILED: "falhou no processamento",
        }.get(status, f"está na situação “{status.label}”")
        return f"A versão {version.number} {waiting}: nada novo aparece para o público."
    if dataset.state != DatasetState.PUBLISHED:
        return (
            f"A versão {version.number} foi publicada, mas o conjunto “{dataset.name}” está em "
            "rascunho: o público não o vê. Publique o conjunto na gestão (ou use --publish "
            "ao criá-lo)."
        )
    return f"A versão {version.number} está publicada e visível para o público."
