"""URLs of the servants' notices, mounted before the Django admin (``/gestao/``)."""

from django.urls import path

from paco.notifications import views

app_name = "notifications"

urlpatterns = [
    path("gestao/avisos/", views.notice_list, name="list"),
    path("gestao/avisos/preferencias/", views.preferences, name="preferences"),
    path("gestao/avisos/quem-recebe/", views.overview, name="overview"),
]
