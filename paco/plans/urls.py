from django.urls import path

from paco.plans import views

app_name = "plans"

urlpatterns = [
    path("cronograma/", views.plan_page, name="main"),
    path("cronograma.json", views.export_json, name="main_json"),
    path("cronograma.csv", views.export_csv, name="main_csv"),
    path("cronograma.ics", views.export_ics, name="main_ics"),
    path("cronograma/importar/", views.plan_import, name="import"),
    path("cronograma/etapas/<int:pk>/editar/", views.stage_edit, name="stage_edit"),
    path("cronograma/etapas/<int:pk>/historico/", views.stage_history, name="stage_history"),
    path("cronograma/<slug:slug>/", views.plan_page, name="detail"),
    path("cronograma/<slug:slug>/cronograma.json", views.export_json, name="json"),
    path("cronograma/<slug:slug>/cronograma.csv", views.export_csv, name="csv"),
    path("cronograma/<slug:slug>/cronograma.ics", views.export_ics, name="ics"),
]
