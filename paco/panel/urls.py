from django.urls import path

from paco.panel import views

app_name = "panel"

urlpatterns = [
    path("painel/", views.panel_page, name="page"),
    path("painel.json", views.panel_json, name="json"),
    path("painel.csv", views.panel_csv, name="csv"),
    path("painel/relatorio/<int:year>/", views.report_page, name="report"),
    path("painel/relatorio/<int:year>/relatorio.pdf", views.report_pdf, name="report_pdf"),
]
