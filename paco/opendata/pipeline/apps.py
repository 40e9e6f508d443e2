from django.apps import AppConfig


class PipelineConfig(AppConfig):
    """Import pipeline (staff pages, upload API, background job): templates and static files."""

    name = "paco.opendata.pipeline"
    label = "opendata_pipeline"
    verbose_name = "Dados abertos: importação"
