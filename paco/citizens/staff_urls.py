"""The staff task page, mounted before the Django admin (``/gestao/``)."""

from django.urls import path

from paco.citizens import staff_views

app_name = "citizens_staff"

urlpatterns = [
    path(
        "gestao/cidadaos/exclusao/",
        staff_views.deletion_requests,
        name="deletion_requests",
    ),
]
