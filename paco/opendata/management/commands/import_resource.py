"""``paco import-resource DATASET_SLUG FILE``: import a file as a new version of a resource.

The dataset is created as a draft in the municipality's main unit when it does
not exist. The file runs through the whole pipeline in this process (read,
type, validate, screen for personal data, Parquet) and is published when it has
no personal data; validation errors do not block (art. 32) and are listed.
The last line of the output is one JSON object; the exit status is non-zero
only when the file is rejected (or the processing failed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from paco.opendata import actions
from paco.opendata.models import Dataset, Resource, ResourceKind, ResourceVersion, VersionStatus
from paco.opendata.pipeline import services
from paco.opendata.pipeline.api import personal_columns, version_errors
from paco.opendata.pipeline.processing import recover_stale_versions, run_version
from paco.opendata.pipeline.services import submit_version
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

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Arquivo não encontrado: {path}")
        town = municipality_option(options["municipality"])
        recover_stale_versions()
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
    """The CLI's JSON line."""
    report = version.report or {}
    errors = version_errors(version)
    total = max(int(report.get("error_count") or 0), len(errors))
    if total > MAX_LISTED:
        more = f"… e mais {total - MAX_LISTED} problema(s); veja o relatório completo da versão."
        errors = [*errors[:MAX_LISTED], more]
    return {
        "dataset": dataset.name,
        "resource_id": str(version.resource_id),
        "version": version.number,
        "rows": version.rows,
        "status": str(version.status),
        "errors": errors,
        "personal_data": personal_columns(version),
        # "Não publicada automaticamente: …" when it waits for a person (LGPD); else ""
        "review_required": services.held_for_review(version)
        if version.status != VersionStatus.PUBLISHED
        else "",
    }
