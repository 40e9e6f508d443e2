"""Public verification of receipts (mounted in ``paco/urls.py``)."""

from django.urls import path

from paco.receipts import views

app_name = "receipts"

urlpatterns = [
    path("verificar/", views.verify, name="verify"),
    path("verificar/<str:code>/", views.verified, name="verified"),
]
