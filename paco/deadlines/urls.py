"""Staff pages of the town's calendar and clock rules, mounted before the admin (``/gestao/``)."""

from django.urls import path

from paco.deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("gestao/prazos/feriados/", views.holidays, name="holidays"),
    path("gestao/prazos/regras/", views.clock_settings, name="settings"),
]
