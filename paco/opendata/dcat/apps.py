from django.apps import AppConfig


class DcatConfig(AppConfig):
    """DCAT-BR, datapackage.json and national-portal readiness: its templates are found."""

    name = "paco.opendata.dcat"
    label = "opendata_dcat"
    verbose_name = "Dados abertos: DCAT-BR e Portal Brasileiro"
